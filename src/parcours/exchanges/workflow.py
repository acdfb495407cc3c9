"""Statuses and transitions of an outgoing-mobility candidature (seed 000, art. 214-219)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidatureStatus(models.TextChoices):
    DRAFT = "brouillon", _("En préparation")
    SUBMITTED = "soumise", _("Soumise")
    SELECTED = "retenue", _("Retenue")
    WAITLISTED = "attente", _("Sur liste d'attente")
    REFUSED = "refusee", _("Non retenue")


TRANSITIONS = {
    (CandidatureStatus.DRAFT, CandidatureStatus.SUBMITTED),
    (CandidatureStatus.SUBMITTED, CandidatureStatus.SELECTED),
    (CandidatureStatus.SUBMITTED, CandidatureStatus.WAITLISTED),
    (CandidatureStatus.SUBMITTED, CandidatureStatus.REFUSED),
    (CandidatureStatus.WAITLISTED, CandidatureStatus.SELECTED),
    (CandidatureStatus.WAITLISTED, CandidatureStatus.REFUSED),
}
