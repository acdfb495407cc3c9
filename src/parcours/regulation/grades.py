"""Notes, special codes, UE aggregation and carry-over (art. 98, 100-102, 110, 114, 134)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import Field, model_validator

from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, gettext_noop, joined

THRESHOLD = Decimal(10)  # art. 100: "Le seuil de réussite … est de 10/20"
# Art. 100: the UE result's last reason when failed; a jury grant (art. 134) supersedes it.
BELOW_THRESHOLD = gettext_noop("Seuil de réussite de 10/20 non atteint : les crédits ne sont pas acquis.")
SpecialCode = Literal["FR", "CM", "ML", "PP", "PR"]
SPECIAL_CODES: dict[str, str] = {
    "FR": gettext_noop("fraude ou faute grave"),
    "CM": gettext_noop("certificat médical"),
    "ML": gettext_noop("motif légitime"),
    "PP": gettext_noop("pas présenté"),
    "PR": gettext_noop("note de présence"),
}


def fr_note(note: Decimal | None, special: str = "") -> str:
    """A note as a French reader writes it, in a reason or on a sheet: decimal comma, no trailing zeros (10,5 ;
    11,75 ; 14), the special code instead when there is one (art. 100), '' for nothing yet. The one formatter of
    notes: sheets, results and reasons call it."""
    if special:
        return special
    if note is None:
        return ""
    text = format(note.quantize(Decimal("0.001")).normalize(), "f")
    return text.replace(".", ",")


def round_half_point(note: Decimal) -> Decimal:
    """Art. 100: the note is rounded to the half point "de manière mathématique" (half up)."""
    if not Decimal(0) <= note <= Decimal(20):
        raise RuleError(gettext_noop("Une note s'exprime entre 0 et 20 (art. 100) ; reçu {note}.", note=note))
    return (note * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


class Activity(Facts):
    """One activité d'apprentissage of a UE: a note out of 20, a special code, or nothing yet."""

    code: str = ""
    note: Decimal | None = Field(default=None, ge=0, le=20)
    special: SpecialCode | None = None
    weight: Decimal = Field(default=Decimal(1), gt=0)

    @model_validator(mode="after")
    def _one_of(self) -> Activity:
        if self.note is not None and self.special is not None:
            raise ValueError("une activité a soit une note, soit une note spéciale, pas les deux")
        return self


class UEFacts(Facts):
    code: str = ""
    credits: int = Field(default=0, ge=0)
    activities: list[Activity] = Field(min_length=1)
    # The mean of the student's programme annuel, needed only when a single-activity UE has no note.
    programme_average: Decimal | None = Field(default=None, ge=0, le=20)


def ue_result(facts: UEFacts) -> Decision:
    """The final evaluation of a UE and whether its credits are acquired (art. 100)."""
    ex = Explanation()
    specials = [a.special for a in facts.activities if a.special is not None]
    if specials:
        codes = list(dict.fromkeys(specials))
        labels = joined([gettext_noop("{code} ({label})", code=c, label=SPECIAL_CODES[c]) for c in codes], ", ")
        ex.add("Art. 100", gettext_noop("Note spéciale obtenue dans une activité : {labels}. L'évaluation est incomplète : "
               "l'unité d'enseignement n'est pas validée et s'exprime par la note spéciale.", labels=labels))
        if "FR" in codes:
            ex.add("Art. 110, 114", gettext_noop("Une fraude ou faute grave dans une partie d'activité vaut FR pour toute "
                   "l'activité et toute l'unité d'enseignement."))
            codes = ["FR"]
        return ex.decide({"note": " ".join(codes), "acquired": False, "credits": 0})

    notes: list[tuple[Decimal, Decimal]] = []
    missing = [a for a in facts.activities if a.note is None]
    present = [a for a in facts.activities if a.note is not None]
    for a in present:
        notes.append((a.note, a.weight))  # type: ignore[arg-type]
    if missing:
        if len(facts.activities) == 1:
            if facts.programme_average is None:
                raise RuleError(gettext_noop("Note manquante dans une UE à une seule activité : la moyenne du programme annuel "
                                "de l'étudiant est nécessaire (art. 100)."))
            fill = max(facts.programme_average, THRESHOLD)
            ex.add("Art. 100", gettext_noop("Note manquante en début de délibération : remplacée par la moyenne du programme "
                   "annuel ({programme_average}/20), sans pouvoir être inférieure à 10/20 → {fill}/20.", programme_average=facts.programme_average, fill=fill))
        else:
            if not present:
                raise RuleError(gettext_noop("Toutes les notes de l'UE manquent : aucune note ne peut être reconstituée (art. 100)."))
            mean = sum((a.note for a in present), Decimal(0)) / len(present)  # type: ignore[misc]
            fill = max(mean, THRESHOLD)
            ex.add("Art. 100", gettext_noop("Note manquante en début de délibération : remplacée par la moyenne des autres "
                   "activités de l'UE ({quantize}/20), sans pouvoir être inférieure à "
                   "10/20 → {quantize2}/20.", quantize=mean.quantize(Decimal('0.01')), quantize2=fill.quantize(Decimal('0.01'))))
        notes.extend((fill, a.weight) for a in missing)

    total_weight = sum((w for _, w in notes), Decimal(0))
    raw = sum((n * w for n, w in notes), Decimal(0)) / total_weight
    if len(notes) > 1:
        ex.add("Art. 63", gettext_noop("Les notes des activités sont intégrées selon la pondération fixée collégialement par "
               "les enseignants (fiche ECTS)."))
    final = round_half_point(raw)
    ex.add("Art. 100", gettext_noop("Note finale {raw:note}/20 arrondie au demi-point : {final:note}/20.", raw=raw, final=final))
    acquired = final >= THRESHOLD
    ex.add("Art. 100", (gettext_noop("Seuil de réussite de 10/20 atteint : les crédits sont acquis de manière définitive.")
                        if acquired else BELOW_THRESHOLD))
    return ex.decide({"note": final, "acquired": acquired, "credits": facts.credits if acquired else 0})


class CarryOverFacts(Facts):
    """One activity note leaving an evaluation period, in a UE the jury did not validate."""

    student: Literal["bloc1", "poursuite"]  # bloc1: UE of bloc 1 of the 1st cycle (art. 101); else art. 102
    from_period: Literal[1, 2, 3]
    note: Decimal = Field(ge=0, le=20)
    retake_requested: bool = False  # the student asks to retake an activity passed at 10/20 or more
    retake_waived: bool = False  # bloc 1, note < 10 after January: the student renounces the retake (art. 98)
    next_year: bool = False  # carry-over to the next academic year (art. 134)
    integrated_exam_changed: bool = False  # the UE's evaluation became an épreuve intégrée (art. 134)


def carry_over(facts: CarryOverFacts) -> Decision:
    """Whether an activity note follows the student to the next evaluation period (art. 98, 101, 102, 134)."""
    ex = Explanation()
    passed = round_half_point(facts.note) >= THRESHOLD  # art. 100: rounded before the threshold
    if facts.next_year or facts.from_period == 3:
        if facts.integrated_exam_changed:
            ex.add("Art. 134", gettext_noop("Les modalités d'évaluation de l'UE ont été modifiées en épreuve intégrée : pas de report."))
            return ex.decide("remise_a_zero")
        if passed:
            ex.add("Art. 134", gettext_noop("Activité réussie à 10/20 dans une UE non validée : la note est reportée d'une année "
                   "académique à l'autre."))
            return ex.decide("reportee")
        ex.add("Art. 134", gettext_noop("Seules les activités réussies à 10/20 sont reportées d'une année à l'autre."))
        return ex.decide("non_reportee")

    if facts.student == "bloc1":
        if facts.from_period == 1:
            if passed:
                if facts.retake_requested:
                    ex.add("Art. 98, 101", gettext_noop("L'étudiant a demandé à représenter l'épreuve : sa note est remise à zéro ; "
                           "s'il ne se présente pas, il obtient PP."))
                    return ex.decide("remise_a_zero", absent="PP")
                ex.add("Art. 101", gettext_noop("Note de janvier d'au moins 10/20 : reportée à la période de juin."))
                return ex.decide("reportee")
            if facts.retake_waived:
                ex.add("Art. 98, 101", gettext_noop("Note de janvier inférieure à 10/20 et l'étudiant renonce à être réinterrogé : "
                       "la note est reportée automatiquement en juin."))
                return ex.decide("reportee")
            ex.add("Art. 98", gettext_noop("Note de janvier inférieure à 10/20 : l'étudiant a le droit d'être réinterrogé en juin ; "
                   "la note de janvier n'entre pas en ligne de compte en cas d'échec."))
            return ex.decide("a_representer")
        # from period 2 to 3
        if passed:
            if facts.retake_requested:
                ex.add("Art. 134", gettext_noop("L'étudiant a demandé à représenter une activité réussie : note remise à zéro ; PP s'il "
                       "ne se présente pas."))
                return ex.decide("remise_a_zero", absent="PP")
            ex.add("Art. 134", gettext_noop("Activité réussie à 10/20 dans une UE non validée : reportée à la période suivante."))
            return ex.decide("reportee")
        ex.add("Art. 101", gettext_noop("Note de juin inférieure à 10/20 dans une UE non validée : remise à zéro pour la période "
               "de fin du 3e quadrimestre ; PP si l'étudiant ne se présente pas."))
        return ex.decide("remise_a_zero", absent="PP")

    # poursuite d'études or fin de cycle: art. 102
    if facts.from_period == 1:
        ex.add("Art. 102", gettext_noop("Étudiant en poursuite d'études ou en fin de cycle : les notes de janvier sont d'office "
               "reportées à juin, quelle que soit la note."))
        return ex.decide("reportee")
    if passed:
        if facts.retake_requested:
            ex.add("Art. 102", gettext_noop("L'étudiant a expressément demandé à représenter l'épreuve : note remise à zéro ; PP s'il "
                   "ne se présente pas."))
            return ex.decide("remise_a_zero", absent="PP")
        ex.add("Art. 102", gettext_noop("Note d'au moins 10/20 dans une UE non validée : reportée à la période de fin du 3e quadrimestre."))
        return ex.decide("reportee")
    ex.add("Art. 102", gettext_noop("Note inférieure à 10/20 dans une UE non validée : remise à zéro pour la période de fin du "
           "3e quadrimestre ; PP si l'étudiant ne se présente pas."))
    return ex.decide("remise_a_zero", absent="PP")


class JuryGrantFacts(Facts):
    period: Literal[1, 2, 3]
    note: Decimal | None = Field(default=None, ge=0, le=20)
    special: SpecialCode | None = None
    jury_judges_failure_acceptable: bool

    @model_validator(mode="after")
    def _not_both(self) -> JuryGrantFacts:
        if self.note is not None and self.special is not None:
            raise ValueError("une UE a soit une note, soit une note spéciale, pas les deux")
        return self


def jury_grant(facts: JuryGrantFacts) -> Decision:
    """Whether the jury may grant the credits of a failed UE (art. 134), and the note that results."""
    ex = Explanation()
    if facts.special is not None:
        # Art. 100: a special note makes the evaluation incomplete and the UE is not validated; art. 134 lets the
        # jury accept "un échec", which an incomplete evaluation is not.
        ex.add("Art. 100", gettext_noop("Note spéciale {special} ({special_codes}) : l'évaluation est "
               "incomplète, l'unité d'enseignement n'est pas validée.", special=facts.special, special_codes=SPECIAL_CODES[facts.special]))
        if facts.special == "FR":
            ex.add("Art. 110, 114", gettext_noop("La fraude ou faute grave est sanctionnée par un FR pour l'ensemble de l'unité "
                   "d'enseignement."))
        ex.add("Art. 134", gettext_noop("Le jury ne peut octroyer que les crédits d'une UE en échec (note chiffrée inférieure à "
               "10/20), pas ceux d'une UE à l'évaluation incomplète."))
        return ex.decide({"granted": False, "note": facts.special})
    note = None if facts.note is None else round_half_point(facts.note)
    if note is not None and note != facts.note:
        ex.add("Art. 100", gettext_noop("Note {note:note}/20 arrondie au demi-point avant le seuil : {note2:note}/20.", note=facts.note, note2=note))
    if note is not None and note >= THRESHOLD:
        ex.add("Art. 100", gettext_noop("La note atteint déjà le seuil de 10/20 : les crédits sont acquis de plein droit."))
        return ex.decide({"granted": True, "note": note})
    if facts.period == 1:
        ex.add("Art. 134", gettext_noop("Le jury ne peut octroyer les crédits d'une UE en échec qu'à l'issue du 2e ou du 3e quadrimestre."))
        return ex.decide({"granted": False, "note": note})
    if not facts.jury_judges_failure_acceptable:
        ex.add("Art. 134, annexe 3", gettext_noop("Le jury n'a pas jugé l'échec acceptable au vu de l'ensemble des résultats "
               "(décision laissée à l'appréciation du jury)."))
        return ex.decide({"granted": False, "note": note})
    ex.add("Art. 134, annexe 3", gettext_noop("Le jury juge l'échec acceptable au vu de l'ensemble des résultats : il octroie "
           "définitivement les crédits."))
    ex.add("Art. 134", gettext_noop("La note est considérée comme ayant atteint le seuil de réussite et portée à 10/20."))
    return ex.decide({"granted": True, "note": THRESHOLD})
