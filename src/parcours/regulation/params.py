"""The one strict loader of a year's parameters (``years/<year>/``).

Every value carries its article. Unknown keys, missing keys, broken references, a period that
leaves a gap, or a date far outside the year fail with ``ParameterError`` naming the file, the
key and the problem. Nothing falls back to a default.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from parcours.regulation.explain import french_errors

YEARS_DIR = Path(__file__).parent / "years"


class ParameterError(ValueError):
    """A year's parameter file is malformed or incomplete."""


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- calendar.yaml -------------------------------------------------------------------------
class AcademicYear(Strict):
    label: str
    start: dt.date
    end: dt.date
    article: str


class Quadrimestre(Strict):
    number: Literal[1, 2, 3]
    start: dt.date
    end: dt.date
    article: str


class Period(Strict):
    start: dt.date
    end: dt.date
    kind: Literal["activites", "conge", "fermeture", "evaluation"]
    label: str
    article: str
    evaluation_period: Literal[1, 2, 3] | None = None

    @property
    def suspends_time_limits(self) -> bool:
        # Art. 106 and 176: time limits are suspended during congés and closure.
        return self.kind in ("conge", "fermeture")


class SessionOuverte(Strict):
    evaluation_period: Literal[1, 2, 3]
    until: dt.date
    article: str


class Holiday(Strict):
    date: dt.date
    label: str


class PublicHolidays(Strict):
    source: str  # the law that makes them legal public holidays
    article: str
    days: list[Holiday]

    @model_validator(mode="after")
    def _sorted_unique(self) -> PublicHolidays:
        dates = [h.date for h in self.days]
        if dates != sorted(set(dates)):
            raise ValueError("public_holidays.days: dates dans l'ordre et sans doublon")
        return self


class ActivityWeeks(Strict):
    value: int = Field(gt=0)
    quadrimestres: list[Literal[1, 2, 3]]
    article: str


class CalendarFile(Strict):
    academic_year: AcademicYear
    quadrimestres: list[Quadrimestre]
    min_activity_weeks: ActivityWeeks
    periods: list[Period]
    session_ouverte: list[SessionOuverte]
    public_holidays: PublicHolidays

    @model_validator(mode="after")
    def _partition(self) -> CalendarFile:
        y = self.academic_year
        if y.start >= y.end:
            raise ValueError("academic_year: le début doit précéder la fin")
        for name, items in (("quadrimestres", self.quadrimestres), ("periods", self.periods)):
            expected = y.start
            for i, item in enumerate(items):
                if item.start > item.end:
                    raise ValueError(f"{name}[{i}]: début {item.start} après la fin {item.end}")
                if item.start != expected:
                    raise ValueError(
                        f"{name}[{i}].start: {item.start} — attendu {expected} (trou ou chevauchement)"
                    )
                expected = item.end + dt.timedelta(days=1)
            if expected - dt.timedelta(days=1) != y.end:
                raise ValueError(f"{name}: se termine le {expected - dt.timedelta(days=1)}, pas le {y.end}")
        for p in self.periods:
            if (p.kind == "evaluation") != (p.evaluation_period is not None):
                raise ValueError(f"periods {p.start}: evaluation_period n'est permis que pour kind=evaluation")
        weeks = self.min_activity_weeks
        for q in (q for q in self.quadrimestres if q.number in weeks.quadrimestres):
            days = sum((min(p.end, q.end) - max(p.start, q.start)).days + 1 for p in self.periods
                       if p.kind == "activites" and p.start <= q.end and p.end >= q.start)
            if days < 7 * weeks.value:
                raise ValueError(f"min_activity_weeks: le {q.number}e quadrimestre compte {days} jours d'activités, "
                                 f"moins de {weeks.value} semaines ({weeks.article})")
        return self


# --- deadlines.yaml ------------------------------------------------------------------------
class FixedDate(Strict):
    date: dt.date
    inclusive: bool
    article: str
    label: str


class Window(Strict):
    start: dt.date
    end: dt.date
    article: str
    label: str

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start > self.end:
            raise ValueError(f"la fenêtre commence ({self.start}) après sa fin ({self.end})")
        return self


class MonthDay(Strict):
    from_: str = Field(alias="from", pattern=r"^\d\d-\d\d$")
    to: str = Field(pattern=r"^\d\d-\d\d$")


class SuspensionWindows(Strict):
    article: str
    label: str
    windows: list[MonthDay]


class TimeLimit(Strict):
    article: str
    count: int = Field(gt=0)
    unit: Literal["working_days", "calendar_days", "months"]
    direction: Literal["after", "before"]
    bound: Literal["latest", "earliest"]
    event: str
    label: str
    suspensions: list[str] = []
    not_before_year_start: bool = False


class DeadlinesFile(Strict):
    dates: dict[str, FixedDate]
    windows: dict[str, Window]
    suspension_windows: dict[str, SuspensionWindows]
    time_limits: dict[str, TimeLimit]

    @model_validator(mode="after")
    def _references(self) -> DeadlinesFile:
        known = set(self.suspension_windows) | {"helha_closures"}
        for name, tl in self.time_limits.items():
            for s in tl.suspensions:
                if s not in known:
                    raise ValueError(f"time_limits.{name}.suspensions: '{s}' inconnu (connus : {sorted(known)})")
        return self


# --- fees.yaml and fees.csv ----------------------------------------------------------------
class Amount(Strict):
    amount: Decimal
    article: str
    label: str


class Count(Strict):
    value: int
    article: str
    label: str = ""


class DisAmounts(Strict):
    court: Amount
    long_cycle_1: Amount
    long_cycle_2: Amount


class FeesFile(Strict):
    acompte: Amount
    reference_pae_credits: Count
    end_of_cycle_max_credits: Count
    free_student_admin: Amount
    free_student_per_credit: Amount
    free_student_max_credits: Count
    jury_cf_admin: Amount
    non_eu_dossier: Amount
    dis: DisAmounts


class FeeRow(Strict):
    """One row of annexe 2, as printed. Empty cells are None, never zero."""

    row: int
    domaine: str
    section: str
    site: str
    type: Literal["TC", "TL"]
    stage: Literal["DC", "PE", "AD"]
    minerval_non_boursier: Decimal
    minerval_modeste: Decimal | None
    frais_infrastructure: Decimal
    frais_administratifs: Decimal
    frais_specifiques: Decimal | None
    total_non_boursier: Decimal
    total_modeste: Decimal
    total_boursier: Decimal

    @property
    def frais_etudes(self) -> Decimal:
        return self.frais_infrastructure + self.frais_administratifs + (self.frais_specifiques or Decimal(0))


# --- mentions.yaml -------------------------------------------------------------------------
class InstitutionChoice(Strict):
    institution_choice: Literal[True]
    value: None
    article: str
    label: str


class MentionsDef(Strict):
    article: str
    names: list[str]
    thresholds: InstitutionChoice


class MentionWeights(Strict):
    domain: str
    kind: str
    blocs: dict[str, int]
    article: str
    label: str  # the annexe's heading (domain, programme kind): what a reason names

    @field_validator("blocs")
    @classmethod
    def _sum_100(cls, v: dict[str, int]) -> dict[str, int]:
        if sum(v.values()) != 100:
            raise ValueError(f"la somme des pondérations vaut {sum(v.values())} %, pas 100 %")
        return v


class MentionsFile(Strict):
    mentions: MentionsDef
    weights: list[MentionWeights]


# --- programmes.yaml -----------------------------------------------------------------------
class Programme(Strict):
    name: str
    domain: str
    type: Literal["court", "long"]
    cycle: Literal[1, 2]
    kind: Literal["bachelier", "bachelier_specialisation", "master"]
    min_credits: int | None
    alternance: bool = False
    own_regulation: str | None = None
    co_organised_with: list[str] = []
    # Its row(s) of annexe 2 (art. 47): the section and one site of fees.csv; the stage picks the row.
    fee_section: str | None = None
    fee_site: str | None = None


class HealthDomains(Strict):
    article: str
    source: str
    domains: list[str]


class ProgrammesFile(Strict):
    article: str
    programmes: list[Programme]
    health_domains: HealthDomains


# --- mobility.yaml -------------------------------------------------------------------------
class MobilityKind(Strict):
    label: str
    min_weeks: int | None
    # The text gives the minimum in weeks and, between dashes, in months ("13 semaines -3 mois- minimum"): either
    # measure meets it (reading written in mobility.duration's reason).
    min_months: int | None = None
    max_months: int | None
    article: str


class Valued(Strict):
    value: int | bool
    article: str


class LearningAgreementParams(Strict):
    per_quadrimestre_min: Valued
    per_quadrimestre_max: Valued
    per_year_min: Valued


class InstitutionChoiceInt(Strict):
    institution_choice: Literal[True]
    value: None
    article: str
    label: str


class IntercommunityParams(Strict):
    section: str
    bloc1_min_credits: Valued
    min_credits_in_other_community: Valued
    within_last_credits: Valued


class DatedItem(Strict):
    date: dt.date
    article: str
    label: str


class CandidatureDocument(Strict):
    code: str
    label: str
    required: bool


class MobilityContact(Strict):
    name: str
    email: str
    website: str
    platform: str | None  # the institution's own international platform, when it runs the dossier there
    article: str


class CandidatureParams(Strict):
    source: str
    deadline: DatedItem
    deadline_canada: DatedItem
    recipients: list[str]
    contacts: dict[str, MobilityContact]
    documents: list[CandidatureDocument]


class MobilityFile(Strict):
    kinds: dict[str, MobilityKind]
    learning_agreement: LearningAgreementParams
    sms_min_credits: InstitutionChoiceInt
    fame_once_per_cursus: Valued
    intercommunity: IntercommunityParams
    candidature: CandidatureParams


# --- pae.yaml ------------------------------------------------------------------------------
class Share(Strict):
    numerator: int = Field(gt=0)
    denominator: int = Field(gt=0)
    article: str
    label: str


class PaeFile(Strict):
    max_attempts_per_year: Count
    pass_mark: Count
    bloc1_credits: Count
    bloc1_completion_with_jury: Count
    bloc1_completion: Count
    bloc1_extended: Count
    max_credits: Count
    max_credits_extended: Count
    min_credits: Count
    min_credits_pedagogical: Count
    end_of_cycle_remaining: Count
    end_of_cycle_max: Count
    other_language_first_cycle: Share
    other_language_master: Share


# --- the year ------------------------------------------------------------------------------
class YearParameters(Strict):
    year: str
    calendar: CalendarFile
    deadlines: DeadlinesFile
    fees: FeesFile
    fee_rows: tuple[FeeRow, ...]
    mentions: MentionsFile
    programmes: ProgrammesFile
    mobility: MobilityFile
    pae: PaeFile


FILES = {
    "calendar": ("calendar.yaml", CalendarFile),
    "deadlines": ("deadlines.yaml", DeadlinesFile),
    "fees": ("fees.yaml", FeesFile),
    "mentions": ("mentions.yaml", MentionsFile),
    "programmes": ("programmes.yaml", ProgrammesFile),
    "mobility": ("mobility.yaml", MobilityFile),
    "pae": ("pae.yaml", PaeFile),
}

FEE_COLUMNS = list(FeeRow.model_fields)


def _fmt_error(filename: str, exc: ValidationError) -> str:
    return "\n".join(f"{filename}: {loc}: {msg}" for loc, msg in french_errors(exc))


def _load_yaml(folder: Path, filename: str, model: type[Strict]) -> Strict:
    path = folder / filename
    if not path.exists():
        raise ParameterError(f"{path}: fichier manquant")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: YAML invalide: {exc}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ParameterError(_fmt_error(str(path), exc)) from exc


def _load_fee_rows(folder: Path) -> tuple[FeeRow, ...]:
    path = folder / "fees.csv"
    if not path.exists():
        raise ParameterError(f"{path}: fichier manquant")
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != FEE_COLUMNS:
            raise ParameterError(f"{path}: colonnes {reader.fieldnames}, attendu {FEE_COLUMNS}")
        for line_no, raw in enumerate(reader, start=2):
            if None in raw or None in raw.values():
                raise ParameterError(f"{path} ligne {line_no}: {len(FEE_COLUMNS)} colonnes attendues "
                                     "(montant avec une virgule au lieu d'un point ?)")
            cleaned = {k: (v if v != "" else None) for k, v in raw.items()}
            try:
                for k, v in cleaned.items():
                    if v is not None and k.startswith(("minerval", "frais", "total")):
                        Decimal(v)
                rows.append(FeeRow.model_validate(cleaned))
            except (ValidationError, InvalidOperation) as exc:
                detail = _fmt_error(f"{path} ligne {line_no}", exc) if isinstance(exc, ValidationError) else (
                    f"{path} ligne {line_no}: montant illisible")
                raise ParameterError(detail) from exc
    return tuple(rows)


def _check_dates_in_year(params: YearParameters) -> None:
    """Dates must belong to the year they configure (with the run-up before it and the
    session-ouverte tail after it, art. 30, 85, annexe 7)."""
    y = params.calendar.academic_year
    low, high = y.start - dt.timedelta(days=366), y.end + dt.timedelta(days=92)

    def check(where: str, d: dt.date) -> None:
        if not (low <= d <= high):
            raise ParameterError(f"{where}: la date {d} est hors de l'année {params.year} ({low} – {high})")

    for name, fd in params.deadlines.dates.items():
        check(f"deadlines.yaml: dates.{name}", fd.date)
    for name, w in params.deadlines.windows.items():
        check(f"deadlines.yaml: windows.{name}.start", w.start)
        check(f"deadlines.yaml: windows.{name}.end", w.end)
    for so in params.calendar.session_ouverte:
        check(f"calendar.yaml: session_ouverte[{so.evaluation_period}]", so.until)
    for h in params.calendar.public_holidays.days:
        check(f"calendar.yaml: public_holidays {h.label}", h.date)
    c = params.mobility.candidature
    check("mobility.yaml: candidature.deadline", c.deadline.date)
    check("mobility.yaml: candidature.deadline_canada", c.deadline_canada.date)


def load_year_from(folder: Path) -> YearParameters:
    loaded = {key: _load_yaml(folder, fname, model) for key, (fname, model) in FILES.items()}
    label = loaded["calendar"].academic_year.label
    if label != folder.name:
        raise ParameterError(f"{folder / 'calendar.yaml'}: academic_year.label vaut '{label}', dossier '{folder.name}'")
    params = YearParameters(year=label, fee_rows=_load_fee_rows(folder), **loaded)
    _check_dates_in_year(params)
    return params


class UnknownYear(ParameterError):
    """No parameters folder for this year: a caller's input error, not a broken parameter file."""


@lru_cache(maxsize=8)
def load_year(year: str = "2023-2024") -> YearParameters:
    folder = YEARS_DIR / year
    if not folder.is_dir():
        available = sorted(p.name for p in YEARS_DIR.iterdir() if p.is_dir())
        raise UnknownYear(f"année académique '{year}' inconnue (disponibles : {', '.join(available)})")
    return load_year_from(folder)


def programmes_without_fee_row(params: YearParameters) -> list[str]:
    """The programmes of Titre III that no row of annexe 2 prices (art. 47), by name."""
    known = {(r.section, r.site) for r in params.fee_rows}
    return [p.name for p in params.programmes.programmes if (p.fee_section, p.fee_site) not in known]
