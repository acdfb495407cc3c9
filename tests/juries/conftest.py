"""A jury world: a programme of 180 credits, six teachers, a president and a secretary, students in bloc 1
and in bloc 3 (end of cycle) with UE results from the evaluation side."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from parcours.accounts.models import Role
from parcours.evaluations.models import EvaluationPeriod, UEResult
from parcours.juries import services
from parcours.students.models import AcquiredCredit, PaeEntry
from tests.factories import (
    AcademicYearFactory,
    ProgrammeFactory,
    RegistrationFactory,
    StudentFactory,
    UEFactory,
    UserFactory,
    role,
)
from tests.web.conftest import browser_page  # noqa: F401  (Playwright driving Debian's chromium)


@dataclass
class JuryWorld:
    year: object
    programme: object
    ues: dict
    teachers: list
    president: object
    secretary: object
    periods: dict
    students: dict = field(default_factory=dict)
    jury: object = None

    def result(self, student, code, note=None, special="", period=2):
        ue = self.ues[code]
        credits = ue.credits if note is not None and note >= 10 else 0
        return UEResult.objects.create(student=student, ue=ue, period=self.periods[period], note=note, code=special,
                                       acquired=bool(credits), credits=credits, complete=True,
                                       reasons=[{"article": "Art. 100", "text": "Note de l'UE."}])

    def enrol(self, name, bloc, codes, **notes):
        student = StudentFactory(user=UserFactory(email=f"{name}@test.helha.be", first_name=name.capitalize(),
                                                  last_name="Test"))
        role(student.user, Role.STUDENT)
        reg = RegistrationFactory(student=student, programme=self.programme, academic_year=self.year, bloc=bloc,
                                  stage="AD" if bloc == 3 else "DC")
        for code in codes:
            PaeEntry.objects.create(registration=reg, ue=self.ues[code])
        self.students[name] = student
        return student


BLOC1 = [f"B1-{i}" for i in range(1, 7)]
BLOC2 = [f"B2-{i}" for i in range(1, 7)]
BLOC3 = [f"B3-{i}" for i in range(1, 7)]


@pytest.fixture
def jw(db):
    year = AcademicYearFactory()
    programme = ProgrammeFactory()
    ues = {}
    for codes, bloc in ((BLOC1, 1), (BLOC2, 2), (BLOC3, 3)):
        for code in codes:
            ues[code] = UEFactory(programme=programme, code=code, bloc=bloc, credits=10, title=f"UE {code}")
    teachers = [UserFactory(email=f"prof{i}@test.helha.be", first_name="Prof", last_name=f"N{i}") for i in range(6)]
    for t in teachers:
        role(t, Role.TEACHER, department=programme.department)
    for i, code in enumerate(BLOC1 + BLOC3):
        ues[code].teachers.add(teachers[i % 6])
    president = role(UserFactory(email="president@test.helha.be", last_name="Président"), Role.JURY_PRESIDENT,
                     department=programme.department)
    secretary = role(UserFactory(email="secretaire@test.helha.be", last_name="Secrétaire"), Role.JURY_SECRETARY,
                     department=programme.department)
    periods = {n: EvaluationPeriod.objects.create(academic_year=year, number=n, start=start, end=end,
                                                  session_ouverte_until=until)
               for n, start, end, until in ((1, dt.date(2024, 1, 3), dt.date(2024, 1, 27), dt.date(2024, 4, 15)),
                                            (2, dt.date(2024, 5, 27), dt.date(2024, 6, 28), dt.date(2024, 9, 15)),
                                            (3, dt.date(2024, 8, 16), dt.date(2024, 9, 13), dt.date(2024, 11, 30)))}
    w = JuryWorld(year, programme, ues, teachers, president, secretary, periods)
    # Léa: bloc 1, passes everything in June.
    lea = w.enrol("lea", 1, BLOC1)
    for code, note in zip(BLOC1, (12, 14, 11, 10, 15, 13), strict=True):
        w.result(lea, code, Decimal(note))
    # Tom: bloc 1, fails B1-2 at 8 and is PP in B1-3.
    tom = w.enrol("tom", 1, BLOC1)
    for code, note in zip(BLOC1, (12, 8, None, 11, 12, 13), strict=True):
        w.result(tom, code, None if note is None else Decimal(note), "PP" if note is None else "")
    # Eva: bloc 3, end of cycle; blocs 1 and 2 acquired in earlier years.
    eva = w.enrol("eva", 3, BLOC3)
    for code in BLOC1:
        AcquiredCredit.objects.create(student=eva, ue=ues[code], academic_year="2021-2022", note=Decimal(14))
    for code in BLOC2:
        AcquiredCredit.objects.create(student=eva, ue=ues[code], academic_year="2022-2023", note=Decimal(14))
    for code in BLOC3:
        w.result(eva, code, Decimal(14))
    w.jury = services.compose_jury(actor=president, programme=programme, academic_year=year, president=president,
                                   secretary=secretary, mention_domain="social", mention_kind="bachelier_3")
    return w


def open_with(w, period, present):
    """The secretary opens the session of ``period`` and records ``present`` (users)."""
    session = services.create_session(actor=w.secretary, jury_id=w.jury.pk, period=period)
    services.open_session(actor=w.secretary, session_id=session.pk)
    services.record_attendance(actor=w.secretary, session_id=session.pk, present_user_ids=[u.pk for u in present])
    session.refresh_from_db()
    return session


@pytest.fixture
def rendered(monkeypatch):
    """What the one PDF service was asked to render: (template, text)."""
    import re

    from django.template.loader import render_to_string
    from django.utils.html import strip_tags

    from parcours.juries import documents

    calls = []

    def fake(template, context):
        text = re.sub(r"\s+", " ", strip_tags(render_to_string(template, context)))
        calls.append((template, text))
        return b"%PDF-1.7 test"
    monkeypatch.setattr(documents, "render_pdf", fake)
    return calls
