"""Art. 49: a student whose access is suspended for an unpaid balance "ne peut être délibéré": the grid flags them,
the jury records no grant, mention nor decision for them, and nothing is published to them."""

import datetime as dt

import pytest
from django.urls import reverse

from parcours.juries import services
from parcours.juries.models import Decision
from parcours.students.models import Registration
from parcours.web import clock
from tests.juries.conftest import open_with

pytestmark = pytest.mark.django_db


def _suspend(student, on):
    Registration.objects.filter(student=student).update(access_suspended_on=on)


@pytest.mark.article("49")
def test_a_suspended_student_is_flagged_and_no_decision_is_recorded_for_them(jw, settings, client):
    settings.PARCOURS_TODAY = "2024-07-01"
    tom, lea = jw.students["tom"], jw.students["lea"]
    _suspend(tom, dt.date(2024, 2, 2))
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    client.force_login(jw.secretary)
    page = client.get(reverse("juries:session", args=[session.pk])).content.decode()
    assert page.count("Non délibéré : solde des droits impayé (art. 49)") == 1  # Tom only
    page = client.get(reverse("juries:session_student", args=[session.pk, tom.pk])).content.decode()
    assert "Accès suspendu le 02/02/2024" in page and "ne peut être délibéré" in page
    assert "Octroyer les crédits" not in page
    with pytest.raises(services.JuryError, match=r"art\. 49"):
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom.pk, ue_id=jw.ues["B1-2"].pk,
                               criteria=["evolution"], motivation="Progrès.")
    services.close_session(actor=jw.secretary, session_id=session.pk)
    services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=clock.now())
    assert not Decision.objects.filter(student=tom).exists()
    assert Decision.objects.filter(student=lea, session=session).exists()  # the other side: decided and published
    assert not tom.user.notifications.filter(title__startswith="Résultats de la délibération").exists()
    assert lea.user.notifications.filter(title__startswith="Résultats de la délibération").exists()


@pytest.mark.article("49")
@pytest.mark.parametrize("suspended_on,suspended", [("2024-07-01", True), ("2024-07-02", False), (None, False)])
def test_the_suspension_counts_from_its_day(jw, settings, suspended_on, suspended):
    settings.PARCOURS_TODAY = "2024-07-01"
    tom = jw.students["tom"]
    _suspend(tom, suspended_on and dt.date.fromisoformat(suspended_on))
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    call = lambda: services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom.pk,  # noqa: E731
                                          ue_id=jw.ues["B1-2"].pk, criteria=["evolution"], motivation="Progrès.")
    if suspended:
        with pytest.raises(services.JuryError, match=r"art\. 49"):
            call()
    else:
        assert call().ue_id == jw.ues["B1-2"].pk
