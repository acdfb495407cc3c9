"""The one 'today' of Parcours: settings.PARCOURS_TODAY when set (demo of a past year), else the real date."""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    fixed = getattr(settings, "PARCOURS_TODAY", "")
    return dt.date.fromisoformat(fixed) if fixed else timezone.localdate()
