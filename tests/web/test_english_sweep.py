"""Issue 11: every screen string in French and English. The demo, read in English by its main roles, shows in
English what it used to show in French (document slot labels and dossier titles kept in the data, the RI home's
waits, the grant contract's conditions, the mobility report's questions, mobility kinds); in French the same pages
are unchanged. Specific strings, not a snapshot."""

import html

import pytest
from django.test import Client

from parcours.accounts.models import User
from parcours.admissions.models import AdmissionRequest
from parcours.dossiers.models import Dossier
from parcours.exchanges.models import MobilityFile
from parcours.web.demo_data import DOMAIN, ensure_demo

# (English, French) pairs: the French is what the page said before, and still says in French.
STUDENT_HOME = [("Registration 2023-2024", "Inscription 2023-2024"),
                ("Mobility candidature 2024-2025", "Candidature mobilité 2024-2025")]
REGISTRATION_DOSSIER = [("Two-sided copy of the identity card", "Copie recto verso de la carte d'identité"),
                        ("Recent identity-card-size photo", "Photo récente format carte d'identité")]
REQUEST_PAGE = [("Two-sided copy of the identity card —", "Copie recto verso de la carte d'identité —")]
RI_HOME = [("learning agreement being prepared", "convention en préparation"),
           ("grant contract to issue from 16/08/2024", "contrat de bourse à émettre dès le 16/08/2024"),
           ("document to check: Traineeship certificate from the host organisation",
            "document à vérifier : Certificat de stage de l'organisme d'accueil"),
           ("recognition of credits", "reconnaissance des crédits")]
MOBILITY_FILE = [("the bank account (IBAN)", "le compte bancaire (IBAN)"),
                 ("Civil liability insurance certificate for the stay",
                  "Attestation d'assurance responsabilité civile pour le séjour"),
                 ("Erasmus+ studies (SMS)", "Erasmus+ études (SMS)")]
CLOSED_FILE = [("How were you welcomed by the host institution?",
                "Comment avez-vous été accueilli(e) par l'établissement d'accueil ?")]


def _page(email: str, url: str, language: str) -> str:
    client = Client()
    user = User.objects.get(email=f"{email}@{DOMAIN}")
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (email, url, response.status_code)
    return html.unescape(response.content.decode())


def _check(email: str, url: str, pairs: list[tuple[str, str]]) -> None:
    english, french = _page(email, url, "en"), _page(email, url, "fr")
    for en, fr in pairs:
        assert en in english and fr not in english, (email, url, en)
        assert fr in french and en not in french, (email, url, fr)


@pytest.mark.article("24", "214")
def test_the_demo_in_english_for_its_main_roles(db):
    ensure_demo()
    student = f"etudiant@{DOMAIN}"
    registration = Dossier.objects.get(student__user__email=student, kind=Dossier.Kind.REGISTRATION)
    _check("etudiant", "/", STUDENT_HOME)
    _check("etudiant", f"/dossiers/{registration.pk}/", REGISTRATION_DOSSIER)
    request = AdmissionRequest.objects.filter(
        status="introduite", programme__name__contains="assistant", dossier__slots__code="identite",
        dossier__slots__status="refuse").first()
    _check("secretariat", f"/demandes/{request.pk}/", REQUEST_PAGE)
    _check("bureau.international", "/", RI_HOME)
    first = MobilityFile.objects.get(candidature__student__user__email=student)
    _check("bureau.international", f"/mobilite/dossiers/{first.pk}/", MOBILITY_FILE)
    closed = MobilityFile.objects.get(phase=MobilityFile.Phase.CLOSED)
    _check("bureau.international", f"/mobilite/dossiers/{closed.pk}/", CLOSED_FILE)


def test_the_other_main_pages_render_in_english(db):
    """Fees, the teacher's sheets and the jury pages: English headings, none of the French ones."""
    ensure_demo()
    for email, url, english, french in [
        ("etudiant", "/droits/", "My registration fees", "Mes droits d'inscription"),
        ("secretariat", "/", "Documents to check", "Documents à vérifier"),
        ("enseignant", "/evaluations/", "My score sheets", "Mes feuilles de notes"),
        ("president.jury", "/jurys/", "My juries", "Mes jurys"),
    ]:
        _check(email, url, [(english, french)])
