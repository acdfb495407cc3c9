"""Request to paid registration in a real browser, with real-format bank statements: the student is accepted,
finds the structured communication and the QR code, the secretariat imports a CODA then a camt.053 statement,
and the student's home shows the acompte paid and the balance due by 1 February."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from parcours.admissions import banking
from tests.web.bank_samples import camt053, coda
from tests.web.conftest import CHROMIUM, log_in
from tests.web.test_browser_registration import accept_documents, apply_and_upload

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no chromium")]


def upload_statement(page, live_server, name, content):
    page.goto(f"{live_server.url}/admissions/import/")
    page.get_by_label("Extrait bancaire").set_input_files(files=[{"name": name, "mimeType": "application/octet-stream",
                                                                  "buffer": content}])
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url("**/travaux/*/")  # the import runs on the worker; its starter follows it on the job's page
    call_command("worker", "--batch", "--interval=0")
    page.reload()


@pytest.mark.article("24", "47", "48", "49")
def test_from_request_to_paid_with_a_bank_statement(transactional_db, world, applicant, live_server, browser_page,
                                                    settings):
    settings.PARCOURS_TODAY = "2023-09-20"
    page = browser_page
    request_url = apply_and_upload(page, live_server)
    log_in(page, live_server, "secretariat@test.helha.be")
    accept_documents(page, request_url)
    page.goto(request_url)
    page.get_by_label("Inscrire régulièrement").check()
    page.get_by_role("button", name="Voir les conséquences et la lettre").click()
    expect(page.get_by_text("Conséquences")).to_be_visible()
    page.get_by_role("button", name="Confirmer et notifier l'étudiant").click()
    expect(page.get_by_text("Statut : Inscription régulière")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    settings.PARCOURS_TODAY = "2023-10-03"
    log_in(page, live_server, "candidate@test.helha.be")
    page.get_by_role("link", name="Payer : IBAN, communication structurée et code QR").click()
    communication = page.get_by_test_id("communication").inner_text()
    assert banking.ogm_digits(communication)  # +++ddd/dddd/ddddd+++ with valid check digits
    expect(page.get_by_test_id("epc-qr")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})  # a phone: nothing wider than the screen
    for url in (page.url, f"{live_server.url}/", request_url, f"{live_server.url}/notifications/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    expect(page.get_by_role("link", name="Demander une inscription")).not_to_be_visible()  # the header folds
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("link", name="Demander une inscription")).to_be_visible()
    page.goto(f"{live_server.url}/droits/")
    page.screenshot(path=os.environ.get("PARCOURS_SCREENSHOT", "/tmp/parcours-fees-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Se déconnecter").click()

    digits = communication.strip("+").replace("/", "")
    log_in(page, live_server, "secretariat@test.helha.be")
    upload_statement(page, live_server, "extrait.cod", coda([{"ref": "1003230001ABCDEFGHIJ", "cents": 5000,
                                                              "ogm": digits}]))
    expect(page.get_by_text("1 paiement rapproché")).to_be_visible()
    upload_statement(page, live_server, "camt053.xml", camt053([{"ref": "CAMT-2023-10-03-7", "amount": "100.00",
                                                                 "ogm": digits}]))
    expect(page.get_by_text("1 paiement rapproché")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, "candidate@test.helha.be")
    summary = page.get_by_test_id("fees-summary")
    assert "✓ payé" in summary.inner_text()
    assert page.get_by_test_id("paid").inner_text() == "150,00 €"
    assert "1er février 2024" in page.get_by_test_id("next").inner_text()
    things_to_do = page.locator("table[aria-describedby=echeances]").inner_text()
    assert "Paiement de l'acompte" not in things_to_do and "Paiement du solde" in things_to_do
    page.goto("about:blank")  # no request left in flight on the live server when the test database goes
