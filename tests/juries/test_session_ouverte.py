"""Art. 85: a student in session ouverte is not deliberated with the others; the grid says until when, and the
jury deliberates them once their period closes — the same session reopened, or a later one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.evaluations.models import SessionOuverte
from parcours.juries import selectors, services
from parcours.juries.models import Decision
from parcours.juries.services import JuryError
from tests.juries.conftest import open_with


def _extend(w, student, until=dt.date(2024, 9, 15)):
    return SessionOuverte.objects.create(student=student, period=w.periods[2], until=until, reason="Hospitalisation",
                                         decided_by=w.president)


def _proposal(session, student):
    return next(p for p in selectors.grid(session) if p.student.student_id == student.pk)


@pytest.mark.article("85")
def test_grid_lists_the_student_in_session_ouverte_without_decision_until_the_last_day(jw, settings):
    _extend(jw, jw.students["tom"])
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    settings.PARCOURS_TODAY = "2024-09-15"  # the last day of the extended period: still running
    p = _proposal(session, jw.students["tom"])
    assert p.outcome == "session_ouverte" and not p.deliberated
    assert "jusqu'au 15/09/2024" in p.outcome_label
    assert _proposal(session, jw.students["lea"]).outcome == "reussite"
    settings.PARCOURS_TODAY = "2024-09-16"  # the day after: deliberated like the others
    p = _proposal(session, jw.students["tom"])
    assert p.deliberated and p.outcome == "credits_partiels"


@pytest.mark.article("85")
def test_no_grant_for_a_student_still_in_session_ouverte(jw, settings):
    _extend(jw, jw.students["tom"])
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    settings.PARCOURS_TODAY = "2024-07-01"
    with pytest.raises(JuryError, match="session ouverte"):
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=jw.students["tom"].pk,
                               ue_id=jw.ues["B1-2"].pk, criteria=["accident_ue"], motivation="Progrès.")


@pytest.mark.article("85")
def test_closing_skips_them_then_the_reopened_session_deliberates_and_publishes_them(client, jw, settings):
    tom = jw.students["tom"]
    _extend(jw, tom)
    settings.PARCOURS_TODAY = "2024-07-01"
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    assert not Decision.objects.filter(session=session, student=tom).exists()
    assert Decision.objects.filter(session=session, student=jw.students["lea"]).exists()
    services.schedule_publication(actor=jw.president, session_id=session.pk,
                                  publish_at=timezone.make_aware(dt.datetime(2024, 7, 1)))
    client.force_login(tom.user)
    assert "Résultats" not in client.get(reverse("juries:my_results")).content.decode() or \
        not Decision.objects.filter(student=tom).exists()
    # Before the end of his period the reopened session still does not decide for him.
    settings.PARCOURS_TODAY = "2024-09-15"
    services.reopen_session(actor=jw.president, session_id=session.pk, reason="Session ouverte de Tom (art. 85)")
    services.close_session(actor=jw.secretary, session_id=session.pk)
    assert not Decision.objects.filter(student=tom).exists()
    # After it: deliberated, published at once (the session's results were already), told.
    settings.PARCOURS_TODAY = "2024-09-16"
    services.reopen_session(actor=jw.president, session_id=session.pk, reason="Fin de la session ouverte (art. 85)")
    services.record_attendance(actor=jw.secretary, session_id=session.pk,
                               present_user_ids=[u.pk for u in [jw.president, jw.secretary] + jw.teachers])
    services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom.pk, ue_id=jw.ues["B1-2"].pk,
                           criteria=["accident_ue"], motivation="Progrès constants malgré l'hospitalisation.")
    services.close_session(actor=jw.secretary, session_id=session.pk)
    decision = Decision.objects.get(session=session, student=tom)
    assert decision.published_at is not None
    assert "B1-2" in {r["code"] for r in decision.detail["rows"] if r["granted"]}
    page = client.get(reverse("juries:my_results")).content.decode()
    assert "Crédits partiellement acquis" in page  # B1-3 PP: never granted (art. 134)
    # The complaint deadline runs from his own publication (16 September), not the session's (1 July).
    assert "juillet" not in page.split("Plainte")[1][:200]


@pytest.mark.article("85")
def test_a_later_session_deliberates_them_once_their_period_closed(jw, settings):
    tom = jw.students["tom"]
    _extend(jw, tom)
    settings.PARCOURS_TODAY = "2024-09-16"
    session3 = open_with(jw, 3, [jw.president, jw.secretary] + jw.teachers)
    jw.result(tom, "B1-2", Decimal(11), period=3)
    p = _proposal(session3, tom)
    assert p.deliberated and {r.ue.code for r in p.rows if r.acquired} >= {"B1-1", "B1-2"}
