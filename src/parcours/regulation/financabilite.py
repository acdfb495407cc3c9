"""Finançabilité (art. 35): which regime applies in 2023-2024, then the new or the old rules.

The rules read a student's registration history. Registrations cancelled before 1 December do
not count (art. 58); those that led to a degree are left out where the text says so (§4 and the
old rules); §6 "deemed" years count as 60-credit registrations with nothing acquired.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator

from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, gettext_noop

YEAR_PATTERN = r"^\d{4}-\d{4}$"
CYCLE = {1: gettext_noop("premier"), 2: gettext_noop("deuxième")}


def start_year(academic_year: str) -> int:
    first, second = (int(x) for x in academic_year.split("-"))
    if second != first + 1:
        raise RuleError(gettext_noop("Année académique invalide : « {academic_year} » (attendu par exemple 2022-2023).", academic_year=academic_year))
    return first


class PastRegistration(Facts):
    academic_year: str = Field(pattern=YEAR_PATTERN)
    cycle: Literal[1, 2]
    cursus: str
    pae_credits: int = Field(ge=0)
    credits_acquired: int = Field(ge=0)  # acquired or valorised during that registration
    cancelled: bool = False  # annulation by 30 November: "l'année ne comptera pas" (art. 58)
    led_to_degree: bool = False
    allegement: bool = False
    # A change of programme under art. 102 §3 (decree of 7 November 2013) during that year. A first registration in a
    # cursus after another programme of the same cycle is a réorientation anyway: it is derived from the history (§5).
    reorientation: bool = False
    new_rules: bool = False  # the student was already under the new rules that year
    deemed: bool = False  # §6: a year after the secondary diploma with no proof of non-registration


class FinancabiliteFacts(Facts):
    academic_year: str = Field(default="2023-2024", pattern=YEAR_PATTERN)
    cycle: Literal[1, 2]
    cursus: str
    cursus_credits: int = Field(gt=0)
    specialisation: bool = False
    history: list[PastRegistration] = []
    credits_in_cursus: int = Field(ge=0)  # credits of the cursus acquired or valorised to date
    bloc1_credits: int = Field(default=0, ge=0, le=60)  # of the 60 first credits, to date
    complementary_credits: int = Field(default=0, ge=0, le=60)  # art. 111 décret paysage (2nd cycle)
    reorientation: bool = False  # this registration is a réorientation under art. 102 §3; otherwise derived (§5)
    allegement: bool = False  # this registration is an allègement (art. 151 décret paysage)
    jury_exception: bool = False  # §2 al. 2: the jury accepts 50 credits of bloc 1 after two registrations

    @field_validator("history")
    @classmethod
    def _chronological(cls, v: list[PastRegistration]) -> list[PastRegistration]:
        years = [start_year(r.academic_year) for r in v]
        if years != sorted(years):
            raise ValueError("l'historique doit être donné dans l'ordre chronologique")
        return v


def evaluate(facts: FinancabiliteFacts) -> Decision:
    """Whether the student is finançable for the year, under the regime that applies (art. 35)."""
    year = start_year(facts.academic_year)
    past = [r for r in facts.history if start_year(r.academic_year) < year]
    if len(past) != len(facts.history):
        raise RuleError(gettext_noop("L'historique contient une inscription de l'année évaluée ou postérieure."))
    ex = Explanation()
    cancelled = [r for r in past if r.cancelled]
    if cancelled:
        ex.add("Art. 58", gettext_noop("{n_cancelled} inscription(s) annulée(s) avant le 1er décembre ne comptent pas.", n_cancelled=len(cancelled)))
    counted = [r for r in past if not r.cancelled]
    regime = _regime(facts, year, counted, ex)
    reo = Reorientations.derive(facts, counted, ex)
    if regime == "nouvelles":
        financable = _new_rules(facts, year, counted, reo, ex)
    else:
        financable = _old_rules(facts, year, counted, reo, ex)
    if not financable:
        ex.add("Art. 36, 40", gettext_noop("Étudiant non finançable : l'inscription se demande par la procédure de l'art. 36 "
               "(lettre de motivation) et la direction de département peut la refuser (art. 40, 3°)."))
    return ex.decide({"regime": regime, "financable": financable})


def _is_reorientation(cursus: str, cycle: int, before: list[PastRegistration], flagged: bool) -> bool:
    """§5 al. 2 and old rules 4°: registering in a programme "sans y avoir été déjà inscrit", having been registered in
    another programme of the same cycle (or moving under art. 102 §3, the flag). Already registered there: never."""
    same_cycle = [r for r in before if r.cycle == cycle and not r.led_to_degree]
    if any(r.cursus == cursus for r in same_cycle):
        return False
    return flagged or bool(same_cycle)


class Reorientations:
    """Which registrations of the history, and whether the current one, are réorientations."""

    def __init__(self, past: dict[int, bool], now: bool) -> None:
        self._past, self.now = past, now

    def was(self, registration: PastRegistration) -> bool:
        return self._past.get(id(registration), False)

    @classmethod
    def derive(cls, facts: FinancabiliteFacts, counted: list[PastRegistration], ex: Explanation) -> Reorientations:
        past = {id(r): _is_reorientation(r.cursus, r.cycle, counted[:i], r.reorientation) for i, r in enumerate(counted)}
        now = _is_reorientation(facts.cursus, facts.cycle, counted, facts.reorientation)
        if facts.reorientation and not now:
            ex.add("Art. 35 §5 al. 2", gettext_noop("Déjà inscrit à « {cursus} » : l'inscription n'est pas une réorientation "
                   "(« sans y avoir été déjà inscrit »).", cursus=facts.cursus))
        elif now and not facts.reorientation:
            ex.add("Art. 35 §5 al. 2", gettext_noop("Première inscription à « {cursus} » après une inscription à un autre "
                   "programme du même cycle : c'est une réorientation.", cursus=facts.cursus))
        contradicted = [r.academic_year for r in counted if r.reorientation and not past[id(r)]]
        if contradicted:
            ex.add("Art. 35 §5 al. 2", gettext_noop("Inscription(s) de {contradicted} dans un cursus déjà suivi : pas une "
                   "réorientation.", contradicted=', '.join(contradicted)))
        return cls(past, now)


def _regime(facts: FinancabiliteFacts, year: int, counted: list[PastRegistration], ex: Explanation) -> str:
    if year >= 2024:
        ex.add("Art. 35", gettext_noop("Les nouvelles règles s'appliquent à tous les étudiants à partir de 2024-2025."))
        return "nouvelles"
    if year != 2023:
        raise RuleError(gettext_noop("Le régime de finançabilité de {academic_year} n'est pas décrit par le RGE 2023-2024.", academic_year=facts.academic_year))
    real = [r for r in counted if not r.deemed]
    if not real:
        ex.add("Art. 35", gettext_noop("Étudiant de première génération (jamais inscrit dans l'enseignement supérieur) : "
               "nouvelles règles de finançabilité."))
        return "nouvelles"
    last = real[-1]
    if start_year(last.academic_year) == year - 1 and last.new_rules:
        ex.add("Art. 35", gettext_noop("Déjà soumis aux nouvelles règles en 2022-2023 : nouvelles règles."))
        return "nouvelles"
    if last.cycle != facts.cycle:
        ex.add("Art. 35", gettext_noop("Change de cycle d'études (du {cycle} au {cycle2} cycle) : "
               "nouvelles règles.", cycle=CYCLE[last.cycle], cycle2=CYCLE[facts.cycle]))
        return "nouvelles"
    last_year = start_year(last.academic_year)
    if last_year < 2017:
        ex.add("Art. 35", gettext_noop("Pas inscrit dans l'enseignement supérieur au cours des cinq dernières années "
               "(dernière inscription antérieure à 2017-2018) : nouvelles règles."))
        return "nouvelles"
    if last_year == 2017:
        raise RuleError(gettext_noop("Dernière inscription en 2017-2018 : l'art. 35 parle des « cinq dernières années » mais précise "
                        "« inscription antérieure à 2017-2018 » ; les deux lectures divergent pour ce cas, à trancher "
                        "par la direction."))
    ex.add("Art. 35", gettext_noop("Inscrit précédemment dans le même cycle, ni première génération ni changement de cycle : "
           "anciennes règles de finançabilité pour 2023-2024 (régime transitoire)."))
    return "anciennes"


def _extra_registrations(facts: FinancabiliteFacts, in_cycle: list[PastRegistration], reo: Reorientations,
                         ex: Explanation) -> int:
    bonus = 0.0
    if reo.now or any(reo.was(r) for r in in_cycle):
        bonus += 1
        ex.add("Art. 35 §5", gettext_noop("Réorientation : une inscription supplémentaire (une seule fois par cycle)."))
    allegements = sum(1 for r in in_cycle if r.allegement)
    if allegements:
        bonus += 0.5 * allegements
        ex.add("Art. 35 §5", gettext_noop("{allegements} année(s) en allègement : une demi-inscription supplémentaire chacune.", allegements=allegements))
    extra = math.ceil(bonus)
    if bonus and extra != bonus:
        ex.add("Art. 35 §5", gettext_noop("Somme des inscriptions supplémentaires arrondie à l'entier supérieur : {extra}.", extra=extra))
    if facts.cycle == 2 and facts.complementary_credits:
        more = 1 if facts.complementary_credits <= 30 else 2
        extra += more
        ex.add("Art. 35 §3", gettext_noop("Conditions complémentaires d'accès de {complementary_credits} crédits : "
               "{more} inscription(s) supplémentaire(s).", complementary_credits=facts.complementary_credits, more=more))
    return extra


def _new_rules(facts: FinancabiliteFacts, year: int, counted: list[PastRegistration], reo: Reorientations,
               ex: Explanation) -> bool:
    window = [r for r in counted if year - 5 <= start_year(r.academic_year) < year]
    if not any(r.cycle == facts.cycle for r in window):
        ex.add("Art. 35 §1er, 1°", gettext_noop("Pas inscrit à des études du même cycle au cours des cinq années précédentes : "
               "finançable."))
        return True
    same_cursus = [r for r in counted if r.cursus == facts.cursus and not r.deemed]
    if same_cursus:
        prev = same_cursus[-1]
        if prev.credits_acquired >= prev.pae_credits and (prev.pae_credits >= 45 or prev.allegement):
            ex.add("Art. 35 §1er, 2°", gettext_noop("Totalité des crédits acquise lors de l'inscription précédente dans ce cursus "
                   "({credits_acquired}/{pae_credits}, programme d'au moins 45 crédits ou allègement) : finançable.", credits_acquired=prev.credits_acquired, pae_credits=prev.pae_credits))
            return True

    in_cycle = [r for r in counted if r.cycle == facts.cycle]
    degree = [r for r in in_cycle if r.led_to_degree]
    if degree:
        ex.add("Art. 35 §4", gettext_noop("{n_degree} inscription(s) ayant conduit à un grade académique ne sont pas prises en compte.", n_degree=len(degree)))
    in_cycle = [r for r in in_cycle if not r.led_to_degree]
    deemed = sum(1 for r in in_cycle if r.deemed)
    if deemed:
        ex.add("Art. 35 §6", gettext_noop("{deemed} année(s) après le titre d'accès sans preuve de non-inscription : réputées "
               "inscriptions à 60 crédits.", deemed=deemed))
    n = len(in_cycle)
    extra = _extra_registrations(facts, in_cycle, reo, ex)
    ex.add("Art. 35 §1er, 3°", gettext_noop("{n} inscription(s) prise(s) en compte dans le {cycle} cycle ; "
           "{credits_in_cursus} crédits du cursus acquis ou valorisés à ce jour.", n=n, cycle=CYCLE[facts.cycle], credits_in_cursus=facts.credits_in_cursus))

    failures: list[tuple[str, str]] = []
    credits, total = facts.credits_in_cursus, facts.cursus_credits
    if facts.cycle == 1 and facts.specialisation:
        if n >= 2 + extra and credits < total:
            failures.append(("Art. 35 §2", gettext_noop("Études de spécialisation : après {n} inscriptions, la totalité des "
                             "{total} crédits n'est pas acquise.", n=2 + extra, total=total)))
    elif facts.cycle == 1:
        cursus_regs = [r for r in in_cycle if r.cursus == facts.cursus and not r.deemed]
        if len(cursus_regs) == 1 and facts.bloc1_credits == 0:
            failures.append(("Art. 35 §2, 1°", gettext_noop("Au terme de la première inscription dans ce cursus, aucune UE du premier "
                             "bloc annuel n'est acquise ou valorisée.")))
        failures.extend(_bloc1_progress(facts, in_cycle, n, extra, reo))
        if n >= 4 + extra and credits < 120:
            failures.append(("Art. 35 §2, 3°", gettext_noop("Après {n} inscriptions dans le premier cycle, {credits} crédits "
                             "du cursus sur les 120 requis.", n=4 + extra, credits=credits)))
        if total >= 240:
            if n >= 6 + extra and credits < 180:
                failures.append(("Art. 35 §2", gettext_noop("Cursus de {total} crédits : après {n} inscriptions, {credits} "
                                 "crédits sur les 180 requis.", total=total, n=6 + extra, credits=credits)))
            if n >= 7 + extra and credits < total:
                failures.append(("Art. 35 §2", gettext_noop("Cursus de {total} crédits : après {n} inscriptions, la totalité "
                                 "des crédits n'est pas acquise.", total=total, n=7 + extra)))
        elif n >= 5 + extra and credits < total:
            failures.append(("Art. 35 §2, 4°", gettext_noop("Après {n} inscriptions dans le premier cycle, la totalité des "
                             "{total} crédits n'est pas acquise.", n=5 + extra, total=total)))
    else:
        for k, need in ((2, 60), (4, 120), (6, total)):
            if n >= k + extra and credits < need:
                failures.append(("Art. 35 §3", gettext_noop("Après {n} inscriptions dans le deuxième cycle, {credits} crédits "
                                 "sur les {need} requis.", n=k + extra, credits=credits, need=need)))
    for article, text in failures:
        ex.add(article, text)
    if facts.jury_exception and not failures and n == 2 + extra and facts.bloc1_credits < 60:
        ex.add("Art. 35 §2, al. 2", gettext_noop("Le jury retient l'exception : au moins 50 crédits du premier bloc ; le solde du "
               "premier bloc doit être intégralement obtenu l'année suivante."))
    if failures:
        ex.add("Art. 35 §2-§3", gettext_noop("Conditions de réussite académique insuffisantes : non finançable."))
        return False
    ex.add("Art. 35 §1er, 3°", gettext_noop("Conditions de réussite académique suffisantes : finançable."))
    return True


def _bloc1_progress(facts: FinancabiliteFacts, in_cycle: list[PastRegistration], n: int, extra: int,
                    reo: Reorientations) -> list[tuple[str, str]]:
    """§2, 2° with the jury exception of §2 al. 2 and the late-réorientation rule of §5."""
    b1 = facts.bloc1_credits
    reorient_index = next((i for i, r in enumerate(in_cycle) if reo.was(r)), None)
    if reorient_index is None and reo.now:
        reorient_index = n
    if reorient_index is not None and reorient_index >= 2:
        out = []
        if n >= 3 and b1 < 50:
            out.append(("Art. 35 §5", gettext_noop("Réorientation après la deuxième inscription : au terme de {n} inscriptions, "
                        "{b1} des 50 premiers crédits requis.", n=n, b1=b1)))
        if n >= 4 and b1 < 60:
            out.append(("Art. 35 §5", gettext_noop("Réorientation après la deuxième inscription : au terme de {n} inscriptions, "
                        "{b1} des 60 premiers crédits requis.", n=n, b1=b1)))
        return out
    if n >= 2 + extra and b1 < 60:
        if n == 2 + extra and facts.jury_exception and b1 >= 50:
            return []  # the jury's exception (§2 al. 2) is recorded in the reasons by evaluate()
        why = gettext_noop("Après {n} inscriptions dans le premier cycle, {b1} des 60 premiers crédits acquis ou valorisés.",
                           n=2 + extra, b1=b1)
        if n == 2 + extra and b1 >= 50:
            why = gettext_noop("Après {n} inscriptions dans le premier cycle, {b1} des 60 premiers crédits acquis ou valorisés. "
                               "Le jury peut toutefois retenir l'exception de l'al. 2 (au moins 50 crédits du premier bloc).",
                               n=2 + extra, b1=b1)
        return [("Art. 35 §2, 2°", why)]
    return []


def _old_rules(facts: FinancabiliteFacts, year: int, counted: list[PastRegistration], reo: Reorientations,
               ex: Explanation) -> bool:
    kept = [r for r in counted if not r.led_to_degree]
    if len(kept) != len(counted):
        ex.add("Art. 35 (anciennes règles)", gettext_noop("Les inscriptions ayant conduit à un grade académique ne sont pas prises en compte."))
    window = [r for r in kept if year - 5 <= start_year(r.academic_year) < year]
    same_cycle = [r for r in window if r.cycle == facts.cycle]
    if len(same_cycle) < 2:
        ex.add("Art. 35 (anciennes règles), 1°", gettext_noop("Inscrit {n_same_cycle} fois à des études du même cycle au cours des "
               "cinq années précédentes (moins de deux) : finançable.", n_same_cycle=len(same_cycle)))
        return True
    if facts.cycle == 1:
        same_grade = [r for r in same_cycle if r.cursus == facts.cursus]
        if len(same_grade) < 2 and len(same_cycle) < 3:
            ex.add("Art. 35 (anciennes règles), 2°", gettext_noop("Pas inscrit deux fois au même grade ni trois fois en premier cycle "
                   "au cours des cinq années précédentes : finançable."))
            return True
    in_cycle = [r for r in kept if r.cycle == facts.cycle]
    if in_cycle:
        prev = in_cycle[-1]
        if prev.pae_credits and prev.credits_acquired * 100 >= 75 * prev.pae_credits:
            ex.add("Art. 35 (anciennes règles), 3° a)", gettext_noop("75 % des crédits du programme annuel acquis lors de l'inscription "
                   "précédente ({credits_acquired}/{pae_credits}) : finançable.", credits_acquired=prev.credits_acquired, pae_credits=prev.pae_credits))
            return True
        if _old_rule_3b(facts, year, in_cycle, ex):
            return True
    if reo.now:
        previous = [r for r in window if reo.was(r)]
        if not previous:
            ex.add("Art. 35 (anciennes règles), 4°", gettext_noop("Se réoriente sans avoir usé de cette faculté au cours des cinq années "
                   "précédentes : finançable."))
            return True
        ex.add("Art. 35 (anciennes règles), 4°", gettext_noop("A déjà usé de la réorientation au cours des cinq années précédentes."))
    ex.add("Art. 35 (anciennes règles)", gettext_noop("Aucune des conditions académiques n'est remplie : non finançable."))
    return False


def _old_rule_3b(facts: FinancabiliteFacts, year: int, in_cycle: list[PastRegistration], ex: Explanation) -> bool:
    first_in_cycle = in_cycle[0]
    candidates = {
        gettext_noop("trois années académiques précédentes"): [r for r in in_cycle if year - 3 <= start_year(r.academic_year) < year],
        gettext_noop("trois inscriptions précédentes"): in_cycle[-3:],
    }
    allegement = facts.allegement or any(r.allegement for r in in_cycle)
    for label, regs in candidates.items():
        options = [regs]
        if first_in_cycle in regs and len(regs) > 1:
            options.append([r for r in regs if r is not first_in_cycle])  # "si elle lui est défavorable"
        # ii. (45 credits) counts the whole period; only i. (the half) may leave out the first year in the cycle.
        acquired = sum(r.credits_acquired for r in regs)
        if acquired < 45 and not allegement:
            continue
        for option in options:
            load = sum(r.pae_credits for r in option)
            half = sum(r.credits_acquired for r in option)
            if load and half * 2 >= load:
                ex.add("Art. 35 (anciennes règles), 3° b) i.", gettext_noop(
                    "Sur les {label} : {half} crédits acquis pour une charge de {load} : au moins la moitié.", label=label,
                    half=half, load=load) if option is regs else gettext_noop(
                    "Sur les {label}, sans l'année de première inscription au cycle : {half} crédits acquis pour une charge "
                    "de {load} : au moins la moitié.", label=label, half=half, load=load))
                ex.add("Art. 35 (anciennes règles), 3° b) ii.", gettext_noop(
                    "Sur les {label} : {acquired} crédits acquis ; condition des 45 crédits levée par l’allègement : finançable.",
                    label=label, acquired=acquired) if acquired < 45 else gettext_noop(
                    "Sur les {label} : {acquired} crédits acquis, au moins 45 : finançable.", label=label, acquired=acquired))
                return True
    ex.add("Art. 35 (anciennes règles), 3°", gettext_noop("Ni 75 % des crédits de l'inscription précédente, ni la moitié de la charge "
           "et 45 crédits sur les trois années ou inscriptions précédentes."))
    return False
