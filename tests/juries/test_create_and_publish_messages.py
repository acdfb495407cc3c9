"""Constituting a jury that exists already leads to it (art. 127); the presidency left empty is said (art. 128);
the publication's message says whether the results left at once or when they will (art. 103)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.models import Role
from parcours.juries import services
from tests.factories import ProgrammeFactory, UserFactory, role
from tests.juries.conftest import open_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(jw):
    return role(UserFactory(email="secretariat@test.helha.be"), Role.SECRETARIAT, department=jw.programme.department)


@pytest.mark.article("127")
def test_the_form_for_an_existing_jury_leads_to_it(client, jw, secretariat, settings):
    settings.ACADEMIC_YEAR = jw.year.label
    client.force_login(secretariat)
    page = client.get(reverse("juries:create"), {"programme": jw.programme.pk}).content.decode()
    assert "existe déjà" in page and reverse("juries:jury", args=[jw.jury.pk]) in page
    assert 'name="secretary"' not in page
    other = ProgrammeFactory(department=jw.programme.department, name="Bachelier : autre")
    page = client.get(reverse("juries:create"), {"programme": other.pk}).content.decode()
    assert "existe déjà" not in page and 'name="secretary"' in page  # the other side: no jury yet, the form


@pytest.mark.article("128")
def test_an_empty_presidency_is_named_in_french(client, jw, secretariat, settings):
    settings.ACADEMIC_YEAR = jw.year.label
    other = ProgrammeFactory(department=jw.programme.department, name="Bachelier : autre")
    client.force_login(secretariat)
    page = client.post(reverse("juries:create") + f"?programme={other.pk}",
                       {"programme": other.pk, "secretary": jw.secretary.email}).content.decode()
    assert "Choisissez qui préside le jury" in page and "Ce champ est obligatoire" not in page


@pytest.mark.article("103")
def test_the_publication_message_says_published_or_scheduled(client, jw, settings):
    settings.PARCOURS_TODAY = "2024-07-01"
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    client.force_login(jw.president)
    url = reverse("juries:session_publish", args=[session.pk])
    later = timezone.localtime(timezone.make_aware(dt.datetime(2024, 7, 3, 14, 0)))
    page = client.post(url, {"publish_at": later.strftime("%Y-%m-%dT%H:%M")}, follow=True).content.decode()
    assert "Publication fixée au 3 juillet 2024 à 14:00" in page and "Résultats publiés" not in page
    session.refresh_from_db()
    assert not session.published
    session.publish_at = None
    session.save()
    from parcours.web import clock

    page = client.post(url, {"publish_at": clock.now().strftime("%Y-%m-%dT%H:%M")}, follow=True).content.decode()
    assert "Résultats publiés : les étudiants en sont informés" in page and "Publication enregistrée" not in page
