"""Absences at an evaluation (art. 91): the student declares and proves within 2 working days (the one upload
service, the one deadline calculator); the secretariat accepts a medical certificate (CM) or passes the case
to the jury president (ML or refused → PP); requests to resit are decided by the jury president."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit.services import record
from parcours.dossiers.uploads import UploadRejected, store_upload
from parcours.evaluations import permissions as perms
from parcours.evaluations.models import Absence, ActivityNote, Evaluation, ScoreSheet
from parcours.evaluations.services import EvaluationError, write_decided_code
from parcours.evaluations.workflow import ABSENCE_CODE, ABSENCE_TRANSITIONS, AbsenceStatus, check
from parcours.notifications.services import notify
from parcours.regulation import exams
from parcours.regulation.explain import fr_date
from parcours.web.clock import today


def _line(evaluation: Evaluation, student) -> ActivityNote | None:
    return ActivityNote.objects.filter(sheet__activity_id=evaluation.activity_id, sheet__period_id=evaluation.period_id,
                                       student=student).select_related("sheet").first()


def _lock(absence_id: int) -> Absence:
    absence = Absence.objects.select_for_update().filter(pk=absence_id).first()
    if absence is None:
        raise EvaluationError(_("Absence inconnue."))
    return Absence.objects.select_related("evaluation__activity__ue__programme", "evaluation__period__academic_year",
                                          "student__user").get(pk=absence.pk)


def proof_deadline(absence: Absence):
    return exams.absence_proof(exams.ProofFacts(evaluation_date=absence.evaluation.date, on=today(),
                                                year=absence.evaluation.period.academic_year.label))


@transaction.atomic
def declare(*, actor, evaluation_id: int, kind: str, explanation: str = "") -> Absence:
    student = getattr(actor, "student", None)
    if student is None:
        raise EvaluationError(_("Seul l'étudiant déclare son absence."))
    evaluation = Evaluation.objects.select_related("period__academic_year").filter(pk=evaluation_id).first()
    if evaluation is None or _line(evaluation, student) is None:
        raise EvaluationError(_("Vous n'êtes pas inscrit à cette évaluation."))
    if kind not in Absence.Kind.values:
        raise EvaluationError(_("Choisissez le motif de l'absence."))
    if Absence.objects.filter(student=student, evaluation=evaluation).exists():
        raise EvaluationError(_("Cette absence est déjà déclarée."))
    if not exams.absence_proof(exams.ProofFacts(evaluation_date=evaluation.date, on=today(),
                                                year=evaluation.period.academic_year.label)).outcome:
        raise EvaluationError(_("Le délai de 2 jours ouvrables après l'évaluation est dépassé : l'absence ne peut plus "
                              "être justifiée (art. 91)."))
    absence = Absence.objects.create(student=student, evaluation=evaluation, kind=kind,
                                     explanation=explanation.strip()[:2000], declared_on=today())
    record(actor=actor, action="evaluations.absence.declared", target=absence,
           summary=f"Absence déclarée à {evaluation.activity.code} du {fr_date(evaluation.date)}")
    return absence


@transaction.atomic
def upload_proof(*, actor, absence_id: int, uploaded) -> Absence:
    absence = _lock(absence_id)
    if absence.student.user_id != actor.pk:
        raise EvaluationError(_("Seul l'étudiant dépose le justificatif de son absence."))
    if absence.status != AbsenceStatus.DECLARED:
        raise EvaluationError(_("Le justificatif a déjà été déposé ou l'absence est décidée."))
    decision = proof_deadline(absence)
    if not decision.outcome:
        raise EvaluationError(_("Justificatif refusé : il devait parvenir au plus tard le {date} (2 jours ouvrables après "
                                "l'évaluation, art. 91).").format(date=fr_date(decision.details['last_day'])))
    try:
        stored = store_upload(uploaded, actor=actor)
    except UploadRejected as exc:
        raise EvaluationError(str(exc)) from None
    absence.proof, absence.proof_received_on, absence.status = stored, today(), AbsenceStatus.PROOF
    absence._history_user = actor
    absence.save()
    record(actor=actor, action="evaluations.absence.proof", target=absence, summary="Justificatif d'absence déposé")
    return absence


DECISIONS = {  # decision → (target status, roles allowed)
    "cm": (AbsenceStatus.ACCEPTED_CM, perms.SECRETARIAT),
    "president": (AbsenceStatus.REFERRED, perms.SECRETARIAT),
    "ml": (AbsenceStatus.ACCEPTED_ML, perms.PRESIDENT),
    "refus": (AbsenceStatus.REFUSED, perms.PRESIDENT | perms.SECRETARIAT),
}


def allowed_decisions(user, absence: Absence) -> list[str]:
    """The decisions this person may take now — the page offers only these."""
    programme = absence.evaluation.activity.ue.programme
    out = []
    for name, (target, roles) in DECISIONS.items():
        if not check(ABSENCE_TRANSITIONS, absence.status, target) or not perms.may_act(user, programme, roles):
            continue
        if name == "cm" and absence.kind != Absence.Kind.MEDICAL:
            continue
        if name == "refus" and absence.status == AbsenceStatus.DECLARED and proof_deadline(absence).outcome:
            continue  # without proof, the absence is unjustified (PP) only once the 2 working days are over
        if name == "refus" and absence.status != AbsenceStatus.DECLARED and \
                not perms.may_act(user, programme, perms.PRESIDENT):
            continue  # a justified absence is refused by the jury president only (art. 91)
        out.append(name)
    return out


@transaction.atomic
def decide(*, actor, absence_id: int, decision: str, reason: str = "") -> Absence:
    absence = _lock(absence_id)
    if decision not in allowed_decisions(actor, absence):
        raise EvaluationError(_("Cette décision ne vous revient pas ou n'est plus possible pour cette absence."))
    if decision in ("ml", "refus", "president") and not reason.strip():
        raise EvaluationError(_("Motivez la décision."))
    target = DECISIONS[decision][0]
    absence.status, absence.decided_by, absence.decided_on = target, actor, today()
    absence.decision_reason = reason.strip()[:300] or "Certificat médical accepté (art. 91)."
    absence._history_user = actor
    absence.save()
    code = ABSENCE_CODE.get(target)
    if code:
        sheet = ScoreSheet.objects.select_related("activity__ue", "period").get(
            activity_id=absence.evaluation.activity_id, period_id=absence.evaluation.period_id)
        write_decided_code(actor=actor, sheet=sheet, student_id=absence.student_id, code=code,
                           source=ActivityNote.Source.ABSENCE,
                           reason=f"Absence : {absence.get_status_display()} (art. 91)")
    record(actor=actor, action=f"evaluations.absence.{decision}", target=absence,
           summary=f"{absence.get_status_display()} — {absence.decision_reason}")
    notify(user=absence.student.user, template="evaluation_absence", context={"absence": absence},
           url=f"/evaluations/absences/{absence.pk}/")
    return absence


@transaction.atomic
def request_retake(*, actor, absence_id: int, when: str) -> Absence:
    """The student asks to resit: in the same period by the next day, in the next one within a month (art. 91)."""
    absence = _lock(absence_id)
    if absence.student.user_id != actor.pk:
        raise EvaluationError(_("Seul l'étudiant demande à représenter l'évaluation."))
    if when not in ("meme", "suivante"):
        raise EvaluationError(_("Choisissez la période où représenter l'évaluation."))
    if absence.retake:
        raise EvaluationError(_("Une demande est déjà introduite."))
    decision = exams.retake_request(exams.RetakeRequestFacts(
        evaluation_date=absence.evaluation.date, on=today(), when="same_period" if when == "meme" else "next_period",
        year=absence.evaluation.period.academic_year.label))
    if not decision.outcome:
        raise EvaluationError(_("Demande hors délai : au plus tard le {date} (art. 91).").format(
            date=fr_date(decision.details['last_day'])))
    absence.retake, absence.retake_requested_on = when, today()
    absence._history_user = actor
    absence.save()
    record(actor=actor, action="evaluations.absence.retake_requested", target=absence,
           summary=f"Demande de représenter : {absence.get_retake_display()}")
    return absence


@transaction.atomic
def decide_retake(*, actor, absence_id: int, granted: bool) -> Absence:
    absence = _lock(absence_id)
    if not perms.may_act(actor, absence.evaluation.activity.ue.programme, perms.PRESIDENT):
        raise EvaluationError(_("Le président du jury décide des demandes de représenter une évaluation (art. 91)."))
    if not absence.retake or absence.retake_granted is not None:
        raise EvaluationError(_("Aucune demande en attente."))
    absence.retake_granted = granted
    absence._history_user = actor
    absence.save()
    record(actor=actor, action="evaluations.absence.retake_decided", target=absence,
           summary=f"Représenter : {'accordé' if granted else 'refusé'}")
    notify(user=absence.student.user, template="evaluation_absence", context={"absence": absence},
           url=f"/evaluations/absences/{absence.pk}/")
    return absence


def absences_for_staff(user):
    programmes = perms.programmes_followed_by(user, perms.SECRETARIAT | perms.PRESIDENT)
    return (Absence.objects.filter(evaluation__activity__ue__programme__in=programmes)
            .select_related("student__user", "evaluation__activity", "evaluation__period")
            .order_by("status", "-declared_on"))
