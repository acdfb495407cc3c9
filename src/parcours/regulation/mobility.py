"""Student mobility (art. 214-219) and the outgoing candidature procedure of the Bachelier en
assistant social co-organised by HENALLUX and HERS (seed 000)."""

from __future__ import annotations

import datetime as dt
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
    department_authorised: bool  # art. 214: authorisation of the department direction
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
    quadrimestre_credits: list[int] = Field(min_length=1, max_length=2)  # ECTS at the host, per quadrimestre
    year_total_credits: int = Field(ge=0)  # all ECTS of the academic year, mobility included
    accepted_by_department: bool = False
    accepted_by_host: bool = False


def learning_agreement(facts: LearningAgreementFacts) -> Decision:
    """Credits of a learning agreement for studies (art. 215)."""
    la = load_year(facts.year).mobility.learning_agreement
    lo, hi, year_min = la.per_quadrimestre_min.value, la.per_quadrimestre_max.value, la.per_year_min.value
    ex = Explanation()
    ok = True
    for i, c in enumerate(facts.quadrimestre_credits, start=1):
        if lo <= c <= hi:
            ex.add("Art. 215", f"Quadrimestre {i} : {c} ECTS, entre {lo} et {hi}.")
        else:
            ok = False
            ex.add("Art. 215", f"Quadrimestre {i} : {c} ECTS, hors de la fourchette de {lo} à {hi} crédits.")
    if facts.year_total_credits >= year_min:
        ex.add("Art. 215", f"{facts.year_total_credits} ECTS sur l'année : au moins {year_min}.")
    else:
        ok = False
        ex.add("Art. 215", f"{facts.year_total_credits} ECTS sur l'année : le total doit être d'au moins {year_min}.")
    if not (facts.accepted_by_department and facts.accepted_by_host):
        ok = False
        ex.add("Art. 215", "La convention d'études doit être acceptée par le département et par l'institution d'accueil.")
    return ex.decide(ok)


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
