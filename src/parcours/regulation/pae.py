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
from parcours.regulation.explain import Decision, Explanation, Facts, fr_date
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
    "a": "coorganisation hors Communauté française ou mobilité",
    "b": "prérequis non acquis pour atteindre 60 crédits",
    "c": "raisons pédagogiques ou organisationnelles motivées (55 crédits au moins)",
    "d": "demande de l'étudiant pour équilibrer les crédits restants",
    "e": "enseignement artistique : prérequis ou organisation",
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
        violate("Art. 62", f"UE inscrite plusieurs fois : {', '.join(duplicates)}.")
    total = sum(ue.credits for ue in facts.ues)
    acquired = set(facts.acquired)
    in_pae = set(codes)
    ex.add("Art. 62", f"Programme proposé : {len(facts.ues)} UE, {total} crédits.")
    already = sorted(in_pae & acquired)
    if already:
        violate("Art. 100", f"UE déjà acquise ou valorisée, les crédits étant acquis définitivement : {', '.join(already)}.")

    if facts.situation == "libre":
        cap = params.fees.free_student_max_credits
        if total > cap.value:
            violate(cap.article, f"Un étudiant libre suit au plus {cap.value} crédits par année académique ({total} proposés).")
        else:
            ex.add(cap.article, f"Étudiant libre : {total} crédits, dans la limite de {cap.value}.")
        return _finish(ex, violations, total)

    missing_bloc1 = [c for c in facts.bloc1_codes if c not in acquired and c not in in_pae]
    later = [ue for ue in facts.ues if ue.bloc > 1 or ue.cycle == 2]

    if facts.situation == "premiere_inscription":
        if missing_bloc1 and not facts.allegement:
            violate("Art. 67 §1er", "Première inscription en premier cycle : le programme comprend les 60 premiers crédits ; "
                    f"manquent {', '.join(missing_bloc1)}.")
        if later and not acquired:
            violate("Art. 67 §1er", "Des UE de la suite du programme ne peuvent compléter l'inscription que si des crédits "
                    "du programme sont acquis ou valorisés.")
        elif later:
            # §1 al. 2: completing "dans le respect des conditions visées aux alinéas suivants", i.e. within 60
            # credits, 65 with at least 55 acquired or valorised and the jury's agreement.
            _cap_completion(facts, total, violate, ex, t)
    elif facts.situation == "bloc1_non_reussi":
        b1 = facts.bloc1_credits_acquired
        if missing_bloc1:
            violate("Art. 67 §1er", f"Les UE du premier bloc non acquises doivent être inscrites : {', '.join(missing_bloc1)}.")
        if later:
            low, mid = t.bloc1_completion_with_jury.value, t.bloc1_completion.value
            top = t.max_credits.value
            if b1 < low:
                violate("Art. 67 §1er", f"{b1} crédits du premier bloc acquis ou valorisés (moins de {low}) : seules les UE "
                        "du premier bloc non acquises, complétées d'activités d'aide à la réussite, sont permises.")
            elif b1 < mid:
                if not facts.jury_agreement:
                    violate("Art. 67 §1er", f"{b1} crédits du premier bloc (de {low} à {mid - 1}) : compléter par des UE de "
                            "la suite du programme demande l'accord du jury.")
                if total > top:
                    violate("Art. 67 §1er", f"{b1} crédits du premier bloc (de {low} à {mid - 1}) : le programme ne peut "
                            f"dépasser {top} crédits ({total}).")
            else:
                _cap_completion(facts, total, violate, ex, t)
    else:  # poursuite
        left = [c for c in facts.previously_registered
                if c not in acquired and c not in in_pae and c not in facts.dropped_optional]
        if left:
            violate("Art. 67 §2, 1°", f"UE déjà inscrites et non acquises à reprendre : {', '.join(left)}.")
        if missing_bloc1:
            violate("Art. 67 §2, 1°", f"UE du premier bloc non acquises à reprendre : {', '.join(missing_bloc1)}.")

    # Prerequisites and corequisites (art. 67 §1-§2).
    for ue in facts.ues:
        if ue.prerequisite_as_corequisite and not facts.end_of_cycle:
            violate("Art. 67 §2", f"{ue.code} : seul un étudiant en fin de cycle peut voir ses prérequis transformés en corequis.")
        for pre in ue.prerequisites:
            if pre in acquired:
                continue
            if ue.prerequisite_as_corequisite and facts.end_of_cycle and pre in in_pae:
                continue
            violate("Art. 67 §2, 2°", f"{ue.code} : prérequis {pre} non acquis.")
        for co in ue.corequisites:
            if co not in acquired and co not in in_pae:
                violate("Art. 7, 23° ; art. 67 §2", f"{ue.code} : corequis {co} ni acquis ni inscrit la même année.")

    # End of cycle with second-cycle UEs (§3).
    second = [ue for ue in facts.ues if ue.cycle == 2]
    if second and facts.programme == "bachelier":
        remaining, most = facts.remaining_first_cycle_credits, t.end_of_cycle_remaining.value
        if remaining is None or remaining > most:
            violate("Art. 67 §3", f"Des UE du deuxième cycle ne s'ajoutent qu'en fin de cycle, quand il reste {most} crédits "
                    f"au plus à acquérir en premier cycle (reste : {remaining if remaining is not None else 'non précisé'}).")
        if total > t.end_of_cycle_max.value:
            violate("Art. 67 §3", f"Fin de cycle avec UE du deuxième cycle : {t.end_of_cycle_max.value} crédits au plus au "
                    f"total ({total}).")
        memoire = [ue.code for ue in second if ue.memoire]
        if memoire and not facts.master_60:
            violate("Art. 67 §3", f"Le mémoire ou TFE du deuxième cycle ({', '.join(memoire)}) ne peut être inscrit avant "
                    "l'obtention du grade de premier cycle, sauf pour un master en 60 crédits.")

    # Minimum of 60 credits (§2 al. 3-4; §1 al. 1).
    if facts.situation in ("premiere_inscription", "poursuite") and total < t.min_credits.value:
        if facts.allegement:
            ex.add("Art. 71", f"Allègement accordé : programme de {total} crédits, inscription régulière.")
        elif facts.end_of_cycle:
            ex.add("Art. 67 §2", f"Fin de cycle : programme de {total} crédits admis sous 60.")
        elif facts.derogation is None:
            violate("Art. 67 §2", f"Le programme compte {total} crédits : {t.min_credits.value} au moins, sauf fin de "
                    "cycle, allègement ou dérogation motivée du jury (a à e).")
        elif facts.derogation == "c" and total < t.min_credits_pedagogical.value:
            violate("Art. 67 §2, c)", f"Raisons pédagogiques ou organisationnelles : pas moins de "
                    f"{t.min_credits_pedagogical.value} crédits ({total}).")
        else:
            ex.add(f"Art. 67 §2, {facts.derogation})", f"Programme de {total} crédits validé sous 60 : "
                   f"{DEROGATIONS[facts.derogation]} (décision individuelle et motivée du jury).")

    _language(facts, total, violate, ex, t)

    if facts.validated_on is not None and not date_in_time("pae_validation", facts.validated_on, facts.year):
        violate("Art. 68", f"Le programme annuel doit être validé par l'étudiant au plus tard le 31 octobre "
                f"(validé le {fr_date(facts.validated_on)}).")
    return _finish(ex, violations, total)


def _cap_completion(facts: PaeFacts, total: int, violate, ex: Explanation, t) -> None:
    """Art. 67 §1 al. 4: a programme completed with the rest of the cycle holds 60 credits at most, 65 with at least
    55 bloc-1 credits acquired or valorised and the jury's agreement."""
    b1, high = facts.bloc1_credits_acquired, t.bloc1_extended.value
    top, top_ext = t.max_credits.value, t.max_credits_extended.value
    cap = top_ext if (b1 >= high and facts.jury_agreement) else top
    if total > cap:
        why = (f"{top_ext} crédits au plus avec l'accord du jury (au moins {high} crédits acquis)"
               if cap == top_ext else f"{top} crédits au plus"
               + (f" ; {top_ext} possibles avec l'accord du jury" if b1 >= high else ""))
        violate(t.max_credits.article, f"{b1} crédits du premier bloc acquis ou valorisés : {why} ({total} proposés).")
    else:
        ex.add(t.max_credits.article, f"{b1} crédits du premier bloc acquis ou valorisés : complément de la suite du "
               f"programme admis dans la limite de {cap} crédits.")


def _language(facts: PaeFacts, total: int, violate, ex: Explanation, t) -> None:
    """Art. 77: share of credits taught and evaluated in another language than French."""
    if facts.programme in ("specialisation", "coorganise_hors_fwb"):
        if any(ue.language != "fr" for ue in facts.ues):
            ex.add("Art. 77, 3°-4°", "Études de spécialisation ou coorganisées hors Communauté française : pas de limite "
                   "à la part enseignée dans une autre langue.")
        return
    other = [ue for ue in facts.ues if ue.language != "fr"]
    if not other:
        return
    if facts.programme == "master":
        didactic = [ue.code for ue in other if ue.category == "finalite_didactique"]
        if didactic:
            violate("Art. 77, 2°", f"Les crédits de la finalité didactique s'enseignent en français : {', '.join(didactic)}.")
        share = t.other_language_master
    else:
        share = t.other_language_first_cycle
    limit, article, label = Fraction(share.numerator, share.denominator), share.article, share.label
    counted = sum(ue.credits for ue in other if ue.category not in LANGUAGE_EXEMPT | {"finalite_didactique"})
    exempt = sum(ue.credits for ue in other if ue.category in LANGUAGE_EXEMPT)
    if exempt:
        ex.add("Art. 77 al. 5", f"{exempt} crédits en langue étrangère n'entrent pas en ligne de compte (cours de langues, "
               "TFE, intégration professionnelle, activités coorganisées hors Communauté française).")
    if Fraction(counted, total) > limit:
        violate(article, f"{counted} crédits sur {total} enseignés dans une autre langue : au plus {label} des crédits.")
    else:
        ex.add(article, f"{counted} crédits sur {total} dans une autre langue : dans la limite d'{label}.")


def _finish(ex: Explanation, violations: list[dict[str, str]], total: int) -> Decision:
    if violations:
        ex.add("Art. 67", f"Programme non admissible : {len(violations)} règle(s) enfreinte(s).")
    else:
        ex.add("Art. 67, 68", "Programme admissible, à valider par la commission d'admission et l'étudiant.")
    return ex.decide({"admissible": not violations, "total_credits": total, "violations": violations})
