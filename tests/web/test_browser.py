"""A real browser (Playwright driving Debian's /usr/bin/chromium) walks the home pages."""

import os

import pytest
from playwright.sync_api import expect

from tests.web.conftest import CHROMIUM, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)"),
]


def test_student_and_secretary_walk_their_home_pages(transactional_db, world, live_server, browser_page, settings):
    settings.PARCOURS_TODAY = "2023-10-16"
    page = browser_page
    log_in(page, live_server, "etudiant@test.helha.be")
    expect(page.get_by_role("heading", name="Bonjour Léa")).to_be_visible()
    expect(page.get_by_role("heading", name="Mes échéances")).to_be_visible()
    expect(page.get_by_text("Paiement de l'acompte de 50 €").first).to_be_visible()
    page.get_by_role("link", name="Inscription 2023-2024").click()
    page.get_by_label("Déposer : Copie de la carte d'identité").set_input_files(
        files=[{"name": "carte.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("déposé : il sera vérifié")).to_be_visible()
    page.screenshot(path=str(settings.PRIVATE_MEDIA_ROOT.parent / "etudiant.png"))
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, "secretariat@test.helha.be")
    expect(page.get_by_role("heading", name="Files de travail")).to_be_visible()
    expect(page.get_by_role("heading", name="Documents à vérifier")).to_be_visible()
    page.get_by_role("link", name="Inscription 2023-2024").first.click()
    page.get_by_label("Refuser").check()
    page.get_by_label("Motif du refus (communiqué à l'étudiant)").fill("Le verso manque.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le verso manque.")).to_be_visible()
    expect(page.get_by_text("Refusé", exact=True)).to_be_visible()


def test_the_student_reads_their_deadlines_on_a_phone(transactional_db, world, live_server, browser_page, settings):
    """At 375 px the deadlines table stacks: every row, Article included, inside the screen, no sideways scroll."""
    settings.PARCOURS_TODAY = "2023-10-16"
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    try:
        log_in(page, live_server, "etudiant@test.helha.be")
        table = page.locator("table[aria-describedby=echeances]")
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth")  # nothing hidden to the right
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        article = table.locator("td[data-label=Article]").first
        box = article.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and article.is_visible()
        assert article.inner_text().startswith("Art.")
        label = article.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Article : "'  # each cell named, the header row being hidden
        table.screenshot(path=os.environ.get("PARCOURS_SCREENSHOT", "/tmp/parcours-deadlines-375.png"))
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})
