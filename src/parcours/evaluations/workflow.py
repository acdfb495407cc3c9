"""Statuses and transitions of score sheets and absences (RGE art. 91, 100)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetStatus(models.TextChoices):
    OPEN = "ouverte", _("En encodage")
    SUBMITTED = "soumise", _("Soumise (verrouillée)")


SHEET_TRANSITIONS = {(SheetStatus.OPEN, SheetStatus.SUBMITTED)}


class AbsenceStatus(models.TextChoices):
    DECLARED = "declaree", _("Déclarée, justificatif attendu")
    PROOF = "justificatif", _("Justificatif reçu")
    REFERRED = "president", _("Transmise au président du jury")
    ACCEPTED_CM = "cm", _("Acceptée : certificat médical (CM)")
    ACCEPTED_ML = "ml", _("Acceptée : motif légitime (ML)")
    REFUSED = "refusee", _("Refusée : non justifiée (PP)")


ABSENCE_TRANSITIONS = {
    (AbsenceStatus.DECLARED, AbsenceStatus.PROOF),
    (AbsenceStatus.DECLARED, AbsenceStatus.REFUSED),
    (AbsenceStatus.PROOF, AbsenceStatus.ACCEPTED_CM),
    (AbsenceStatus.PROOF, AbsenceStatus.REFERRED),
    (AbsenceStatus.PROOF, AbsenceStatus.REFUSED),
    (AbsenceStatus.REFERRED, AbsenceStatus.ACCEPTED_ML),
    (AbsenceStatus.REFERRED, AbsenceStatus.REFUSED),
}
# The code an absence decision writes on the sheet (art. 91, 100).
ABSENCE_CODE = {AbsenceStatus.ACCEPTED_CM: "CM", AbsenceStatus.ACCEPTED_ML: "ML", AbsenceStatus.REFUSED: "PP"}


def check(transitions, current: str, target: str) -> bool:
    return (current, target) in transitions
