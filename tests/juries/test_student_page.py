"""A student's jury page: a refused grant comes back with what was typed and its error at its UE (art. 130, 134);
the officers undo a grant or a raised mention with a reason while the session is open; a granted UE says so
(art. 134: the note is considered as reaching 10/20); a raised mention shows before → after and its motivation."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.evaluations.models import UEResult
from parcours.juries import services
from parcours.juries.models import MentionSetting
from tests.juries.conftest import open_with

pytestmark = pytest.mark.django_db


def _row(page: str, ue) -> str:
    """The HTML of one UE's row."""
    return re.search(rf'<tr id="ue-{ue.pk}">.*?</tr>', page, re.S).group(0)


@pytest.fixture
def session(jw):
    return open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)


@pytest.mark.article("130", "134")
def test_a_refused_grant_keeps_the_typed_motivation_and_shows_its_error_at_its_ue(client, jw, session):
    tom = jw.students["tom"]
    client.force_login(jw.secretary)
    url = reverse("juries:grant", args=[session.pk, tom.pk])
    response = client.post(url, {"ue": jw.ues["B1-2"].pk, "motivation": "Progrès nets en juin."})
    assert response.status_code == 200  # the page itself, not a redirect that empties the form
    row = _row(response.content.decode(), jw.ues["B1-2"])
    assert "<details open>" in row and "Progrès nets en juin." in row and "Retenez au moins un critère" in row
    other = _row(response.content.decode(), jw.ues["B1-1"])
    assert "Retenez au moins un critère" not in other
    row = _row(client.post(url, {"ue": jw.ues["B1-3"].pk, "criteria": ["evolution"], "motivation": "x"})
               .content.decode(), jw.ues["B1-3"])
    assert "Octroi refusé" in row and "PP" in row  # the rules' refusal, at the PP UE
    page = client.post(url, {"criteria": ["evolution"], "motivation": "x"}, follow=True).content.decode()
    assert "Choisissez l&#x27;unité d&#x27;enseignement dont le jury octroie les crédits." in page
    assert "Ce champ est obligatoire" not in page
    assert session.grants.count() == 0


@pytest.mark.article("134")
def test_a_granted_ue_explains_the_grant_not_the_failed_threshold(client, jw, session):
    tom = jw.students["tom"]
    services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom.pk, ue_id=jw.ues["B1-2"].pk,
                           criteria=["evolution"], motivation="Progrès.")
    UEResult.objects.filter(student=tom, ue=jw.ues["B1-4"]).update(note=Decimal(9))  # failed, not granted
    UEResult.objects.filter(student=tom).update(reasons=[
        {"article": "Art. 100", "text": "Seuil de réussite de 10/20 non atteint : les crédits ne sont pas acquis."}])
    client.force_login(jw.secretary)
    page = client.get(reverse("juries:session_student", args=[session.pk, tom.pk])).content.decode()
    granted = _row(page, jw.ues["B1-2"])
    assert "non atteint" not in granted and "8 → 10" in granted
    assert "il octroie définitivement les crédits" in granted and "portée à 10/20" in granted
    assert "non atteint" in _row(page, jw.ues["B1-4"])


@pytest.mark.article("134")
def test_the_officers_withdraw_a_grant_with_a_reason_while_the_session_is_open(client, jw, session):
    tom = jw.students["tom"]
    grant = services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom.pk,
                                   ue_id=jw.ues["B1-2"].pk, criteria=["evolution"], motivation="Progrès.")
    page_url = reverse("juries:session_student", args=[session.pk, tom.pk])
    url = reverse("juries:grant_withdraw", args=[session.pk, grant.pk])
    client.force_login(jw.teachers[0])  # a member reads, the officers undo
    assert url not in client.get(page_url).content.decode()
    client.post(url, {"reason": "Erreur."})
    assert session.grants.count() == 1
    client.force_login(jw.president)
    assert url in client.get(page_url).content.decode()
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Le retrait se motive" in page and session.grants.count() == 1
    page = client.post(url, {"reason": "Octroi encodé sur la mauvaise UE."}, follow=True).content.decode()
    assert "Octroi retiré" in page and session.grants.count() == 0
    assert "mauvaise UE" in AuditEvent.objects.get(action="juries.grant.withdrawn").summary
    assert "déjà été retiré" in client.post(url, {"reason": "bis"}, follow=True).content.decode()


@pytest.mark.article("136")
def test_a_raised_mention_shows_before_after_and_motivation_and_can_be_withdrawn(client, jw, session):
    MentionSetting.objects.create(academic_year=jw.year, satisfaction=Decimal(50), distinction=Decimal(65),
                                  grande_distinction=Decimal(75), plus_grande_distinction=Decimal(85), source="test")
    eva = jw.students["eva"]
    page_url = reverse("juries:session_student", args=[session.pk, eva.pk])
    client.force_login(jw.president)
    assert "Retirer la mention supérieure" not in client.get(page_url).content.decode()
    services.raise_mention(actor=jw.president, session_id=session.pk, student_id=eva.pk, motivation="TFE remarquable.")
    page = client.get(page_url).content.decode()
    assert "Distinction → Grande distinction" in page and "TFE remarquable." in page
    url = reverse("juries:mention_withdraw", args=[session.pk, eva.pk])
    assert url in page
    client.post(url, {"reason": ""})
    assert session.mention_raises.count() == 1
    page = client.post(url, {"reason": "Vote non acquis."}, follow=True).content.decode()
    assert session.mention_raises.count() == 0 and "Mention supérieure retirée" in page
    assert "Vote non acquis." in AuditEvent.objects.get(action="juries.mention.withdrawn").summary
    services.close_session(actor=jw.secretary, session_id=session.pk)
    with pytest.raises(services.JuryError, match="clôturée"):
        services.withdraw_mention(actor=jw.president, session_id=session.pk, student_id=eva.pk, reason="x")
