"""A real browser: the secretary deliberates, the president publishes, the student reads the result."""

import os

import pytest
from playwright.sync_api import expect

from parcours.jobs import services as jobs
from parcours.jobs.models import Job
from tests.web.conftest import CHROMIUM, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)"),
]


@pytest.mark.article("128")
@pytest.mark.article("134")
@pytest.mark.article("103")
def test_session_quorum_grant_close_pv_publish_and_student_result(transactional_db, jw, live_server, browser_page,
                                                                 settings):
    settings.PARCOURS_TODAY = "2024-06-28"
    page = browser_page
    shots = settings.PRIVATE_MEDIA_ROOT.parent
    log_in(page, live_server, "secretaire@test.helha.be")
    page.goto(f"{live_server.url}/jurys/")
    page.get_by_role("link", name="Jury Bachelier : assistant social (2023-2024)").click()
    page.get_by_label("Période d'évaluation").select_option("2")
    page.get_by_role("button", name="Préparer la séance").click()
    page.get_by_role("button", name="Ouvrir la séance").click()
    page.get_by_role("button", name="Enregistrer les présences").click()  # nobody ticked
    expect(page.get_by_text("Quorum non atteint", exact=False).first).to_be_visible()
    expect(page.get_by_text("Enseignants présents : 0 sur 6", exact=False).first).to_be_visible()
    for box in page.locator("input[name=present]").all():
        box.check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Quorum atteint", exact=False).first).to_be_visible()
    page.screenshot(path=str(shots / "grille.png"), full_page=True)

    page.get_by_role("link", name="Tom Test").click()
    page.locator("details", has_text="Octroyer les crédits").first.locator("summary").click()
    form = page.locator("details[open] form")
    form.get_by_label("Évolution pédagogique régulière et positive").check()
    form.get_by_label("Explication (art. 130 : décision motivée)").fill("Progrès constants depuis janvier.")
    form.get_by_role("button", name="Octroyer").click()
    expect(page.get_by_text("Crédits octroyés par le jury (art. 134).")).to_be_visible()
    expect(page.get_by_text("PP : pas d'octroi (art. 134)")).to_be_visible()
    page.screenshot(path=str(shots / "etudiant-jury.png"), full_page=True)
    page.get_by_role("link", name="Délibération — période 2").click()
    page.get_by_role("button", name="Clôturer la séance").click()
    # Closing runs on the task queue (issue 13 §5): its page, then the worker's run, then the result.
    expect(page.get_by_text("Clôture lancée", exact=False).first).to_be_visible()
    jobs.run_now(Job.objects.get(kind__endswith=".close").pk)
    page.reload()
    expect(page.get_by_text("Séance clôturée", exact=False).first).to_be_visible()
    page.get_by_role("link", name="Retour à la séance").click()
    pv = page.request.get(live_server.url + page.get_by_role("link", name="Procès-verbal (PDF)").get_attribute("href"))
    assert pv.headers["content-type"] == "application/pdf" and pv.body().startswith(b"%PDF")
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, "president@test.helha.be")
    page.goto(f"{live_server.url}/jurys/")
    page.get_by_role("link", name="Jury Bachelier : assistant social (2023-2024)").click()
    page.get_by_role("link", name="Période 2").click()
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_text("Résultats publiés : les étudiants en sont informés", exact=False)).to_be_visible()
    # Art. 136: the president records the day the diploma is handed over (the form proposes today).
    page.get_by_role("button", name="Enregistrer la délivrance (art. 136)").first.click()
    expect(page.get_by_text("Délivrance du diplôme enregistrée", exact=False)).to_be_visible()
    expect(page.get_by_text("délivré le 28 juin 2024", exact=False).first).to_be_visible()
    page.screenshot(path=str(shots / "diplome-delivre.png"), full_page=True)
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, "tom@test.helha.be")
    page.goto(f"{live_server.url}/mes-resultats/")
    expect(page.get_by_text("Crédits partiellement acquis", exact=False).first).to_be_visible()
    expect(page.get_by_text("octroyé par le jury (art. 134)")).to_be_visible()
    # Published on Friday 28 June 2024: 3 working days → Wednesday 3 July 2024 (art. 105, 176).
    expect(page.get_by_text("au plus tard le 03/07/2024").first).to_be_visible()
    page.screenshot(path=str(shots / "resultats.png"), full_page=True)
    releve = page.request.get(live_server.url + page.get_by_role("link", name="Relevé de notes (PDF)").get_attribute("href"))
    assert releve.body().startswith(b"%PDF")
    # A phone (375 px): the page no wider than the screen, each UE's "Acquis" on screen (the table stacks).
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    granted = page.get_by_text("octroyé par le jury (art. 134)")
    granted.scroll_into_view_if_needed()
    box = granted.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
