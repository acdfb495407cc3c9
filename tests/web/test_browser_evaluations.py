"""A real browser: a teacher encodes part of a sheet by keyboard and the rest by XLSX import (fixing a bad
line) and submits; a student declares an absence and uploads a certificate; the secretariat accepts it and
CM appears on the sheet (art. 91, 100)."""

import datetime as dt
import os
from io import BytesIO

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from parcours.accounts.models import Role
from parcours.evaluations.models import ActivityNote, DepartmentPeriod, Evaluation, ScoreSheet
from parcours.students.models import PaeEntry
from tests.factories import RegistrationFactory, StudentFactory, UserFactory
from tests.web.conftest import CHROMIUM, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)"),
]


def xlsx(rows) -> bytes:
    wb = Workbook()
    wb.active.append(["Matricule", "Nom", "Prénom", "Note"])
    for r in rows:
        wb.active.append(r)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.article("91")
@pytest.mark.article("100")
def test_teacher_encodes_and_imports_student_declares_absence_secretariat_accepts(
        transactional_db, world, ev, live_server, browser_page, settings):
    third = StudentFactory(user=UserFactory(email="trois@test.helha.be", first_name="Zoé", last_name="Zeller"))
    PaeEntry.objects.create(registration=RegistrationFactory(student=third, programme=world.programme), ue=ev.ue)
    from parcours.evaluations import services
    services.build_sheets(period=ev.p1)
    Evaluation.objects.create(activity=ev.a1, period=ev.p1, date=dt.date(2024, 1, 15),
                              start_time=dt.time(9), place="A101")
    DepartmentPeriod.objects.filter(period=ev.p1).update(timetable_published_on=dt.date(2023, 12, 1))
    page = browser_page
    sheet_url = f"{live_server.url}/evaluations/feuilles/{ev.sheet1.pk}/"

    # the student declares an absence and uploads the certificate
    log_in(page, live_server, "etudiant@test.helha.be")
    page.goto(f"{live_server.url}/evaluations/")
    page.get_by_role("button", name="Déclarer une absence").click()
    page.get_by_label("Déposer le justificatif (PDF, JPEG ou PNG)").set_input_files(
        files=[{"name": "certificat.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Justificatif reçu", exact=True)).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    # the secretariat accepts the medical certificate: CM on the sheet
    log_in(page, live_server, world.users[Role.SECRETARIAT.value].email)
    page.goto(f"{live_server.url}/evaluations/absences/")
    page.get_by_role("link", name="AS101-1 — 15/01/2024").click()
    page.get_by_role("button", name="Accepter le certificat médical (CM)").click()
    assert page.locator("#absence-status").inner_text().startswith("Acceptée : certificat médical")
    page.get_by_role("button", name="Se déconnecter").click()

    # the teacher types one note with the keyboard, imports the rest, fixes a bad line, submits
    log_in(page, live_server, ev.teacher.email)
    page.goto(sheet_url)
    cm = page.get_by_label("Note de Léa Dupont")
    assert cm.input_value() == "CM" and cm.is_disabled()
    first = page.get_by_label("Note de Lucas Peeters")
    first.fill("12,5")
    first.press("Enter")
    page.wait_for_selector(f"#state-{world.other_student.pk}.ok")
    assert ActivityNote.objects.get(sheet=ev.sheet1, student=world.other_student).note == 12.5
    # a refused value is not counted as encoded: Submit is not offered, even after another cell saves
    bad = page.locator(f"input[name=note_{third.pk}]")
    bad.fill("abc")
    bad.press("Enter")
    page.wait_for_selector(f"#state-{third.pk}.bad")
    first.fill("12")
    first.press("Enter")
    page.wait_for_selector(f"#state-{world.other_student.pk}.ok")
    assert "Des cases en rouge ne sont pas enregistrées" in page.locator("#save-status").inner_text()
    expect(page.get_by_role("button", name="Soumettre la feuille")).not_to_be_visible()
    page.get_by_label("Importer un fichier XLSX (tout ou rien)").set_input_files(files=[{
        "name": "notes.xlsx", "mimeType": "application/octet-stream",
        "buffer": xlsx([[third.matricule, "", "", "23"]])}])
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("heading", name="Rapport d'import")).to_be_visible()
    expect(page.get_by_text("Une note s'exprime entre 0 et 20")).to_be_visible()
    page.get_by_label("Importer un fichier XLSX (tout ou rien)").set_input_files(files=[{
        "name": "notes.xlsx", "mimeType": "application/octet-stream",
        "buffer": xlsx([[third.matricule, "", "", "13"]])}])
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("Import réussi : 1 note(s) enregistrée(s).")).to_be_visible()
    page.get_by_role("button", name="Soumettre la feuille").click()
    expect(page.get_by_text("Feuille soumise : elle est verrouillée.")).to_be_visible()
    page.screenshot(path=str(settings.PRIVATE_MEDIA_ROOT.parent / "feuille.png"), full_page=True)
    assert ScoreSheet.objects.get(pk=ev.sheet1.pk).is_locked
