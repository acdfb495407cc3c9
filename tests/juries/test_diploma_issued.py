"""The diploma is issued within three months of the proclamation (art. 136): the jury president records the day,
the diploma leaves their list of work, the student is told, the PDF says when."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parcours.juries import diplomas, services
from parcours.juries.models import Decision
from parcours.juries.services import JuryError
from parcours.juries.work import tasks_for
from tests.juries.conftest import open_with


@pytest.fixture
def proclaimed(jw, settings):
    """Eva (end of cycle, every credit) proclaimed on 1 July 2024."""
    settings.PARCOURS_TODAY = "2024-07-01"
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    services.schedule_publication(actor=jw.president, session_id=session.pk,
                                  publish_at=timezone.make_aware(dt.datetime(2024, 7, 1)))
    return Decision.objects.get(session=session, degree_conferred=True)


def _diplomas(jw):
    return [t for t in tasks_for(jw.president, jw.year.label) if t.kind == "Diplôme à délivrer"]


@pytest.mark.article("136")
def test_an_issued_diploma_leaves_the_list_and_the_student_is_told(jw, settings, proclaimed,
                                                                   django_capture_on_commit_callbacks):
    settings.PARCOURS_TODAY = "2024-10-02"
    (late,) = _diplomas(jw)
    assert late.on == dt.date(2024, 10, 1) and late.late  # three months passed: still listed, and late
    with django_capture_on_commit_callbacks(execute=True):
        diplomas.record_diploma_issued(actor=jw.president, decision_id=proclaimed.pk, issued_on=dt.date(2024, 9, 20))
    assert _diplomas(jw) == []
    proclaimed.refresh_from_db()
    assert proclaimed.diploma_issued_on == dt.date(2024, 9, 20) and proclaimed.diploma_issued_by == jw.president
    assert proclaimed.history.first().history_user == jw.president
    (message,) = [m for m in mail.outbox if m.to == [proclaimed.student.user.email] and "diplôme" in m.subject]
    assert "20 septembre 2024" in message.body and "art. 136" in message.body


@pytest.mark.article("136")
def test_only_the_president_records_it_once_between_proclamation_and_today(jw, settings, proclaimed):
    settings.PARCOURS_TODAY = "2024-07-15"
    with pytest.raises(JuryError, match="Seul le président"):
        diplomas.record_diploma_issued(actor=jw.secretary, decision_id=proclaimed.pk, issued_on=dt.date(2024, 7, 10))
    with pytest.raises(JuryError, match="entre la proclamation"):  # the day before the proclamation
        diplomas.record_diploma_issued(actor=jw.president, decision_id=proclaimed.pk, issued_on=dt.date(2024, 6, 30))
    with pytest.raises(JuryError, match="entre la proclamation"):  # tomorrow
        diplomas.record_diploma_issued(actor=jw.president, decision_id=proclaimed.pk, issued_on=dt.date(2024, 7, 16))
    diplomas.record_diploma_issued(actor=jw.president, decision_id=proclaimed.pk, issued_on=dt.date(2024, 7, 1))
    with pytest.raises(JuryError, match="déjà délivré le 01/07/2024"):
        diplomas.record_diploma_issued(actor=jw.president, decision_id=proclaimed.pk, issued_on=dt.date(2024, 7, 15))


@pytest.mark.article("136")
def test_the_session_page_offers_it_to_the_president_only_and_the_pdf_says_when(jw, settings, proclaimed, client,
                                                                               rendered):
    settings.PARCOURS_TODAY = "2024-07-15"
    page = reverse("juries:session", args=[proclaimed.session_id])
    url = reverse("juries:diploma_issued", args=[proclaimed.pk])
    client.force_login(jw.secretary)
    assert url not in client.get(page).content.decode()
    client.post(url, {"issued_on": "2024-07-10"})
    proclaimed.refresh_from_db()
    assert proclaimed.diploma_issued_on is None
    client.force_login(jw.president)
    assert url in client.get(page).content.decode()
    answer = client.post(url, {"issued_on": "pas une date"}, follow=True).content.decode()
    assert "Indiquez la date de délivrance" in answer
    answer = client.post(url, {"issued_on": "2024-07-10"}, follow=True).content.decode()
    assert "délivré le 10 juillet 2024" in answer and url not in answer
    assert client.get(reverse("juries:document", args=[proclaimed.pk, "diplome"])).status_code == 200
    assert rendered[-1][0] == "juries/pdf/diploma.html" and "Délivré le 10 juillet 2024 (art. 136)" in rendered[-1][1]
    client.force_login(proclaimed.student.user)
    assert "diplôme délivré le 10 juillet 2024" in client.get(reverse("juries:my_results")).content.decode()


@pytest.mark.article("136")
@pytest.mark.parametrize(("issued", "late"), [(dt.date(2024, 10, 1), False), (dt.date(2024, 10, 2), True)])
def test_an_issue_after_the_three_months_is_recorded_as_late(jw, settings, proclaimed, issued, late):
    from parcours.audit.models import AuditEvent

    settings.PARCOURS_TODAY = "2024-10-15"
    diplomas.record_diploma_issued(actor=jw.president, decision_id=proclaimed.pk, issued_on=issued)
    summary = AuditEvent.objects.filter(action="juries.diploma.issued").latest("pk").summary
    assert ("au-delà des trois mois de l'art. 136" in summary) is late  # 1 July + 3 months = 1 October, the last day
