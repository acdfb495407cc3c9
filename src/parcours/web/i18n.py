"""The regulation's French texts in the reader's language.

The regulation layer writes its reasons and errors in French, as ``gettext_noop`` templates with params
(``regulation.explain.Text``); stored decisions keep ``template`` and ``params`` beside the French ``text``.
Here the template goes through Django's catalogue (``regulation/locale``) and the params are formatted for
the active language: dates and amounts the English way, params that are themselves texts (labels, nested
texts) translated too. French is the text as the rule wrote it, unchanged.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.utils.translation import get_language, gettext

from parcours.regulation.explain import Text, render

log = logging.getLogger(__name__)


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


def _translate(text: str) -> str:
    return gettext(text) if text else text  # gettext("") is the catalogue's header


def _render(template: str, params: dict[str, Any], french: str) -> str:
    try:
        return render(_translate(template), params, english=True, translate=_translate)
    except (KeyError, IndexError, ValueError):  # a catalogue entry that does not fit its template: French rather than a 500
        log.warning("Translation of %r does not fit its params", template)
        return french


def localized(text: Any) -> str:
    """A regulation text (a ``Text``, a ``gettext_noop`` string, an exception or a stored
    ``{"text", "template", "params"}`` dict) in the active language."""
    if isinstance(text, BaseException):
        text = text.args[0] if len(text.args) == 1 and isinstance(text.args[0], str) else str(text)
    if isinstance(text, dict):
        french = str(text.get("text", ""))
        if not _english():
            return french
        if "template" in text:
            return _render(text["template"], text.get("params") or {}, french)
        return _translate(french)
    if text is None:
        return ""
    if not _english():
        return str(text)
    if isinstance(text, Text):
        return _render(text.template, text.params, str(text))
    return _translate(str(text))


def reason_text(reason: Any) -> str:
    """The text of a reason (a ``Reason`` or its stored dict) in the active language."""
    return localized(reason if isinstance(reason, dict) else reason.text)


def reasons_sentence(reasons, *, articles: bool = True) -> str:
    """The reasons of a decision as one sentence for a message: "text (article) text (article)"."""
    return " ".join(f"{reason_text(r)} ({r['article'] if isinstance(r, dict) else r.article})" if articles
                    else reason_text(r) for r in reasons)


_YEAR = re.compile(r"(.+) (\d{4}-\d{4})")


def _label_part(part: str) -> str:
    translated = _translate(part)
    if translated != part:
        return translated
    lower = part[:1].lower() + part[1:]  # a label stored capitalised, its msgid in lower case (registration.DOCUMENT_LABELS)
    translated = _translate(lower) if lower != part else lower
    if translated != lower:
        return translated[:1].upper() + translated[1:]
    year = _YEAR.fullmatch(part)  # "Inscription 2023-2024": the msgid is "Inscription %(year)s"
    if year:
        template = f"{year[1]} %(year)s"
        translated = _translate(template)
        if translated != template:
            return translated % {"year": year[2]}
    return part


def label_text(label: str) -> str:
    """A French label kept in the data — a document slot's label, a dossier's title — in the active language.

    The labels are written once, in French, when the slot or dossier is made; their English is in the catalogues
    (the regulation's, or ``dossiers/labels.py`` for those written by the web layer). Each part of a label joined
    by " — " is translated on its own (a programme's official name stays French); a label without an English
    entry (typed by a person) is shown as it is. French: the label unchanged."""
    if not label or not _english():
        return label
    return " — ".join(_label_part(part) for part in str(label).split(" — "))
