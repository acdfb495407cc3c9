"""A real browser: a student who forgot their password gets a link by e-mail and chooses a new one."""

import os
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.web.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)"),
]

NEW_PASSWORD = "Un-nouveau-mot-de-passe-7"


def test_password_reset_by_email(transactional_db, world, live_server, browser_page, settings):
    settings.PARCOURS_SITE_URL = ""  # the link points at the live server the browser asked
    page = browser_page
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Adresse e-mail").fill("Etudiant@test.helha.be")
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.get_by_role("heading", name="Lien envoyé")).to_be_visible()
    (message,) = mail.outbox
    assert message.to == ["etudiant@test.helha.be"] and "nouveau mot de passe" in message.subject
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(link)
    page.get_by_label("Nouveau mot de passe :", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Mot de passe enregistré")).to_be_visible()
    page.screenshot(path=str(settings.PRIVATE_MEDIA_ROOT.parent / "reset.png"))
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse e-mail").fill("etudiant@test.helha.be")
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Bonjour Léa")).to_be_visible()
    page.goto(link)  # the link serves once
    expect(page.get_by_text("Ce lien n'est plus valable")).to_be_visible()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(transactional_db, world, live_server, browser_page,
                                                            settings):
    from tests.web.conftest import log_in

    page = browser_page
    log_in(page, live_server, "etudiant@test.helha.be")
    page.goto(f"{live_server.url}/dossiers/{world.dossier.pk}/")
    field = page.get_by_label("Déposer : Copie de la carte d'identité")
    field.set_input_files(files=[{"name": "scan.pdf", "mimeType": "application/pdf",
                                  "buffer": b"%PDF-1.4\n" + b"0" * settings.UPLOAD_MAX_BYTES}])
    assert "dépasse 10 Mo" in field.evaluate("input => input.validationMessage")
    field.set_input_files(files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
    assert field.evaluate("input => input.validationMessage") == ""
