"""Session ouverte (art. 85, 86): the jury president extends a student's period for force majeure."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit.services import record
from parcours.evaluations import permissions as perms
from parcours.evaluations.models import EvaluationPeriod, SessionOuverte
from parcours.evaluations.services import EvaluationError
from parcours.regulation.explain import fr_date


@transaction.atomic
def open_session(*, actor, period_id: int, student_id: int, until: dt.date, reason: str) -> SessionOuverte:
    """The jury extends a student's period for force majeure (art. 85, 86), at most to the year's limit."""
    from parcours.students.models import Student

    period = EvaluationPeriod.objects.select_related("academic_year").get(pk=period_id)
    student = Student.objects.get(pk=student_id)
    programmes = [r.programme for r in student.registrations.filter(academic_year=period.academic_year)]
    if not any(perms.may_act(actor, p, perms.PRESIDENT) for p in programmes):
        raise EvaluationError(_("Seul le président du jury de l'étudiant décide une session ouverte (art. 85)."))
    if not reason.strip():
        raise EvaluationError(_("La force majeure doit être motivée (art. 85, 86)."))
    if until <= period.end or until > period.session_ouverte_until:
        raise EvaluationError(_("La session ouverte va au-delà de la fin de la période et au plus tard jusqu'au "
                                "{date} (art. 85).").format(date=fr_date(period.session_ouverte_until)))
    so, _created = SessionOuverte.objects.update_or_create(student=student, period=period, defaults={
        "until": until, "reason": reason.strip()[:300], "decided_by": actor})
    record(actor=actor, action="evaluations.session_ouverte", target=so,
           summary=f"Session ouverte jusqu'au {fr_date(until)} : {reason.strip()}")
    return so

