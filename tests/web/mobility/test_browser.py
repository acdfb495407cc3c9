"""The outgoing-mobility procedure in a real browser, each actor doing their own part: the HERS coordinator scores,
the committee decides, the managing institution's coordinator opens the dossier, the student uploads the host-signed
attestation de séjour that the coordinator verifies, the host transcript is uploaded and the recognition shows the
host grades. Steps no one needs to see in a browser are prepared through the services, to keep the test fast."""

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from parcours.exchanges import agreements, files, services
from parcours.exchanges.models import HostCourse
from tests.factories import UEFactory
from tests.web.conftest import CHROMIUM, log_in
from tests.web.mobility.conftest import candidature, upload_all

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no chromium")]
PDF = {"name": "attestation.pdf", "mimeType": "application/pdf",
       "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}
ATTESTATION = "Attestation de séjour signée par l'établissement d'accueil (dates d'arrivée et de départ)"
TRANSCRIPT = "Relevé de notes ou certificat de stage de l'établissement d'accueil"


def click(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def upload(page, live_server, dossier_pk, label):
    page.goto(f"{live_server.url}/dossiers/{dossier_pk}/")
    field = page.get_by_label(f"Déposer : {label}")
    field.set_input_files(files=[PDF])
    field.locator("xpath=..").get_by_role("button", name="Envoyer").click()
    page.wait_for_load_state()


def test_the_partner_coordinators_run_the_procedure(transactional_db, world, mobility, live_server, browser_page,
                                                     settings):
    page, student = browser_page, world.student.user
    hers = mobility["coordinators"]["HERS"]
    c = candidature(world, mobility)
    c.wants_grant = False
    c.save()
    upload_all(world, c)
    services.submit(actor=student, candidature_id=c.pk, letter_signed=True, on=dt.date(2024, 1, 10))
    url = f"{live_server.url}/mobilite/candidatures/{c.pk}/"

    log_in(page, live_server, hers.email)  # HERS's coordinator sits on the committee of point 1.3
    page.goto(url)
    page.get_by_label("Note /20").fill("15,5")
    page.get_by_label("Commentaire").fill("Projet mûri, stage cohérent.")
    click(page, "Enregistrer l'évaluation")
    expect(page.get_by_text("Évaluation enregistrée.")).to_be_visible()
    click(page, "Se déconnecter")

    log_in(page, live_server, world.users["comite_mobilite"].email)
    page.goto(url)
    expect(page.get_by_role("cell", name="15,5")).to_be_visible()
    page.get_by_label("retenue", exact=True).check()
    page.get_by_label("Cohérence du projet avec la formation").check()
    page.get_by_label("Destination retenue").select_option(label="Universidade do Porto")
    page.get_by_label("Établissement gestionnaire").select_option(label="HERS")
    page.get_by_label("Motif communiqué à l'étudiant").fill("Projet cohérent avec le stage de bloc 3.")
    click(page, "Enregistrer la décision")
    expect(page.get_by_text("Retenue pour Universidade do Porto")).to_be_visible()
    assert page.get_by_role("button", name="Ouvrir le dossier de mobilité").count() == 0  # not the committee's part
    click(page, "Se déconnecter")

    services.authorise(actor=world.users["direction_departement"], candidature_id=c.pk, authorised=True)  # art. 214
    log_in(page, live_server, hers.email)  # the managing institution's coordinator opens the dossier
    page.goto(url)
    page.get_by_label("Début").fill("2024-09-16")
    page.get_by_label("Fin").fill("2025-01-31")
    click(page, "Ouvrir le dossier de mobilité")
    file_url = page.url
    expect(page.get_by_text("dossier entièrement géré dans Parcours")).to_be_visible()
    click(page, "Se déconnecter")

    f = c.__class__.objects.get(pk=c.pk).mobility_file
    home = UEFactory(programme=world.programme, code="AS201", title="Méthodologie du travail social", credits=30, bloc=2)
    course = HostCourse.objects.create(host=mobility["porto"].host, code="PT-SS1", title="Serviço social", ects=30)
    la = agreements.propose_agreement(actor=student, file_id=f.pk, home_ue_ids=[home.pk], host_course_ids=[course.pk])
    agreements.send_for_signature(actor=student, agreement_id=la.pk)
    agreements.sign_agreement(actor=student, agreement_id=la.pk, party="student")
    agreements.sign_agreement(actor=hers, agreement_id=la.pk, party="sending")
    agreements.sign_agreement(actor=hers, agreement_id=la.pk, party="receiving", signer="Ana Silva")

    settings.PARCOURS_TODAY = "2025-02-03"  # back from Porto
    log_in(page, live_server, student.email)
    upload(page, live_server, c.dossier_id, ATTESTATION)
    click(page, "Se déconnecter")
    log_in(page, live_server, hers.email)
    page.goto(file_url)
    page.get_by_label("Arrivée attestée").fill("2024-09-16")
    page.get_by_label("Départ attesté (si l'attestation le porte)").fill("2025-01-31")
    click(page, "Vérifier")
    expect(page.get_by_text("Document vérifié.")).to_be_visible()
    expect(page.get_by_text("Après la mobilité", exact=True).first).to_be_visible()
    click(page, "Se déconnecter")

    log_in(page, live_server, student.email)
    upload(page, live_server, c.dossier_id, TRANSCRIPT)
    click(page, "Se déconnecter")
    log_in(page, live_server, hers.email)
    page.goto(file_url)
    click(page, "Vérifier")
    page.get_by_label("Note d’accueil PT-SS1").fill("14")
    page.get_by_label("Seuil de réussite PT-SS1").fill("9,5")
    click(page, "Reconnaître les crédits")
    expect(page.get_by_text("1 UE reconnue(s)")).to_be_visible()
    click(page, "Se déconnecter")

    log_in(page, live_server, student.email)  # the student sees the host grade and its conversion
    page.goto(file_url)
    expect(page.get_by_role("cell", name="14/20")).to_be_visible()
    expect(page.get_by_role("cell", name="14,3")).to_be_visible()
    assert files.MobilityFile.objects.get(pk=f.pk).recognised_on == dt.date(2025, 2, 3)
