"""Jury and deliberation (art. 67 §1, 128-136, annexes 3 and 6): credits, averages, mentions,
quorum and who may not sit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, gettext_noop, joined
from parcours.regulation.grades import SPECIAL_CODES, THRESHOLD, SpecialCode, round_half_point
from parcours.regulation.params import load_year

# Annexe 3 (art. 135): the criteria a jury may retain to justify a success after deliberation. Keys are ours;
# the labels are the annexe's wording.
ANNEXE3_CRITERIA: dict[str, str] = {
    "participation": "Participation/implication aux activités d'apprentissage",
    "accident_aa": "Caractère accidentel de l'échec de l'activité d'apprentissage",
    "accident_ue": "Caractère accidentel de l'échec de l'unité d'enseignement",
    "echecs_limites": "Échec(s) dans les activités d'apprentissage limité(s) en qualité et en quantité",
    "annees_anterieures": "Résultats des années d'études antérieures",
    "evolution": "Évolution pédagogique régulière et positive",
    "tfe": "Originalité/qualité du travail de fin d'études",
    "adaptabilite": "Adaptabilité au milieu professionnel",
    "compensation": "Échec dans une ou plusieurs activités d'apprentissage compensé(s) par la réussite des autres "
                    "activités d'apprentissage ou par la moyenne générale",
    "progres": "Progrès réalisés d'une session à l'autre",
    "travaux_pratiques": "Qualité des travaux pratiques",
    "stages": "Qualité des stages – insertion professionnelle",
}


# Art. 129: the mentions by their names in the text (the codes are the year's mentions.yaml).
MENTION_NAMES: dict[str, str] = {
    "satisfaction": gettext_noop("la satisfaction"), "distinction": gettext_noop("la distinction"),
    "grande_distinction": gettext_noop("la grande distinction"),
    "plus_grande_distinction": gettext_noop("la plus grande distinction"),
}


def criteria_labels(keys: list[str]) -> list[str]:
    """The annexe-3 wording of the retained criteria; an unknown key is refused (art. 135)."""
    unknown = [k for k in keys if k not in ANNEXE3_CRITERIA]
    if unknown:
        raise RuleError(gettext_noop("Critère de délibération inconnu ({unknown}) : seuls ceux de l'annexe 3 "
                        "peuvent être retenus (art. 135).", unknown=', '.join(unknown)))
    return [ANNEXE3_CRITERIA[k] for k in keys]


class DelibUE(Facts):
    code: str
    credits: int = Field(gt=0)
    note: Decimal | None = Field(default=None, ge=0, le=20)
    special: SpecialCode | None = None
    weight: Decimal = Field(default=Decimal(1), gt=0)  # art. 63: equal weight unless the programme says otherwise
    bloc: str = "1"
    jury_granted: bool = False  # art. 134

    @field_validator("note")
    @classmethod
    def _half_point(cls, note: Decimal | None) -> Decimal | None:
        # Art. 100: the final evaluation of a UE is a note rounded to the half point; the threshold and every
        # average read the rounded note.
        return None if note is None else round_half_point(note)

    @model_validator(mode="after")
    def _one(self) -> DelibUE:
        if (self.note is None) == (self.special is None):
            raise ValueError("chaque UE a soit une note, soit une note spéciale")
        return self

    @property
    def void_grant(self) -> bool:
        """A grant recorded on a UE ending in a special note: art. 100 makes it not validated, whatever the jury."""
        return self.jury_granted and self.special is not None

    @property
    def acquired(self) -> bool:
        if self.special is not None:
            return False  # art. 100: FR, CM, ML, PP, PR entail the non-validation of the UE
        return self.jury_granted or (self.note is not None and self.note >= THRESHOLD)

    @property
    def effective_note(self) -> Decimal | None:
        if self.note is None:
            return None
        return max(self.note, THRESHOLD) if self.jury_granted else self.note  # art. 134


class CreditsFacts(Facts):
    year: str = "2023-2024"
    ues: list[DelibUE] = Field(min_length=1)
    first_year_first_cycle: bool = False  # art. 67 §1: success of the first year means the 60 first credits
    # Art. 67 §1: bloc-1 credits valorised by the admission commission (art. 117), not in the PAE.
    valorised_bloc1_credits: int = Field(default=0, ge=0)


def credits(facts: CreditsFacts) -> Decision:
    """Credits acquired and the weighted average of the programme annuel (art. 63, 100, 134)."""
    return credits_of(facts.ues, year=facts.year, first_year_first_cycle=facts.first_year_first_cycle,
                      valorised_bloc1_credits=facts.valorised_bloc1_credits)


def credits_of(ues: list[DelibUE], *, year: str, first_year_first_cycle: bool = False,
               valorised_bloc1_credits: int = 0) -> Decision:
    """``credits`` for facts already validated: a non-empty list of DelibUE (each validated when built), a known
    year, a non-negative count of valorised credits. The jury grid calls it for thousands of students whose UEs are
    shared, validated facts; each UE is read once here (its acquisition and effective note)."""
    ex = Explanation()
    acquired_codes: list[str] = []
    not_acquired: list[str] = []
    granted: list[str] = []
    specials: list[str] = []
    void: list[str] = []
    total = pae = 0
    wsum = weighted = Decimal(0)
    numeric = False
    bloc1: list[tuple[DelibUE, bool]] = []
    for u in ues:
        credits_ = u.credits
        pae += credits_
        note, special, jury_granted = u.note, u.special, u.jury_granted
        # DelibUE.acquired and DelibUE.effective_note, read once (art. 100, 134)
        acquired = False if special is not None else (jury_granted or (note is not None and note >= THRESHOLD))
        if acquired:
            total += credits_
            acquired_codes.append(u.code)
            if jury_granted and (note is None or note < THRESHOLD):
                granted.append(u.code)
        else:
            not_acquired.append(u.code)
        if note is not None:
            effective = max(note, THRESHOLD) if jury_granted else note
            numeric = True
            weight = u.weight
            wsum += weight
            weighted += effective * weight
        if special:
            specials.append(f"{u.code} ({special})")
            if jury_granted:  # DelibUE.void_grant
                void.append(gettext_noop("{code} ({special} : {label})", code=u.code, special=special,
                                         label=SPECIAL_CODES[special]))
        if first_year_first_cycle and u.bloc == "1":
            bloc1.append((u, acquired))
    ex.add("Art. 100", gettext_noop("{total} crédits acquis sur {pae} (seuil de 10/20 par UE).", total=total, pae=pae))
    if granted:
        ex.add("Art. 134", gettext_noop("Crédits octroyés par le jury : {granted}.", granted=', '.join(granted)))
    average = None
    if numeric:
        average = (weighted / wsum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        ex.add("Art. 63", gettext_noop("Moyenne pondérée des UE : {average:note}/20 (pondération de chaque UE, poids égal à défaut).", average=average))
    if specials:
        ex.add("Art. 100", gettext_noop("UE non validées par une note spéciale, hors moyenne : {specials}.", specials=', '.join(specials)))
    if void:
        ex.add("Art. 100, 110, 134", gettext_noop("Octroi du jury sans effet sur une UE à l'évaluation incomplète (note spéciale) : "
               "{void} ; le jury n'octroie que les crédits d'une UE en échec.", void=joined(void, ', ')))
    outcome = {"credits_acquired": total, "pae_credits": pae, "average": average,
               "acquired": acquired_codes, "not_acquired": not_acquired}
    if first_year_first_cycle:
        outcome["first_year_passed"] = _first_year_passed(year, bloc1, valorised_bloc1_credits, ex)
    return ex.decide(outcome)


def _first_year_passed(year: str, bloc1_ues: list[tuple[DelibUE, bool]], valorised_bloc1_credits: int,
                       ex: Explanation) -> bool:
    """Art. 67 §1 al. 3: the first year is passed when the 60 first credits (bloc 1) are acquired, after valorisation;
    UEs of later blocs in the same PAE do not enter into it. ``bloc1_ues``: the PAE's bloc-1 UEs, each with whether
    it is acquired."""
    bloc1 = load_year(year).pae.bloc1_credits
    in_pae = sum(u.credits for u, _ in bloc1_ues)
    if in_pae + valorised_bloc1_credits > bloc1.value:
        raise RuleError(gettext_noop("Le 1er bloc annuel compte {bloc1_value} crédits ({bloc1_article}) : {in_pae} crédits du bloc 1 "
                        "au programme et {valorised_bloc1_credits} valorisés, c'est trop.", bloc1_value=bloc1.value, bloc1_article=bloc1.article, in_pae=in_pae, valorised_bloc1_credits=valorised_bloc1_credits))
    acquired = sum(u.credits for u, done in bloc1_ues if done)
    missing = [u.code for u, done in bloc1_ues if not done]
    count = acquired + valorised_bloc1_credits
    valorised = (gettext_noop(" dont {n} valorisés", n=valorised_bloc1_credits) if valorised_bloc1_credits
                 else "")
    if not missing and count >= bloc1.value:
        ex.add(bloc1.article, gettext_noop("Réussite de la première année : les {bloc1_value} premiers crédits (1er bloc annuel) sont "
               "acquis{valorised}.", bloc1_value=bloc1.value, valorised=valorised))
        return True
    detail = gettext_noop(" ; UE du bloc 1 non acquises : {missing}", missing=", ".join(missing)) if missing else ""
    ex.add(bloc1.article, gettext_noop("Échec de la première année : {count} des {bloc1_value} premiers crédits acquis ou "
           "valorisés{valorised}{detail}.", count=count, bloc1_value=bloc1.value, valorised=valorised, detail=detail))
    return False


class MentionFacts(Facts):
    year: str = "2023-2024"
    domain: str
    kind: str
    ues: list[DelibUE] = Field(min_length=1)  # every UE of the cycle, with its bloc
    # Institution's choice (art. 136): minimum percentage for each mention, e.g. {"satisfaction": 50, …}.
    thresholds: dict[str, Decimal]
    jury_raise: bool = False  # art. 136: a higher mention, after motivation
    jury_motivation: str = ""


def weighting(year: str, domain: str, kind: str):
    """The annexe-6 weighting of a domain and programme kind, or None when the annexe has none."""
    return next((w for w in load_year(year).mentions.weights if w.domain == domain and w.kind == kind), None)


def mention(facts: MentionFacts) -> Decision:
    """The mention of the cycle with the annexe-6 weights (art. 129, 136)."""
    params = load_year(facts.year).mentions
    names = params.mentions.names
    unknown = set(facts.thresholds) - set(names)
    if unknown or set(facts.thresholds) != set(names):
        raise RuleError(gettext_noop("Les seuils de mention sont un choix de l'établissement (art. 136) et doivent être donnés pour "
                        "chaque mention : {names}.", names=', '.join(names)))
    ordered = [facts.thresholds[n] for n in names]
    if ordered != sorted(ordered):
        raise RuleError(gettext_noop("Les seuils de mention doivent croître de la satisfaction à la plus grande distinction."))
    scheme = weighting(facts.year, facts.domain, facts.kind)
    if scheme is None:
        known = ", ".join(f"{w.domain}/{w.kind}" for w in params.weights)
        raise RuleError(gettext_noop("Aucune pondération de l'annexe 6 pour {domain}/{facts_kind} (connues : {known}).", domain=facts.domain, facts_kind=facts.kind, known=known))
    ex = Explanation()
    missing = [u.code for u in facts.ues if not u.acquired]
    if missing:
        ex.add("Art. 129, 136", gettext_noop("Crédits du cycle non tous acquis ({missing}) : pas de grade, pas de mention.", missing=', '.join(missing)))
        return ex.decide({"degree": False, "mention": None, "percentage": None})
    blocs_present = {u.bloc for u in facts.ues}
    if blocs_present != set(scheme.blocs):
        raise RuleError(gettext_noop("Les UE doivent couvrir exactement les blocs {blocs} de l'annexe 6 "
                        "(reçu : {blocs_present}).", blocs=sorted(scheme.blocs), blocs_present=sorted(blocs_present)))
    parts = []
    weighted = Decimal(0)
    for bloc, pct in scheme.blocs.items():
        ues = [u for u in facts.ues if u.bloc == bloc]
        bloc_credits = sum(u.credits for u in ues)
        avg = sum((u.effective_note * u.credits for u in ues), Decimal(0)) / bloc_credits  # type: ignore[operator]
        weighted += avg * pct / 100
        parts.append(gettext_noop("bloc {bloc} : {average:note}/20 × {pct:number} %", bloc=bloc, average=avg.quantize(Decimal('0.01')),
                                  pct=pct))
    percentage = (weighted * 5).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # /20 → %
    ex.add(scheme.article, gettext_noop("Pondération « {label} » : {parts} → {percentage:number} %.", label=scheme.label,
                                        parts=joined(parts, " ; "), percentage=percentage))
    earned = None
    for name in names:
        if percentage >= facts.thresholds[name]:
            earned = name
    ex.add("Art. 136", gettext_noop("Seuils fixés par l'établissement : {thresholds}. "
           "Mention au pourcentage : {earned}.", thresholds=joined([gettext_noop("{name} ≥ {threshold:number} %",
           name=MENTION_NAMES.get(n, n), threshold=facts.thresholds[n]) for n in names], ", "),
           earned=MENTION_NAMES.get(earned, earned) if earned else gettext_noop('aucune')))
    if facts.jury_raise:
        if not facts.jury_motivation.strip():
            raise RuleError(gettext_noop("Une mention supérieure au critère de pourcentage doit être motivée par le jury (art. 136)."))
        index = names.index(earned) + 1 if earned else 0
        if index >= len(names):
            raise RuleError(gettext_noop("La plus grande distinction est déjà atteinte : aucune mention supérieure n'existe."))
        earned = names[index]
        ex.add("Art. 136", gettext_noop("Mention supérieure attribuée par le jury après motivation : {jury_motivation}", jury_motivation=facts.jury_motivation.strip()))
    return ex.decide({"degree": True, "mention": earned, "percentage": percentage})


class QuorumFacts(Facts):
    members: int = Field(ge=0)  # members of the jury
    teachers_who_examined: int = Field(ge=1)  # teachers who took part in the year's evaluations
    teachers_present: int = Field(ge=0)
    president_present: bool = True
    secretary_present: bool = True


def quorum(facts: QuorumFacts) -> Decision:
    """Whether the jury deliberates validly (art. 128)."""
    ex = Explanation()
    ok = True
    if facts.teachers_present > facts.teachers_who_examined:
        raise RuleError(gettext_noop("Plus d'enseignants présents que d'enseignants ayant participé aux épreuves."))
    if facts.members < 5:
        ok = False
        ex.add("Art. 128", gettext_noop("Le jury compte au minimum 5 personnes ({members}).", members=facts.members))
    if not facts.president_present:
        ex.add("Art. 128", gettext_noop("Le président du jury (directeur de département) est absent : le directeur de domaine désigne "
               "son remplaçant parmi le collège de direction plénier."))
    if 2 * facts.teachers_present > facts.teachers_who_examined:
        ex.add("Art. 128", gettext_noop("Enseignants présents : {teachers_present} sur {teachers_who_examined} ayant participé "
               "aux épreuves, plus de la moitié : le jury délibère valablement.", teachers_present=facts.teachers_present, teachers_who_examined=facts.teachers_who_examined))
    else:
        ok = False
        ex.add("Art. 128", gettext_noop("Enseignants présents : {teachers_present} sur {teachers_who_examined} ; il en faut plus "
               "de la moitié, le jury ne délibère pas valablement.", teachers_present=facts.teachers_present, teachers_who_examined=facts.teachers_who_examined))
    return ex.decide({"valid": ok})


KINSHIP = {"parent": gettext_noop("Parent"), "allie": gettext_noop("Allie")}  # as the reasons have always named them


class ConflictFacts(Facts):
    relationship: Literal["aucun", "conjoint", "parent", "allie"]
    degree: int | None = Field(default=None, ge=1)


def may_sit(facts: ConflictFacts) -> Decision:
    """Whether a jury member may examine or deliberate on a student (art. 131)."""
    ex = Explanation()
    if facts.relationship == "aucun":
        ex.add("Art. 131", gettext_noop("Aucun lien de parenté ou d'alliance déclaré."))
        return ex.decide(True)
    if facts.relationship == "conjoint":
        ex.add("Art. 131", gettext_noop("Le membre est le conjoint de l'étudiant : il ne peut ni assister à l'examen, ni le faire subir, "
               "ni délibérer."))
        return ex.decide(False)
    if facts.degree is None:
        raise RuleError(gettext_noop("Le degré de parenté ou d'alliance est nécessaire (art. 131)."))
    if facts.degree <= 4:
        ex.add("Art. 131", gettext_noop("{relationship} au {degree}e degré (jusqu'au quatrième inclus) : le membre "
               "ne peut ni assister à l'examen, ni le faire subir, ni délibérer.", relationship=KINSHIP[facts.relationship], degree=facts.degree))
        return ex.decide(False)
    ex.add("Art. 131", gettext_noop("{relationship} au {degree}e degré : au-delà du quatrième, pas d'interdiction.", relationship=KINSHIP[facts.relationship], degree=facts.degree))
    return ex.decide(True)


class SessionFacts(Facts):
    evaluation_period: Literal[1, 2, 3]
    end_of_cycle: bool
    presents_whole_residual_programme: bool = False


def deliberated(facts: SessionFacts) -> Decision:
    """Whether the student is deliberated after this evaluation period (art. 129, 133)."""
    ex = Explanation()
    if facts.evaluation_period != 1:
        ex.add("Art. 133", gettext_noop("Des délibérations sont organisées à l'issue de chaque période d'évaluation."))
        return ex.decide(True)
    if facts.end_of_cycle and facts.presents_whole_residual_programme:
        ex.add("Art. 129, 133", gettext_noop("Fin de cycle ayant présenté l'ensemble du programme résiduel : délibéré dès la fin du "
               "premier quadrimestre."))
        return ex.decide(True)
    ex.add("Art. 133", gettext_noop("Les délibérations de janvier ne concernent que les étudiants en fin de cycle qui présentent "
           "l'ensemble de leur programme résiduel."))
    return ex.decide(False)
