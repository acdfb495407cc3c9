"""A UE of two activities (weights 1 and 2) taught by the world's teacher, in the PAE of two students,
with the 2023-2024 evaluation periods and their sheets."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from parcours.accounts.models import Role
from parcours.evaluations import services
from parcours.evaluations.models import DepartmentPeriod, EvaluationPeriod, ScoreSheet
from parcours.institutions.models import UE, LearningActivity
from parcours.students.models import PaeEntry
from tests.factories import AcademicYearFactory


@dataclass
class Ev:
    ue: object
    a1: object
    a2: object
    p1: object
    p2: object
    p3: object
    sheet1: object
    sheet2: object
    teacher: object


def on(settings, day: str):
    settings.PARCOURS_TODAY = day


@pytest.fixture
def ev(world, settings):
    settings.PARCOURS_TODAY = "2024-01-15"
    AcademicYearFactory()
    ue = UE.objects.create(programme=world.programme, code="AS101", title="Sociologie", credits=5, bloc=1,
                           quadrimestre="1")
    a1 = LearningActivity.objects.create(ue=ue, code="AS101-1", title="Sociologie générale", weight=Decimal(1))
    a2 = LearningActivity.objects.create(ue=ue, code="AS101-2", title="Enquête de terrain", weight=Decimal(2))
    teacher = world.users[Role.TEACHER.value]
    ue.teachers.add(teacher)
    for reg in world.programme.registrations.all():
        PaeEntry.objects.create(registration=reg, ue=ue)
    p1, p2, p3 = services.ensure_periods("2023-2024")
    for p, deadline in ((p1, "2024-02-02"), (p2, "2024-07-03"), (p3, "2024-09-10")):
        DepartmentPeriod.objects.create(period=p, department=world.programme.department,
                                        encoding_deadline=dt.date.fromisoformat(deadline))
    services.build_sheets(period=p1)
    return Ev(ue, a1, a2, p1, p2, p3, ScoreSheet.objects.get(activity=a1, period=p1),
              ScoreSheet.objects.get(activity=a2, period=p1), teacher)


def period(number):
    return EvaluationPeriod.objects.get(number=number)
