"""Student mobility (art. 214-219) and the outgoing candidature procedure of the Bachelier en
assistant social co-organised by HENALLUX and HERS (seed 000)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic import Field, field_validator

from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, gettext_noop, joined
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
    ex.add(kind.article, gettext_noop("Mobilité demandée : {kind_label}.", kind_label=kind.label))
    if facts.department_authorised:
        ex.add("Art. 214", gettext_noop("Séjour autorisé par le directeur de département ou son représentant."))
    elif facts.department_authorised is None:
        ex.add("Art. 214", gettext_noop("Autorisation du directeur de département ou de son représentant : à obtenir avant "
               "l'ouverture du dossier de mobilité."))
    else:
        ok = False
        ex.add("Art. 214", gettext_noop("Un séjour d'études ou de stage à l'étranger est soumis à l'autorisation du directeur de "
               "département : autorisation non donnée."))
    studies = facts.kind in ("SMS", "BELGICA_STUDIES") or (facts.kind == "FAME" and facts.fame_purpose == "etudes")
    if studies:
        if facts.department_min_credits is None:
            raise RuleError(gettext_noop("Mobilité d'études : le minimum de crédits réussis est fixé par le département (art. 215) et "
                            "doit être donné (department_min_credits)."))
        if facts.credits_passed >= facts.department_min_credits:
            ex.add("Art. 215", gettext_noop("{credits_passed} crédits réussis, minimum du département : "
                   "{department_min_credits}.", credits_passed=facts.credits_passed, department_min_credits=facts.department_min_credits))
        else:
            ok = False
            ex.add("Art. 215", gettext_noop("{credits_passed} crédits réussis, sous le minimum de {department_min_credits} "
                   "imposé par le département.", credits_passed=facts.credits_passed, department_min_credits=facts.department_min_credits))
    if facts.kind == "FAME":
        if facts.fame_already_used:
            ok = False
            ex.add("Art. 217", gettext_noop("Le FAME n'est accordé qu'une seule fois durant le cursus : déjà utilisé."))
        else:
            ex.add("Art. 217", gettext_noop("Le FAME n'a pas encore été utilisé durant le cursus."))
        if facts.outside_europe is None:
            raise RuleError(gettext_noop("FAME : préciser si la destination est hors Europe (art. 217)."))
        if facts.outside_europe:
            ex.add("Art. 217", gettext_noop("Destination hors Europe, objet du FAME."))
        else:
            ok = False
            ex.add("Art. 217", gettext_noop("Le FAME finance une partie du cursus effectuée en dehors de l'Europe : destination "
                   "européenne exclue."))
    if facts.kind == "INTERCOMMUNAUTAIRE":
        ic = params.intercommunity
        if facts.section != ic.section:
            ok = False
            ex.add("Art. 219", gettext_noop("Programme réservé à la section bachelier AESI, sous-section langues germaniques."))
        if facts.bloc1_credits < ic.bloc1_min_credits.value:
            ok = False
            ex.add("Art. 219", gettext_noop("Premier bloc réussi d'au moins {bloc1_min_credits_value} crédits exigé "
                   "({bloc1_credits}).", bloc1_min_credits_value=ic.bloc1_min_credits.value, bloc1_credits=facts.bloc1_credits))
        if not facts.other_community_language:
            ok = False
            ex.add("Art. 219", gettext_noop("Compétence d'enseignement dans la langue d'une autre Communauté exigée."))
        if ok:
            ex.add("Art. 219", gettext_noop("L'étudiant suit au moins {min_credits_in_other_community_value} crédits dans l'autre "
                   "Communauté pendant les {within_last_credits_value} derniers crédits du bachelier.", min_credits_in_other_community_value=ic.min_credits_in_other_community.value, within_last_credits_value=ic.within_last_credits.value))
    if facts.kind == "STAGE_HORS_PROGRAMME":
        ex.add("Art. 218", gettext_noop("Stage hors Erasmus et FAME : prescriptions du département ; aide financière possible du "
               "Conseil social (deux documents à remplir)."))
    return ex.decide(ok)


class DurationFacts(Facts):
    year: str = "2023-2024"
    kind: Kind
    start: dt.date
    end: dt.date


def duration(facts: DurationFacts) -> Decision:
    """Minimum and maximum duration of a mobility (art. 215-217)."""
    if facts.end < facts.start:
        raise RuleError(gettext_noop("La date de fin de la mobilité précède sa date de début."))
    kind = load_year(facts.year).mobility.kinds[facts.kind]
    ex = Explanation()
    days = (facts.end - facts.start).days + 1
    ok = True
    if kind.min_weeks is None and kind.max_months is None:
        ex.add(kind.article, gettext_noop("{kind_label} : pas de durée imposée par le RGE.", kind_label=kind.label))
        return ex.decide(True, days=days)
    if kind.min_weeks is not None:
        months_end = (facts.start + relativedelta(months=kind.min_months) - dt.timedelta(days=1)
                      if kind.min_months is not None else None)
        if days >= kind.min_weeks * 7:
            ex.add(kind.article, gettext_noop("{days} jours : au moins {min_weeks} semaines.", days=days, min_weeks=kind.min_weeks))
        elif months_end is not None and facts.end >= months_end:
            # Reading of "13 semaines -3 mois- minimum": the text gives one minimum in two measures; three calendar
            # months (which may hold fewer than 91 days, e.g. February to April) meet it as well.
            ex.add(kind.article, gettext_noop("{days} jours, moins de {min_weeks} semaines mais {min_months} mois civils "
                   "(du {facts_start:date} au {months_end:date} au moins) : lecture retenue, le minimum "
                   "« {min_weeks} semaines – {min_months} mois » est atteint par l'une ou l'autre mesure.", days=days, min_weeks=kind.min_weeks, min_months=kind.min_months, facts_start=facts.start, months_end=months_end))
        else:
            ok = False
            ex.add(kind.article, gettext_noop("{days} jours : moins que le minimum de {min_weeks} semaines.", days=days,
                                              min_weeks=kind.min_weeks) if kind.min_months is None else
                   gettext_noop("{days} jours : moins que le minimum de {min_weeks} semaines ni {min_months} mois civils.",
                                days=days, min_weeks=kind.min_weeks, min_months=kind.min_months))
    if kind.max_months is not None:
        latest = facts.start + relativedelta(months=kind.max_months) - dt.timedelta(days=1)
        if facts.end <= latest:
            ex.add(kind.article, gettext_noop("Fin le {facts_end:date} : dans le maximum de {max_months} mois.", facts_end=facts.end, max_months=kind.max_months))
        else:
            ok = False
            ex.add(kind.article, gettext_noop("Fin le {facts_end:date} : au-delà du maximum de {max_months} mois "
                   "(au plus tard le {latest:date}).", facts_end=facts.end, max_months=kind.max_months, latest=latest))
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
            ex.add(la.per_quadrimestre_min.article, gettext_noop("Tableau A, quadrimestre {i} : {c} ECTS, entre {lo} et {hi}.", i=i, c=c, lo=lo, hi=hi))
        else:
            ok = False
            ex.add(la.per_quadrimestre_min.article, gettext_noop("Tableau A, quadrimestre {i} : {c} ECTS, hors de la fourchette "
                   "de {lo} à {hi} crédits.", i=i, c=c, lo=lo, hi=hi))
    total = sum(facts.quadrimestre_credits)
    if len(facts.quadrimestre_credits) == 2:
        if total >= year_min:
            ex.add(la.per_year_min.article, gettext_noop("Année complète à l'étranger : {total} ECTS au tableau A, au moins {year_min}.", total=total, year_min=year_min))
        else:
            ok = False
            ex.add(la.per_year_min.article, gettext_noop("Année complète à l'étranger : {total} ECTS au tableau A ; le total de "
                   "l'année doit être d'au moins {year_min}.", total=total, year_min=year_min))
    else:
        ex.add(la.per_year_min.article, gettext_noop("Mobilité d'un quadrimestre : les {year_min} crédits de l'année se complètent "
               "par le programme suivi à la HELHa l'autre quadrimestre.", year_min=year_min))
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
        ex.add(f"{PROCEDURE}, 1.2", gettext_noop("Pièces manquantes : {missing}.", missing=joined(missing, " ; ")))
    else:
        ex.add(f"{PROCEDURE}, 1.2", gettext_noop("Les quatre documents de candidature sont joints."))
    not_sent = [r for r in c.recipients if r not in facts.sent_to]
    if not_sent:
        ex.add(f"{PROCEDURE}, 1.2", gettext_noop("La candidature est envoyée conjointement à HENALLUX et à HERS ; pas encore "
                                                 "envoyée à : {not_sent}.", not_sent=", ".join(not_sent)))
    limit = c.deadline_canada if facts.canada else c.deadline
    in_time = facts.submitted_on <= limit.date
    ex.add(limit.article, gettext_noop("{limit_label} : au plus tard le {limit_date:date} ; reçue le {submitted_on:date}"
           " — {timing}.", limit_label=limit.label, limit_date=limit.date, submitted_on=facts.submitted_on, timing=gettext_noop('dans les délais') if in_time else gettext_noop('hors délai')))
    complete = not missing and not not_sent
    if complete and in_time:
        ex.add(f"{PROCEDURE}, 1.3", gettext_noop("Candidature recevable : examen par le comité (responsables RI, coordinateurs de section "
               "et responsables d'année) dans les semaines qui suivent."))
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
    ex.add(limit.article, gettext_noop("{limit_label} : au plus tard le {limit_date:date}.", limit_label=limit.label, limit_date=limit.date))
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
    # one text per date: "Date d'arrivée", "Date de départ" (the former single template wrote "Date d'départ")
    for template, day in ((gettext_noop("Date d'arrivée du {day:date} postérieure à aujourd'hui ({today:date}) : "
                                        "l'attestation atteste des dates vécues."), facts.arrival),
                          (gettext_noop("Date de départ du {day:date} postérieure à aujourd'hui ({today:date}) : "
                                        "l'attestation atteste des dates vécues."), facts.departure)):
        if day is not None and day > facts.today:
            ex.add(where, gettext_noop(template, day=day, today=facts.today))
            return ex.decide(False)
    if facts.departure is None:
        ex.add(where, gettext_noop("Arrivée attestée le {arrival:date} par l'établissement d'accueil.", arrival=facts.arrival))
        return ex.decide(True)
    if facts.departure < facts.arrival:
        ex.add(where, gettext_noop("La date de départ précède la date d'arrivée."))
        return ex.decide(False)
    ex.add(where, gettext_noop("Séjour attesté du {arrival:date} au {departure:date}.", arrival=facts.arrival, departure=facts.departure))
    check = duration(DurationFacts(year=facts.year, kind=facts.kind, start=facts.arrival, end=facts.departure))
    for r in check.reasons:
        ex.add(r.article, r.text)  # a Text keeps its template: it is shown in English as well
    return ex.decide(bool(check.outcome))


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
        raise RuleError(gettext_noop("La date de fin de la mobilité précède sa date de début."))
    span = relativedelta(facts.end + dt.timedelta(days=1), facts.start)
    months = span.years * 12 + span.months
    days = span.days
    monthly = facts.monthly_rate + (facts.fwb_topup_monthly if facts.fwb_boursier else Decimal(0))
    amount = (monthly * months + monthly * days / 30).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    first = (amount * facts.first_instalment_percent / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    ex = Explanation()
    ex.add("Art. 215", gettext_noop("Durée : {months} mois et {days} jour(s), du {facts_start:date} au {facts_end:date}.", months=months, days=days, facts_start=facts.start, facts_end=facts.end))
    ex.add("Art. 215", gettext_noop("Taux mensuel de l'établissement gestionnaire (choix de l'établissement) : {rate:amount}, "
                                    "complément boursier FWB {topup:amount}.", rate=facts.monthly_rate, topup=facts.fwb_topup_monthly)
           if facts.fwb_boursier else
           gettext_noop("Taux mensuel de l'établissement gestionnaire (choix de l'établissement) : {rate:amount}.",
                        rate=facts.monthly_rate))
    ex.add("Art. 215", gettext_noop("Montant : {amount:amount} ; {percent} % avant le départ ({first:amount}), le solde "
                                    "({balance:amount}) après le rapport de mobilité. La bourse est remboursée si les "
                                    "conditions ne sont pas respectées.", amount=amount, percent=facts.first_instalment_percent,
                                    first=first, balance=amount - first))
    return ex.decide(amount, months=months, days=days, first_instalment=first, balance=amount - first)


class GradeFacts(Facts):
    host_grade: Decimal = Field(ge=0)
    host_max: Decimal = Field(gt=0)
    host_pass: Decimal = Field(gt=0)


def convert_grade(facts: GradeFacts) -> Decision:
    """A host grade on the /20 scale of the RGE (art. 100): the host's pass mark becomes 10/20 and its maximum 20/20,
    linearly on each side. The conversion table is the institution's choice; this is the one it applies."""
    if facts.host_grade > facts.host_max or facts.host_pass >= facts.host_max:
        raise RuleError(gettext_noop("Note d'accueil hors de l'échelle, ou seuil de réussite au-delà du maximum."))
    if facts.host_grade >= facts.host_pass:
        value = 10 + (facts.host_grade - facts.host_pass) * 10 / (facts.host_max - facts.host_pass)
    else:
        value = facts.host_grade * 10 / facts.host_pass
    value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    ex = Explanation()
    ex.add("Art. 215", gettext_noop("Note de l'établissement d'accueil {host_grade}/{host_max} (réussite à "
           "{host_pass}) : {value}/20 (conversion linéaire, choix de l'établissement).", host_grade=facts.host_grade, host_max=facts.host_max, host_pass=facts.host_pass, value=value))
    return ex.decide(value)
