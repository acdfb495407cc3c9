"""The admission request's statuses and explicit transitions (RGE Titre IV, ch. 3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    SUBMITTED = "introduite", _("Demande introduite (documents attendus)")
    FINAL = "finale", _("Demande finale d'inscription (dossier complet)")
    IRRECEVABLE = "irrecevable", _("Irrecevable")
    REFUSED = "refusee", _("Inscription refusée")
    REGULAR = "reguliere", _("Inscription régulière")
    CANCELLED = "annulee", _("Annulée")
    ABANDONED = "abandon", _("Abandon")


TRANSITIONS: dict[tuple[str, str], str] = {
    (RequestStatus.SUBMITTED, RequestStatus.FINAL): "art. 26 : dossier complet",
    (RequestStatus.SUBMITTED, RequestStatus.IRRECEVABLE): "art. 39",
    (RequestStatus.FINAL, RequestStatus.IRRECEVABLE): "art. 39",
    (RequestStatus.FINAL, RequestStatus.REFUSED): "art. 40",
    (RequestStatus.FINAL, RequestStatus.REGULAR): "art. 28",
    (RequestStatus.REGULAR, RequestStatus.CANCELLED): "art. 48, 58",
    (RequestStatus.REGULAR, RequestStatus.ABANDONED): "art. 59",
}


def allowed(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposee", _("Proposé par la commission")
    VALIDATED = "validee", _("Validé par l'étudiant")
    WITHDRAWN = "retiree", _("Remplacé")
