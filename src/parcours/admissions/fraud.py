"""Registration fraud (art. 42-46): report, hearing, decision, refusal and the three-year ban."""

import datetime as dt

from django.conf import settings
from django.db import transaction

from parcours.admissions.models import AdmissionRequest, FraudCase
from parcours.admissions.services import AdmissionError, _require  # noqa: F401
from parcours.admissions.workflow import RequestStatus
from parcours.audit.services import record
from parcours.notifications.services import notify
from parcours.regulation import appeals, calendar, registration
from parcours.students.models import Registration, Student


@transaction.atomic
def report_fraud(*, actor, student_id: int, facts: str, on: dt.date) -> FraudCase:
    """Art. 43: the department direction records a presumed fraud and sends it to the Collège de direction."""
    student = Student.objects.get(pk=student_id)
    _require(actor, student, {"direction_departement"}, "signaler une fraude à l'inscription")
    if not facts.strip():
        raise AdmissionError("Décrivez les faits reprochés (art. 43).")
    case = FraudCase.objects.create(
        student=student, academic_year=settings.ACADEMIC_YEAR, facts=facts.strip(), reported_on=on
    )
    record(
        actor=actor,
        action="admissions.fraud.reported",
        target=case,
        summary="Fraude à l'inscription supposée : procès-verbal transmis au Collège de direction (art. 43).",
    )
    return case


@transaction.atomic
def convene_fraud_hearing(
    *, actor, case_id: int, notified_on: dt.date, hearing_on: dt.date | None, lives_abroad: bool = False
) -> FraudCase:
    """Art. 43: the hearing is set at the earliest 15 days after the facts are notified; a student living
    abroad answers in writing instead."""
    case = FraudCase.objects.select_for_update().select_related("student__user").get(pk=case_id)
    _require(actor, case.student, {"college_direction"}, "instruire une fraude à l'inscription")
    earliest = calendar.deadline(
        calendar.DeadlineFacts(time_limit="registration_fraud_hearing", event_date=notified_on)
    )
    if not lives_abroad and (hearing_on is None or hearing_on < earliest.outcome):
        raise AdmissionError(
            f"L'audition ne peut avoir lieu avant le {earliest.outcome:%d/%m/%Y} (art. 43 : au plus tôt "
            "15 jours après la notification des faits)."
        )
    case.status, case.notified_on, case.hearing_on, case.lives_abroad = (
        FraudCase.Status.CONVENED,
        notified_on,
        None if lives_abroad else hearing_on,
        lives_abroad,
    )
    case.save()
    record(
        actor=actor,
        action="admissions.fraud.convened",
        target=case,
        summary="Réponse écrite demandée (étudiant à l'étranger)"
        if lives_abroad
        else f"Audition fixée au {hearing_on:%d/%m/%Y}",
    )
    notify(
        user=case.student.user,
        template="admission_decision",
        url="/",
        context={
            "request": None,
            "title": "Fraude à l'inscription supposée : convocation",
            "decision": earliest,
            "appeal": None,
        },
    )
    return case


@transaction.atomic
def decide_fraud(*, actor, case_id: int, proven: bool, on: dt.date) -> FraudCase:
    """Art. 44-46: a proven fraud refuses the registration (not yet regular) or excludes the student until the end
    of the year (already regular), and bars any registration for the three following years."""
    case = FraudCase.objects.select_for_update().select_related("student__user").get(pk=case_id)
    _require(actor, case.student, {"college_direction"}, "décider d'une fraude à l'inscription")
    if case.status != FraudCase.Status.CONVENED:
        raise AdmissionError("Le Collège décide après l'audition ou la réponse écrite de l'étudiant (art. 43-44).")
    case.status = FraudCase.Status.PROVEN if proven else FraudCase.Status.DISMISSED
    case.decided_on = on
    case.save()
    if proven:
        for req in AdmissionRequest.objects.select_for_update().filter(
            student=case.student, academic_year__label=case.academic_year
        ):
            if req.status in (RequestStatus.SUBMITTED, RequestStatus.FINAL):
                req.status = RequestStatus.REFUSED
                req.decision = {
                    **req.decision,
                    "refus": registration.refusal(
                        registration.RefusalFacts(other_registration_undeclared=True)
                    ).to_dict(),
                }
                req.decided_on, req.decided_by = on, actor
                req.save()
            elif req.status == RequestStatus.REGULAR and req.registration:
                req.registration.status = Registration.Status.ABANDONED
                req.registration.save()
        ban = registration.fraud_ban(
            registration.FraudBanFacts(
                sanctioned_year=case.academic_year, kind="inscription", requested_year=case.academic_year
            )
        )
        notify(
            user=case.student.user,
            template="admission_decision",
            url="/",
            context={
                "request": None,
                "title": "Fraude à l'inscription avérée",
                "decision": ban,
                "appeal": appeals.route(appeals.AppealFacts(decision="exclusion_fraude", notified_on=on)),
            },
        )
    record(
        actor=actor,
        action=f"admissions.fraud.{'proven' if proven else 'dismissed'}",
        target=case,
        summary="Fraude avérée : refus ou exclusion, interdiction d'inscription trois ans (art. 45-46)"
        if proven
        else "Fraude non établie : classée sans suite",
    )
    return case
