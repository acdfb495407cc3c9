"""Demo evaluation data for `make run`: the three periods with their deadlines, the January timetable
(published), sheets for every activity; the demo teacher's sheets left to encode (a few notes in), every
other January sheet encoded and submitted, and the social-work results published — so `etudiant@` sees
published results and `enseignant@` has work to do. Deterministic, idempotent."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from parcours.accounts.models import User
from parcours.evaluations import services
from parcours.evaluations.models import (
    Absence,
    ActivityNote,
    DepartmentPeriod,
    Evaluation,
    EvaluationPeriod,
    ScoreSheet,
)
from parcours.evaluations.workflow import SheetStatus
from parcours.institutions.models import Department, LearningActivity, Programme
from parcours.web import clock

YEAR = "2023-2024"
DEADLINES = {1: (dt.date(2024, 2, 2), None, None), 2: (dt.date(2024, 7, 3), None, None),
             3: (dt.date(2024, 9, 10), dt.date(2024, 7, 1), dt.date(2024, 7, 10))}
PUBLISHED_PROGRAMME = "Bachelier : assistant social"


def random_note(rng: random.Random) -> tuple[Decimal | None, str]:
    """Most notes pass, some fail, a few special codes (art. 100)."""
    roll = rng.random()
    if roll < 0.03:
        return None, rng.choice(["PP", "PP", "CM", "ML", "PR"])
    mean = 12.5 if roll < 0.85 else 8
    return Decimal(str(max(0, min(20, round(rng.gauss(mean, 2.5) * 2) / 2)))), ""


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
    activities = list(LearningActivity.objects.filter(ue__programme__ues__isnull=False, ue__quadrimestre="1")
                      .select_related("ue__programme").distinct().order_by("code"))
    rng = random.Random(79)
    for k, activity in enumerate(activities):
        day = dt.date(2024, 1, 8) + dt.timedelta(days=(k * 2) % 21)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        Evaluation.objects.create(activity=activity, period=p1, date=day, start_time=dt.time(9 if k % 2 else 13, 30),
                                  place=f"Local {100 + k % 12}", form=rng.choice(["ecrit", "ecrit", "oral"]),
                                  announced_date=day)
    services.build_sheets(period=p1, activities=activities, on=dt.date(2024, 1, 8))
    teacher = User.objects.filter(email=f"enseignant@{domain}").first()
    president = User.objects.filter(email=f"president.jury@{domain}").first()
    now = clock.now()
    for sheet in ScoreSheet.objects.filter(period=p1).select_related("activity__ue"):
        lines = list(sheet.notes.filter(may_sit=True).order_by("student__matricule"))
        teachers_sheet = teacher is not None and sheet.activity.ue.teachers.filter(pk=teacher.pk).exists()
        for i, line in enumerate(lines):
            if teachers_sheet and i >= 2:
                break  # leave the demo teacher most of the sheet to encode
            line.note, line.code = random_note(rng)
            line.encoded_by, line.encoded_at = teacher if teachers_sheet else None, now
        ActivityNote.objects.bulk_update(lines, ["note", "code", "encoded_by", "encoded_at"])
        if not teachers_sheet:  # submitted like an evaluator would: the row history says so
            sheet.status, sheet.submitted_at, sheet._change_reason = SheetStatus.SUBMITTED, now, "Soumission (démo)"
            sheet.save()
    services.compute_ue_results(p1)
    if president is not None:
        programme = Programme.objects.get(name=PUBLISHED_PROGRAMME)
        waiting = set(ActivityNote.objects.filter(sheet__period=p1, sheet__status=SheetStatus.OPEN)
                      .values_list("student_id", flat=True))  # a sheet still being encoded: not deliberated yet
        students = set(ActivityNote.objects.filter(sheet__period=p1, sheet__activity__ue__programme=programme)
                       .values_list("student_id", flat=True)) - waiting
        services.publish_results(actor=president, period_id=p1.pk, student_ids=list(students), programme_id=programme.pk)
    _absence(p1, domain)
    return []


def _absence(period: EvaluationPeriod, domain: str) -> None:
    """A declared absence waiting for its proof, for the secretariat's queue."""
    line = (ActivityNote.objects.filter(sheet__period=period, student__user__email=f"etudiant2@{domain}",
                                        sheet__status=SheetStatus.OPEN).select_related("sheet").first()
            or ActivityNote.objects.filter(sheet__period=period, student__user__email=f"etudiant2@{domain}")
            .select_related("sheet").first())
    if line is None:
        return
    evaluation = Evaluation.objects.filter(activity_id=line.sheet.activity_id, period=period).first()
    if evaluation is not None:
        Absence.objects.get_or_create(student_id=line.student_id, evaluation=evaluation, defaults={
            "kind": Absence.Kind.MEDICAL, "explanation": "Grippe, certificat à suivre.", "declared_on": evaluation.date})
