"""The one long-date filter: `{{ d|long_date }}` ("1er février 2024", "2 février 2024"; "1 February 2024" in
English), `{{ d|long_date:"l j F Y H:i" }}` for another Django date format. French writes the first day of a
month as an ordinal, "1er" (as regulation.explain.fr_date does for the rules' texts); Django's `date` filter
does not. Registered as a template builtin, so screens, letters and e-mails use it without {% load %}."""

import datetime as dt

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def long_date(value, arg="j F Y"):
    if not isinstance(value, dt.date):
        return date_filter(value, arg)
    if value.day == 1 and translation.get_language() == "fr":
        arg = arg.replace("j", r"1\e\r", 1)  # 1er: e and r are format characters, escaped
    return date_filter(value, arg)
