"""The French labels Parcours itself writes into dossiers and document slots (titles, slot labels), listed so that
makemessages extracts them: they are stored in French and shown in the reader's language by
``parcours.web.i18n.label_text`` (``{{ slot.label|label_text }}``). The labels of the registration documents
(``regulation.registration.DOCUMENT_LABELS``) and of the mobility candidature (the year's ``mobility.yaml``) are in
the regulation's catalogue already. Keep each entry identical to the text written where the label is made."""

from django.utils.translation import gettext_noop

LABELS = (
    # Dossier titles: "Inscription 2023-2024 — <programme>" (admissions.services, web.demo_data) and
    # "Candidature mobilité 2024-2025" (exchanges.services); the programme's official name stays French.
    gettext_noop("Inscription %(year)s"),
    gettext_noop("Candidature mobilité %(year)s"),
    # admissions.services.file_request
    gettext_noop("Preuve de l'inscription régulière dans le département ou l'établissement quitté"),
    gettext_noop("Formulaire de demande de réorientation (changement d'établissement)"),
    gettext_noop("Lettre de motivation (art. 36) : le cursus visé, votre parcours, les raisons des échecs précédents et "
                 "pourquoi la HELHa peut accepter votre inscription"),
    # exchanges.services.apply, exchanges.files (FILE_DOCUMENTS, open_file, verify_document)
    gettext_noop("Bulletin de bloc 2 (disponible)"),
    gettext_noop("Attestation d'assurance responsabilité civile pour le séjour"),
    gettext_noop("Attestation de séjour signée par l'établissement d'accueil (dates d'arrivée et de départ)"),
    gettext_noop("Relevé de notes ou certificat de stage de l'établissement d'accueil"),
    gettext_noop("Certificat de stage de l'organisme d'accueil"),
    gettext_noop("départ à attester"),
    # web.demo_data.REGISTRATION_DOCS (the demo's own wording)
    gettext_noop("Copie recto verso de la carte d'identité"),
    gettext_noop("Photo récente format carte d'identité"),
    gettext_noop("Copie du titre d'accès aux études"),
    gettext_noop("Justificatifs des années depuis le secondaire"),
)
