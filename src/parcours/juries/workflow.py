"""The deliberation session's statuses and explicit transitions (art. 128-136)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    PREPARED = "preparee", _("Préparée")
    OPEN = "ouverte", _("Ouverte")
    CLOSED = "cloturee", _("Clôturée")


TRANSITIONS: dict[tuple[str, str], str] = {
    (SessionStatus.PREPARED, SessionStatus.OPEN): "art. 128 : le secrétaire ouvre la séance",
    (SessionStatus.OPEN, SessionStatus.CLOSED): "art. 130 : décisions arrêtées",
    (SessionStatus.CLOSED, SessionStatus.OPEN): "réouverture par le président, motivée",
}


def allowed(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS
