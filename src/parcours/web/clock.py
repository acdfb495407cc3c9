"""The one 'today' of Parcours: settings.PARCOURS_TODAY when set (demo of a past year), else the real date.

``now()`` is the matching timestamp (the demo date at the current time of day), and ``parse_day`` /
``check_day`` refuse a date outside the sane window around the current academic year."""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    fixed = getattr(settings, "PARCOURS_TODAY", "")
    return dt.date.fromisoformat(fixed) if fixed else timezone.localdate()


def now() -> dt.datetime:
    """The current instant on the same clock as ``today()``: a demo on a past date stamps that date."""
    real = timezone.now()
    fixed = getattr(settings, "PARCOURS_TODAY", "")
    if not fixed:
        return real
    local = timezone.localtime(real)
    return local + (dt.date.fromisoformat(fixed) - local.date())


class DateRefused(ValueError):
    """A date badly typed or outside the work of this academic year; the message says which and the range."""


def date_window() -> tuple[dt.date, dt.date]:
    """From 1 January of the year before the academic year starts to 31 December of the year after it ends:
    wide enough for late documents, appeals and next year's mobility, narrow enough to catch a typing error."""
    from parcours.regulation.params import load_year

    year = load_year(settings.ACADEMIC_YEAR).calendar.academic_year
    return dt.date(year.start.year - 1, 1, 1), dt.date(year.end.year + 1, 12, 31)


def check_day(day: dt.date, label: str = "La date") -> dt.date:
    first, last = date_window()
    if not first <= day <= last:
        raise DateRefused(f"{label} doit se situer entre le {first:%d/%m/%Y} et le {last:%d/%m/%Y}.")
    return day


def parse_day(text: str | None, label: str = "La date") -> dt.date:
    """A date typed as AAAA-MM-JJ inside the window; ValueError with a French message otherwise."""
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise DateRefused(f"{label} est invalide : indiquez-la au format AAAA-MM-JJ.") from None
    return check_day(day, label)


def install() -> None:
    """Every timestamp Parcours writes follows ``now()``: the automatic ones (auto_now / auto_now_add, read by
    Django at save time) and the row history's (django-simple-history reads ``_history_date``). Without
    PARCOURS_TODAY ``now()`` is the real instant and nothing changes; with it, an upload made during the demo
    of 16 October 2023 says 16 October 2023, like the deadlines beside it. No schema change: the fields keep
    their declaration, only the value they take at save time follows the one clock."""
    from django.db.models import DateTimeField
    from django.db.models.signals import pre_save

    if getattr(DateTimeField, "_parcours_clock", False):
        return
    original = DateTimeField.pre_save

    def ours(model) -> bool:  # not django-axes' attempts nor sessions: their expiry runs on the real clock
        return model.__module__.startswith("parcours.")

    def pre_save_on_clock(field, model_instance, add):
        if (field.auto_now or (field.auto_now_add and add)) and ours(type(model_instance)):
            value = now()
            setattr(model_instance, field.attname, value)
            return value
        return original(field, model_instance, add)

    DateTimeField.pre_save = pre_save_on_clock
    DateTimeField._parcours_clock = True

    def history_on_clock(sender, instance, **kwargs):
        if ours(sender) and hasattr(sender, "history") and not hasattr(instance, "_history_date"):
            instance._history_date = now()

    pre_save.connect(history_on_clock, weak=False, dispatch_uid="parcours.clock.history")
