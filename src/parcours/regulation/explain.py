"""Decision and Reason: what every rule returns.

A Decision carries the outcome and, in the order the rule applied them, the reasons with their
article. A student, a jury secretary and a judge should be able to read why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_validator

# Technical bounds of what the rules can compute (not RGE thresholds): a date outside them overflows
# the calendar arithmetic, a number outside them is a typing error, never a real credit or amount.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
LARGEST_NUMBER = 10**9


class InputError(ValueError):
    """The facts cannot be read by the rules (unknown year, a date or a number out of bounds): bad input."""


class RuleError(ValueError):
    """No rule applies, two rules conflict, or the facts given are impossible.

    Rules raise instead of returning a silent default; the message is French and says why.
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
        for name, value in self:
            _check_bounds(name, value)
        self._bounds_checked = True
        return self


def _check_bounds(name: str, value: Any) -> None:
    if isinstance(value, Facts):
        return  # checked when it was built (its own validator), and frozen since
    if isinstance(value, BaseModel):
        for sub, v in value:
            _check_bounds(f"{name}.{sub}", v)
    elif isinstance(value, list | tuple | set | frozenset):
        for i, v in enumerate(value):
            _check_bounds(f"{name}.{i}", v)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_bounds(f"{name}.{k}", v)
    elif isinstance(value, dt.date):
        if not FIRST_DAY <= (value.date() if isinstance(value, dt.datetime) else value) <= LAST_DAY:
            raise ValueError(f"{name} : date hors limites (du {FIRST_DAY:%d/%m/%Y} au {LAST_DAY:%d/%m/%Y})")
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if isinstance(value, float | Decimal) and not (value == value and abs(value) != float("inf")):
            raise ValueError(f"{name} : nombre fini attendu")
        if abs(value) > LARGEST_NUMBER:
            raise ValueError(f"{name} : nombre hors limites (au plus {LARGEST_NUMBER:_} en valeur absolue)".replace("_", " "))


@dataclass(frozen=True)
class Reason:
    article: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"article": self.article, "text": self.text}


@dataclass(frozen=True)
class Decision:
    outcome: Any
    reasons: tuple[Reason, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def articles(self) -> list[str]:
        return [r.article for r in self.reasons]

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": to_jsonable(self.outcome),
            "reasons": [r.to_dict() for r in self.reasons],
            "details": to_jsonable(self.details),
        }


class Explanation:
    """Collects reasons in the order a rule applies them."""

    def __init__(self) -> None:
        self._reasons: list[Reason] = []

    def add(self, article: str, text: str) -> None:
        self._reasons.append(Reason(article, text))

    def decide(self, outcome: Any, **details: Any) -> Decision:
        return Decision(outcome=outcome, reasons=tuple(self._reasons), details=details)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decision):
        return value.to_dict()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return to_jsonable(value.model_dump())
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
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
