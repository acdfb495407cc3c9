"""Art. 105, 177: each appeal route says how and to whom, on "Mes résultats" and in the results message."""

import pytest
from django.urls import reverse

from parcours.juries import services
from parcours.web import clock
from tests.juries.conftest import open_with

pytestmark = pytest.mark.django_db


@pytest.mark.article("105", "177")
def test_each_route_says_how_and_to_whom(client, jw, settings):
    settings.PARCOURS_TODAY = "2024-07-01"
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=clock.now())
    lea = jw.students["lea"]
    body = lea.user.notifications.get(title__startswith="Résultats de la délibération").body
    client.force_login(lea.user)
    page = client.get(reverse("juries:my_results")).content.decode()
    for text in (body, page):
        assert "Adressée au secrétaire du jury de délibération, sous pli recommandé" in text
        assert "signée par l" in text and "irrecevable (art. 105)" in text
        assert "Recours motivé, envoyé par recommandé avec copie et preuve du recommandé par courriel" in text
        assert "(art. 177)" in text
