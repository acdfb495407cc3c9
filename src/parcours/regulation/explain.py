"""Decision and Reason: what every rule returns.

A Decision carries the outcome and, in the order the rule applied them, the reasons with their
article. A student, a jury secretary and a judge should be able to read why.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_validator

# Technical bounds of what the rules can compute (not RGE thresholds): a date outside them overflows
# the calendar arithmetic, a number outside them is a typing error, never a real credit or amount.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
LARGEST_NUMBER = 10**9


class Text(str):
    """A French text made from a template and params: it is the French text (a ``str``), and keeps
    the template and params so the web layer can render it in English from the catalogue."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: dict[str, Any]) -> Text:
        key = _render_key(template, params)
        if key is None:
            text = render(template, params)
        else:
            text = _RENDERED.get(key)
            if text is None:
                if len(_RENDERED) > 65536:
                    _RENDERED.clear()
                text = _RENDERED[key] = render(template, params)
        self = super().__new__(cls, text)
        self.template, self.params = template, params
        return self

    def __reduce__(self):  # pickling and copying rebuild it from its template
        return (Text, (self.template, self.params))


# The French rendering of (template, params), shared: a jury grid makes the same few texts for thousands of students
# ("{total} crédits acquis sur {pae}"…). Only params whose equal values always print alike are keyed, each with its
# exact type (True and 1 differ); a Decimal by its text (10 and 10.0 are equal but print differently).
_RENDERED: dict[tuple, str] = {}
_PLAIN_PARAMS = frozenset({str, int, bool, type(None), dt.date})


def _render_key(template: str, params: Mapping[str, Any]) -> tuple | None:
    key: list = [template]
    for name, value in params.items():
        kind = value.__class__
        if kind is Decimal:
            value = str(value)
        elif kind is not Text and kind not in _PLAIN_PARAMS:
            return None
        key += (name, kind, value)
    return tuple(key)


def gettext_noop(template: str, /, **params: Any) -> str:
    """Marks a French text for the English catalogue (makemessages extracts ``gettext_noop("…")``).

    Without params the text is returned as it is; with params, ``template`` is a ``str.format``
    template (``{d:date}`` a date, ``{a:euros}`` an amount) and the result is a ``Text``. The
    regulation layer stays French and Django-free; ``parcours.web.i18n`` shows it in English.
    """
    return Text(template, params) if params else template


def joined(items: Iterable[str], separator: str) -> str:
    """``separator.join(items)`` that keeps each item translatable (a label, a ``Text``)."""
    params = {f"i{n}": item for n, item in enumerate(items)}
    template = separator.replace("{", "{{").replace("}", "}}").join("{" + k + "}" for k in params)
    return Text(template, params) if params else ""


class InputError(ValueError):
    """The facts cannot be read by the rules (unknown year, a date or a number out of bounds): bad input."""


class RuleError(ValueError):
    """No rule applies, two rules conflict, or the facts given are impossible.

    Rules raise instead of returning a silent default; the message is French and says why (a
    ``gettext_noop`` text, so a screen can show it in English).
    """


class Facts(BaseModel):
    """Base of every rule input: frozen, and unknown keys are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    # Pydantic runs a nested model's "after" validators again each time it is placed in a parent: facts shared by
    # thousands of students (a jury's UE results) are checked once, then marked (they are frozen).
    _bounds_checked: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _within_bounds(self):
        private = self.__pydantic_private__  # read directly: BaseModel.__getattr__ is slow on a hot path
        if private is not None and private.get("_bounds_checked"):
            return self
        # The fields as ``for name, value in self`` gives them (BaseModel.__iter__), without its generator.
        for name, value in self.__dict__.items():
            if value.__class__ not in _NO_BOUNDS and not name.startswith("_"):
                _check_bounds(name, value)
        for name, value in (self.__pydantic_extra__ or {}).items():
            _check_bounds(name, value)
        self._bounds_checked = True
        return self


# What _check_bounds never refuses, by exact type: skipped before any isinstance test (a UE's code, a flag…).
_NO_BOUNDS = frozenset({str, bool, type(None)})


def _check_bounds(name: str, value: Any) -> None:
    kind = value.__class__
    if kind in _NO_BOUNDS:
        return
    if kind is int or kind is Decimal or kind is float:  # credits, notes, weights: no type test before the number's
        _check_number(name, value)
        return
    if isinstance(value, Facts):
        return  # checked when it was built (its own validator), and frozen since
    if isinstance(value, BaseModel):
        for sub, v in value:
            _check_bounds(f"{name}.{sub}", v)
    elif isinstance(value, list | tuple | set | frozenset):
        for i, v in enumerate(value):
            if v.__class__ not in _NO_BOUNDS:
                _check_bounds(f"{name}.{i}", v)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_bounds(f"{name}.{k}", v)
    elif isinstance(value, dt.date):
        if not FIRST_DAY <= (value.date() if isinstance(value, dt.datetime) else value) <= LAST_DAY:
            raise ValueError(f"{name} : date hors limites (du {FIRST_DAY:%d/%m/%Y} au {LAST_DAY:%d/%m/%Y})")
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        _check_number(name, value)


def _check_number(name: str, value: int | float | Decimal) -> None:
    if isinstance(value, float | Decimal) and not (value == value and abs(value) != float("inf")):
        raise ValueError(f"{name} : nombre fini attendu")
    if abs(value) > LARGEST_NUMBER:
        raise ValueError(f"{name} : nombre hors limites (au plus {LARGEST_NUMBER:_} en valeur absolue)".replace("_", " "))


@dataclass(frozen=True)
class Reason:
    """One step of a rule: its article and its French text (a ``Text`` when made with params)."""

    article: str
    text: str

    def to_dict(self, templates: bool = True) -> dict[str, Any]:
        """What is stored: the French text, and its template and params so it can be shown in English later.
        ``templates=False`` gives the article and the text only (the CLI, the API, docs/rules.md)."""
        out: dict[str, Any] = {"article": self.article, "text": str(self.text)}
        if templates and isinstance(self.text, Text):
            out["template"], out["params"] = self.text.template, _params_json(self.text.params)
        return out


_JSON_AS_IS = frozenset({str, int, bool, type(None)})  # to_jsonable returns these unchanged


def _params_json(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in params.items():
        kind = v.__class__
        if kind in _JSON_AS_IS:
            out[k] = v
        elif isinstance(v, Text):
            out[k] = {"template": v.template, "params": _params_json(v.params)}
        else:
            out[k] = to_jsonable(v)
    return out


@dataclass(frozen=True)
class Decision:
    outcome: Any
    reasons: tuple[Reason, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def articles(self) -> list[str]:
        return [r.article for r in self.reasons]

    def to_dict(self, templates: bool = True) -> dict[str, Any]:
        return {
            "outcome": to_jsonable(self.outcome, templates),
            "reasons": [r.to_dict(templates) for r in self.reasons],
            "details": to_jsonable(self.details, templates),
        }


class Explanation:
    """Collects reasons in the order a rule applies them."""

    def __init__(self) -> None:
        self._reasons: list[Reason] = []

    def add(self, article: str, text: str) -> None:
        """``text`` is French, made with ``gettext_noop`` so that it can be shown in English."""
        self._reasons.append(Reason(article, text))

    def decide(self, outcome: Any, **details: Any) -> Decision:
        return Decision(outcome=outcome, reasons=tuple(self._reasons), details=details)


def to_jsonable(value: Any, templates: bool = False) -> Any:
    """JSON-ready: decimals as text, dates ISO. ``templates``: a reason-like ``{"article", "text"}`` in an
    outcome (PAE violations) keeps its template and params beside its text, as a ``Reason`` does."""
    if isinstance(value, Decision):
        return value.to_dict(templates)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return to_jsonable(value.model_dump(), templates)
    if isinstance(value, dict):
        if templates and isinstance(value.get("text"), Text) and "article" in value:
            return {**{str(k): to_jsonable(v) for k, v in value.items()}, **Reason(value["article"], value["text"]).to_dict()}
        return {str(k): to_jsonable(v, templates) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v, templates) for v in value]
    if hasattr(value, "value") and hasattr(value, "name"):  # Enum
        return value.value
    return value


def fr_date(d: dt.date) -> str:
    months = [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {months[d.month - 1]} {d.year}"


def euros(amount: Decimal) -> str:
    q = amount.quantize(Decimal("0.01"))
    whole, _, cents = format(q, "f").partition(".")
    return f"{whole},{cents} €"


_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]


def en_date(d: dt.date) -> str:
    return f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"


def en_euros(amount: Decimal) -> str:
    q = amount.quantize(Decimal("0.01"))
    return f"€{q:,.2f}" if q >= 0 else f"-€{-q:,.2f}"


class _Formatter(string.Formatter):
    """str.format with two kinds of field of our own (``date``, ``euros``) in French or English, and
    params read back from JSON (an ISO date, a decimal as text) when a stored reason is rendered."""

    def __init__(self, english: bool, translate: Callable[[str], str] | None) -> None:
        self.english, self.translate = english, translate

    def format_field(self, value: Any, spec: str) -> str:
        if spec == "date" or (spec.startswith("%") and isinstance(value, str)):
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            if spec != "date":
                return format(day, spec)
            return en_date(day) if self.english else fr_date(day)
        if spec in ("note", "number"):  # a note out of 20, a percentage: no trailing zeros, decimal comma in French
            # (10,5 ; 11,75 ; 14)
            text = format(Decimal(value).quantize(Decimal("0.001")).normalize(), "f")
            return text if self.english else text.replace(".", ",")
        if spec in ("euros", "amount"):  # amount: with a thousands separator (2 448,00 €)
            amount = Decimal(value)
            if self.english:
                return en_euros(amount)
            return euros(amount) if spec == "euros" else f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " €"
        if isinstance(value, Text) or (isinstance(value, dict) and "template" in value):
            template = value.template if isinstance(value, Text) else value["template"]
            params = value.params if isinstance(value, Text) else value["params"]
            if self.translate:
                template = self.translate(template)
            return render(template, params, english=self.english, translate=self.translate)
        if isinstance(value, str):
            if spec:
                try:
                    return format(Decimal(value), spec)
                except InvalidOperation:
                    return format(value, spec)
            if self.translate and value:
                return self.translate(value)  # a label that is itself a French text (marked with gettext_noop)
        return format(value, spec)


def render(template: str, params: Mapping[str, Any], *, english: bool = False,
           translate: Callable[[str], str] | None = None) -> str:
    """The text of a template with its params: French by default; in English the caller gives the
    already translated template and ``translate`` for params that are texts."""
    if not params:
        return template
    return _Formatter(english, translate).vformat(template, (), params)


_ERROR_MESSAGES = {
    "missing": "champ requis",
    "extra_forbidden": "champ inconnu",
    "date_parsing": "date invalide (format AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date invalide (format AAAA-MM-JJ)",
    "date_type": "date attendue (format AAAA-MM-JJ)",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "decimal_parsing": "nombre décimal attendu",
    "decimal_type": "nombre décimal attendu",
    "bool_parsing": "booléen attendu (true ou false)",
    "bool_type": "booléen attendu (true ou false)",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "dict_type": "objet attendu",
    "model_type": "objet attendu",
}


def french_errors(exc: Any) -> list[tuple[str, str]]:
    """(location, French message) for each error of a pydantic ValidationError."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(racine)"
        kind, ctx = err["type"], err.get("ctx") or {}
        if kind in _ERROR_MESSAGES:
            msg = _ERROR_MESSAGES[kind]
        elif kind == "literal_error":
            msg = f"valeur non permise, attendu : {ctx.get('expected', '')}"
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
            bound = next(iter(ctx.values()), "")
            msg = f"doit être {sign} {bound}"
        elif kind == "too_short":
            msg = f"au moins {ctx.get('min_length', 1)} élément(s) requis"
        elif kind == "too_long":
            msg = f"au plus {ctx.get('max_length')} élément(s)"
        elif kind == "string_pattern_mismatch":
            msg = f"format attendu : {ctx.get('pattern', '')}"
        elif kind == "value_error":
            msg = str(ctx.get("error", err["msg"]))
        else:
            msg = err["msg"]
        out.append((loc, msg))
    return out
