"""The one 'today' of Parcours: settings.PARCOURS_TODAY when set (demo of a past year), else the real date."""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    fixed = getattr(settings, "PARCOURS_TODAY", "")
    return dt.date.fromisoformat(fixed) if fixed else timezone.localdate()


def now() -> dt.datetime:
    """The current moment on the day of ``today()``: the real time of day, on the demo date when one is set."""
    moment = timezone.localtime()
    fixed = getattr(settings, "PARCOURS_TODAY", "")
    return moment.replace(**dict(zip(("year", "month", "day"), today().timetuple()[:3], strict=True))) if fixed else moment
