"""Statuses and the explicit transitions of dossiers and document slots."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    OPEN = "ouvert", _("Ouvert")
    COMPLETE = "complet", _("Complet")
    CLOSED = "clos", _("Clos")


class SlotStatus(models.TextChoices):
    REQUESTED = "demande", _("Demandé")
    RECEIVED = "recu", _("Reçu, en vérification")
    ACCEPTED = "accepte", _("Accepté")
    REFUSED = "refuse", _("Refusé")


# (from, to) → who may do it: "owner" is the student or a secretariat uploading for them,
# "reviewer" is staff allowed to accept or refuse.
SLOT_TRANSITIONS: dict[tuple[str, str], str] = {
    (SlotStatus.REQUESTED, SlotStatus.RECEIVED): "owner",
    (SlotStatus.REFUSED, SlotStatus.RECEIVED): "owner",
    (SlotStatus.RECEIVED, SlotStatus.RECEIVED): "owner",  # replace a document not yet reviewed
    (SlotStatus.RECEIVED, SlotStatus.ACCEPTED): "reviewer",
    (SlotStatus.RECEIVED, SlotStatus.REFUSED): "reviewer",
}


def slot_transition_allowed(current: str, target: str) -> str | None:
    """Who may move a slot from ``current`` to ``target``, or None when the move does not exist."""
    return SLOT_TRANSITIONS.get((current, target))
