"""The registration journey in a real browser: online request → documents → complete → accepted → PAE
validated → fees paid → attestation downloaded; and an irrecevable dossier with its appeal route."""

import os

import pytest
from playwright.sync_api import expect

from parcours.accounts.models import Role
from tests.factories import StudentFactory, UEFactory, UserFactory, role
from tests.web.conftest import CHROMIUM, log_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no chromium")]
DOCUMENTS = ["Copie recto verso de la carte d'identité", "Photo récente au format carte d'identité",
             "Copie du titre d'accès aux études visées", "Justificatifs des années entre le secondaire et l'inscription"]
PDF = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}


@pytest.fixture
def applicant(world):
    student = StudentFactory(user=UserFactory(email="candidate@test.helha.be", first_name="Inès", last_name="Maes"))
    role(student.user, Role.STUDENT)
    for i in range(6):
        UEFactory(programme=world.programme, code=f"AS1{i:02d}", title=f"UE du bloc 1 n°{i + 1}", credits=10, bloc=1)
    return student


def apply_and_upload(page, live_server):
    log_in(page, live_server, "candidate@test.helha.be")
    page.get_by_role("link", name="Demander une inscription").click()
    page.get_by_label("Programme visé").select_option(label="Bachelier : assistant social")
    page.get_by_role("button", name="Introduire la demande").click()
    expect(page.get_by_role("heading", name="Demande d'admission — Bachelier : assistant social")).to_be_visible()
    request_url = page.url
    page.get_by_role("link", name="Documents du dossier").click()
    for label in DOCUMENTS:
        page.get_by_label(f"Déposer : {label[0].upper() + label[1:]}").set_input_files(files=[PDF])
        page.get_by_label(f"Déposer : {label[0].upper() + label[1:]}").locator("xpath=..").get_by_role(
            "button", name="Envoyer").click()
        expect(page.get_by_text("il sera vérifié par le secrétariat")).to_be_visible()  # waits for the page under load
    page.get_by_role("button", name="Se déconnecter").click()
    return request_url


def accept_documents(page, request_url):
    page.goto(request_url)
    page.get_by_role("link", name="Documents du dossier").click()
    for label in DOCUMENTS:
        group = page.get_by_role("group", name=f"Vérifier : {label[0].upper() + label[1:]}")
        group.get_by_label("Accepter").check()
        group.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text("Décision enregistrée")).to_be_visible()


def test_complete_registration_journey(transactional_db, world, applicant, live_server, browser_page, settings):
    settings.PARCOURS_TODAY = "2023-09-20"
    page = browser_page
    request_url = apply_and_upload(page, live_server)

    log_in(page, live_server, "secretariat@test.helha.be")
    page.get_by_role("link", name="Demandes d'admission").click()
    page.get_by_role("link", name="Maes Inès").click()
    accept_documents(page, request_url)
    page.goto(request_url)
    expect(page.get_by_text("Demande finale d'inscription (dossier complet)").first).to_be_visible()
    page.get_by_label("Inscrire régulièrement").check()
    page.get_by_role("button", name="Voir les conséquences et la lettre").click()
    page.get_by_role("button", name="Confirmer et notifier l'étudiant").click()
    expect(page.get_by_text("Statut : Inscription régulière")).to_be_visible()
    page.get_by_role("button", name="Vérifier et proposer").click()
    expect(page.get_by_text("Programme proposé à l'étudiant.")).to_be_visible()
    page.get_by_label("Montant (€)").fill("650")
    page.get_by_label("Référence").fill("BE-2023-0001")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    expect(page.get_by_text("Paiement enregistré.")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, "candidate@test.helha.be")
    page.goto(request_url)
    expect(page.get_by_text("reste : 0,00 €")).to_be_visible()
    page.get_by_role("button", name="Valider mon programme annuel").click()
    expect(page.get_by_text("Programme annuel validé.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Attestation d'inscription (PDF)").click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"


def test_irrecevable_dossier_shows_its_appeal_route(transactional_db, world, applicant, live_server, browser_page,
                                                    settings):
    settings.PARCOURS_TODAY = "2023-09-25"
    page = browser_page
    request_url = apply_and_upload(page, live_server)
    settings.PARCOURS_TODAY = "2023-10-02"  # the documents are checked after 30 September
    log_in(page, live_server, "secretariat@test.helha.be")
    accept_documents(page, request_url)
    page.goto(request_url)
    page.get_by_label("Déclarer irrecevable").check()
    page.get_by_role("button", name="Voir les conséquences et la lettre").click()
    page.get_by_role("button", name="Confirmer et notifier l'étudiant").click()
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, "candidate@test.helha.be")
    page.goto(request_url)
    expect(page.get_by_text("Statut : Irrecevable")).to_be_visible()
    expect(page.get_by_role("heading", name="Voie de recours")).to_be_visible()
    expect(page.get_by_text("Commissaire ou Délégué du Gouvernement").first).to_be_visible()
    expect(page.get_by_text("Au plus tard le 23 octobre 2023")).to_be_visible()  # 15 working days from 3 October
