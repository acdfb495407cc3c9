"""A sample case explained by the regulation layer: what `make run` shows until the web
application exists."""

from __future__ import annotations

import datetime as dt

from parcours.regulation import calendar, fees, financabilite, mobility
from parcours.regulation.explain import Decision, euros, fr_date


def _block(title: str, decision: Decision, summary: str) -> str:
    lines = [f"\n== {title} ==", summary]
    lines += [f"   [{r.article}] {r.text}" for r in decision.reasons]
    return "\n".join(lines)


def explain_sample() -> str:
    out = ["Parcours — le RGE HELHa 2023-2024 en code (cas d'exemple : Léa, Bachelier assistant social, Mons)"]
    fin = financabilite.evaluate(financabilite.FinancabiliteFacts(
        cycle=1, cursus="Bachelier : assistant social", cursus_credits=180, credits_in_cursus=60, bloc1_credits=60,
        history=[financabilite.PastRegistration(academic_year="2022-2023", cycle=1, cursus="Bachelier : assistant social",
                                                pae_credits=60, credits_acquired=60, new_rules=True)]))
    out.append(_block("Finançabilité (art. 35)", fin,
                      f"Régime : {fin.outcome['regime']} règles — {'finançable' if fin.outcome['financable'] else 'non finançable'}."))
    fee = fees.compute(fees.FeeFacts(section="Assistant-e Social-e", site="Mons", stage="PE"))
    schedule = "; ".join(f"{euros(s['amount'])} au plus tard le {fr_date(s['date'])}" for s in fee.outcome["schedule"])
    out.append(_block("Droits d'inscription (art. 47-49, annexe 2)", fee,
                      f"Total : {euros(fee.outcome['total'])} — échéancier : {schedule}."))
    appeal = calendar.deadline(calendar.DeadlineFacts(time_limit="internal_appeal", event_date=dt.date(2023, 10, 27)))
    out.append(_block("Recours interne contre une décision notifiée le 27 octobre 2023 (art. 177)", appeal,
                      f"Échéance : {fr_date(appeal.outcome)}."))
    cand = mobility.candidature(mobility.CandidatureFacts(
        submitted_on=dt.date(2024, 2, 12), documents=["formulaire", "lettre_motivation", "cv", "bulletins"],
        letter_signed=True, sent_to=["HENALLUX"]))
    out.append(_block("Candidature Erasmus (procédure AS HENALLUX / HERS)", cand,
                      "Recevable." if cand.outcome["admissible"] else "Pas encore recevable."))
    out.append("\nPour aller plus loin : `parcours articles`, `parcours rule --list`, "
               "`parcours rule NOM --input faits.json` (voir docs/rules.md).")
    return "\n".join(out)
