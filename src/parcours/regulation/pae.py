"""Programme annuel de l'étudiant (art. 38, 67-68, 71, 77): is a proposed PAE admissible?

``check`` reports every rule the proposal breaks at once, each with its article, in the manner
of one validator per business rule.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from pydantic import Field

from parcours.regulation.calendar import date_in_time
from parcours.regulation.explain import Decision, Explanation, Facts, gettext_noop
from parcours.regulation.params import load_year

Category = Literal["ordinaire", "langue_etrangere", "tfe", "integration_professionnelle",
                   "coorganisee_exterieure", "finalite_didactique"]
# Art. 77 al. 5: these do not count towards the share taught in another language.
LANGUAGE_EXEMPT = {"langue_etrangere", "tfe", "integration_professionnelle", "coorganisee_exterieure"}


class ProposedUE(Facts):
    code: str
    credits: int = Field(gt=0)
    bloc: int = Field(ge=1, le=5)
    cycle: Literal[1, 2] = 1
    prerequisites: list[str] = []
    corequisites: list[str] = []
    language: str = "fr"
    category: Category = "ordinaire"
    memoire: bool = False  # the second-cycle UE of the mémoire / TFE (art. 67 §3)
    prerequisite_as_corequisite: bool = False  # the jury turned its prerequisites into corequisites


class PaeFacts(Facts):
    year: str = "2023-2024"
    # premiere_inscription: first registration in a first cycle (art. 67 §1 al. 1)
    # bloc1_non_reussi: re-registration after a first year without the 60 first credits (§1 al. 4-6)
    # poursuite: beyond the 60 first credits (§2); libre: free student (art. 38)
    situation: Literal["premiere_inscription", "bloc1_non_reussi", "poursuite", "libre"]
    programme: Literal["bachelier", "master", "specialisation", "coorganise_hors_fwb"] = "bachelier"
    ues: list[ProposedUE] = Field(min_length=1)
    acquired: list[str] = []  # codes of UEs acquired or valorised
    bloc1_codes: list[str] = []  # every UE of the programme's first bloc
    bloc1_credits_acquired: int = Field(default=0, ge=0, le=60)
    previously_registered: list[str] = []  # UEs of later blocs already registered and not acquired (§2, 1°)
    dropped_optional: list[str] = []  # optional UEs the student leaves (§2, 1°)
    jury_agreement: bool = False  # jury's agreement (65 credits at ≥55, completion at 30-44)
    allegement: bool = False  # art. 71
    end_of_cycle: bool = False
    remaining_first_cycle_credits: int | None = Field(default=None, ge=0)
    derogation: Literal["a", "b", "c", "d", "e"] | None = None  # §2 al. 4: PAE under 60 credits
    master_60: bool = False  # the second-cycle programme is a 60-credit master (§3)
    validated_on: dt.date | None = None  # date the student validated the PAE (art. 68)


DEROGATIONS = {
    "a": gettext_noop("coorganisation hors Communauté française ou mobilité"),
    "b": gettext_noop("prérequis non acquis pour atteindre 60 crédits"),
    "c": gettext_noop("raisons pédagogiques ou organisationnelles motivées (55 crédits au moins)"),
    "d": gettext_noop("demande de l'étudiant pour équilibrer les crédits restants"),
    "e": gettext_noop("enseignement artistique : prérequis ou organisation"),
}


def check(facts: PaeFacts) -> Decision:
    """Whether a proposed PAE is admissible, with every rule it breaks (art. 38, 67-68, 71, 77)."""
    params = load_year(facts.year)
    t = params.pae
    ex = Explanation()
    violations: list[dict[str, str]] = []

    def violate(article: str, text: str) -> None:
        violations.append({"article": article, "text": text})
        ex.add(article, text)

    codes = [ue.code for ue in facts.ues]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        violate("Art. 62", gettext_noop("UE inscrite plusieurs fois : {duplicates}.", duplicates=', '.join(duplicates)))
    total = sum(ue.credits for ue in facts.ues)
    acquired = set(facts.acquired)
    in_pae = set(codes)
    ex.add("Art. 62", gettext_noop("Programme proposé : {n_ues} UE, {total} crédits.", n_ues=len(facts.ues), total=total))
    already = sorted(in_pae & acquired)
    if already:
        violate("Art. 100", gettext_noop("UE déjà acquise ou valorisée, les crédits étant acquis définitivement : {already}.", already=', '.join(already)))

    if facts.situation == "libre":
        cap = params.fees.free_student_max_credits
        if total > cap.value:
            violate(cap.article, gettext_noop("Un étudiant libre suit au plus {cap_value} crédits par année académique ({total} proposés).", cap_value=cap.value, total=total))
        else:
            ex.add(cap.article, gettext_noop("Étudiant libre : {total} crédits, dans la limite de {cap_value}.", total=total, cap_value=cap.value))
        return _finish(ex, violations, total)

    missing_bloc1 = [c for c in facts.bloc1_codes if c not in acquired and c not in in_pae]
    later = [ue for ue in facts.ues if ue.bloc > 1 or ue.cycle == 2]

    if facts.situation == "premiere_inscription":
        if missing_bloc1 and not facts.allegement:
            violate("Art. 67 §1er", gettext_noop("Première inscription en premier cycle : le programme comprend les 60 premiers crédits ; "
                    "manquent {missing_bloc1}.", missing_bloc1=', '.join(missing_bloc1)))
        if later and not acquired:
            violate("Art. 67 §1er", gettext_noop("Des UE de la suite du programme ne peuvent compléter l'inscription que si des crédits "
                    "du programme sont acquis ou valorisés."))
        elif later:
            # §1 al. 2: completing "dans le respect des conditions visées aux alinéas suivants", i.e. within 60
            # credits, 65 with at least 55 acquired or valorised and the jury's agreement.
            _cap_completion(facts, total, violate, ex, t)
    elif facts.situation == "bloc1_non_reussi":
        b1 = facts.bloc1_credits_acquired
        if missing_bloc1:
            violate("Art. 67 §1er", gettext_noop("Les UE du premier bloc non acquises doivent être inscrites : {missing_bloc1}.", missing_bloc1=', '.join(missing_bloc1)))
        if later:
            low, mid = t.bloc1_completion_with_jury.value, t.bloc1_completion.value
            top = t.max_credits.value
            if b1 < low:
                violate("Art. 67 §1er", gettext_noop("{b1} crédits du premier bloc acquis ou valorisés (moins de {low}) : seules les UE "
                        "du premier bloc non acquises, complétées d'activités d'aide à la réussite, sont permises.", b1=b1, low=low))
            elif b1 < mid:
                if not facts.jury_agreement:
                    violate("Art. 67 §1er", gettext_noop("{b1} crédits du premier bloc (de {low} à {high}) : compléter par des UE de "
                            "la suite du programme demande l'accord du jury.", b1=b1, low=low, high=mid - 1))
                if total > top:
                    violate("Art. 67 §1er", gettext_noop("{b1} crédits du premier bloc (de {low} à {high}) : le programme ne peut "
                            "dépasser {top} crédits ({total}).", b1=b1, low=low, high=mid - 1, top=top, total=total))
            else:
                _cap_completion(facts, total, violate, ex, t)
    else:  # poursuite
        left = [c for c in facts.previously_registered
                if c not in acquired and c not in in_pae and c not in facts.dropped_optional]
        if left:
            violate("Art. 67 §2, 1°", gettext_noop("UE déjà inscrites et non acquises à reprendre : {left}.", left=', '.join(left)))
        if missing_bloc1:
            violate("Art. 67 §2, 1°", gettext_noop("UE du premier bloc non acquises à reprendre : {missing_bloc1}.", missing_bloc1=', '.join(missing_bloc1)))

    # Prerequisites and corequisites (art. 67 §1-§2).
    for ue in facts.ues:
        if ue.prerequisite_as_corequisite and not facts.end_of_cycle:
            violate("Art. 67 §2", gettext_noop("{code} : seul un étudiant en fin de cycle peut voir ses prérequis transformés en corequis.", code=ue.code))
        for pre in ue.prerequisites:
            if pre in acquired:
                continue
            if ue.prerequisite_as_corequisite and facts.end_of_cycle and pre in in_pae:
                continue
            violate("Art. 67 §2, 2°", gettext_noop("{code} : prérequis {pre} non acquis.", code=ue.code, pre=pre))
        for co in ue.corequisites:
            if co not in acquired and co not in in_pae:
                violate("Art. 7, 23° ; art. 67 §2", gettext_noop("{code} : corequis {co} ni acquis ni inscrit la même année.", code=ue.code, co=co))

    # End of cycle with second-cycle UEs (§3).
    second = [ue for ue in facts.ues if ue.cycle == 2]
    if second and facts.programme == "bachelier":
        remaining, most = facts.remaining_first_cycle_credits, t.end_of_cycle_remaining.value
        if remaining is None or remaining > most:
            violate("Art. 67 §3", gettext_noop("Des UE du deuxième cycle ne s'ajoutent qu'en fin de cycle, quand il reste {most} crédits "
                    "au plus à acquérir en premier cycle (reste : {remaining}).", most=most,
                    remaining=remaining if remaining is not None else gettext_noop('non précisé')))
        if total > t.end_of_cycle_max.value:
            violate("Art. 67 §3", gettext_noop("Fin de cycle avec UE du deuxième cycle : {end_of_cycle_max_value} crédits au plus au "
                    "total ({total}).", end_of_cycle_max_value=t.end_of_cycle_max.value, total=total))
        memoire = [ue.code for ue in second if ue.memoire]
        if memoire and not facts.master_60:
            violate("Art. 67 §3", gettext_noop("Le mémoire ou TFE du deuxième cycle ({memoire}) ne peut être inscrit avant "
                    "l'obtention du grade de premier cycle, sauf pour un master en 60 crédits.", memoire=', '.join(memoire)))

    # Minimum of 60 credits (§2 al. 3-4; §1 al. 1).
    if facts.situation in ("premiere_inscription", "poursuite") and total < t.min_credits.value:
        if facts.allegement:
            ex.add("Art. 71", gettext_noop("Allègement accordé : programme de {total} crédits, inscription régulière.", total=total))
        elif facts.end_of_cycle:
            ex.add("Art. 67 §2", gettext_noop("Fin de cycle : programme de {total} crédits admis sous 60.", total=total))
        elif facts.derogation is None:
            violate("Art. 67 §2", gettext_noop("Le programme compte {total} crédits : {min_credits_value} au moins, sauf fin de "
                    "cycle, allègement ou dérogation motivée du jury (a à e).", total=total, min_credits_value=t.min_credits.value))
        elif facts.derogation == "c" and total < t.min_credits_pedagogical.value:
            violate("Art. 67 §2, c)", gettext_noop("Raisons pédagogiques ou organisationnelles : pas moins de "
                    "{min_credits_pedagogical_value} crédits ({total}).", min_credits_pedagogical_value=t.min_credits_pedagogical.value, total=total))
        else:
            ex.add(f"Art. 67 §2, {facts.derogation})", gettext_noop("Programme de {total} crédits validé sous 60 : "
                   "{derogations} (décision individuelle et motivée du jury).", total=total, derogations=DEROGATIONS[facts.derogation]))

    _language(facts, total, violate, ex, t)

    if facts.validated_on is not None and not date_in_time("pae_validation", facts.validated_on, facts.year):
        violate("Art. 68", gettext_noop("Le programme annuel doit être validé par l'étudiant au plus tard le 31 octobre "
                "(validé le {validated_on:date}).", validated_on=facts.validated_on))
    return _finish(ex, violations, total)


def _cap_completion(facts: PaeFacts, total: int, violate, ex: Explanation, t) -> None:
    """Art. 67 §1 al. 4: a programme completed with the rest of the cycle holds 60 credits at most, 65 with at least
    55 bloc-1 credits acquired or valorised and the jury's agreement."""
    b1, high = facts.bloc1_credits_acquired, t.bloc1_extended.value
    top, top_ext = t.max_credits.value, t.max_credits_extended.value
    cap = top_ext if (b1 >= high and facts.jury_agreement) else top
    if total > cap:
        if cap == top_ext:
            why = gettext_noop("{top_ext} crédits au plus avec l'accord du jury (au moins {high} crédits acquis)",
                               top_ext=top_ext, high=high)
        elif b1 >= high:
            why = gettext_noop("{top} crédits au plus ; {top_ext} possibles avec l'accord du jury", top=top, top_ext=top_ext)
        else:
            why = gettext_noop("{top} crédits au plus", top=top)
        violate(t.max_credits.article, gettext_noop("{b1} crédits du premier bloc acquis ou valorisés : {why} ({total} proposés).", b1=b1, why=why, total=total))
    else:
        ex.add(t.max_credits.article, gettext_noop("{b1} crédits du premier bloc acquis ou valorisés : complément de la suite du "
               "programme admis dans la limite de {cap} crédits.", b1=b1, cap=cap))


def _language(facts: PaeFacts, total: int, violate, ex: Explanation, t) -> None:
    """Art. 77: share of credits taught and evaluated in another language than French."""
    if facts.programme in ("specialisation", "coorganise_hors_fwb"):
        if any(ue.language != "fr" for ue in facts.ues):
            ex.add("Art. 77, 3°-4°", gettext_noop("Études de spécialisation ou coorganisées hors Communauté française : pas de limite "
                   "à la part enseignée dans une autre langue."))
        return
    other = [ue for ue in facts.ues if ue.language != "fr"]
    if not other:
        return
    if facts.programme == "master":
        didactic = [ue.code for ue in other if ue.category == "finalite_didactique"]
        if didactic:
            violate("Art. 77, 2°", gettext_noop("Les crédits de la finalité didactique s'enseignent en français : {didactic}.", didactic=', '.join(didactic)))
        share = t.other_language_master
    else:
        share = t.other_language_first_cycle
    limit, article, label = Fraction(share.numerator, share.denominator), share.article, share.label
    counted = sum(ue.credits for ue in other if ue.category not in LANGUAGE_EXEMPT | {"finalite_didactique"})
    exempt = sum(ue.credits for ue in other if ue.category in LANGUAGE_EXEMPT)
    if exempt:
        ex.add("Art. 77 al. 5", gettext_noop("{exempt} crédits en langue étrangère n'entrent pas en ligne de compte (cours de langues, "
               "TFE, intégration professionnelle, activités coorganisées hors Communauté française).", exempt=exempt))
    if Fraction(counted, total) > limit:
        violate(article, gettext_noop("{counted} crédits sur {total} enseignés dans une autre langue : au plus {label} des crédits.", counted=counted, total=total, label=label))
    else:
        ex.add(article, gettext_noop("{counted} crédits sur {total} dans une autre langue : dans la limite d'{label}.", counted=counted, total=total, label=label))


def _finish(ex: Explanation, violations: list[dict[str, str]], total: int) -> Decision:
    if violations:
        ex.add("Art. 67", gettext_noop("Programme non admissible : {n_violations} règle(s) enfreinte(s).", n_violations=len(violations)))
    else:
        ex.add("Art. 67, 68", gettext_noop("Programme admissible, à valider par la commission d'admission et l'étudiant."))
    return ex.decide({"admissible": not violations, "total_credits": total, "violations": violations})
