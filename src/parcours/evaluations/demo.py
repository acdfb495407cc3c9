"""Demo evaluation data for `make run`, told from the demo's date (PARCOURS_TODAY, 16 October 2023):

- the teacher (`enseignant@`) has just given an out-of-session exam (art. 87, Friday 13 October 2023) whose notes
  count for the January period: its sheet has a few notes in and the rest to encode, the encoding window being
  open until the department's deadline of 2 February 2024 (art. 80); their January exams are yet to come;
- the student (`etudiant@`, bloc 2) sees the published results of her bloc-1 year 2022-2023 (art. 103), the
  notes of her acquired credits; a classmate declared an absence at the October exam, proof due 17 October;
- the year ahead, which the juries' demo deliberates: the January sheets of the other teachers encoded and
  submitted at the end of January 2024 (nothing published: at the demo's date it has not happened), and an
  art. 83 case in the third period — a bloc-1 student who failed a UE in January and June, listed as not
  admitted in September until the jury president (department director) authorises a third presentation.
Each dated step is written on its own date (override_settings, as the exchanges demo does). Deterministic,
idempotent."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings

from parcours.accounts.models import User
from parcours.evaluations import publication, services
from parcours.evaluations.models import (
    Absence,
    ActivityNote,
    DepartmentPeriod,
    Evaluation,
    EvaluationPeriod,
    RetakeChoice,
    ScoreSheet,
)
from parcours.evaluations.workflow import SheetStatus
from parcours.institutions.models import AcademicYear, Department, LearningActivity
from parcours.students.models import AcquiredCredit, Registration
from parcours.web import clock

YEAR = "2023-2024"
DEADLINES = {1: (dt.date(2024, 2, 2), None, None), 2: (dt.date(2024, 7, 3), None, None),
             3: (dt.date(2024, 9, 10), dt.date(2024, 7, 1), dt.date(2024, 7, 10))}
PROGRAMME = "Bachelier : assistant social"
OUT_OF_SESSION = ("AS103-1", dt.date(2023, 10, 13))  # art. 87: a finished activity examined in October
ART83_UE = "AS105"
# The demo's past year, for the results a student already has (art. 103). Its calendar is not in the RGE
# 2023-2024: these dates are the demo's history, like its PastRegistration rows; art. 85 gives the limits.
PAST_YEAR = ("2022-2023", dt.date(2022, 9, 14), dt.date(2023, 9, 13))
PAST_PERIODS = {1: (dt.date(2023, 1, 3), dt.date(2023, 1, 28), dt.date(2023, 4, 15), dt.date(2023, 2, 3)),
                2: (dt.date(2023, 5, 30), dt.date(2023, 6, 30), dt.date(2023, 9, 15), dt.date(2023, 7, 3))}


def random_note(rng: random.Random) -> tuple[Decimal | None, str]:
    """Most notes pass, some fail, a few special codes (art. 100)."""
    roll = rng.random()
    if roll < 0.03:
        return None, rng.choice(["PP", "PP", "CM", "ML", "PR"])
    mean = 12.5 if roll < 0.85 else 8
    return Decimal(str(max(0, min(20, round(rng.gauss(mean, 2.5) * 2) / 2)))), ""


def _on(day: dt.date):
    return override_settings(PARCOURS_TODAY=day.isoformat())


@transaction.atomic
def ensure_demo(*, domain: str = "demo.helha.be") -> list[tuple[str, str]]:
    periods = {p.number: p for p in services.ensure_periods(YEAR)}
    for department in Department.objects.filter(programmes__ues__isnull=False).distinct():
        for number, (deadline, opens, closes) in DEADLINES.items():
            DepartmentPeriod.objects.get_or_create(period=periods[number], department=department, defaults={
                "encoding_deadline": deadline, "retake_choice_opens": opens, "retake_choice_closes": closes,
                "timetable_published_on": dt.date(2023, 12, 1) if number == 1 else None})
    p1 = periods[1]
    if ScoreSheet.objects.filter(period=p1).exists():
        return []
    teacher = User.objects.filter(email=f"enseignant@{domain}").first()
    president = User.objects.filter(email=f"president.jury@{domain}").first()
    rng = random.Random(79)
    _past_results(president)
    activities = list(LearningActivity.objects.filter(ue__programme__ues__isnull=False, ue__quadrimestre="1")
                      .select_related("ue__programme").distinct().order_by("code"))
    for k, activity in enumerate(activities):
        day = dt.date(2024, 1, 8) + dt.timedelta(days=(k * 2) % 21)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        out = activity.code == OUT_OF_SESSION[0]
        day = OUT_OF_SESSION[1] if out else day
        Evaluation.objects.create(activity=activity, period=p1, date=day, start_time=dt.time(9 if k % 2 else 13, 30),
                                  place=f"Local {100 + k % 12}", form=rng.choice(["ecrit", "ecrit", "oral"]),
                                  announced_date=day, out_of_session=out)
    with _on(dt.date(2023, 9, 29)):  # the lists of the year, once registrations are regular (art. 89)
        services.build_sheets(period=p1, activities=activities, on=dt.date(2023, 9, 29))
    with _on(OUT_OF_SESSION[1] + dt.timedelta(days=3)):  # the demo's date: two notes of the October exam in
        sheet = ScoreSheet.objects.get(period=p1, activity__code=OUT_OF_SESSION[0])
        lines = list(sheet.notes.filter(may_sit=True).order_by("student__matricule"))
        for line in lines[:2]:
            line.note, line.code = random_note(rng)
            line.encoded_by, line.encoded_at = teacher, clock.now()
        ActivityNote.objects.bulk_update(lines[:2], ["note", "code", "encoded_by", "encoded_at"])
        _absence(sheet, lines[2:], domain)
    with _on(dt.date(2024, 1, 26)):  # the year ahead: the other teachers' January sheets, for the juries' demo
        for sheet in ScoreSheet.objects.filter(period=p1).select_related("activity__ue"):
            if teacher is not None and sheet.activity.ue.teachers.filter(pk=teacher.pk).exists():
                continue  # the demo teacher's January exams are still to come
            lines = list(sheet.notes.filter(may_sit=True).order_by("student__matricule"))
            for line in lines:
                line.note, line.code = random_note(rng)
                line.encoded_at = clock.now()
            ActivityNote.objects.bulk_update(lines, ["note", "code", "encoded_at"])
            sheet.status, sheet.submitted_at, sheet._change_reason = SheetStatus.SUBMITTED, clock.now(), \
                "Soumission (démo)"
            sheet.save()
        services.compute_ue_results(p1)
    _third_attempt(periods, rng)
    return []


def _past_results(president) -> None:
    """The 2022-2023 results of the programme's students whose credits of that year are acquired: each activity
    carries the UE's note, so the UE result is that note (art. 100); published after each period (art. 103)."""
    credits = list(AcquiredCredit.objects.filter(academic_year=PAST_YEAR[0], ue__programme__name=PROGRAMME)
                   .select_related("ue").order_by("student_id", "ue__code"))
    if not credits or president is None:
        return
    year, _created = AcademicYear.objects.get_or_create(label=PAST_YEAR[0], defaults={
        "start": PAST_YEAR[1], "end": PAST_YEAR[2]})
    for number, (start, end, until, published_on) in PAST_PERIODS.items():
        period, _created = EvaluationPeriod.objects.get_or_create(academic_year=year, number=number, defaults={
            "start": start, "end": end, "session_ouverte_until": until,
            "article": "Annexe 1 (RGE 2022-2023, historique de la démo)"})
        quadrimestre = "1" if number == 1 else "2"
        with _on(end):
            for credit in credits:
                if credit.ue.quadrimestre != quadrimestre:
                    continue
                activities = list(credit.ue.activities.order_by("code"))
                # Two activities of the same weight: one point above and below the UE's note, whose mean it is.
                spread = len(activities) == 2 and activities[0].weight == activities[1].weight and credit.note < 20
                for k, activity in enumerate(activities):
                    sheet, made = ScoreSheet.objects.get_or_create(activity=activity, period=period, defaults={
                        "status": SheetStatus.SUBMITTED, "submitted_at": clock.now()})
                    if made:
                        sheet.evaluators.set(credit.ue.teachers.all())
                    note = credit.note + (1 if k == 0 else -1) * spread
                    ActivityNote.objects.get_or_create(sheet=sheet, student_id=credit.student_id, defaults={
                        "note": note, "encoded_at": clock.now()})
            services.compute_ue_results(period)
        with _on(published_on):
            publication.publish_results(actor=president, period_id=period.pk, notify_students=False)


def _absence(sheet: ScoreSheet, lines, domain: str) -> None:
    """A student absent at the October exam, declared the day before (art. 91), proof due two working days after
    it (17 October): in the secretariat's queue at the demo's date, the student may still upload it."""
    evaluation = Evaluation.objects.filter(activity_id=sheet.activity_id, period_id=sheet.period_id).first()
    line = next((n for n in lines if n.student.user.email != f"etudiant@{domain}"), None)
    if evaluation is not None and line is not None:
        Absence.objects.get_or_create(student_id=line.student_id, evaluation=evaluation, defaults={
            "kind": Absence.Kind.MEDICAL, "explanation": "Grippe, certificat à suivre.",
            "declared_on": evaluation.date - dt.timedelta(days=1)})


def _third_attempt(periods, rng) -> None:
    """Art. 83: a bloc-1 student fails a UE in January and again in June; registered for September (art. 90),
    they are listed as not admitted until the jury president authorises a third presentation."""
    registration = (Registration.objects.filter(academic_year__label=YEAR, programme__name=PROGRAMME, bloc=1,
                                                status=Registration.Status.REGULAR, pae__ue__code=ART83_UE)
                    .order_by("student__matricule").first())
    if registration is None:
        return
    student_id = registration.student_id
    activities = list(LearningActivity.objects.filter(ue__programme__name=PROGRAMME, ue__code=ART83_UE)
                      .order_by("code"))
    ActivityNote.objects.filter(sheet__period=periods[1], sheet__activity__in=activities, student_id=student_id
                                ).update(note=Decimal(7), code="")  # failed in January
    services.compute_ue_results(periods[1], ue_ids=[activities[0].ue_id])
    with _on(dt.date(2024, 6, 21)):  # June: resat, failed again (art. 98)
        services.build_sheets(period=periods[2], activities=activities, on=dt.date(2024, 5, 27))
        for sheet in ScoreSheet.objects.filter(period=periods[2], activity__in=activities):
            lines = list(sheet.notes.filter(may_sit=True, note__isnull=True, code=""))
            for line in lines:
                line.note, line.code = (Decimal(8), "") if line.student_id == student_id else random_note(rng)
                line.encoded_at = clock.now()
            ActivityNote.objects.bulk_update(lines, ["note", "code", "encoded_at"])
            sheet.status, sheet.submitted_at, sheet._change_reason = SheetStatus.SUBMITTED, clock.now(), \
                "Soumission (démo)"
            sheet.save()
        services.compute_ue_results(periods[2], ue_ids=[activities[0].ue_id])
    with _on(dt.date(2024, 7, 5)):  # registered for the third period in the department's window (art. 90)
        for activity in activities:
            RetakeChoice.objects.get_or_create(student_id=student_id, activity=activity, period=periods[3], defaults={
                "kind": RetakeChoice.Kind.REGISTER, "chosen_on": clock.today()})
    with _on(dt.date(2024, 7, 11)):
        services.build_sheets(period=periods[3], activities=activities, on=dt.date(2024, 7, 11))
