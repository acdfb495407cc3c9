"""The jury's proposal for each student, computed from plain data by the rules (art. 67 §1, 100, 128-136).

No database access here: ``selectors.grid`` loads every row in bulk, this module calls
``regulation.grades`` and ``regulation.deliberation`` and returns what the grid shows, with the
articles behind each number."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from parcours.juries.results import UEOutcome
from parcours.regulation import deliberation, grades
from parcours.regulation.explain import Reason, RuleError, gettext_noop

# Labels and reasons are French, marked for the juries' English catalogue: shown with |localized / |reason_text
# (a decision keeps them in French, as the jury decided them).
PENDING_MENTION = gettext_noop("à fixer par l'établissement")


@dataclass(frozen=True)
class PaeUE:
    id: int
    code: str
    title: str
    credits: int
    bloc: int
    weight: Decimal


@dataclass(frozen=True)
class PriorCredit:
    """A UE of the cycle acquired in an earlier year (or valorised), with its note when it has one."""

    code: str
    credits: int
    bloc: int
    note: Decimal | None
    valorised: bool


@dataclass
class StudentInput:
    student_id: int
    registration_id: int
    matricule: str
    name: str
    bloc: int
    cycle: int
    end_of_cycle: bool
    pae: list[PaeUE]
    outcomes: dict[int, UEOutcome]
    granted: set[int] = field(default_factory=set)
    prior: list[PriorCredit] = field(default_factory=list)
    mention_raise: str = ""
    valorised_bloc1: int = 0  # art. 67 §1: bloc-1 credits valorised by the commission, outside the PAE
    session_ouverte_until: dt.date | None = None  # art. 85: the jury extended this student's period
    access_suspended_on: dt.date | None = None  # art. 49: balance unpaid, the suspension notified on that day


@dataclass(slots=True)
class UERow:
    ue: PaeUE
    note: Decimal | None
    special: str | None
    acquired: bool
    granted: bool
    grantable: bool
    reasons: list[dict]
    delib: deliberation.DelibUE | None = None  # what the rules read

    @property
    def display(self) -> str:
        return grades.fr_note(self.note, self.special or "") or "—"


@dataclass
class Proposal:
    student: StudentInput
    rows: list[UERow]
    deliberated: bool
    outcome: str
    outcome_label: str
    credits_acquired: int = 0
    pae_credits: int = 0
    average: Decimal | None = None
    first_year_passed: bool | None = None
    degree: bool = False
    mention: str | None = None
    mention_label: str = ""
    mention_percentage: Decimal | None = None
    mention_before_label: str = ""  # art. 136: the mention the percentage gives, when the jury raised it
    reasons: list[dict] = field(default_factory=list)

    @property
    def average_display(self) -> str:
        return grades.fr_note(self.average) or "—"


@dataclass(frozen=True)
class Context:
    """What is the same for every student of the session."""

    year: str
    period: int
    mention_domain: str = ""
    mention_kind: str = ""
    thresholds: dict | None = None  # the institution's choice (art. 136); None until set
    today: dt.date | None = None  # art. 85: a student in session ouverte is deliberated once their period closes


OUTCOMES = {
    "non_delibere": gettext_noop("Non délibéré à cette période (art. 133)"),
    "acces_suspendu": gettext_noop("Non délibéré : solde des droits impayé (art. 49)"),
    "session_ouverte": gettext_noop("En session ouverte"),
    "incomplet": gettext_noop("Résultats incomplets"),
    "reussite": gettext_noop("Réussite du programme annuel"),
    "grade": gettext_noop("Réussite du cycle — grade conféré"),
    "credits_partiels": gettext_noop("Crédits partiellement acquis"),
}
MENTION_LABELS = {"satisfaction": gettext_noop("Satisfaction"), "distinction": gettext_noop("Distinction"),
                  "grande_distinction": gettext_noop("Grande distinction"),
                  "plus_grande_distinction": gettext_noop("Plus grande distinction")}


def _reasons(decision) -> list[dict]:
    return [r.to_dict() for r in decision.reasons]  # with its template: shown in the reader's language


def _reason(article: str, text) -> dict:
    """A reason of the grid's own, stored like the rules' (the French text, and its template when it has params)."""
    if isinstance(text, RuleError):
        text = text.args[0] if len(text.args) == 1 and isinstance(text.args[0], str) else str(text)
    return Reason(article, text).to_dict()


def _programme_average(s: StudentInput) -> Decimal | None:
    """Art. 100: the mean of the student's programme annuel, which replaces a missing note (never below 10/20)."""
    notes = [o.note for o in s.outcomes.values() if o.note is not None and not o.code]
    return (sum(notes, Decimal(0)) / len(notes)) if notes else None


_UNSET = object()
# (UE id, note, special code, granted) → the rules' validated UE facts and whether the UE is acquired: a dict keyed
# on four values is cheaper than hashing all seven arguments of _delib_ue for each of a jury's hundreds of thousands
# of UE results.
_SHARED: dict[tuple, tuple[deliberation.DelibUE, bool]] = {}


def _ue_rows(s: StudentInput, period: int) -> tuple[list[UERow], list[dict], bool, bool]:
    """The grid's UE rows, the art. 100 reasons of filled notes, whether every note is known (or rebuilt), and
    whether the student presented every UE (a note or a special code for each, before any art. 100 filling)."""
    rows: list[UERow] = []
    append = rows.append
    outcomes, granted_ues = s.outcomes, s.granted
    programme_average = _UNSET  # computed only when a note is missing (rare): the grid's hot loop stays lean
    extra: list[dict] = []
    complete = presented = True
    may_grant = period in (2, 3)
    for ue in s.pae:
        o = outcomes.get(ue.id)
        if o is None or (o.note is None and not o.code):
            presented = False
            if programme_average is _UNSET:
                programme_average = _programme_average(s)
            if programme_average is None:
                complete = False
                append(UERow(ue, None, None, False, False, False, [_reason("Art. 100", gettext_noop(
                    "Aucune note encodée et aucune autre note pour la reconstituer."))]))
                continue
            filled = grades.ue_result(grades.UEFacts(code=ue.code, credits=ue.credits, activities=[grades.Activity()],
                                                     programme_average=programme_average.quantize(Decimal("0.01"))))
            note, special = filled.outcome["note"], None
            reasons = _reasons(filled)
            extra.append(_reason("Art. 100", gettext_noop("{code} : note manquante complétée par la règle de l'art. 100.",
                                                          code=ue.code)))
        else:
            code = o.code
            note, special = (None, code.split()[0]) if code else (o.note, None)
            reasons = o.reasons
        granted = ue.id in granted_ues
        if granted:  # rare: the grant's own reasons replace the evaluation's "non atteint" (art. 134)
            reasons = [r for r in reasons if r.get("text") != grades.BELOW_THRESHOLD] + _reasons(grades.jury_grant(
                grades.JuryGrantFacts(period=period, note=note, special=special, jury_judges_failure_acceptable=True)))
        key = (ue.id, note, special, granted)
        shared = _SHARED.get(key)
        if shared is None:
            if len(_SHARED) > 65536:
                _SHARED.clear()
            delib = _delib_ue(ue.code, ue.credits, note, special, ue.weight, ue.bloc, granted)
            shared = _SHARED[key] = (delib, delib.acquired)
        delib, acquired = shared
        # Art. 134: only after the 2nd or 3rd period, never over a special code (art. 100, 110, 134).
        append(UERow(ue, note, special, acquired, granted, may_grant and not acquired and special is None, reasons,
                     delib))
    return rows, extra, complete, presented


@lru_cache(maxsize=65536)
def _delib_ue(code: str, credits: int, note, special, weight, bloc: int, granted: bool) -> deliberation.DelibUE:
    """The rules' frozen, validated view of one UE result. Thousands of students share the same UE and note:
    each combination is validated once (the facts are immutable, so sharing them is safe)."""
    return deliberation.DelibUE(code=code, credits=credits, note=note, special=special, weight=weight, bloc=str(bloc),
                                jury_granted=granted)


@lru_cache(maxsize=16)
def _deliberated(period: int, end_of_cycle: bool, whole_programme: bool):
    """Art. 129, 133 depend on three facts only: decided once per combination (a pure rule)."""
    return deliberation.deliberated(deliberation.SessionFacts(
        evaluation_period=period, end_of_cycle=end_of_cycle, presents_whole_residual_programme=whole_programme))


@contextmanager
def bulk_objects():
    """Pause the cyclic garbage collector while a grid builds its hundreds of thousands of small, acyclic objects:
    each generation-2 pass would walk them all again (the profile showed a third of the time there)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                # The objects built here live as long as the grid: hand them to the oldest generation at once
                # (freeze then unfreeze moves lists, it walks no object) rather than have the first young
                # collection traverse them all. Skipped when the process keeps frozen objects of its own.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def propose_all(inputs: Iterable[StudentInput], ctx: Context) -> list[Proposal]:
    """Every student's proposal: what the grid, the closing and the benchmark compute."""
    with bulk_objects():
        return [propose(s, ctx) for s in inputs]


def propose(s: StudentInput, ctx: Context) -> Proposal:
    """Every number of the student's row, each with its article."""
    # Art. 129, 133: "ayant présenté l'ensemble des épreuves" reads the results themselves, before any art. 100 filling.
    rows, extra, complete, presented = _ue_rows(s, ctx.period)
    session = _deliberated(ctx.period, s.end_of_cycle, presented)
    until = s.session_ouverte_until
    if until is not None and (ctx.today is None or ctx.today <= until):
        # Art. 85: the period runs on for this student; the jury deliberates them once it closes, not before.
        return Proposal(s, rows, False, "session_ouverte",
                        gettext_noop("En session ouverte jusqu'au {until:%d/%m/%Y} (art. 85)", until=until),
                        reasons=[_reason("Art. 85", gettext_noop(
                            "Période prolongée par le jury jusqu'au {until:%d/%m/%Y} : l'étudiant est délibéré à la "
                            "clôture de sa période.", until=until))])
    suspended = s.access_suspended_on
    if suspended is not None and (ctx.today is None or suspended <= ctx.today):
        # Art. 49: unpaid balance — "il ne peut être délibéré" (nor a credit granted): shown, never decided.
        for r in rows:
            r.grantable = False
        return Proposal(s, rows, False, "acces_suspendu", OUTCOMES["acces_suspendu"], reasons=[_reason(
            "Art. 49", gettext_noop("Accès suspendu le {on:%d/%m/%Y} : le solde des droits d'inscription n'a pas été "
                                    "payé. L'étudiant ne peut être délibéré ni bénéficier d'aucun report ou "
                                    "valorisation de crédits ; aucune décision n'est enregistrée pour lui.",
                                    on=suspended))])
    reasons = _reasons(session) + extra
    if not session.outcome:
        return Proposal(s, rows, False, "non_delibere", OUTCOMES["non_delibere"], reasons=reasons)
    if not complete or not rows:
        return Proposal(s, rows, True, "incomplet", OUTCOMES["incomplet"], reasons=reasons + [_reason("Art. 100", gettext_noop(
            "Des notes manquent et ne peuvent être reconstituées : la délibération attend l'encodage."))])
    ues = [r.delib for r in rows]
    try:
        # Without building CreditsFacts: every UE is already a validated DelibUE (pydantic would re-run their
        # validators for each student), ``rows`` is not empty, the year comes from the session and the valorised
        # credits are a non-negative count from the database.
        decision = deliberation.credits_of(ues, year=ctx.year, first_year_first_cycle=s.bloc == 1 and s.cycle == 1,
                                           valorised_bloc1_credits=max(0, int(s.valorised_bloc1)))
    except RuleError as exc:
        return Proposal(s, rows, True, "incomplet", OUTCOMES["incomplet"], reasons=reasons + [_reason("Art. 67", exc)])
    out = decision.outcome
    p = Proposal(s, rows, True, "", "", credits_acquired=out["credits_acquired"], pae_credits=out["pae_credits"],
                 average=out["average"], first_year_passed=out.get("first_year_passed"), reasons=reasons + _reasons(decision))
    if out["not_acquired"]:
        p.outcome = "credits_partiels"
    elif s.end_of_cycle:
        p.outcome = "grade"
        _mention(p, ues, ctx)
    else:
        p.outcome = "reussite"
    p.outcome_label = OUTCOMES[p.outcome]
    return p


def _mention(p: Proposal, current: list[deliberation.DelibUE], ctx: Context) -> None:
    p.degree = True
    p.reasons.append(_reason("Art. 129", gettext_noop("Tous les crédits du programme sont acquis : le jury confère le "
                                                      "grade.")))
    if ctx.thresholds is None:
        p.mention_label = PENDING_MENTION
        p.reasons.append(_reason("Art. 136", gettext_noop("Le pourcentage requis pour chaque mention n'est pas encore "
                                                          "fixé par l'établissement pour cette année : mention à fixer.")))
        return
    if not ctx.mention_domain or not ctx.mention_kind:
        p.mention_label = gettext_noop("pondération de l'annexe 6 à choisir pour ce jury")
        return
    prior = [_delib_ue(c.code, c.credits, c.note, None, Decimal(1), c.bloc, False)
             for c in p.student.prior if c.note is not None]
    try:
        decision = deliberation.mention(deliberation.MentionFacts(
            year=ctx.year, domain=ctx.mention_domain, kind=ctx.mention_kind, ues=prior + current,
            thresholds=ctx.thresholds, jury_raise=bool(p.student.mention_raise),
            jury_motivation=p.student.mention_raise))
    except RuleError as exc:
        p.mention_label = gettext_noop("non calculable")
        p.reasons.append(_reason("Art. 136, annexe 6", exc))
        return
    p.reasons += _reasons(decision)
    p.mention = decision.outcome["mention"]
    p.mention_percentage = decision.outcome["percentage"]
    p.mention_label = MENTION_LABELS.get(p.mention or "", gettext_noop("aucune mention"))
    if p.student.mention_raise and p.mention in MENTION_LABELS:  # the rule raised it by one step (art. 136)
        index = list(MENTION_LABELS).index(p.mention)
        p.mention_before_label = (MENTION_LABELS[list(MENTION_LABELS)[index - 1]] if index
                                  else gettext_noop("aucune mention"))
