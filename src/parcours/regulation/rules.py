"""Every rule by name, with the facts it takes: what ``parcours rule NAME`` and later the API call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parcours.regulation import (
    appeals,
    calendar,
    deliberation,
    exams,
    fees,
    financabilite,
    grades,
    mobility,
    pae,
    registration,
)
from parcours.regulation.explain import Decision, Facts, InputError
from parcours.regulation.params import UnknownYear


@dataclass(frozen=True)
class Rule:
    name: str
    facts: type[Facts]
    decide: Callable[..., Decision]

    @property
    def summary(self) -> str:
        doc = (self.decide.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""


RULES: dict[str, Rule] = {
    r.name: r
    for r in [
        Rule("calendar.describe_day", calendar.DayFacts, calendar.describe_day),
        Rule("calendar.deadline", calendar.DeadlineFacts, calendar.deadline),
        Rule("calendar.fixed_date", calendar.FixedDateFacts, calendar.fixed_date),
        Rule("grades.ue_result", grades.UEFacts, grades.ue_result),
        Rule("grades.carry_over", grades.CarryOverFacts, grades.carry_over),
        Rule("grades.jury_grant", grades.JuryGrantFacts, grades.jury_grant),
        Rule("exams.admission", exams.AdmissionFacts, exams.admission),
        Rule("exams.encoding", exams.EncodingFacts, exams.encoding),
        Rule("exams.schedule_change", exams.ScheduleChangeFacts, exams.schedule_change),
        Rule("exams.timetable_publication", exams.PublicationFacts, exams.timetable_publication),
        Rule("exams.absence_proof", exams.ProofFacts, exams.absence_proof),
        Rule("exams.retake_request", exams.RetakeRequestFacts, exams.retake_request),
        Rule("exams.copy_consultation", exams.ConsultationFacts, exams.copy_consultation),
        Rule("exams.results_detail_due", exams.ResultsDetailFacts, exams.results_detail_due),
        Rule("exams.detail_publication", exams.DetailPublicationFacts, exams.detail_publication),
        Rule("exams.attempt", exams.AttemptFacts, exams.attempt),
        Rule("exams.assessor_request", exams.AssessorFacts, exams.assessor_request),
        Rule("financabilite.evaluate", financabilite.FinancabiliteFacts, financabilite.evaluate),
        Rule("fees.compute", fees.FeeFacts, fees.compute),
        Rule("fees.payment_status", fees.PaymentStatusFacts, fees.payment_status),
        Rule("fees.withdrawal", fees.WithdrawalFacts, fees.withdrawal),
        Rule("pae.check", pae.PaeFacts, pae.check),
        Rule("deliberation.credits", deliberation.CreditsFacts, deliberation.credits),
        Rule("deliberation.mention", deliberation.MentionFacts, deliberation.mention),
        Rule("deliberation.quorum", deliberation.QuorumFacts, deliberation.quorum),
        Rule("deliberation.may_sit", deliberation.ConflictFacts, deliberation.may_sit),
        Rule("deliberation.deliberated", deliberation.SessionFacts, deliberation.deliberated),
        Rule("mobility.eligibility", mobility.EligibilityFacts, mobility.eligibility),
        Rule("mobility.duration", mobility.DurationFacts, mobility.duration),
        Rule("mobility.learning_agreement", mobility.LearningAgreementFacts, mobility.learning_agreement),
        Rule("mobility.candidature", mobility.CandidatureFacts, mobility.candidature),
        Rule("mobility.candidature_deadline", mobility.DeadlineFacts, mobility.candidature_deadline),
        Rule("mobility.stay", mobility.StayFacts, mobility.stay),
        Rule("mobility.grant", mobility.GrantFacts, mobility.grant),
        Rule("mobility.convert_grade", mobility.GradeFacts, mobility.convert_grade),
        Rule("registration.window", registration.WindowFacts, registration.window),
        Rule("registration.admissibility", registration.AdmissibilityFacts, registration.admissibility),
        Rule("registration.silence", registration.SilenceFacts, registration.silence),
        Rule("registration.refusal", registration.RefusalFacts, registration.refusal),
        Rule("registration.decision_open", registration.DecisionOpenFacts, registration.decision_open),
        Rule("registration.fraud_ban", registration.FraudBanFacts, registration.fraud_ban),
        Rule("registration.non_eu_admission", registration.NonEuFacts, registration.non_eu_admission),
        Rule("registration.jury_cf_access", registration.JuryCFFacts, registration.jury_cf_access),
        Rule("registration.vae_access", registration.VaeFacts, registration.vae_access),
        Rule("registration.entrepreneur_status", registration.EntrepreneurFacts, registration.entrepreneur_status),
        Rule("appeals.route", appeals.AppealFacts, appeals.route),
        Rule("appeals.sanction_authority", appeals.SanctionFacts, appeals.sanction_authority),
    ]
}


def run(name: str, data: dict) -> Decision:
    """Validate ``data`` against the rule's facts and decide.

    Raises KeyError (unknown rule), ValidationError or InputError (bad facts), RuleError (the RGE does not decide)."""
    rule = RULES[name]
    facts = rule.facts.model_validate(data)
    try:
        return rule.decide(facts)
    except UnknownYear as exc:
        raise InputError(str(exc)) from exc
    except (OverflowError, ArithmeticError) as exc:  # a date or amount the calendar/fee arithmetic cannot reach
        raise InputError("une date ou un montant sort des limites que le règlement peut calculer") from exc
