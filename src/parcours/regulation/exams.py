"""Organising evaluations: who may sit, notes a person may write, the timetable, absences, encoding
limits, copy consultation (RGE Titre V, art. 80, 85, 88-91, 100, 103, 104)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import Field

from parcours.regulation.calendar import DeadlineFacts, FixedDateFacts, deadline, fixed_date
from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, fr_date
from parcours.regulation.grades import SPECIAL_CODES
from parcours.regulation.params import load_year


def _last_day(ex: Explanation, time_limit: str, event: dt.date, year: str) -> dt.date:
    """The end of one of the year's time limits (the one deadline calculator), its reasons added to ``ex``."""
    decision = deadline(DeadlineFacts(time_limit=time_limit, event_date=event, year=year))
    for r in decision.reasons:
        ex.add(r.article, r.text)
    return decision.outcome


# Who writes which special code (art. 100 lists them; art. 91, 110 and 114 say who decides):
# the evaluator gives PP (not present) and PR (presence note); CM and ML come from an absence
# justification accepted under art. 91; FR only from a fraud or misconduct decision (art. 110, 114).
# The jury secretary who corrects a submitted sheet (or completes a late one) writes what the evaluator could:
# a CM, ML or FR typed by hand would bypass the decision it stands for.
CODES_BY_SOURCE: dict[str, frozenset[str]] = {
    "evaluator": frozenset({"PP", "PR"}),
    "absence": frozenset({"CM", "ML", "PP"}),
    "fraud": frozenset({"FR"}),
    "jury_secretary": frozenset({"PP", "PR"}),
}
WRITER = {"evaluator": "l'évaluateur", "jury_secretary": "le secrétaire du jury", "absence": "une décision d'absence",
          "fraud": "une décision de fraude"}


def parse_note(text: str, source: Literal["evaluator", "absence", "fraud", "jury_secretary"] = "evaluator",
               ) -> tuple[Decimal | None, str]:
    """A note as typed on a sheet: '' (nothing yet), 0 to 20 with a comma or a point, or a special code
    the writer may give. Raises RuleError with the French message to show."""
    raw = (text or "").strip().upper().replace(",", ".")
    if not raw:
        return None, ""
    if raw in SPECIAL_CODES:
        if raw not in CODES_BY_SOURCE[source]:
            who = {"CM": "d'un certificat médical accepté par le secrétariat (art. 91)",
                   "ML": "d'un motif légitime reconnu par le président du jury (art. 91)",
                   "FR": "d'une décision de fraude ou de faute grave (art. 110, 114)"}.get(raw, "")
            raise RuleError(f"La note spéciale {raw} ne peut être encodée par {WRITER[source]} : elle résulte {who}.")
        return None, raw
    try:
        value = Decimal(raw)
    except InvalidOperation:
        allowed = ", ".join(sorted(CODES_BY_SOURCE[source]))
        raise RuleError(f"« {text.strip()[:20]} » n'est ni une note de 0 à 20 ni une note spéciale permise ({allowed}) "
                        "(art. 100).") from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(20):
        raise RuleError(f"Une note s'exprime entre 0 et 20 (art. 100) ; reçu « {text.strip()[:20]} ».")
    if value != value.quantize(Decimal("0.01")):
        raise RuleError(f"Une note a au plus deux décimales ; reçu « {text.strip()[:20]} ».")
    return value.quantize(Decimal("0.01")), ""


class AdmissionFacts(Facts):
    """Whether a student may sit the evaluation of an activity in a period (art. 88-90)."""

    registration_regular: bool  # art. 24: documents and acompte (the registration is 'régulière')
    access_suspended: bool = False  # art. 49: balance unpaid on 1 February
    ue_in_pae: bool
    period: Literal[1, 2, 3]
    third_period_registered: bool | None = None  # art. 90: the student's choice in the department's window


def admission(facts: AdmissionFacts) -> Decision:
    """Whether a student is registered for (and may sit) an evaluation (art. 24, 49, 88-90)."""
    ex = Explanation()
    if not facts.registration_regular:
        ex.add("Art. 88, 24", "L'étudiant n'est pas régulièrement inscrit (documents ou acompte manquants) : "
               "il n'est pas admis aux évaluations.")
        return ex.decide(False, article="Art. 88, 24")
    if facts.access_suspended:
        ex.add("Art. 49, 88", "Solde des droits d'inscription impayé au 1er février : l'étudiant n'a plus accès aux "
               "évaluations.")
        return ex.decide(False, article="Art. 49, 88")
    if not facts.ue_in_pae:
        ex.add("Art. 89", "L'unité d'enseignement ne fait pas partie du PAE de l'étudiant : il ne peut pas présenter "
               "son évaluation.")
        return ex.decide(False, article="Art. 89")
    if facts.period == 3:
        if facts.third_period_registered is False:
            ex.add("Art. 90", "L'étudiant ne s'est pas inscrit à cette évaluation de la 3e période selon les modalités "
                   "du département.")
            return ex.decide(False, article="Art. 90")
        ex.add("Art. 90", "Inscrit à l'évaluation de la 3e période selon les modalités du département.")
        return ex.decide(True, article="Art. 90")
    ex.add("Art. 89", "Régulièrement inscrit, l'étudiant est réputé inscrit à toutes les évaluations de fin de 1er et "
           "2e quadrimestre des UE de son PAE.")
    return ex.decide(True, article="Art. 89")


class EncodingFacts(Facts):
    """Whether a note may still be written on a sheet on a given day (art. 85)."""

    on: dt.date
    period: Literal[1, 2, 3]
    deadline: dt.date  # the department's encoding deadline for the period
    session_ouverte_until: dt.date | None = None  # the jury extended this student's period (art. 85)
    year: str = "2023-2024"


def encoding(facts: EncodingFacts) -> Decision:
    """Whether a note may be encoded on a day: the department's deadline, or a session ouverte (art. 85)."""
    ex = Explanation()
    if facts.session_ouverte_until is not None:
        limit, article = session_ouverte_limit(facts.period, facts.year)
        until = min(facts.session_ouverte_until, limit)
        if facts.session_ouverte_until > limit:
            ex.add(article, f"Une session ouverte ne peut dépasser le {fr_date(limit)} pour cette période.")
        ok = facts.on <= until
        ex.add(article, f"Session ouverte jusqu'au {fr_date(until)} : le {fr_date(facts.on)} est "
               f"{'dans' if ok else 'hors'} délai.")
        return ex.decide(ok, until=until)
    ok = facts.on <= facts.deadline
    ex.add("Art. 80", f"Date limite d'encodage fixée par le département : {fr_date(facts.deadline)} ; le "
           f"{fr_date(facts.on)} est {'dans' if ok else 'hors'} délai.")
    return ex.decide(ok, until=facts.deadline)


def session_ouverte_limit(period: int, year: str = "2023-2024") -> tuple[dt.date, str]:
    """The art. 85 limit of a period, from the calendar's fixed dates session_ouverte_q1/q2/q3."""
    decision = fixed_date(FixedDateFacts(name=f"session_ouverte_q{period}", year=year))
    return decision.outcome["date"], decision.reasons[0].article


class ScheduleChangeFacts(Facts):
    """A change of an announced evaluation date (art. 80)."""

    announced: dt.date
    on: dt.date  # the day the change is made
    force_majeure: bool = False
    reason: str = ""
    year: str = "2023-2024"


def schedule_change(facts: ScheduleChangeFacts) -> Decision:
    """Whether an evaluation's date may still change: not less than 10 working days before it, unless the
    direction records force majeure (art. 80)."""
    ex = Explanation()
    last_day = _last_day(ex, "evaluation_schedule_change", facts.announced, facts.year)
    if facts.on <= last_day:
        ex.add("Art. 80", "Modification dans le délai : les étudiants concernés en sont informés sans délai.")
        return ex.decide(True, last_day=last_day)
    if facts.force_majeure:
        if not facts.reason.strip():
            raise RuleError("La force majeure doit être motivée (art. 80, 86).")
        ex.add("Art. 80, 86", f"Moins de 10 jours ouvrables avant la date annoncée, mais force majeure constatée par la "
               f"direction : {facts.reason.strip()}.")
        return ex.decide(True, last_day=last_day)
    ex.add("Art. 80", f"Moins de 10 jours ouvrables avant la date annoncée ({fr_date(facts.announced)}) : la date "
           "ne peut plus être modifiée, sauf force majeure constatée par la direction.")
    return ex.decide(False, last_day=last_day)


class PublicationFacts(Facts):
    period_start: dt.date
    on: dt.date
    year: str = "2023-2024"


def timetable_publication(facts: PublicationFacts) -> Decision:
    """Whether the timetable of a period is published at least one month before it starts (art. 80)."""
    ex = Explanation()
    last_day = _last_day(ex, "evaluation_schedule_publication", facts.period_start, facts.year)
    ok = facts.on <= last_day
    ex.add("Art. 80", f"Publication le {fr_date(facts.on)} : {'dans' if ok else 'hors'} délai.")
    return ex.decide(ok, last_day=last_day)


class ProofFacts(Facts):
    evaluation_date: dt.date
    on: dt.date
    year: str = "2023-2024"


def absence_proof(facts: ProofFacts) -> Decision:
    """Whether the written proof of an absence arrives within 2 working days of the evaluation (art. 91)."""
    ex = Explanation()
    last_day = _last_day(ex, "absence_justification", facts.evaluation_date, facts.year)
    ok = facts.on <= last_day
    if not ok:
        ex.add("Art. 91", f"Justificatif reçu le {fr_date(facts.on)}, après le {fr_date(last_day)} : refusé. "
               "L'absence non justifiée entraîne la non-validation de l'UE (PP).")
    else:
        ex.add("Art. 91", f"Justificatif reçu le {fr_date(facts.on)} : dans le délai.")
    return ex.decide(ok, last_day=last_day)


class RetakeRequestFacts(Facts):
    evaluation_date: dt.date
    on: dt.date
    when: Literal["same_period", "next_period"]
    year: str = "2023-2024"


def retake_request(facts: RetakeRequestFacts) -> Decision:
    """Whether a request to resit a missed evaluation is in time: the next day for the same period, one
    month for the next period (art. 91). The jury president then decides."""
    ex = Explanation()
    name = "absence_retake_same_period" if facts.when == "same_period" else "absence_retake_next_period"
    last_day = _last_day(ex, name, facts.evaluation_date, facts.year)
    ok = facts.on <= last_day
    ex.add("Art. 91", f"Demande du {fr_date(facts.on)} : {'dans le délai ; le président du jury décide' if ok else 'hors délai'}.")
    return ex.decide(ok, last_day=last_day)


class ConsultationFacts(Facts):
    results_on: dt.date
    announced_on: dt.date
    consultation_on: dt.date
    year: str = "2023-2024"


def copy_consultation(facts: ConsultationFacts) -> Decision:
    """A copy consultation is announced at least one week ahead and held within the month after the
    results (art. 104)."""
    ex = Explanation()
    latest = deadline(DeadlineFacts(time_limit="copy_consultation", event_date=facts.results_on, year=facts.year))
    notice = deadline(DeadlineFacts(time_limit="copy_consultation_notice", event_date=facts.consultation_on,
                                    year=facts.year))
    ok = True
    if facts.consultation_on < facts.results_on:
        ex.add("Art. 104", "La consultation suit la communication des résultats.")
        ok = False
    if facts.consultation_on > latest.outcome:
        ex.add("Art. 104", f"La consultation doit avoir lieu au plus tard le {fr_date(latest.outcome)} (un mois après les "
               "résultats).")
        ok = False
    if facts.announced_on > notice.outcome:
        ex.add("Art. 104", f"La date doit être annoncée au moins une semaine à l'avance, soit au plus tard le "
               f"{fr_date(notice.outcome)}.")
        ok = False
    if ok:
        ex.add("Art. 104", f"Consultation le {fr_date(facts.consultation_on)}, annoncée le {fr_date(facts.announced_on)} : "
               "conforme.")
    return ex.decide(ok, latest=latest.outcome, announce_by=notice.outcome)


class ResultsDetailFacts(Facts):
    bloc1: bool = Field(description="1re année du 1er cycle")
    period: Literal[1, 2, 3]
    period_end: dt.date
    year: str = "2023-2024"


def results_detail_due(facts: ResultsDetailFacts) -> Decision:
    """By when a student gets the detail of their results (art. 103): 10 February for the January results of a
    first-year student, else one month after the period on request (HELHa closure suspends it)."""
    ex = Explanation()
    if facts.bloc1 and facts.period == 1:
        fd = load_year(facts.year).deadlines.dates["bloc1_q1_results"]
        ex.add(fd.article, f"{fd.label} : au plus tard le {fr_date(fd.date)}.")
        return ex.decide(fd.date)
    last_day = _last_day(ex, "results_detail", facts.period_end, facts.year)
    return ex.decide(last_day)


class DetailPublicationFacts(Facts):
    """A publication of results the jury sets (art. 103)."""

    bloc1: bool = Field(description="la publication comprend des étudiants de 1re année du 1er cycle")
    period: Literal[1, 2, 3]
    publish_on: dt.date  # the day the results become visible
    on: dt.date  # the day the publication is set
    year: str = "2023-2024"


def detail_publication(facts: DetailPublicationFacts) -> Decision:
    """Whether a day set for publishing results keeps the 10 February limit of art. 103.

    A first-year student of the first cycle receives the detail of the January results at the latest on
    10 February, so as to reorient (art. 33) or lighten the programme (art. 74).
    A later day is refused while 10 February can still be kept; once it has passed, only an immediate publication
    is allowed (refusing it would only delay the student further)."""
    ex = Explanation()
    if not (facts.bloc1 and facts.period == 1):
        ex.add("Art. 103", "Pas de date imposée pour cette publication : le détail est communiqué sur demande, au plus "
               "tard un mois après la période d'évaluation.")
        return ex.decide(True, deadline=None)
    fd = load_year(facts.year).deadlines.dates["bloc1_q1_results"]
    if facts.publish_on <= fd.date:
        ex.add(fd.article, f"{fd.label} : au plus tard le {fr_date(fd.date)} ; publication le "
               f"{fr_date(facts.publish_on)}, dans le délai.")
        return ex.decide(True, deadline=fd.date)
    if facts.on > fd.date and facts.publish_on <= facts.on:
        ex.add(fd.article, f"{fd.label} : le délai du {fr_date(fd.date)} est dépassé ; seule une publication "
               "immédiate reste possible.")
        return ex.decide(True, deadline=fd.date)
    ex.add(fd.article, f"{fd.label} : les étudiants de 1re année du 1er cycle doivent recevoir le détail de leurs "
           f"résultats de janvier au plus tard le {fr_date(fd.date)} ; une publication le {fr_date(facts.publish_on)} "
           "est refusée.")
    return ex.decide(False, deadline=fd.date)


class AttemptFacts(Facts):
    """How many times a student has already presented a UE's evaluations this academic year (art. 83)."""

    attempts_this_year: int = Field(ge=0)
    authorised: bool = False  # the department director's exceptional authorisation (art. 83)
    motivation: str = ""
    year: str = "2023-2024"


def attempt(facts: AttemptFacts) -> Decision:
    """Whether a student may present a UE once more this year (art. 83).

    At most twice, unless the department director authorises it for exceptional reasons, duly motivated."""
    limit = load_year(facts.year).pae.max_attempts_per_year
    ex = Explanation()
    if facts.attempts_this_year < limit.value:
        ex.add(limit.article, f"UE présentée {facts.attempts_this_year} fois cette année (au plus {limit.value}).")
        return ex.decide(True, article=limit.article)
    if facts.authorised:
        if not facts.motivation.strip():
            raise RuleError("L'autorisation du directeur de département doit être motivée (art. 83).")
        ex.add(limit.article, f"UE déjà présentée {facts.attempts_this_year} fois cette année ; autorisation "
               f"exceptionnelle du directeur de département : {facts.motivation.strip()}.")
        return ex.decide(True, article=limit.article)
    ex.add(limit.article, f"UE déjà présentée {facts.attempts_this_year} fois cette année : une nouvelle présentation "
           "demande l'autorisation exceptionnelle et motivée du directeur de département.")
    return ex.decide(False, article=limit.article)


class AssessorFacts(Facts):
    """Who asks the jury president for an assessor at an evaluation, and when (art. 99)."""

    origin: Literal["president", "evaluator", "student"]
    evaluation_date: dt.date | None = None
    requested_on: dt.date | None = None  # the student's written request (art. 99)
    motivation: str = ""
    year: str = "2023-2024"


def assessor_request(facts: AssessorFacts) -> Decision:
    """Whether the jury president may designate an assessor: on own initiative, at an evaluator's request, or on a
    student's written, motivated request introduced at the latest 7 working days before the evaluation (art. 99)."""
    ex = Explanation()
    if facts.origin != "student":
        who = "d'initiative" if facts.origin == "president" else "à la demande d'un évaluateur"
        ex.add("Art. 99", f"Assesseur désigné par le président du jury {who}.")
        return ex.decide(True)
    if not facts.motivation.strip():
        raise RuleError("La demande de l'étudiant doit être écrite et motivée (art. 99).")
    if facts.evaluation_date is None or facts.requested_on is None:
        raise RuleError("La date de l'évaluation et celle de la demande sont nécessaires (art. 99).")
    last_day = _last_day(ex, "assessor_request", facts.evaluation_date, facts.year)
    ok = facts.requested_on <= last_day
    ex.add("Art. 99", f"Demande de l'étudiant du {fr_date(facts.requested_on)}, au plus tard le {fr_date(last_day)} : "
           f"{'dans le délai' if ok else 'hors délai, refusée'}.")
    return ex.decide(ok, last_day=last_day)
