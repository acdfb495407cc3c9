"""Appeal routes (art. 105-108, 118, 176-183, 193): to whom, in what form, within what time
limit, and whether the appeal suspends the decision. Time limits come from calendar.deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from parcours.regulation.calendar import DeadlineFacts, deadline
from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, fr_date


@dataclass(frozen=True)
class Route:
    article: str
    instance: str
    form: str
    time_limit: str
    suspensive: bool = False
    then: str | None = None


ROUTES: dict[str, Route] = {
    "irrecevabilite": Route("Art. 39, 180", "Commissaire ou Délégué du Gouvernement auprès de la HELHa",
                            "en mains propres contre accusé de réception, par courrier électronique ou par recommandé avec "
                            "accusé de réception ; identité, domicile, téléphone, courriel, nationalité, objet et motifs, "
                            "copie de la décision (à peine d'irrecevabilité)", "irrecevability_appeal", suspensive=True,
                            then="Conseil d'État (art. 183)"),
    "absence_de_decision": Route("Art. 27, 180", "Commissaire ou Délégué du Gouvernement auprès de la HELHa",
                                 "comme pour l'irrecevabilité ; l'étudiant prouve qu'il a introduit sa demande",
                                 "irrecevability_appeal", suspensive=True),
    "refus_inscription": Route("Art. 41, 178", "Président de la Commission de recours de la HELHa (Chaussée de Binche, "
                               "159 à 7000 Mons)", "pli recommandé : lettre motivée avec coordonnées et courriel, copie du "
                               "dossier d'inscription et de la décision de refus (à peine d'irrecevabilité)",
                               "registration_refusal_appeal", then="CEPERI de l'ARES (art. 181)"),
    "rejet_recours_refus_inscription": Route("Art. 181", "CEPERI — ARES, rue Royale 180, 1000 Bruxelles",
                                             "pli recommandé ou courriel, signé, avec copie du recours interne, de la "
                                             "décision et de sa notification", "ceperi_appeal"),
    "defaut_paiement": Route("Art. 50, 182", "Commissaire ou Délégué du Gouvernement auprès des Hautes Écoles",
                             "courrier électronique avec accusé de réception à l'adresse indiquée sur la notification",
                             "payment_default_appeal", suspensive=True),
    "decision_enseignant": Route("Art. 177", "Directeur de département", "recommandé motivé, copie et preuve par courriel",
                                 "internal_appeal"),
    "decision_directeur_departement": Route("Art. 177", "Directeur de domaine", "recommandé motivé, copie et preuve par "
                                            "courriel", "internal_appeal"),
    "decision_directeur_domaine": Route("Art. 177", "Collège de direction", "recommandé motivé, copie et preuve par "
                                        "courriel", "internal_appeal"),
    "decision_college": Route("Art. 177", "Conseil d'administration", "recommandé motivé, copie et preuve par courriel",
                              "internal_appeal"),
    "stage_raisons_pedagogiques": Route("Art. 118, 120, 179", "Directeur de domaine (le Vice Directeur-Président si le "
                                        "directeur de département est aussi directeur de domaine)", "lettre recommandée",
                                        "internship_refusal_appeal"),
    "irregularite_evaluation": Route("Art. 105", "Secrétaire du jury de délibération",
                                     "pli recommandé avec copie et preuve par courriel, ou écrit remis au secrétaire ; signé "
                                     "par l'étudiant ; jamais collectif", "exam_complaint",
                                     then="Conseil d'État (art. 108)"),
    "amenagements_refuses": Route("Art. 193", "Président du conseil social", "recommandé", "inclusive_appeal",
                                  then="CESI de l'ARES dans les 5 jours ouvrables (art. 193)"),
    "refus_president_conseil_social": Route("Art. 193", "CESI — ARES, rue Royale 180 (5e étage), 1000 Bruxelles",
                                            "lettre recommandée ou courriel à recours@ares-cesi.be", "cesi_appeal",
                                            then="Conseil d'État (art. 193)"),
    "exclusion_fraude": Route("Art. 46, 113, 116, 183", "Conseil d'État (greffe, rue de la Science 33, 1040 Bruxelles)",
                              "requête en annulation par envoi recommandé", "council_of_state"),
}


class AppealFacts(Facts):
    year: str = "2023-2024"
    decision: Literal[tuple(ROUTES)]  # type: ignore[valid-type]
    notified_on: dt.date


def route(facts: AppealFacts) -> Decision:
    """The appeal open against a decision notified on a given day."""
    r = ROUTES[facts.decision]
    ex = Explanation()
    ex.add(r.article, f"Recours auprès de : {r.instance}.")
    ex.add(r.article, f"Forme : {r.form}.")
    limit = deadline(DeadlineFacts(time_limit=r.time_limit, event_date=facts.notified_on, year=facts.year))
    ex.add(limit.details["article"], f"Au plus tard le {fr_date(limit.outcome)} (notification du {fr_date(facts.notified_on)}).")
    if r.suspensive:
        ex.add(r.article, "La procédure est suspensive : l'étudiant garde l'accès à l'établissement et aux activités "
               "dans l'attente d'une décision définitive.")
    if r.then:
        ex.add(r.article, f"Ensuite : {r.then}.")
    ex.add("Art. 183", "Toute décision des autorités de la HELHa peut en outre faire l'objet d'une requête en annulation "
           "au Conseil d'État dans les 60 jours de sa notification.")
    return ex.decide({"instance": r.instance, "until": limit.outcome, "suspensive": r.suspensive,
                      "time_limit": r.time_limit})


SANCTIONS = {
    "blame": ("Directeur de département (ou son délégué) ou Directeur de domaine", False),
    "exclusion_cours": ("Directeur de département (ou son délégué) ou Directeur de domaine", True),
    "renvoi_temporaire": (None, True),
    "renvoi_annee": ("Collège de direction", True),
    "exclusion_definitive": ("Collège de direction", True),
}


class SanctionFacts(Facts):
    sanction: Literal[tuple(SANCTIONS)]  # type: ignore[valid-type]
    working_days: int | None = None  # for a temporary dismissal


def sanction_authority(facts: SanctionFacts) -> Decision:
    """Who may impose a disciplinary sanction, and whether a hearing is due (art. 171-172)."""
    ex = Explanation()
    authority, hearing = SANCTIONS[facts.sanction]
    if facts.sanction == "renvoi_temporaire":
        if facts.working_days is None or facts.working_days <= 0:
            raise RuleError("Un renvoi temporaire se compte en jours ouvrables (art. 171).")
        authority = ("Directeur de département (ou son délégué) ou Directeur de domaine" if facts.working_days <= 10
                     else "Collège de direction")
        ex.add("Art. 171", f"Renvoi temporaire de {facts.working_days} jours ouvrables : "
               + ("10 au plus, compétence du directeur." if facts.working_days <= 10 else "plus de 10, compétence du Collège de direction."))
    else:
        ex.add("Art. 171", f"Sanction prononcée par : {authority}.")
    ex.add("Art. 172", "Convocation à une audition (au plus tôt 5 jours ouvrables après l'envoi) ; décision dans les 3 jours "
           "ouvrables de l'audition." if hearing else "Le blâme n'exige pas d'audition préalable.")
    return ex.decide({"authority": authority, "hearing": hearing})
