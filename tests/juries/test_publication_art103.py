"""Art. 103: the January results of first-year students are published, in detail, by 10 February."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.juries import services
from parcours.web import clock
from tests.juries.conftest import open_with

pytestmark = pytest.mark.django_db


def january_session(jw, settings):
    settings.PARCOURS_TODAY = "2024-02-01"
    for student in (jw.students["lea"], jw.students["tom"]):
        jw.result(student, "B1-1", Decimal(12), period=1)
    session = open_with(jw, 1, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    return session


def at(day):
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T10:00"))


@pytest.mark.article("103")
def test_january_publication_for_first_year_students_cannot_be_set_after_10_february(jw, settings):
    session = january_session(jw, settings)
    with pytest.raises(services.JuryError, match=r"10 février 2024.*Art\. 103"):
        services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=at("2024-02-11"))
    session.refresh_from_db()
    assert session.publish_at is None
    services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=at("2024-02-10"))
    session.refresh_from_db()
    assert session.publish_at == at("2024-02-10")


@pytest.mark.article("103")
def test_once_10_february_has_passed_the_president_may_still_publish_at_once(jw, settings):
    session = january_session(jw, settings)
    settings.PARCOURS_TODAY = "2024-02-12"
    with pytest.raises(services.JuryError, match="Art. 103"):
        services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=at("2024-02-14"))
    services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=clock.now())
    session.refresh_from_db()
    assert session.published
