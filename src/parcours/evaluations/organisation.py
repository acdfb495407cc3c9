"""Organising a period: the timetable and its changes (art. 80, 87, 96), the ICS feeds, reminders to late
evaluators, copy consultation (art. 104) and procurations (art. 103)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from parcours.audit.services import record
from parcours.evaluations import permissions as perms
from parcours.evaluations.models import (
    ActivityNote,
    Assessor,
    CopyConsultation,
    DepartmentPeriod,
    Evaluation,
    EvaluationPeriod,
    Procuration,
    ScoreSheet,
)
from parcours.evaluations.services import EvaluationError
from parcours.institutions.models import LearningActivity
from parcours.notifications.services import bulk_mail, notify_all
from parcours.regulation import exams
from parcours.regulation.explain import RuleError, fr_date
from parcours.students.models import Student
from parcours.web import clock
from parcours.web.clock import today


def period_for(year, day: dt.date) -> EvaluationPeriod:
    """The period an evaluation belongs to: its own, or for an out-of-session exam the one that follows (art. 87)."""
    periods = list(EvaluationPeriod.objects.filter(academic_year=year).order_by("number"))
    for p in periods:
        if day <= p.end:
            return p
    raise EvaluationError(_("Le {date} est après la dernière période d'évaluation de l'année.").format(date=fr_date(day)))


@transaction.atomic
def schedule(*, actor, activity_id: int, date: dt.date, start_time: dt.time | None, place: str, form: str,
             duration_minutes: int = 120) -> Evaluation:
    """The department sets an evaluation (art. 80, 96); outside a period it belongs to the next one (art. 87)."""
    activity = LearningActivity.objects.select_related("ue__programme").filter(pk=activity_id).first()
    if activity is None:
        raise EvaluationError(_("Activité inconnue."))
    if not perms.may_act(actor, activity.ue.programme, perms.ORGANISERS):
        raise EvaluationError(_("Seul le département organise l'horaire des évaluations (art. 80)."))
    from parcours.institutions.models import AcademicYear

    year = AcademicYear.objects.filter(start__lte=date, end__gte=date).first()
    if year is None:
        raise EvaluationError(_("Le {date} n'est dans aucune année académique chargée.").format(date=fr_date(date)))
    if form not in Evaluation.Form.values:
        raise EvaluationError(_("Forme d'évaluation inconnue (art. 96)."))
    if not 0 < duration_minutes <= 600:
        raise EvaluationError(_("La durée s'exprime en minutes, de 1 à 600."))
    period = period_for(year, date)
    out_of_session = not period.start <= date <= period.end
    existing = Evaluation.objects.filter(activity=activity, period=period).first()
    if existing is not None:
        raise EvaluationError(_("Cette évaluation est déjà à l'horaire : modifiez sa date."))
    evaluation = Evaluation.objects.create(activity=activity, period=period, date=date, start_time=start_time,
                                           place=place.strip()[:120], form=form, out_of_session=out_of_session,
                                           duration_minutes=duration_minutes, announced_date=date)
    record(actor=actor, action="evaluations.evaluation.scheduled", target=evaluation,
           summary=f"{activity.code} le {fr_date(date)}{' (hors période, art. 87)' if out_of_session else ''}")
    return evaluation


@transaction.atomic
def publish_timetable(*, actor, period_id: int, department_id: int) -> DepartmentPeriod:
    """The direction publishes the period's timetable, at least one month before the period (art. 80)."""
    dp = DepartmentPeriod.objects.select_for_update().filter(period_id=period_id, department_id=department_id).first()
    if dp is None:
        raise EvaluationError(_("Fixez d'abord la date limite d'encodage de la période pour ce département."))
    dp = DepartmentPeriod.objects.select_related("period__academic_year", "department").get(pk=dp.pk)
    if not any(perms.may_act(actor, p, perms.ORGANISERS) for p in dp.department.programmes.all()):
        raise EvaluationError(_("Seul le département publie l'horaire (art. 80)."))
    if dp.timetable_published_on:
        return dp
    decision = exams.timetable_publication(exams.PublicationFacts(period_start=dp.period.start, on=today(),
                                                                  year=dp.period.academic_year.label))
    dp.timetable_published_on = today()
    dp._history_user = actor
    dp.save()
    record(actor=actor, action="evaluations.timetable.published", target=dp,
           summary=" ".join(r.text for r in decision.reasons[-1:]), in_time=decision.outcome)
    return dp


def published(evaluation: Evaluation) -> bool:
    return DepartmentPeriod.objects.filter(period_id=evaluation.period_id,
                                           department_id=evaluation.activity.ue.programme.department_id,
                                           timetable_published_on__isnull=False).exists()


@transaction.atomic
def change_date(*, actor, evaluation_id: int, date: dt.date, start_time: dt.time | None, place: str,
                force_majeure: bool = False, reason: str = "") -> Evaluation:
    """Move an evaluation: refused less than 10 working days before the announced date unless the direction
    records force majeure; every student concerned is told at once (art. 80)."""
    evaluation = Evaluation.objects.select_for_update().filter(pk=evaluation_id).first()
    if evaluation is None:
        raise EvaluationError(_("Évaluation inconnue."))
    evaluation = Evaluation.objects.select_related("activity__ue__programme", "period__academic_year").get(pk=evaluation.pk)
    programme = evaluation.activity.ue.programme
    if not perms.may_act(actor, programme, perms.ORGANISERS):
        raise EvaluationError(_("Seul le département modifie l'horaire des évaluations (art. 80)."))
    if force_majeure and not perms.may_act(actor, programme, perms.DIRECTION):
        raise EvaluationError(_("Seule la direction du département constate la force majeure (art. 80)."))
    year = evaluation.period.academic_year
    if not year.start <= date <= year.end:
        raise EvaluationError(_("La date doit être dans l'année académique {year}.").format(year=year.label))
    decision = exams.schedule_change(exams.ScheduleChangeFacts(
        announced=evaluation.announced_date or evaluation.date, on=today(), force_majeure=force_majeure,
        reason=reason, year=year.label)) if published(evaluation) else None
    if decision is not None and not decision.outcome:
        raise EvaluationError(decision.reasons[-1].text + " (art. 80)")
    evaluation.date, evaluation.start_time, evaluation.place = date, start_time, place.strip()[:120]
    if decision is None:
        evaluation.announced_date = date  # not yet published: this is still the first announcement
    evaluation._change_reason = (f"Force majeure : {reason.strip()}" if force_majeure else "Modification d'horaire")[:100]
    evaluation._history_user = actor
    evaluation.save()
    record(actor=actor, action="evaluations.evaluation.moved", target=evaluation,
           summary=f"{evaluation.activity.code} déplacée au {fr_date(date)}", force_majeure=force_majeure)
    if decision is not None:
        students = Student.objects.filter(activity_notes__sheet__activity_id=evaluation.activity_id,
                                          activity_notes__sheet__period_id=evaluation.period_id).select_related("user")
        context = {"evaluation": evaluation, "reason": reason.strip()}
        with bulk_mail():  # every student concerned at once (art. 80), one SMTP connection after commit
            notify_all([(s.user, "evaluation_schedule_changed", context, "/evaluations/") for s in students])
    return evaluation


def remind_late(*, actor, period_id: int, programmes) -> int:
    """E-mail the evaluators of the sheets not submitted after the deadline (one click on the progress page)."""
    from parcours.evaluations.selectors import progress

    period = EvaluationPeriod.objects.get(pk=period_id)
    rows = [r for r in progress(period, programmes) if r["late"]]
    notices = [(user, "evaluation_reminder", {"sheet": row["sheet"], "deadline": row["deadline"]},
                f"/evaluations/feuilles/{row['sheet'].pk}/") for row in rows for user in perms.evaluators_of(row["sheet"])]
    with bulk_mail():
        notify_all(notices)
    sent = len(notices)
    ScoreSheet.objects.filter(pk__in=[row["sheet"].pk for row in rows]).update(reminded_at=clock.now())
    if rows:
        record(actor=actor, action="evaluations.reminders.sent", target=period,
               summary=f"Rappel à {sent} évaluateur(s) de {len(rows)} feuille(s) en retard")
    return sent


@transaction.atomic
def announce_consultation(*, actor, sheet_id: int, at: dt.datetime, place: str) -> CopyConsultation:
    """The evaluator announces the copy consultation a week ahead, within the month after the results (art. 104)."""
    sheet = ScoreSheet.objects.select_related("activity__ue", "period__academic_year").filter(pk=sheet_id).first()
    if sheet is None or not perms.can_encode(actor, sheet):
        raise EvaluationError(_("Seul l'évaluateur annonce la consultation des copies de son évaluation (art. 104)."))
    from parcours.evaluations.models import UEResult

    first = (UEResult.objects.filter(period=sheet.period, ue_id=sheet.activity.ue_id, published_at__isnull=False)
             .order_by("published_at").values_list("published_at", flat=True).first())
    if first is None:
        raise EvaluationError(_("Les résultats ne sont pas encore communiqués : la consultation suit leur publication."))
    decision = exams.copy_consultation(exams.ConsultationFacts(
        results_on=timezone.localdate(first), announced_on=today(), consultation_on=at.date(),
        year=sheet.period.academic_year.label))
    if not decision.outcome:
        raise EvaluationError(" ".join(r.text for r in decision.reasons))
    if not place.strip():
        raise EvaluationError(_("Indiquez le lieu de la consultation."))
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    consultation = CopyConsultation.objects.create(sheet=sheet, at=at, place=place.strip()[:120], announced_on=today(),
                                                   announced_by=actor)
    lines = ActivityNote.objects.filter(sheet=sheet, may_sit=True).select_related("student__user")
    with bulk_mail():
        notify_all([(line.student.user, "evaluation_copy_consultation", {"consultation": consultation}, "/evaluations/")
                    for line in lines])
    record(actor=actor, action="evaluations.consultation.announced", target=consultation,
           summary=f"Consultation des copies le {fr_date(at.date())}")
    return consultation


@transaction.atomic
def record_procuration(*, actor, student_id: int, holder_name: str, identity_document: str,
                       identity_checked: bool) -> Procuration:
    """A third party may receive the results only with the student's procuration and an identity check (art. 103)."""
    student = Student.objects.filter(pk=student_id).first()
    if student is None:
        raise EvaluationError(_("Étudiant inconnu."))
    programmes = [r.programme for r in student.registrations.select_related("programme")]
    if not any(perms.may_act(actor, p, perms.SECRETARIAT) for p in programmes):
        raise EvaluationError(_("Seul le secrétariat de l'étudiant enregistre une procuration (art. 103)."))
    if not holder_name.strip() or not identity_document.strip():
        raise EvaluationError(_("Nom du mandataire et numéro de sa carte d'identité sont obligatoires (art. 103)."))
    if not identity_checked:
        raise EvaluationError(_("L'identité du mandataire doit être vérifiée sur la copie de sa carte d'identité (art. 103)."))
    proc = Procuration.objects.create(student=student, holder_name=holder_name.strip()[:150],
                                      identity_document=identity_document.strip()[:40], identity_checked=True,
                                      recorded_on=today(), recorded_by=actor)
    record(actor=actor, action="evaluations.procuration.recorded", target=proc,
           summary=f"Procuration à {proc.holder_name}")
    return proc


@transaction.atomic
def add_evaluator(*, actor, sheet_id: int, email: str) -> ScoreSheet:
    """The jury president designates a co-evaluator, who evaluates and encodes like the main evaluator (art. 99)."""
    from parcours.accounts import permissions
    from parcours.accounts.models import User

    sheet = ScoreSheet.objects.select_related("activity__ue__programme").filter(pk=sheet_id).first()
    if sheet is None or not perms.may_act(actor, perms.programme_of(sheet), perms.PRESIDENT):
        raise EvaluationError(_("Seul le président du jury désigne un co-évaluateur (art. 99)."))
    address = (email or "").strip()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    # Three different answers: the president must know whether to fix a typo or choose someone else.
    if user is None:
        raise EvaluationError(_("Aucun compte actif à l'adresse « {address} » : vérifiez l'adresse (art. 99).").format(
            address=address[:80]))
    name = user.get_full_name() or user.email
    if not permissions.is_teacher(user):
        raise EvaluationError(_("{name} n'est pas membre du personnel enseignant : le co-évaluateur est un membre "
                                "enseignant de la HELHa (art. 99).").format(name=name))
    if sheet.evaluators.filter(pk=user.pk).exists():
        raise EvaluationError(_("{name} évalue déjà cette activité.").format(name=name))
    sheet.evaluators.add(user)
    record(actor=actor, action="evaluations.sheet.coevaluator", target=sheet,
           summary=f"Co-évaluateur désigné : {user.get_full_name() or user.email}")
    return sheet


# --- ICS feeds -------------------------------------------------------------------------------
def evaluations_of(user):
    """The evaluations a person sits (student) or evaluates (teacher), once the timetable is published."""
    qs = Evaluation.objects.select_related("activity__ue__programme", "period__academic_year")
    student = getattr(user, "student", None)
    if student is not None:
        qs = qs.filter(Exists(ActivityNote.objects.filter(student=student, sheet__activity_id=OuterRef("activity_id"),
                                                          sheet__period_id=OuterRef("period_id"))))
    else:
        qs = qs.filter(activity__ue__teachers=user)
    published_pairs = set(DepartmentPeriod.objects.filter(timetable_published_on__isnull=False)
                          .values_list("period_id", "department_id"))
    return [e for e in qs.distinct().order_by("date", "start_time")
            if (e.period_id, e.activity.ue.programme.department_id) in published_pairs]


def ics(user) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//HELHa//Parcours//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Évaluations — Parcours HELHa")
    stamp = clock.now()
    for e in evaluations_of(user):
        event = Event()
        event.add("uid", f"evaluation-{e.pk}@parcours.helha.be")
        event.add("dtstamp", stamp)
        event.add("summary", f"{e.get_form_display()} — {e.activity.title} ({e.activity.code})")
        if e.start_time:
            start = timezone.make_aware(dt.datetime.combine(e.date, e.start_time))
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(minutes=e.duration_minutes))
        else:
            event.add("dtstart", e.date)
        if e.place:
            event.add("location", e.place)
        event.add("description", f"{e.period} — RGE art. 80")
        cal.add_component(event)
    # Events name TZID=Europe/Brussels: RFC 5545 wants its VTIMEZONE in the feed, or Outlook shifts the hours.
    cal.add_missing_timezones()
    return cal.to_ical()


def designate_assessor(*, actor, sheet_id: int, email: str, origin: str, student_id: int | None = None,
                       requested_on: dt.date | None = None, motivation: str = "") -> Assessor:
    """The jury president designates an assessor among HELHa teachers (art. 99): own initiative, an evaluator's
    request, or a student's written motivated request at the latest 7 working days before the evaluation."""
    from parcours.accounts import permissions
    from parcours.accounts.models import User

    with transaction.atomic():
        sheet = (ScoreSheet.objects.select_for_update().select_related("activity__ue__programme", "period__academic_year")
                 .filter(pk=sheet_id).first())
        if sheet is None or not perms.may_act(actor, perms.programme_of(sheet), perms.PRESIDENT):
            raise EvaluationError(_("Seul le président du jury désigne un assesseur (art. 99)."))
        if origin not in Assessor.Origin.values:
            raise EvaluationError(_("Indiquez qui demande l'assesseur (art. 99)."))
        user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
        if user is None or not permissions.is_teacher(user):
            raise EvaluationError(_("L'assesseur est choisi parmi les enseignants de la HELHa (art. 99) : adresse inconnue."))
        student = None
        if origin == Assessor.Origin.STUDENT:
            student = sheet.notes.filter(student_id=student_id).first() if student_id else None
            if student is None:
                raise EvaluationError(_("L'étudiant demandeur doit figurer sur la feuille."))
            if requested_on is None:
                raise EvaluationError(_("Indiquez la date de la demande écrite de l'étudiant (art. 99)."))
        evaluation = Evaluation.objects.filter(activity_id=sheet.activity_id, period_id=sheet.period_id).order_by(
            "date").first()
        if origin == Assessor.Origin.STUDENT and evaluation is None:
            raise EvaluationError(_("Cette évaluation n'a pas encore de date : le délai de 7 jours ouvrables ne peut "
                                  "être vérifié (art. 99)."))
        try:
            decision = exams.assessor_request(exams.AssessorFacts(
                origin=origin, evaluation_date=evaluation.date if evaluation else None, requested_on=requested_on,
                motivation=motivation or "", year=sheet.period.academic_year.label))
        except RuleError as exc:
            raise EvaluationError(str(exc)) from None
        if not decision.outcome:
            raise EvaluationError(" ".join(f"{r.text} ({r.article})" for r in decision.reasons))
        assessor, created = Assessor.objects.get_or_create(sheet=sheet, user=user, defaults={
            "origin": origin, "student_id": student.student_id if student else None, "requested_on": requested_on,
            "motivation": (motivation or "").strip()[:500], "designated_by": actor})
        if created:
            record(actor=actor, action="evaluations.sheet.assessor", target=sheet,
                   summary=f"Assesseur désigné ({assessor.get_origin_display()}) : {user.get_full_name() or user.email}")
    return assessor
