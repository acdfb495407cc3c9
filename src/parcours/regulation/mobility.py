"""Student mobility (art. 214-219) and the outgoing candidature procedure of the Bachelier en
assistant social co-organised by HENALLUX and HERS (seed 000)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic import Field, field_validator

from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, fr_date
from parcours.regulation.params import load_year

Kind = Literal["SMS", "SMT", "OLS", "BELGICA_STUDIES", "BELGICA_TRAINEESHIP", "FAME", "STAGE_HORS_PROGRAMME",
               "INTERCOMMUNAUTAIRE"]
PROCEDURE = "Procédure mobilité AS"
BRUSSELS = ZoneInfo("Europe/Brussels")  # the HELHa's deadlines are Brussels time


class EligibilityFacts(Facts):
    year: str = "2023-2024"
    kind: Kind
    # Art. 214: the department direction's recorded decision; None while it has not decided yet.
    department_authorised: bool | None
    credits_passed: int = Field(default=0, ge=0)
    department_min_credits: int | None = Field(default=None, ge=0)  # art. 215: the department's choice
    fame_already_used: bool = False
    outside_europe: bool | None = None
    section: str = ""
    bloc1_credits: int = Field(default=0, ge=0)
    other_community_language: bool = False  # art. 219: teaching competence in the other Community's language
    fame_purpose: Literal["etudes", "stage"] = "etudes"  # art. 217: same rules as SMS (studies) or SMT (stage)


def eligibility(facts: EligibilityFacts) -> Decision:
    params = load_year(facts.year).mobility
    kind = params.kinds[facts.kind]
    ex = Explanation()
    ok = True
    ex.add(kind.article, f"Mobilité demandée : {kind.label}.")
    if facts.department_authorised:
        ex.add("Art. 214", "Séjour autorisé par le directeur de département ou son représentant.")
    elif facts.department_authorised is None:
        ex.add("Art. 214", "Autorisation du directeur de département ou de son représentant : à obtenir avant "
               "l'ouverture du dossier de mobilité.")
    else:
        ok = False
        ex.add("Art. 214", "Un séjour d'études ou de stage à l'étranger est soumis à l'autorisation du directeur de "
               "département : autorisation non donnée.")
    studies = facts.kind in ("SMS", "BELGICA_STUDIES") or (facts.kind == "FAME" and facts.fame_purpose == "etudes")
    if studies:
        if facts.department_min_credits is None:
            raise RuleError("Mobilité d'études : le minimum de crédits réussis est fixé par le département (art. 215) et "
                            "doit être donné (department_min_credits).")
        if facts.credits_passed >= facts.department_min_credits:
            ex.add("Art. 215", f"{facts.credits_passed} crédits réussis, minimum du département : "
                   f"{facts.department_min_credits}.")
        else:
            ok = False
            ex.add("Art. 215", f"{facts.credits_passed} crédits réussis, sous le minimum de {facts.department_min_credits} "
                   "imposé par le département.")
    if facts.kind == "FAME":
        if facts.fame_already_used:
            ok = False
            ex.add("Art. 217", "Le FAME n'est accordé qu'une seule fois durant le cursus : déjà utilisé.")
        else:
            ex.add("Art. 217", "Le FAME n'a pas encore été utilisé durant le cursus.")
        if facts.outside_europe is None:
            raise RuleError("FAME : préciser si la destination est hors Europe (art. 217).")
        if facts.outside_europe:
            ex.add("Art. 217", "Destination hors Europe, objet du FAME.")
        else:
            ok = False
            ex.add("Art. 217", "Le FAME finance une partie du cursus effectuée en dehors de l'Europe : destination "
                   "européenne exclue.")
    if facts.kind == "INTERCOMMUNAUTAIRE":
        ic = params.intercommunity
        if facts.section != ic.section:
            ok = False
            ex.add("Art. 219", "Programme réservé à la section bachelier AESI, sous-section langues germaniques.")
        if facts.bloc1_credits < ic.bloc1_min_credits.value:
            ok = False
            ex.add("Art. 219", f"Premier bloc réussi d'au moins {ic.bloc1_min_credits.value} crédits exigé "
                   f"({facts.bloc1_credits}).")
        if not facts.other_community_language:
            ok = False
            ex.add("Art. 219", "Compétence d'enseignement dans la langue d'une autre Communauté exigée.")
        if ok:
            ex.add("Art. 219", f"L'étudiant suit au moins {ic.min_credits_in_other_community.value} crédits dans l'autre "
                   f"Communauté pendant les {ic.within_last_credits.value} derniers crédits du bachelier.")
    if facts.kind == "STAGE_HORS_PROGRAMME":
        ex.add("Art. 218", "Stage hors Erasmus et FAME : prescriptions du département ; aide financière possible du "
               "Conseil social (deux documents à remplir).")
    return ex.decide(ok)


class DurationFacts(Facts):
    year: str = "2023-2024"
    kind: Kind
    start: dt.date
    end: dt.date


def duration(facts: DurationFacts) -> Decision:
    """Minimum and maximum duration of a mobility (art. 215-217)."""
    if facts.end < facts.start:
        raise RuleError("La date de fin de la mobilité précède sa date de début.")
    kind = load_year(facts.year).mobility.kinds[facts.kind]
    ex = Explanation()
    days = (facts.end - facts.start).days + 1
    ok = True
    if kind.min_weeks is None and kind.max_months is None:
        ex.add(kind.article, f"{kind.label} : pas de durée imposée par le RGE.")
        return ex.decide(True, days=days)
    if kind.min_weeks is not None:
        months_end = (facts.start + relativedelta(months=kind.min_months) - dt.timedelta(days=1)
                      if kind.min_months is not None else None)
        if days >= kind.min_weeks * 7:
            ex.add(kind.article, f"{days} jours : au moins {kind.min_weeks} semaines.")
        elif months_end is not None and facts.end >= months_end:
            # Reading of "13 semaines -3 mois- minimum": the text gives one minimum in two measures; three calendar
            # months (which may hold fewer than 91 days, e.g. February to April) meet it as well.
            ex.add(kind.article, f"{days} jours, moins de {kind.min_weeks} semaines mais {kind.min_months} mois civils "
                   f"(du {fr_date(facts.start)} au {fr_date(months_end)} au moins) : lecture retenue, le minimum "
                   f"« {kind.min_weeks} semaines – {kind.min_months} mois » est atteint par l'une ou l'autre mesure.")
        else:
            ok = False
            extra = f" ni {kind.min_months} mois civils" if kind.min_months is not None else ""
            ex.add(kind.article, f"{days} jours : moins que le minimum de {kind.min_weeks} semaines{extra}.")
    if kind.max_months is not None:
        latest = facts.start + relativedelta(months=kind.max_months) - dt.timedelta(days=1)
        if facts.end <= latest:
            ex.add(kind.article, f"Fin le {fr_date(facts.end)} : dans le maximum de {kind.max_months} mois.")
        else:
            ok = False
            ex.add(kind.article, f"Fin le {fr_date(facts.end)} : au-delà du maximum de {kind.max_months} mois "
                   f"(au plus tard le {fr_date(latest)}).")
    return ex.decide(ok, days=days)


class LearningAgreementFacts(Facts):
    year: str = "2023-2024"
    # ECTS of table A (the components studied at the host), per quadrimestre of the mobility. The home UEs of
    # table B are what they replace: they never count towards these totals.
    quadrimestre_credits: list[int] = Field(min_length=1, max_length=2)


def learning_agreement(facts: LearningAgreementFacts) -> Decision:
    """Credits of a learning agreement for studies, on table A alone (art. 215): 20 to 33 ECTS per quadrimestre and,
    over a full year at the host, at least 60. Its acceptance is the three signatures, not a credit rule."""
    la = load_year(facts.year).mobility.learning_agreement
    lo, hi, year_min = la.per_quadrimestre_min.value, la.per_quadrimestre_max.value, la.per_year_min.value
    ex = Explanation()
    ok = True
    for i, c in enumerate(facts.quadrimestre_credits, start=1):
        if lo <= c <= hi:
            ex.add(la.per_quadrimestre_min.article, f"Tableau A, quadrimestre {i} : {c} ECTS, entre {lo} et {hi}.")
        else:
            ok = False
            ex.add(la.per_quadrimestre_min.article, f"Tableau A, quadrimestre {i} : {c} ECTS, hors de la fourchette "
                   f"de {lo} à {hi} crédits.")
    total = sum(facts.quadrimestre_credits)
    if len(facts.quadrimestre_credits) == 2:
        if total >= year_min:
            ex.add(la.per_year_min.article, f"Année complète à l'étranger : {total} ECTS au tableau A, au moins {year_min}.")
        else:
            ok = False
            ex.add(la.per_year_min.article, f"Année complète à l'étranger : {total} ECTS au tableau A ; le total de "
                   f"l'année doit être d'au moins {year_min}.")
    else:
        ex.add(la.per_year_min.article, f"Mobilité d'un quadrimestre : les {year_min} crédits de l'année se complètent "
               "par le programme suivi à la HELHa l'autre quadrimestre.")
    return ex.decide(ok, table_a_total=total)


class CandidatureFacts(Facts):
    year: str = "2023-2024"
    # A date, or a timestamp (with or without time zone): deadlines are Brussels time, so a timestamp counts on the
    # day it was in Brussels; one without a time zone is read as Brussels time.
    submitted_on: dt.date
    canada: bool = False  # course mobility to Canada: earlier deadline
    documents: list[Literal["formulaire", "lettre_motivation", "cv", "bulletins"]] = []
    letter_signed: bool = False
    bloc2_bulletin_available: bool = False
    bloc2_bulletin_attached: bool = False
    sent_to: list[Literal["HENALLUX", "HERS"]] = []


    @field_validator("submitted_on", mode="before")
    @classmethod
    def _brussels_day(cls, value):
        moment = value
        if isinstance(value, str) and "T" in value:
            try:
                moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value  # pydantic reports the invalid date
        if isinstance(moment, dt.datetime):
            return moment.astimezone(BRUSSELS).date() if moment.tzinfo else moment.date()
        return value


def candidature(facts: CandidatureFacts) -> Decision:
    """Completeness and timeliness of an outgoing-mobility candidature (seed 000, points 1.2-1.4)."""
    c = load_year(facts.year).mobility.candidature
    ex = Explanation()
    missing: list[str] = []
    for doc in c.documents:
        if doc.required and doc.code not in facts.documents:
            missing.append(doc.label)
    if "lettre_motivation" in facts.documents and not facts.letter_signed:
        missing.append("Signature de la lettre de motivation")
    if facts.bloc2_bulletin_available and not facts.bloc2_bulletin_attached:
        missing.append("Bulletin de bloc 2 (disponible)")
    if missing:
        ex.add(f"{PROCEDURE}, 1.2", "Pièces manquantes : " + " ; ".join(missing) + ".")
    else:
        ex.add(f"{PROCEDURE}, 1.2", "Les quatre documents de candidature sont joints.")
    not_sent = [r for r in c.recipients if r not in facts.sent_to]
    if not_sent:
        ex.add(f"{PROCEDURE}, 1.2", "La candidature est envoyée conjointement à HENALLUX et à HERS ; pas encore envoyée à : "
               + ", ".join(not_sent) + ".")
    limit = c.deadline_canada if facts.canada else c.deadline
    in_time = facts.submitted_on <= limit.date
    ex.add(limit.article, f"{limit.label} : au plus tard le {fr_date(limit.date)} ; reçue le {fr_date(facts.submitted_on)}"
           f" — {'dans les délais' if in_time else 'hors délai'}.")
    complete = not missing and not not_sent
    if complete and in_time:
        ex.add(f"{PROCEDURE}, 1.3", "Candidature recevable : examen par le comité (responsables RI, coordinateurs de section "
               "et responsables d'année) dans les semaines qui suivent.")
    return ex.decide({"admissible": complete and in_time, "complete": complete, "in_time": in_time,
                      "deadline": limit.date, "missing": missing, "not_sent_to": not_sent})


class DeadlineFacts(Facts):
    year: str = "2023-2024"
    canada_study: bool  # a course (study) mobility to Canada; a traineeship there keeps the general deadline


def candidature_deadline(facts: DeadlineFacts) -> Decision:
    """Point 1.2: 19 February for course or traineeship mobilities; 8 December for course mobilities to Canada only."""
    c = load_year(facts.year).mobility.candidature
    limit = c.deadline_canada if facts.canada_study else c.deadline
    ex = Explanation()
    ex.add(limit.article, f"{limit.label} : au plus tard le {fr_date(limit.date)}.")
    return ex.decide(limit.date)


class StayFacts(Facts):
    year: str = "2023-2024"
    kind: Kind
    arrival: dt.date
    departure: dt.date | None = None
    today: dt.date


def stay(facts: StayFacts) -> Decision:
    """The attestation de séjour signed by the host (seed 000, 2 PENDANT): dates already lived, in order, and the
    actual duration within the kind's minimum and maximum (art. 215-217)."""
    ex = Explanation()
    where = f"{PROCEDURE}, 2"
    for label, day in (("arrivée", facts.arrival), ("départ", facts.departure)):
        if day is not None and day > facts.today:
            ex.add(where, f"Date d'{label} du {fr_date(day)} postérieure à aujourd'hui ({fr_date(facts.today)}) : "
                   "l'attestation atteste des dates vécues.")
            return ex.decide(False)
    if facts.departure is None:
        ex.add(where, f"Arrivée attestée le {fr_date(facts.arrival)} par l'établissement d'accueil.")
        return ex.decide(True)
    if facts.departure < facts.arrival:
        ex.add(where, "La date de départ précède la date d'arrivée.")
        return ex.decide(False)
    ex.add(where, f"Séjour attesté du {fr_date(facts.arrival)} au {fr_date(facts.departure)}.")
    check = duration(DurationFacts(year=facts.year, kind=facts.kind, start=facts.arrival, end=facts.departure))
    for r in check.reasons:
        ex.add(r.article, r.text)
    return ex.decide(bool(check.outcome))


def _eur(value: Decimal) -> str:
    """An amount the Belgian way: 2 448,00 €."""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " €"


class GrantFacts(Facts):
    start: dt.date
    end: dt.date
    # Monthly rates are the managing institution's choices (per country group and kind), not the RGE's.
    monthly_rate: Decimal = Field(ge=0)
    fwb_topup_monthly: Decimal = Field(default=Decimal(0), ge=0)
    fwb_boursier: bool = False
    first_instalment_percent: int = Field(default=80, ge=0, le=100)


def grant(facts: GrantFacts) -> Decision:
    """The mobility grant of the contrat de bourse (art. 215; seed 000, 2 AVANT): whole months at the monthly rate, the
    remaining days at a thirtieth of it each, plus the top-up for FWB grant holders; paid in two instalments."""
    if facts.end < facts.start:
        raise RuleError("La date de fin de la mobilité précède sa date de début.")
    span = relativedelta(facts.end + dt.timedelta(days=1), facts.start)
    months = span.years * 12 + span.months
    days = span.days
    monthly = facts.monthly_rate + (facts.fwb_topup_monthly if facts.fwb_boursier else Decimal(0))
    amount = (monthly * months + monthly * days / 30).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    first = (amount * facts.first_instalment_percent / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    ex = Explanation()
    ex.add("Art. 215", f"Durée : {months} mois et {days} jour(s), du {fr_date(facts.start)} au {fr_date(facts.end)}.")
    ex.add("Art. 215", "Taux mensuel de l'établissement gestionnaire (choix de l'établissement) : "
           f"{_eur(facts.monthly_rate)}" + (f", complément boursier FWB {_eur(facts.fwb_topup_monthly)}."
                                            if facts.fwb_boursier else "."))
    ex.add("Art. 215", f"Montant : {_eur(amount)} ; {facts.first_instalment_percent} % avant le départ "
           f"({_eur(first)}), le solde ({_eur(amount - first)}) après le rapport de mobilité. La bourse est remboursée "
           "si les conditions ne sont pas respectées.")
    return ex.decide(amount, months=months, days=days, first_instalment=first, balance=amount - first)


class GradeFacts(Facts):
    host_grade: Decimal = Field(ge=0)
    host_max: Decimal = Field(gt=0)
    host_pass: Decimal = Field(gt=0)


def convert_grade(facts: GradeFacts) -> Decision:
    """A host grade on the /20 scale of the RGE (art. 100): the host's pass mark becomes 10/20 and its maximum 20/20,
    linearly on each side. The conversion table is the institution's choice; this is the one it applies."""
    if facts.host_grade > facts.host_max or facts.host_pass >= facts.host_max:
        raise RuleError("Note d'accueil hors de l'échelle, ou seuil de réussite au-delà du maximum.")
    if facts.host_grade >= facts.host_pass:
        value = 10 + (facts.host_grade - facts.host_pass) * 10 / (facts.host_max - facts.host_pass)
    else:
        value = facts.host_grade * 10 / facts.host_pass
    value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    ex = Explanation()
    ex.add("Art. 215", f"Note de l'établissement d'accueil {facts.host_grade}/{facts.host_max} (réussite à "
           f"{facts.host_pass}) : {value}/20 (conversion linéaire, choix de l'établissement).")
    return ex.decide(value)
