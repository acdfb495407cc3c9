"""Art. 83: a third presentation of a UE in the same academic year, only with the department director's
exceptional, motivated authorisation. The sheets list the student as not admitted until then."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit.services import record
from parcours.evaluations import permissions as perms
from parcours.evaluations.models import ActivityNote, ExtraAttempt, ScoreSheet
from parcours.evaluations.services import EvaluationError, build_sheets
from parcours.web import clock

ARTICLE = "Art. 83"


def authorise_extra_attempt(*, actor, sheet_id: int, student_id: int, motivation: str) -> ExtraAttempt:
    """Record the authorisation for the UE of ``sheet_id`` in its period, then admit the student on the UE's
    sheets of that period. Raises EvaluationError (French) when refused."""
    motivation = (motivation or "").strip()
    with transaction.atomic():
        sheet = (ScoreSheet.objects.select_for_update().select_related("activity__ue__programme", "period")
                 .filter(pk=sheet_id).first())
        if sheet is None:
            raise EvaluationError(_("Feuille de notes inconnue."))
        if not perms.can_authorise_attempt(actor, sheet):
            raise EvaluationError(_("Seul le directeur de département (président du jury) autorise une présentation "
                                  "supplémentaire (art. 83)."))
        line = ActivityNote.objects.select_for_update().filter(sheet=sheet, student_id=student_id).first()
        if line is None:
            raise EvaluationError(_("Cet étudiant ne figure pas sur la feuille."))
        ue = sheet.activity.ue
        existing = ExtraAttempt.objects.filter(student_id=student_id, ue=ue, period=sheet.period).first()
        if existing is not None:
            return existing  # a double submission changes nothing
        if line.may_sit or line.excluded_article != ARTICLE:
            raise EvaluationError(_("Cet étudiant n'est pas écarté au titre de l'article 83 : aucune autorisation "
                                  "n'est nécessaire."))
        if not motivation:
            raise EvaluationError(_("L'autorisation doit être motivée : indiquez les raisons exceptionnelles (art. 83)."))
        if len(motivation) > 500:
            raise EvaluationError(_("La motivation ne peut dépasser 500 caractères."))
        grant = ExtraAttempt.objects.create(student_id=student_id, ue=ue, period=sheet.period, motivation=motivation,
                                            decided_by=actor, decided_at=clock.now())
        build_sheets(period=sheet.period, activities=list(ue.activities.all()))
        record(actor=actor, action="evaluations.attempt.authorised", target=grant,
               summary=f"{line.student.matricule} — {ue.code} ({sheet.period}) : présentation supplémentaire "
                       f"autorisée (art. 83)", motivation=motivation)
    return grant
