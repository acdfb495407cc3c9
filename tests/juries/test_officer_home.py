"""The jury president's and secretary's own home: their work by date (art. 80, 83, 85, 91, 103, 128-136)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.evaluations.models import (
    Absence,
    ActivityNote,
    DepartmentPeriod,
    Evaluation,
    ScoreSheet,
    SessionOuverte,
)
from parcours.evaluations.workflow import AbsenceStatus
from parcours.institutions.models import LearningActivity
from parcours.juries import services
from parcours.juries.work import tasks_for
from tests.juries.conftest import open_with


def _sheet(w, code, period=2):
    activity = LearningActivity.objects.create(ue=w.ues[code], code=f"{code}-1", title="Activité")
    sheet = ScoreSheet.objects.create(activity=activity, period=w.periods[period])
    return activity, sheet


@pytest.fixture
def busy(jw):
    """A late sheet, a third presentation to authorise, an absence referred to the president."""
    DepartmentPeriod.objects.create(period=jw.periods[2], department=jw.programme.department,
                                    encoding_deadline=dt.date(2024, 6, 20))
    _activity, sheet = _sheet(jw, "B1-1")
    ActivityNote.objects.create(sheet=sheet, student=jw.students["lea"])  # no note yet
    activity, sheet2 = _sheet(jw, "B1-2")
    ActivityNote.objects.create(sheet=sheet2, student=jw.students["tom"], may_sit=False, excluded_article="Art. 83",
                                excluded_reason="Troisième présentation")
    evaluation = Evaluation.objects.create(activity=activity, period=jw.periods[2], date=dt.date(2024, 6, 3))
    Absence.objects.create(student=jw.students["tom"], evaluation=evaluation, kind="autre",
                           declared_on=dt.date(2024, 6, 3), status=AbsenceStatus.REFERRED)
    return jw


def _kinds(user, w):
    return [t.kind for t in tasks_for(user, w.year.label)]


@pytest.mark.article("128")
def test_secretary_sees_sessions_and_sheets_president_sees_requests_each_their_own(busy, settings):
    settings.PARCOURS_TODAY = "2024-06-21"
    services.create_session(actor=busy.secretary, jury_id=busy.jury.pk, period=2)
    secretary, president = _kinds(busy.secretary, busy), _kinds(busy.president, busy)
    assert "Séance à ouvrir" in secretary and "Feuille en retard" in secretary
    assert "Troisième présentation à autoriser ou non" not in secretary
    assert "Troisième présentation à autoriser ou non" in president and "Absence transmise au président" in president
    assert "Séance à ouvrir" not in president
    assert tasks_for(busy.teachers[0], busy.year.label) == []  # a member has no officer's work


@pytest.mark.article("80")
def test_a_sheet_is_late_only_after_the_deadline(busy, settings):
    settings.PARCOURS_TODAY = "2024-06-20"
    assert "Feuille en retard" not in _kinds(busy.secretary, busy)
    settings.PARCOURS_TODAY = "2024-06-21"
    late = [t for t in tasks_for(busy.secretary, busy.year.label) if t.kind == "Feuille en retard"]
    assert late and late[0].late and late[0].on == dt.date(2024, 6, 20)


@pytest.mark.article("136")
def test_publication_then_diploma_within_three_months_and_session_ouverte_end(jw, settings, client):
    settings.PARCOURS_TODAY = "2024-07-01"
    SessionOuverte.objects.create(student=jw.students["tom"], period=jw.periods[2], until=dt.date(2024, 9, 15),
                                  reason="Force majeure", decided_by=jw.president)
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    assert "Séance à clôturer" in _kinds(jw.secretary, jw)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    assert "Publication à fixer" in _kinds(jw.president, jw)
    services.schedule_publication(actor=jw.president, session_id=session.pk,
                                  publish_at=timezone.make_aware(dt.datetime(2024, 7, 1)))
    diplomas = [t for t in tasks_for(jw.president, jw.year.label) if t.kind == "Diplôme à délivrer"]
    assert [t.on for t in diplomas] == [dt.date(2024, 10, 1)]  # Eva, proclaimed 1 July: three months (art. 136)
    assert "Fin de session ouverte : à délibérer" not in _kinds(jw.president, jw)
    settings.PARCOURS_TODAY = "2024-09-16"
    ended = [t for t in tasks_for(jw.president, jw.year.label) if t.kind.startswith("Fin de session ouverte")]
    assert len(ended) == 1 and jw.students["tom"].matricule in ended[0].text
    client.force_login(jw.president)
    page = client.get(reverse("home")).content.decode()
    assert "Diplôme à délivrer" in page and "Fin de session ouverte" in page


def test_home_costs_a_constant_number_of_queries(busy, client, settings):
    settings.PARCOURS_TODAY = "2024-06-21"
    client.force_login(busy.president)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    for i in range(3):
        _activity, sheet = _sheet(busy, f"B1-{3 + i}")
        ActivityNote.objects.create(sheet=sheet, student=busy.students["lea"], may_sit=False, excluded_article="Art. 83")
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("home"))
    assert len(more.captured_queries) == len(one.captured_queries)
