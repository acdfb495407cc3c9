"""One relevé de notes (art. 103): the same template and service behind the student's results page, the
secretariat's print for a procuration holder, and the jury's documents; published results only for the student."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.juries import services
from parcours.juries.models import Decision
from tests.juries.conftest import open_with


def _published(jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=jw.students["tom"].pk,
                           ue_id=jw.ues["B1-2"].pk, criteria=["accident_ue"], motivation="Échec accidentel.")
    services.close_session(actor=jw.secretary, session_id=session.pk)
    return session


@pytest.mark.article("103")
def test_both_addresses_give_the_same_releve_with_the_jury_decision(client, jw, rendered, settings):
    settings.PARCOURS_TODAY = "2024-07-01"
    tom = jw.students["tom"]
    session = _published(jw)
    client.force_login(tom.user)
    assert client.get("/evaluations/resultats/releve.pdf").status_code == 404  # nothing published yet
    services.schedule_publication(actor=jw.president, session_id=session.pk,
                                  publish_at=timezone.make_aware(dt.datetime(2024, 7, 1)))
    decision = Decision.objects.get(session=session, student=tom)
    assert client.get("/evaluations/resultats/releve.pdf").content.startswith(b"%PDF")
    assert client.get(reverse("juries:document", args=[decision.pk, "releve"])).content.startswith(b"%PDF")
    (t1, text1), (t2, text2) = rendered
    assert t1 == t2 == "juries/pdf/releve.html"
    for text in (text1, text2):
        assert "B1-2" in text and "8 *" in text  # the note, marked granted by the jury (art. 134)
        assert "Crédits partiellement acquis" in text and "PP" in text


@pytest.mark.article("103")
def test_the_jury_reads_the_releve_before_publication_the_student_does_not(client, jw, rendered):
    session = _published(jw)
    decision = Decision.objects.get(session=session, student=jw.students["lea"])
    client.force_login(jw.teachers[0])
    assert client.get(reverse("juries:document", args=[decision.pk, "releve"])).status_code == 200
    assert "B1-1" in rendered[-1][1]
    client.force_login(jw.students["lea"].user)
    assert client.get(reverse("juries:document", args=[decision.pk, "releve"])).status_code == 404
