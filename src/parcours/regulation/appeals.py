"""Appeal routes (art. 105-108, 118, 176-183, 193): to whom, in what form, within what time
limit, and whether the appeal suspends the decision. Time limits come from calendar.deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from parcours.regulation.calendar import DeadlineFacts, deadline
from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, gettext_noop


@dataclass(frozen=True)
class Route:
    article: str
    instance: str
    form: str
    time_limit: str
    suspensive: bool = False
    then: str | None = None


ROUTES: dict[str, Route] = {
    "irrecevabilite": Route("Art. 39, 180", gettext_noop("Commissaire ou Délégué du Gouvernement auprès de la HELHa"),
                            gettext_noop("en mains propres contre accusé de réception, par courrier électronique ou par recommandé avec "
                            "accusé de réception ; identité, domicile, téléphone, courriel, nationalité, objet et motifs, "
                            "copie de la décision (à peine d'irrecevabilité)"), "irrecevability_appeal", suspensive=True,
                            then=gettext_noop("Conseil d'État (art. 183)")),
    "absence_de_decision": Route("Art. 27, 180", gettext_noop("Commissaire ou Délégué du Gouvernement auprès de la HELHa"),
                                 gettext_noop("comme pour l'irrecevabilité ; l'étudiant prouve qu'il a introduit sa demande"),
                                 "irrecevability_appeal", suspensive=True),
    "refus_inscription": Route("Art. 41, 178", gettext_noop("Président de la Commission de recours de la HELHa (Chaussée de Binche, "
                               "159 à 7000 Mons)"), gettext_noop("pli recommandé : lettre motivée avec coordonnées et courriel, copie du "
                               "dossier d'inscription et de la décision de refus (à peine d'irrecevabilité)"),
                               "registration_refusal_appeal", then=gettext_noop("CEPERI de l'ARES (art. 181)")),
    "rejet_recours_refus_inscription": Route("Art. 181", gettext_noop("CEPERI — ARES, rue Royale 180, 1000 Bruxelles"),
                                             gettext_noop("pli recommandé ou courriel, signé, avec copie du recours interne, de la "
                                             "décision et de sa notification"), "ceperi_appeal"),
    "defaut_paiement": Route("Art. 50, 182", gettext_noop("Commissaire ou Délégué du Gouvernement auprès des Hautes Écoles"),
                             gettext_noop("courrier électronique avec accusé de réception à l'adresse indiquée sur la notification"),
                             "payment_default_appeal", suspensive=True),
    "decision_enseignant": Route("Art. 177", gettext_noop("Directeur de département"), gettext_noop("recommandé motivé, copie et preuve par courriel"),
                                 "internal_appeal"),
    "decision_directeur_departement": Route("Art. 177", gettext_noop("Directeur de domaine"), gettext_noop("recommandé motivé, copie et preuve par "
                                            "courriel"), "internal_appeal"),
    "decision_directeur_domaine": Route("Art. 177", gettext_noop("Collège de direction"), gettext_noop("recommandé motivé, copie et preuve par "
                                        "courriel"), "internal_appeal"),
    "decision_college": Route("Art. 177", gettext_noop("Conseil d'administration"), gettext_noop("recommandé motivé, copie et preuve par courriel"),
                              "internal_appeal"),
    "stage_raisons_pedagogiques": Route("Art. 118, 120, 179", gettext_noop("Directeur de domaine (le Vice Directeur-Président si le "
                                        "directeur de département est aussi directeur de domaine)"), gettext_noop("lettre recommandée"),
                                        "internship_refusal_appeal"),
    "irregularite_evaluation": Route("Art. 105", gettext_noop("Secrétaire du jury de délibération"),
                                     gettext_noop("pli recommandé avec copie et preuve par courriel, ou écrit remis au secrétaire ; signé "
                                     "par l'étudiant ; jamais collectif"), "exam_complaint",
                                     then=gettext_noop("Conseil d'État (art. 108)")),
    "amenagements_refuses": Route("Art. 193", gettext_noop("Président du conseil social"), gettext_noop("recommandé"), "inclusive_appeal",
                                  then=gettext_noop("CESI de l'ARES dans les 5 jours ouvrables (art. 193)")),
    "refus_president_conseil_social": Route("Art. 193", gettext_noop("CESI — ARES, rue Royale 180 (5e étage), 1000 Bruxelles"),
                                            gettext_noop("lettre recommandée ou courriel à recours@ares-cesi.be"), "cesi_appeal",
                                            then=gettext_noop("Conseil d'État (art. 193)")),
    "exclusion_fraude": Route("Art. 46, 113, 116, 183", gettext_noop("Conseil d'État (greffe, rue de la Science 33, 1040 Bruxelles)"),
                              gettext_noop("requête en annulation par envoi recommandé"), "council_of_state"),
}


class AppealFacts(Facts):
    year: str = "2023-2024"
    decision: Literal[tuple(ROUTES)]  # type: ignore[valid-type]
    notified_on: dt.date


def route(facts: AppealFacts) -> Decision:
    """The appeal open against a decision notified on a given day."""
    r = ROUTES[facts.decision]
    ex = Explanation()
    ex.add(r.article, gettext_noop("Recours auprès de : {instance}.", instance=r.instance))
    ex.add(r.article, gettext_noop("Forme : {form}.", form=r.form))
    limit = deadline(DeadlineFacts(time_limit=r.time_limit, event_date=facts.notified_on, year=facts.year))
    ex.add(limit.details["article"], gettext_noop("Au plus tard le {outcome:date} (notification du {notified_on:date}).", outcome=limit.outcome, notified_on=facts.notified_on))
    if r.suspensive:
        ex.add(r.article, gettext_noop("La procédure est suspensive : l'étudiant garde l'accès à l'établissement et aux activités "
               "dans l'attente d'une décision définitive."))
    if r.then:
        ex.add(r.article, gettext_noop("Ensuite : {then}.", then=r.then))
    ex.add("Art. 183", gettext_noop("Toute décision des autorités de la HELHa peut en outre faire l'objet d'une requête en annulation "
           "au Conseil d'État dans les 60 jours de sa notification."))
    return ex.decide({"instance": r.instance, "until": limit.outcome, "suspensive": r.suspensive,
                      "time_limit": r.time_limit})


SANCTIONS = {
    "blame": (gettext_noop("Directeur de département (ou son délégué) ou Directeur de domaine"), False),
    "exclusion_cours": (gettext_noop("Directeur de département (ou son délégué) ou Directeur de domaine"), True),
    "renvoi_temporaire": (None, True),
    "renvoi_annee": (gettext_noop("Collège de direction"), True),
    "exclusion_definitive": (gettext_noop("Collège de direction"), True),
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
            raise RuleError(gettext_noop("Un renvoi temporaire se compte en jours ouvrables (art. 171)."))
        authority = (gettext_noop("Directeur de département (ou son délégué) ou Directeur de domaine")
                     if facts.working_days <= 10 else gettext_noop("Collège de direction"))
        ex.add("Art. 171", gettext_noop("Renvoi temporaire de {days} jours ouvrables : 10 au plus, compétence du directeur.",
                                        days=facts.working_days) if facts.working_days <= 10 else
               gettext_noop("Renvoi temporaire de {days} jours ouvrables : plus de 10, compétence du Collège de direction.",
                            days=facts.working_days))
    else:
        ex.add("Art. 171", gettext_noop("Sanction prononcée par : {authority}.", authority=authority))
    ex.add("Art. 172", gettext_noop("Convocation à une audition (au plus tôt 5 jours ouvrables après l'envoi) ; décision dans les 3 jours "
           "ouvrables de l'audition.") if hearing else gettext_noop("Le blâme n'exige pas d'audition préalable."))
    return ex.decide({"authority": authority, "hearing": hearing})
