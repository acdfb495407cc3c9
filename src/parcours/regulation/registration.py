"""Registration (Titre IV, ch. 2-3; art. 16-46; annexes 4 and 7): windows, irrecevabilité,
refusal, silence of the institution, fraud bans, non-EU admission and the jurys of the
Communauté française."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from parcours.regulation.calendar import DeadlineFacts, date_in_time, deadline
from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, gettext_noop, joined
from parcours.regulation.financabilite import YEAR_PATTERN, start_year
from parcours.regulation.params import load_year

RequestKind = Literal["inscription", "tardive", "modification", "reorientation", "kine_non_resident",
                      "regularisation_provisoire"]


class WindowFacts(Facts):
    year: str = "2023-2024"
    request: RequestKind
    filed_on: dt.date
    first_year_first_cycle: bool = False
    session_ouverte: bool = False  # art. 22: evaluation period extended (art. 79 §2 décret paysage)
    motivation_letter: bool = False  # art. 32
    delay_not_students_fault: bool = False  # art. 22: late documents not the student's responsibility


def window(facts: WindowFacts) -> Decision:
    """Whether a registration request is filed within its window (art. 22, 30-33)."""
    y, on = facts.year, facts.filed_on
    dates = load_year(y).deadlines.dates
    ex = Explanation()
    if facts.request == "inscription":
        if date_in_time("registration_regular", on, y):
            ex.add("Art. 22", gettext_noop("Demande déposée le {on:date}, au plus tard le 30 septembre.", on=on))
            return ex.decide(True)
        if facts.session_ouverte and date_in_time("registration_session_ouverte", on, y):
            ex.add("Art. 22", gettext_noop("Étudiant en session ouverte : date limite d'inscription portée au 30 novembre."))
            return ex.decide(True)
        ex.add("Art. 22", gettext_noop("Après le 30 septembre, seule une inscription tardive motivée est possible, au plus tard le "
               "{registration_late_date:date} (art. 32).", registration_late_date=dates['registration_late'].date))
        return ex.decide(False)
    if facts.request == "tardive":
        ok = date_in_time("registration_late", on, y)
        ex.add("Art. 22, 32", gettext_noop("Inscription tardive : au plus tard le 15 février ; demandée le {on:date}.", on=on))
        if not facts.motivation_letter:
            ok = False
            ex.add("Art. 32", gettext_noop("Le dossier (art. 24) doit être accompagné d'un courrier motivant les circonstances de la "
                   "demande tardive, déposé auprès du président de la commission d'admission."))
        return ex.decide(ok)
    if facts.request == "regularisation_provisoire":
        ok = date_in_time("provisional_registration_regularisation", on, y) or facts.delay_not_students_fault
        ex.add("Art. 22", gettext_noop("L'inscription provisoire se régularise au plus tard le 30 novembre, sauf retard de "
                                       "documents non imputable à l'étudiant.") if ok else
               gettext_noop("L'inscription provisoire se régularise au plus tard le 30 novembre, sauf retard de documents "
                            "non imputable à l'étudiant. Délai dépassé."))
        return ex.decide(ok)
    if facts.request == "kine_non_resident":
        ok = date_in_time("kine_non_resident", on, y)
        ex.add("Art. 30", gettext_noop("Non-résidents en kinésithérapie : demande du 22 au 24 août 2023 ; une demande "
                                       "introduite par le formulaire en ligne de l'art. 23 est irrecevable.") if ok else
               gettext_noop("Non-résidents en kinésithérapie : demande du 22 au 24 août 2023 ; une demande introduite par "
                            "le formulaire en ligne de l'art. 23 est irrecevable. Hors période."))
        return ex.decide(ok)
    if not facts.first_year_first_cycle:
        article = "Art. 31" if facts.request == "modification" else "Art. 33"
        ex.add(article, gettext_noop("Réservé à l'étudiant de première année du premier cycle."))
        return ex.decide(False)
    if facts.request == "modification":
        ok = date_in_time("modification", on, y)
        ex.add("Art. 22, 31", gettext_noop("Modification d'inscription du 1er au 31 octobre, sans être une réorientation.")
               if ok else gettext_noop("Modification d'inscription du 1er au 31 octobre, sans être une réorientation : hors "
                                       "période."))
        return ex.decide(ok)
    # réorientation
    if not date_in_time("reorientation", on, y):
        ex.add("Art. 33", gettext_noop("Réorientation : entre le 1er novembre et le 15 février ; hors période."))
        return ex.decide(False)
    if date_in_time("reorientation_blackout", on, y):
        ex.add("Art. 33", gettext_noop("Aucune demande de réorientation n'est traitée entre le 15 décembre et le 25 janvier : "
               "introduire la demande à partir du 25 janvier (jusqu'au 15 février)."))
        return ex.decide(False)
    ex.add("Art. 33", gettext_noop("Réorientation demandée dans la période (avant le 15 décembre ou du 25 janvier au 15 février), "
           "motivée et soumise à la commission d'admission du cursus visé."))
    return ex.decide(True)


Document = Literal["identite", "photo", "titre_acces", "parcours", "attestation_dettes", "equivalence",
                   "casier_judiciaire", "certificat_aptitude", "vaccination_hepatite_b"]
DOCUMENT_LABELS = {
    "identite": gettext_noop("copie recto verso de la carte d'identité"),
    "photo": gettext_noop("photo récente au format carte d'identité"),
    "titre_acces": gettext_noop("copie du titre d'accès aux études visées"),
    "parcours": gettext_noop("justificatifs des années entre le secondaire et l'inscription"),
    "attestation_dettes": gettext_noop("attestation d'absence de dettes du dernier établissement de la FWB"),
    "equivalence": gettext_noop("équivalence du diplôme secondaire étranger (ou preuve d'introduction avant le 15 juillet)"),
    "casier_judiciaire": gettext_noop("extrait de casier judiciaire modèle 2 de moins de trois mois"),
    "certificat_aptitude": gettext_noop("certificat d'aptitude physique"),
    "vaccination_hepatite_b": gettext_noop("preuve de vaccination contre l'hépatite B (éventuellement en cours)"),
}
DOCUMENT_ARTICLES = {"casier_judiciaire": "Art. 25", "certificat_aptitude": "Art. 25", "vaccination_hepatite_b": "Art. 161"}
APTITUDE_PROGRAMMES = {"kinesitherapie", "ergotherapie", "imagerie_medicale"}
CRIMINAL_RECORD_PROGRAMMES = {"infirmier", "sage_femme"}
# Art. 25 names these bacheliers; each is also a health programme with placements (art. 161).
PROGRAMME_CODES = sorted(APTITUDE_PROGRAMMES | CRIMINAL_RECORD_PROGRAMMES)
OTHER_PROGRAMME = "autre"


def normalise(text: str) -> str:
    """Lower case, no accents, words joined by "_": "Kinésithérapie" and "kinesitherapie" are the same programme."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


@dataclass(frozen=True)
class ProgrammeProfile:
    code: str  # an art. 25 code, or "autre"
    health: bool  # a health programme with placements (art. 161)
    label: str


def programme_profile(programme: str, year: str = "2023-2024") -> ProgrammeProfile:
    """The art. 25 code and health status of a programme given by code (any accents or case) or by its full name in
    the year's programmes.yaml. An unknown programme is refused: it would silently get no extra document."""
    slug = normalise(programme)
    if slug in ("", OTHER_PROGRAMME):
        return ProgrammeProfile(OTHER_PROGRAMME, False, "autre programme")
    if slug in PROGRAMME_CODES:
        return ProgrammeProfile(slug, True, slug.replace("_", " "))
    params = load_year(year).programmes
    match = next((p for p in params.programmes if normalise(p.name) == slug), None)
    if match is None:
        raise RuleError(gettext_noop("Programme inconnu : « {programme} ». Valeurs admises : {programme_codes}, "
                        "{other_programme}, ou l'intitulé exact d'un programme de {year} (docs/rules.md).", programme=programme, programme_codes=', '.join(PROGRAMME_CODES), other_programme=OTHER_PROGRAMME, year=year))
    # Art. 25 speaks of bacheliers: a master en kinésithérapie needs no aptitude certificate.
    code = next((c for c in PROGRAMME_CODES if match.kind == "bachelier" and c in normalise(match.name)), OTHER_PROGRAMME)
    return ProgrammeProfile(code, match.domain in params.health_domains.domains, match.name)


def required_documents(programme: str = "", first_year: bool = True, foreign_secondary: bool = False,
                       previous_fwb_institution: bool = False, year: str = "2023-2024") -> list[str]:
    profile = programme_profile(programme, year)
    docs = ["identite", "photo", "titre_acces", "parcours"]
    if previous_fwb_institution:
        docs.append("attestation_dettes")
    if foreign_secondary:
        docs.append("equivalence")
    if profile.code in CRIMINAL_RECORD_PROGRAMMES and first_year:
        docs += ["casier_judiciaire", "certificat_aptitude"]
    elif profile.code in APTITUDE_PROGRAMMES:
        docs.append("certificat_aptitude")
    if profile.health:
        docs.append("vaccination_hepatite_b")  # art. 161, at the registration request
    return docs


class AdmissibilityFacts(Facts):
    year: str = "2023-2024"
    access_conditions_met: bool  # art. 16-19
    # An art. 25 code (infirmier, sage_femme, kinesitherapie, ergotherapie, imagerie_medicale; accents and case do not
    # matter), "autre", or the name of a programme of the year (programmes.yaml). Anything else is refused.
    programme: str = ""
    first_year: bool = True
    foreign_secondary: bool = False
    previous_fwb_institution: bool = False
    documents: list[Document] = []
    # Received but not yet verified (art. 24): neither provided nor missing. Only the preview shown to staff passes
    # them; a decision takes the verified documents alone.
    awaiting_review: list[Document] = []
    debts_cleared: bool = True  # art. 24, 2)
    complete_on: dt.date | None = None  # date the dossier became complete (art. 26)
    session_ouverte: bool = False
    late_registration_accepted: bool = False  # art. 32, by the admission commission
    non_financable_via_online_form: bool = False  # art. 36: a non-financable student used the art. 23 form
    kine_non_resident_via_online_form: bool = False  # art. 30


def admissibility(facts: AdmissibilityFacts) -> Decision:
    """Recevabilité of an admission or registration request (art. 24-26, 30, 36, 39)."""
    ex = Explanation()
    grounds: list[str] = []
    if not facts.access_conditions_met:
        grounds.append("Art. 16-19")
        ex.add("Art. 39", gettext_noop("Les conditions d'accès aux études visées (art. 16 à 19) ne sont pas remplies."))
    needed = required_documents(facts.programme, facts.first_year, facts.foreign_secondary, facts.previous_fwb_institution,
                                facts.year)
    # Art. 39 makes irrecevable a request missing the art. 23-25 documents; art. 161 does not say so of the hepatitis-B
    # proof: it is asked for and named, not a ground of irrecevabilité.
    to_provide = [d for d in needed if DOCUMENT_ARTICLES.get(d) == "Art. 161" and d not in facts.documents]
    pending = [d for d in needed if d not in facts.documents and d not in to_provide and d in facts.awaiting_review]
    missing = [d for d in needed if d not in facts.documents and d not in to_provide and d not in pending]
    if "vaccination_hepatite_b" in needed:
        if to_provide:
            ex.add("Art. 161", gettext_noop("Formation du domaine de la santé avec activités d'intégration professionnelle : "
                   "{vaccination_hepatite_b} à apporter avec la demande d'inscription.", vaccination_hepatite_b=DOCUMENT_LABELS['vaccination_hepatite_b']))
        else:
            ex.add("Art. 161", gettext_noop("Preuve de vaccination contre l'hépatite B fournie."))
    if missing:
        grounds.append("Art. 24")
        article = "Art. 24, 25" if any(d in ("casier_judiciaire", "certificat_aptitude") for d in missing) else "Art. 24"
        ex.add(article, gettext_noop("Documents manquants : {missing}.", missing=joined([DOCUMENT_LABELS[d] for d in missing], " ; ")))
    if pending:
        ex.add("Art. 24", gettext_noop("Documents reçus, en attente de vérification : {pending}.",
                                       pending=joined([DOCUMENT_LABELS[d] for d in pending], " ; ")))
    if not facts.debts_cleared:
        grounds.append("Art. 24")
        ex.add("Art. 24", gettext_noop("Toutes les dettes envers les établissements d'enseignement supérieur de la FWB doivent être apurées."))
    if facts.non_financable_via_online_form:
        grounds.append("Art. 36")
        ex.add("Art. 36", gettext_noop("Étudiant non finançable : la demande doit suivre exclusivement la procédure de l'art. 36 ; il en "
               "est averti au plus tard le 15e jour après sa demande en ligne."))
    if facts.kine_non_resident_via_online_form:
        grounds.append("Art. 30")
        ex.add("Art. 30", gettext_noop("Non-résident en kinésithérapie ayant utilisé le formulaire en ligne : demande irrecevable."))
    if facts.complete_on is not None and not missing:
        ok = (date_in_time("registration_regular", facts.complete_on, facts.year)
              or (facts.session_ouverte and date_in_time("registration_session_ouverte", facts.complete_on, facts.year))
              or (facts.late_registration_accepted and date_in_time("registration_late", facts.complete_on, facts.year)))
        if ok:
            ex.add("Art. 26", gettext_noop("Dossier complet le {complete_on:date}, dans les dates de l'art. 22.", complete_on=facts.complete_on))
        else:
            grounds.append("Art. 26")
            ex.add("Art. 26", gettext_noop("Dossier complété le {complete_on:date}, après les dates d'inscription de l'art. 22.", complete_on=facts.complete_on))
    if grounds:
        limit = load_year(facts.year).deadlines.dates["irrecevability_notification"].date
        ex.add("Art. 39", gettext_noop("Demande irrecevable (ce n'est pas un refus d'inscription). Notification motivée au plus tard le "
               "{limit:date}, avec l'extrait du RGE sur le recours au Commissaire ou Délégué du Gouvernement.", limit=limit))
        ex.add("Art. 180", gettext_noop("Recours au Commissaire ou Délégué dans les 15 jours ouvrables à partir du premier jour ouvrable "
               "qui suit la notification (suspendu du 15 juillet au 15 août et du 24 décembre au 1er janvier)."))
        return ex.decide({"recevable": False, "grounds": sorted(set(grounds)), "missing": missing,
                          "notify_by": limit, "to_provide": to_provide, "pending": pending})
    if pending:
        ex.add("Art. 26", gettext_noop("Recevabilité à établir quand les documents reçus auront été vérifiés."))
        return ex.decide({"recevable": None, "grounds": [], "missing": [], "notify_by": None, "to_provide": to_provide,
                          "pending": pending})
    ex.add("Art. 26", gettext_noop("Demande recevable : elle vaut demande finale d'inscription effective (au plus tôt le jour de la rentrée)."))
    return ex.decide({"recevable": True, "grounds": [], "missing": [], "notify_by": None, "to_provide": to_provide,
                      "pending": []})


class SilenceFacts(Facts):
    year: str = "2023-2024"
    final_request_filed: bool
    decision_received_on: dt.date | None = None
    session_ouverte: bool = False
    today: dt.date


def silence(facts: SilenceFacts) -> Decision:
    """No decision on the final request by 31 October (30 November): deemed negative (art. 27, 180)."""
    dates = load_year(facts.year).deadlines.dates
    limit = dates["registration_decision_session_ouverte" if facts.session_ouverte else "registration_decision"].date
    ex = Explanation()
    if not facts.final_request_filed:
        raise RuleError(gettext_noop("Sans demande finale d'inscription effective (art. 26), il n'y a pas de décision attendue."))
    if facts.decision_received_on is not None and facts.decision_received_on <= limit:
        ex.add("Art. 27", gettext_noop("Décision reçue le {decision_received_on:date}, avant le {limit:date}.", decision_received_on=facts.decision_received_on, limit=limit))
        return ex.decide({"deemed_negative": False, "appeal_until": None})
    if facts.today <= limit:
        ex.add("Art. 27", gettext_noop("L'établissement a jusqu'au {limit:date} pour décider.", limit=limit))
        return ex.decide({"deemed_negative": False, "appeal_until": None, "decision_due": limit})
    until = deadline(DeadlineFacts(time_limit="irrecevability_appeal", event_date=limit, year=facts.year)).outcome
    ex.add("Art. 180", gettext_noop("Sans décision au {limit:date}, la décision est réputée négative.", limit=limit))
    ex.add("Art. 27, 180", gettext_noop("L'étudiant peut introduire un recours auprès du Commissaire ou Délégué du Gouvernement au plus "
           "tard le {until:date} ; ce recours vaut inscription provisoire dans l'attente de la décision.", until=until))
    return ex.decide({"deemed_negative": True, "appeal_until": until})


class RefusalFacts(Facts):
    year: str = "2023-2024"
    exclusion_for_fraud_in_last_3_years: bool = False
    ares_refusal_in_last_3_years: bool = False
    studies_not_financed: bool = False
    non_financable: bool = False
    exclusion_for_serious_misconduct_in_last_3_years: bool = False
    other_registration_undeclared: bool = False  # art. 34: an omission is registration fraud
    request_received_on: dt.date | None = None


def refusal(facts: RefusalFacts) -> Decision:
    """Grounds on which the department direction must or may refuse a registration (art. 34, 40, 45)."""
    ex = Explanation()
    mandatory, optional = [], []
    if facts.exclusion_for_fraud_in_last_3_years:
        mandatory.append("Art. 40, 1°")
        ex.add("Art. 40, 1°", gettext_noop("Exclusion pour fraude à l'inscription ou aux évaluations dans les 3 années académiques "
               "précédentes : refus obligatoire."))
    if facts.ares_refusal_in_last_3_years:
        mandatory.append("Art. 40, 1°")
        ex.add("Art. 40, 1°", gettext_noop("Refus d'inscription de l'ARES à une épreuve d'admission dans les 3 années précédentes : "
               "refus obligatoire."))
    if facts.other_registration_undeclared:
        mandatory.append("Art. 34, 45")
        ex.add("Art. 34, 42, 45", gettext_noop("Inscription concomitante non déclarée : fraude à l'inscription ; découverte avant "
               "l'inscription régulière, elle entraîne un refus d'inscription (après la procédure des art. 43-44)."))
    if facts.studies_not_financed:
        optional.append("Art. 40, 2°")
        ex.add("Art. 40, 2°", gettext_noop("Études ne donnant pas lieu à financement : refus possible."))
    if facts.non_financable:
        optional.append("Art. 40, 3°")
        ex.add("Art. 40, 3°", gettext_noop("Étudiant non finançable : refus possible (décision motivée ; l'acompte est alors remboursé, "
               "art. 36)."))
    if facts.exclusion_for_serious_misconduct_in_last_3_years:
        optional.append("Art. 40, 4°")
        ex.add("Art. 40, 4°", gettext_noop("Exclusion pour faute grave dans les 3 années précédentes : refus possible."))
    outcome = "refus_obligatoire" if mandatory else "refus_possible" if optional else "aucun_motif"
    if outcome == "aucun_motif":
        ex.add("Art. 40", gettext_noop("Aucun motif de refus d'inscription prévu par l'art. 40."))
    else:
        if outcome == "refus_possible":
            ex.add("Art. 40", gettext_noop("La décision est laissée à l'appréciation de la direction de département."))
        notify_by = None
        if facts.request_received_on is not None:
            notify_by = deadline(DeadlineFacts(time_limit="registration_refusal_notification",
                                               event_date=facts.request_received_on, year=facts.year)).outcome
            ex.add("Art. 40", gettext_noop("Décision motivée notifiée au plus tard le {notify_by:date} (15 jours ouvrables), avec "
                   "les modalités de recours.", notify_by=notify_by))
        ex.add("Art. 41, 178", gettext_noop("Recours interne à la Commission de recours par pli recommandé dans les 10 jours calendrier "
               "de la notification, puis à la CEPERI (art. 181)."))
        return ex.decide({"decision": outcome, "mandatory": mandatory, "optional": optional, "notify_by": notify_by})
    return ex.decide({"decision": outcome, "mandatory": [], "optional": [], "notify_by": None})


class FraudBanFacts(Facts):
    sanctioned_year: str = Field(pattern=YEAR_PATTERN)
    kind: Literal["inscription", "evaluations"]
    requested_year: str = Field(pattern=YEAR_PATTERN)


def fraud_ban(facts: FraudBanFacts) -> Decision:
    """The three academic years without any registration after an exclusion for fraud (art. 46, 112)."""
    article = "Art. 46" if facts.kind == "inscription" else "Art. 112"
    first = start_year(facts.sanctioned_year)
    banned = [f"{first + i}-{first + i + 1}" for i in (1, 2, 3)]
    ex = Explanation()
    ex.add(article, gettext_noop("Exclusion pour fraude {what} "
           "sanctionnée en {sanctioned_year} : toute inscription est refusée en {banned}.", what=gettext_noop('à l’inscription') if facts.kind == 'inscription' else gettext_noop('aux évaluations'), sanctioned_year=facts.sanctioned_year, banned=', '.join(banned)))
    is_banned = facts.requested_year in banned
    ex.add(article, gettext_noop("Inscription demandée pour {requested_year} : refusée.", requested_year=facts.requested_year) if is_banned else
           gettext_noop("Inscription demandée pour {requested_year} : hors de la période d’interdiction.", requested_year=facts.requested_year))
    return ex.decide({"banned": is_banned, "banned_years": banned})


class NonEuFacts(Facts):
    year: str = "2023-2024"
    present_in_belgium_or_europe: bool
    level: Literal["bachelier", "master"]
    diploma_year: int  # secondary diploma (bachelier) or bachelor's degree (master)
    dossiers_already_accepted: int = Field(ge=0)  # place in the quota
    dossier_complete: bool
    dossier_fee_paid: bool
    commission_positive_on: dt.date | None = None  # receipt of the positive decision and invitation to pay
    paid_in_full_on: dt.date | None = None


def non_eu_admission(facts: NonEuFacts) -> Decision:
    """Admission of candidates of non-EU nationality (art. 37, annexe 7)."""
    ex = Explanation()
    grounds = []
    if facts.present_in_belgium_or_europe:
        quota, years = 30, {2022, 2023}
        ex.add("Annexe 7, 1", gettext_noop("Candidat présent en Belgique ou en Europe : 30 dossiers au plus, diplôme obtenu en 2022 ou 2023."))
    else:
        quota, years = 100, {2022}
        ex.add("Annexe 7, 2", gettext_noop("Candidat non présent : 100 dossiers au plus, diplôme secondaire obtenu en 2022, bachelier uniquement."))
        if facts.level == "master":
            grounds.append("Annexe 7, 2")
            ex.add("Annexe 7, 2", gettext_noop("Aucune demande d'inscription en master n'est autorisée pour un candidat non présent."))
    section = "Annexe 7, 1" if facts.present_in_belgium_or_europe else "Annexe 7, 2"
    if facts.diploma_year not in years:
        grounds.append(section)
        ex.add(section, gettext_noop("Diplôme obtenu en {diploma_year} : demande irrecevable.", diploma_year=facts.diploma_year))
    if facts.dossiers_already_accepted >= quota:
        grounds.append(section)
        ex.add(section, gettext_noop("Quota de {quota} dossiers atteint : plus aucune demande ne peut être introduite.", quota=quota))
    if not facts.dossier_complete:
        grounds.append(section)
        ex.add(section, gettext_noop("Demande d'admission incomplète : irrecevable."))
    if not facts.dossier_fee_paid:
        grounds.append(section)
        ex.add(section, gettext_noop("Les 50 € de frais de dossier (non remboursables) conditionnent l'analyse par la commission."))
    outcome: dict = {"recevable": not grounds, "grounds": sorted(set(grounds)), "pay_by": None, "lapsed": None}
    if not grounds and facts.commission_positive_on is not None:
        pay_by = deadline(DeadlineFacts(time_limit="non_eu_payment", event_date=facts.commission_positive_on,
                                        year=facts.year)).outcome
        outcome["pay_by"] = pay_by
        ex.add(section, gettext_noop("Avis positif reçu le {commission_positive_on:date} : totalité des droits à payer au plus "
               "tard le {pay_by:date} (10 jours ouvrables), sinon la procédure d'admission est annulée.", commission_positive_on=facts.commission_positive_on, pay_by=pay_by))
        if facts.paid_in_full_on is not None:
            outcome["lapsed"] = facts.paid_in_full_on > pay_by
            ex.add(section, gettext_noop("Paiement complet hors délai : admission annulée.") if outcome["lapsed"] else
                   gettext_noop("Paiement complet dans le délai : inscription effective, attestation délivrée."))
    return ex.decide(outcome)


class JuryCFFacts(Facts):
    year: str = "2023-2024"
    objective_reasons_accepted: bool  # Collège de direction, on the domain direction's opinion
    non_financable: bool = False
    available_in_evening_or_social_promotion: bool = False
    fraud_signal_last_5_years: bool = False
    disciplinary_exclusion_previous_year: bool = False
    exam_fraud_previous_year: bool = False
    registered_with_another_jury: bool = False
    filed_on: dt.date
    registered_mail: bool = True
    documents_complete: bool = True


def jury_cf_access(facts: JuryCFFacts) -> Decision:
    """Access to a jury de la Communauté française organised by the HELHa (art. 20, annexe 4)."""
    ex = Explanation()
    bars = [
        (facts.registered_with_another_jury, "Inscription à des jurys différents : nullité de toutes les inscriptions."),
        (not facts.objective_reasons_accepted, "Réservé aux personnes qui ne peuvent suivre régulièrement les activités "
         "pour des motifs objectifs appréciés par le Collège de direction."),
        (facts.non_financable, "Candidat non finançable."),
        (facts.available_in_evening_or_social_promotion, "Grade accessible en horaire décalé ou en promotion sociale."),
        (facts.fraud_signal_last_5_years, "Signalement pour fraude à l'inscription dans les cinq années précédentes."),
        (facts.disciplinary_exclusion_previous_year, "Exclusion disciplinaire pour le reste de l'année l'an dernier."),
        (facts.exam_fraud_previous_year, "Fraude ou tentative de fraude à un examen l'an dernier."),
        (not facts.registered_mail, "Le dossier s'introduit uniquement par courrier recommandé au Directeur-Président."),
        (not facts.documents_complete, "Dossier incomplet (demande motivée, identité, titre, justificatifs, parcours des "
         "cinq dernières années)."),
        (not date_in_time("jury_cf_application", facts.filed_on, facts.year), "Dossier introduit après le 31 octobre."),
    ]
    refused = [text for cond, text in bars if cond]
    for text in refused:
        ex.add("Annexe 4", text)
    if refused:
        ex.add("Annexe 4", gettext_noop("Refus notifié par pli recommandé dans les 30 jours de la réception ; appel dans les dix jours."))
    else:
        ex.add("Annexe 4", gettext_noop("Inscription au jury possible, sur décision du Collège de direction ; droit d'inscription (minerval "
               "+ 100 €) au plus tard le 1er décembre, jamais remboursé ; pas de statut d'étudiant régulier."))
    return ex.decide(not refused)


class VaeFacts(Facts):
    professional_or_personal_years: int = Field(ge=0)
    higher_education_credits: int = Field(default=0, ge=0)


def vae_access(facts: VaeFacts) -> Decision:
    """Access through valorisation of experience: five years of activity, higher-education years
    counting one per 60 credits acquired and two at most (art. 19)."""
    ex = Explanation()
    study_years = min(facts.higher_education_credits // 60, 2)
    total = facts.professional_or_personal_years + study_years
    ex.add("Art. 19", gettext_noop("{professional_or_personal_years} année(s) d'activité et {study_years} année(s) d'études "
           "supérieures (une par 60 crédits acquis, deux au plus).", professional_or_personal_years=facts.professional_or_personal_years, study_years=study_years))
    ok = total >= 5
    ex.add("Art. 19", gettext_noop("Total : {total} année(s) ; au moins cinq, le jury peut évaluer les aptitudes et "
                                   "connaissances.", total=total) if ok else
           gettext_noop("Total : {total} année(s) ; il en faut au moins cinq.", total=total))
    return ex.decide(ok, years=total)


class EntrepreneurFacts(Facts):
    credits_validated: int = Field(ge=0)
    derogation_by_cee: bool = False


def entrepreneur_status(facts: EntrepreneurFacts) -> Decision:
    """Access to the student-entrepreneur status: 60 credits validated unless the CEE derogates (art. 213)."""
    ex = Explanation()
    if facts.credits_validated >= 60:
        ex.add("Art. 213", gettext_noop("{credits_validated} crédits validés : au moins 60.", credits_validated=facts.credits_validated))
        return ex.decide(True)
    if facts.derogation_by_cee:
        ex.add("Art. 213", gettext_noop("{credits_validated} crédits validés, moins de 60, mais dérogation accordée par la CEE.", credits_validated=facts.credits_validated))
        return ex.decide(True)
    ex.add("Art. 213", gettext_noop("{credits_validated} crédits validés : il en faut 60, sauf dérogation accordée par la CEE.", credits_validated=facts.credits_validated))
    return ex.decide(False)


DecisionAction = Literal["accepter", "irrecevable", "refuser"]


class DecisionOpenFacts(Facts):
    year: str = "2023-2024"
    action: DecisionAction
    today: dt.date
    by_department_direction: bool  # the person deciding holds the direction de département of the programme
    kind: RequestKind | Literal["libre"] = "inscription"
    documents_missing: bool = False  # required documents not accepted yet
    documents_due: list[dt.date] = []  # the dates set for them (art. 24)
    other_regular_registration: str | None = None  # programme of another regular registration this year
    financable: bool | None = None  # art. 35; None when the rules could not say


def decision_open(facts: DecisionOpenFacts) -> Decision:
    """Whether this decision may be taken now by this person (art. 24, 34, 36, 39, 40); if not, why."""
    ex = Explanation()
    if facts.action == "refuser":
        if not facts.by_department_direction:
            ex.add("Art. 40", gettext_noop("Seule la direction de département refuse une inscription, par décision motivée."))
            return ex.decide({"open": False, "from": None})
        ex.add("Art. 40", gettext_noop("La direction de département refuse par décision motivée, sur un motif de l'art. 40."))
        return ex.decide({"open": True, "from": None})
    if facts.action == "accepter":
        if facts.other_regular_registration:
            ex.add("Art. 34", gettext_noop("Déjà inscrit régulièrement en « {other_regular_registration} » cette année : "
                   "une seconde inscription régulière n'est pas possible.", other_regular_registration=facts.other_regular_registration))
            return ex.decide({"open": False, "from": None})
        if facts.financable is False and not facts.by_department_direction:
            ex.add("Art. 36", gettext_noop("Étudiant non finançable : seule la direction de département peut l'inscrire, avec sa "
                   "motivation."))
            return ex.decide({"open": False, "from": None})
        ex.add("Art. 28", gettext_noop("L'inscription régulière peut être décidée."))
        return ex.decide({"open": True, "from": None})
    # Irrecevability for documents still missing: not before the student's own date has passed.
    dates = list(facts.documents_due) if facts.documents_missing else []
    if facts.documents_missing and facts.kind == "inscription":
        dates.append(load_year(facts.year).deadlines.dates["registration_regular"].date)
    if dates and facts.today <= max(dates):
        start = max(dates) + dt.timedelta(days=1)
        ex.add("Art. 24, 39", gettext_noop("Pas avant le {start:%d/%m/%Y} : l'étudiant peut compléter son dossier jusqu'au "
               "{max:%d/%m/%Y}.", start=start, max=max(dates)))
        return ex.decide({"open": False, "from": start})
    ex.add("Art. 39", gettext_noop("L'irrecevabilité peut être déclarée (notification au plus tard le 31 octobre)."))
    return ex.decide({"open": True, "from": None})
