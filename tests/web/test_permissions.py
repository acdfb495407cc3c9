"""The permission matrix: every URL and API endpoint, as every persona.

A student never reads another student's record, documents or notes; staff read only their scope;
read-only readers never change anything."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.accounts.models import Role
from parcours.dossiers.uploads import store_upload
from parcours.dossiers.workflow import SlotStatus

READERS = {"secretariat", "commission_admission", "president_jury", "secretaire_jury", "coordinateur_ri",
           "bureau_international", "comite_mobilite", "assistant_social", "direction_departement", "direction_domaine",
           "college_direction", "dpo", "commissaire"}
REVIEWERS = {"secretariat", "commission_admission", "direction_departement"}
DENIED = {"autre_etudiant", "etudiant_autre_departement", "exterieur", "enseignant", "secretariat_autre_departement"}
PERSONAS = sorted(READERS | DENIED | {"etudiant"})
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_matrix_covers_every_role():
    assert {r.value for r in Role} - {"etudiant"} <= READERS | {"enseignant"}


def protected_urls(w):
    return [
        reverse("dossier_detail", args=[w.dossier.pk]),
        reverse("dossier_history", args=[w.dossier.pk]),
        reverse("slot_file", args=[w.slot.pk]),
        reverse("student_detail", args=[w.student.pk]),
        reverse("attestation", args=[w.registration.pk]),
        f"/api/students/{w.student.pk}",
        f"/api/students/{w.student.pk}/dossiers",
        f"/api/dossiers/{w.dossier.pk}",
    ]


@pytest.fixture
def world_with_file(world):
    world.slot.file = store_upload(SimpleUploadedFile("carte.pdf", PDF), actor=world.student.user)
    world.slot.status = SlotStatus.RECEIVED
    world.slot.save()
    return world


@pytest.mark.article("3")  # the (adult) student and the staff of his scope, nobody else
@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_a_students_record(client, world_with_file, persona):
    w = world_with_file
    client.force_login(w.users[persona])
    allowed = persona == "etudiant" or persona in READERS
    for url in protected_urls(w):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, (persona, url, response.status_code)
        else:
            assert response.status_code == 404, (persona, url, response.status_code)
            assert b"Dupont" not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_authenticated_persona_has_a_home(client, world, persona):
    client.force_login(world.users[persona])
    for url in [reverse("home"), reverse("notifications"), "/api/me"]:
        assert client.get(url).status_code == 200, (persona, url)


def test_anonymous_is_sent_to_login_and_the_api_refuses(client, world_with_file):
    for url in protected_urls(world_with_file) + [reverse("home"), reverse("notifications")]:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", PERSONAS)
def test_reviewing_a_document(client, world_with_file, persona):
    w = world_with_file
    client.force_login(w.users[persona])
    client.post(reverse("slot_review", args=[w.slot.pk]), {"decision": "accept"})
    w.slot.refresh_from_db()
    expected = SlotStatus.ACCEPTED if persona in REVIEWERS else SlotStatus.RECEIVED
    assert w.slot.status == expected, persona


@pytest.mark.parametrize("persona", PERSONAS)
def test_uploading_into_a_students_dossier(client, world, persona):
    client.force_login(world.users[persona])
    client.post(reverse("slot_upload", args=[world.slot.pk]), {"file": SimpleUploadedFile("carte.pdf", PDF)})
    world.slot.refresh_from_db()
    allowed = persona == "etudiant" or persona in REVIEWERS
    assert (world.slot.status == SlotStatus.RECEIVED) is allowed, persona


def test_staff_lists_show_only_their_scope(client, world):
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("home")).content.decode()
    assert "Dupont" in page and "Peeters" in page
    assert world.foreign_student.user.last_name not in page
    client.force_login(world.users["secretariat_autre_departement"])
    page = client.get(reverse("home")).content.decode()
    assert "Dupont" not in page


def test_api_token_authentication(client, world):
    from parcours.accounts.models import ApiToken

    _, raw = ApiToken.issue(world.users["secretariat"], "script")
    ok = client.get(f"/api/students/{world.student.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200 and ok.json()["matricule"] == world.student.matricule
    assert client.get(f"/api/students/{world.student.pk}", HTTP_AUTHORIZATION="Bearer faux").status_code == 401
    _, other = ApiToken.issue(world.users["autre_etudiant"], "script")
    assert client.get(f"/api/students/{world.student.pk}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
