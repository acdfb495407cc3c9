"""What students and the jury choose between periods: the student's retake choices (art. 90, 98, 101, 102),
the department preparing the sheets of a period, the jury publishing a period's results (art. 103)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit.services import record
from parcours.evaluations import permissions as perms
from parcours.evaluations import publication, services
from parcours.evaluations.models import (
    ActivityNote,
    DepartmentPeriod,
    EvaluationPeriod,
    RetakeChoice,
    UEResult,
)
from parcours.evaluations.services import EvaluationError
from parcours.institutions.models import LearningActivity
from parcours.regulation import grades
from parcours.regulation.explain import fr_date
from parcours.web.clock import today


def retake_options(student, period: EvaluationPeriod) -> list[dict]:
    """The activities of UEs not validated in the previous period, with what the student may choose for
    ``period``: register (3rd period, art. 90), retake a passed activity (art. 98, 101, 102), renounce a
    January retake (bloc 1, art. 98)."""
    if period.number == 1:
        return []
    previous = EvaluationPeriod.objects.filter(academic_year=period.academic_year, number=period.number - 1).first()
    failed = UEResult.objects.filter(period=previous, student=student, acquired=False, complete=True)
    notes = {n.sheet.activity_id: n for n in ActivityNote.objects.filter(
        sheet__period=previous, student=student, sheet__activity__ue__in=failed.values("ue")).select_related("sheet")}
    chosen = dict(RetakeChoice.objects.filter(student=student, period=period).values_list("activity_id", "kind"))
    registration = student.registrations.filter(academic_year=period.academic_year).select_related("programme").first()
    bloc1 = registration is not None and registration.bloc == 1 and registration.programme.cycle == 1
    out = []
    for activity in LearningActivity.objects.filter(pk__in=notes).select_related("ue").order_by("code"):
        n = notes[activity.pk]
        kinds = []
        if period.number == 3:
            kinds.append(RetakeChoice.Kind.REGISTER)
        passed = n.note is not None and grades.round_half_point(n.note) >= grades.THRESHOLD  # art. 100
        if passed:
            kinds.append(RetakeChoice.Kind.RETAKE_PASSED)
        elif n.note is not None and bloc1 and period.number == 2:
            kinds.append(RetakeChoice.Kind.WAIVE)
        if kinds:
            out.append({"activity": activity, "previous": n, "kinds": kinds, "chosen": chosen.get(activity.pk, "")})
    return out


def window_open(student, period: EvaluationPeriod) -> tuple[bool, str]:
    registration = student.registrations.filter(academic_year=period.academic_year).select_related("programme").first()
    dp = registration and DepartmentPeriod.objects.filter(
        period=period, department_id=registration.programme.department_id).first()
    if dp is None or not dp.retake_choice_opens:
        return True, ""
    now = today()
    if dp.retake_choice_opens <= now <= dp.retake_choice_closes:
        return True, _("jusqu'au {date}").format(date=fr_date(dp.retake_choice_closes))
    return False, _("du {start} au {end}").format(start=fr_date(dp.retake_choice_opens),
                                                  end=fr_date(dp.retake_choice_closes))


@transaction.atomic
def choose(*, actor, period_id: int, activity_id: int, kind: str) -> RetakeChoice | None:
    """The student's written choice for one activity; '' withdraws it. Refused outside the department's window."""
    student = getattr(actor, "student", None)
    if student is None:
        raise EvaluationError(_("Seul l'étudiant fait ce choix."))
    period = EvaluationPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise EvaluationError(_("Période inconnue."))
    if period.sheets.filter(activity_id=activity_id, status="soumise").exists():
        raise EvaluationError(_("La feuille de cette évaluation est déjà soumise."))
    ok, when = window_open(student, period)
    if not ok:
        raise EvaluationError(_("Le choix se fait {when}, selon les modalités du département (art. 90).").format(when=when))
    options = {o["activity"].pk: o for o in retake_options(student, period)}
    if activity_id not in options or (kind and kind not in options[activity_id]["kinds"]):
        raise EvaluationError(_("Ce choix n'est pas ouvert pour cette activité (art. 90, 98, 101, 102)."))
    RetakeChoice.objects.filter(student=student, period=period, activity_id=activity_id).delete()
    choice = None
    if kind:
        choice = RetakeChoice.objects.create(student=student, period=period, activity_id=activity_id, kind=kind,
                                             chosen_on=today())
    # the line on the next sheet follows the choice (a carried note is reset, a registration adds the line)
    ActivityNote.objects.filter(sheet__period=period, sheet__activity_id=activity_id, student=student,
                                note__isnull=True, code="").delete()
    ActivityNote.objects.filter(sheet__period=period, sheet__activity_id=activity_id, student=student,
                                source=ActivityNote.Source.CARRIED).delete()
    services.build_sheets(period=period, activities=[activity_id])
    record(actor=actor, action="evaluations.retake.chosen", target=period,
           summary=f"Choix pour l'activité {activity_id} : {kind or 'retiré'}", activity=activity_id, kind=kind)
    return choice


@transaction.atomic
def prepare_sheets(*, actor, period_id: int) -> int:
    """The department lists who sits what for a period (art. 88-90), with carried notes (art. 98, 101, 102)."""
    period = EvaluationPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise EvaluationError(_("Période inconnue."))
    programmes = perms.programmes_followed_by(actor, perms.ORGANISERS)
    if not programmes.exists():
        raise EvaluationError(_("Seul le département établit les feuilles de notes."))
    activities = LearningActivity.objects.filter(ue__programme__in=programmes)
    n = services.build_sheets(period=period, activities=activities)
    record(actor=actor, action="evaluations.sheets.prepared", target=period, summary=f"{n} ligne(s) ajoutée(s)")
    return n


def publish_period(*, actor, period_id: int) -> int:
    """The jury president publishes the complete results of their programmes for a period (art. 103) — until
    the juries app takes over deliberation, which then calls publication.publish_results itself."""
    programmes = perms.programmes_followed_by(actor, perms.PRESIDENT)
    total = 0
    for programme in programmes:
        incomplete = set(UEResult.objects.filter(period_id=period_id, ue__programme=programme, complete=False)
                         .values_list("student_id", flat=True))
        students = set(UEResult.objects.filter(period_id=period_id, ue__programme=programme, published_at__isnull=True)
                       .values_list("student_id", flat=True)) - incomplete
        if students:
            total += publication.publish_results(actor=actor, period_id=period_id, student_ids=list(students),
                                              programme_id=programme.pk)
    return total
