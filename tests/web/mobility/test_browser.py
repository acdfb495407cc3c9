"""The outgoing-mobility journey in a real browser: a student applies and submits, both institutions
record the candidature, the committee selects, the learning agreement is signed by three parties, the
attestation de séjour is filed and the credits are recognised."""

import os

import pytest

from parcours.accounts.models import Role
from parcours.exchanges import services
from parcours.institutions.models import Institution
from parcours.students.models import AcquiredCredit
from tests.factories import InstitutionFactory, UEFactory, UserFactory, role
from tests.web.conftest import CHROMIUM, log_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no chromium")]
PDF = {"name": "doc.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}
DOCS = ["Formulaire de candidature (en ligne pour HENALLUX, Word pour HERS)", "Lettre de motivation signée",
        "CV Europass ou autre", "Bulletins de bloc 1 et de bloc 2 (si disponible)"]


@pytest.fixture
def call(world):
    henallux = InstitutionFactory(code="HENALLUX", name="HENALLUX", kind=Institution.Kind.PARTNER)
    hers = InstitutionFactory(code="HERS", name="HERS", kind=Institution.Kind.PARTNER)
    world.programme.co_organised_with.set([henallux, hers])
    porto = InstitutionFactory(code="UPORTO", name="Universidade do Porto", kind=Institution.Kind.HOST, country="PT")
    for code, inst in (("henallux", henallux), ("hers", hers)):
        role(UserFactory(email=f"ri@{code}.be"), Role.RI_COORDINATOR, institution=inst)
    for i in range(6):
        ue = UEFactory(programme=world.programme, code=f"AS1{i}", title=f"UE bloc 1 n°{i}", credits=10, bloc=1)
        AcquiredCredit.objects.create(student=world.student, ue=ue, academic_year="2022-2023", note=13)
    UEFactory(programme=world.programme, code="AS201", title="Méthodologie du travail social", credits=30, bloc=2)
    return services.open_call(actor=world.users["bureau_international"], programme_id=world.programme.pk,
                              mobility_year="2024-2025", title="Erasmus AS 2024-2025", department_min_credits=45,
                              destinations=[(porto.pk, "SMS", 2)])


def action(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_outgoing_mobility_journey(transactional_db, world, call, live_server, browser_page, settings):
    settings.PARCOURS_TODAY = "2024-01-15"
    page = browser_page
    log_in(page, live_server, "etudiant@test.helha.be")
    page.get_by_role("link", name="Mobilité").click()
    page.get_by_label("Choix 1 (obligatoire)").select_option(label="Universidade do Porto (PT) — Erasmus+ études (SMS) — 2 place(s)")
    action(page, "Commencer ma candidature")
    candidature_url = page.url
    page.get_by_role("link", name="Documents de la candidature").click()
    for label in DOCS:
        page.get_by_label(f"Déposer : {label}").set_input_files(files=[PDF])
        page.get_by_label(f"Déposer : {label}").locator("xpath=..").get_by_role("button", name="Envoyer").click()
        page.wait_for_load_state()
    page.goto(candidature_url)
    page.get_by_label("Ma lettre de motivation est signée").check()
    action(page, "Soumettre ma candidature")
    assert page.get_by_text("Candidature soumise à HENALLUX et à HERS").is_visible()
    action(page, "Se déconnecter")

    for inst in ("henallux", "hers"):
        log_in(page, live_server, f"ri@{inst}.be")
        page.goto(candidature_url)
        action(page, f"Réception par {inst.upper()}")
        assert page.get_by_text("Réception enregistrée.").is_visible()
        action(page, "Se déconnecter")

    log_in(page, live_server, "comite_mobilite@test.helha.be")
    page.goto(candidature_url)
    page.get_by_label("Note /20").fill("16")
    action(page, "Enregistrer l'évaluation")
    page.get_by_label("retenue", exact=True).check()
    page.get_by_label("Destination retenue").select_option(label="Universidade do Porto")
    page.get_by_label("Établissement gestionnaire").select_option(label="HERS")
    page.get_by_label("Motif communiqué à l'étudiant").fill("Projet cohérent avec le stage de bloc 3.")
    action(page, "Enregistrer la décision")
    assert page.get_by_text("Retenue pour Universidade do Porto").is_visible()
    action(page, "Se déconnecter")

    log_in(page, live_server, "bureau_international@test.helha.be")
    page.goto(candidature_url)
    page.get_by_label("Début").fill("2024-09-16")
    page.get_by_label("Fin").fill("2025-01-31")
    action(page, "Ouvrir le dossier de mobilité")
    file_url = page.url
    page.get_by_label("Signé le").fill("2024-09-02")
    action(page, "Enregistrer la signature")
    action(page, "Se déconnecter")

    log_in(page, live_server, "etudiant@test.helha.be")
    page.goto(file_url)
    page.get_by_label("AS201 — Méthodologie du travail social (30 ECTS)").check()
    page.get_by_label("Activités d'accueil, une par ligne : code;intitulé;ECTS;quadrimestre").fill(
        "PT-SS1;Serviço social;15;1\nPT-PS2;Políticas sociais;15;1")
    action(page, "Vérifier et enregistrer")
    assert page.get_by_text("conforme aux règles de crédits").is_visible()
    action(page, "Signer (étudiant)")
    action(page, "Se déconnecter")

    log_in(page, live_server, "bureau_international@test.helha.be")
    page.goto(file_url)
    action(page, "Signer (établissement d'envoi)")
    action(page, "Enregistrer la signature de l'établissement d'accueil")
    page.get_by_label("Arrivée").fill("2024-09-16")
    page.get_by_label("Départ (signé par l'établissement d'accueil)").fill("2025-01-31")
    action(page, "Enregistrer l'attestation")
    action(page, "Se déconnecter")
    log_in(page, live_server, "etudiant@test.helha.be")  # the student files the host's transcript
    page.goto(candidature_url)
    page.get_by_role("link", name="Documents de la candidature").click()
    label = "Déposer : Relevé de notes ou certificat de stage de l'établissement d'accueil"
    page.get_by_label(label).set_input_files(files=[PDF])
    page.get_by_label(label).locator("xpath=..").get_by_role("button", name="Envoyer").click()
    page.wait_for_load_state()
    action(page, "Se déconnecter")
    log_in(page, live_server, "bureau_international@test.helha.be")
    page.goto(file_url)
    action(page, "Reconnaître les crédits selon la convention")
    assert page.get_by_text("Enregistré.").is_visible()
    assert AcquiredCredit.objects.filter(student=world.student, ue__code="AS201", valorised=True).exists()
