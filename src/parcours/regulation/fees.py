"""Droits d'inscription (art. 24, 33, 38, 47-60, 71; annexes 2, 4 and 7).

``compute`` gives the amount due with its breakdown and payment schedule; ``payment_status``
applies the consequences of the 31 October and 1 February dates; ``withdrawal`` tells annulation
from abandon and what is refunded.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import Field

from parcours.regulation.calendar import DeadlineFacts, deadline
from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, euros, gettext_noop, joined
from parcours.regulation.params import FeeRow, YearParameters, load_year

CENT = Decimal("0.01")
Status = Literal["non_boursier", "presume_boursier", "boursier", "condition_modeste", "modeste_demande", "bourse_refusee"]
STATUS_LABELS = {
    "non_boursier": gettext_noop("non boursier"),
    "presume_boursier": gettext_noop("présumé boursier"),
    "boursier": gettext_noop("boursier"),
    "condition_modeste": gettext_noop("de condition modeste (statut reconnu)"),
    "modeste_demande": gettext_noop("ayant demandé le statut de condition modeste"),
    "bourse_refusee": gettext_noop("dont la bourse est refusée"),
}


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def find_row(params: YearParameters, section: str, site: str, stage: str) -> FeeRow:
    """The annexe-2 row of a programme; duplicates printed twice must agree."""
    rows = _fee_index(params).get((section.casefold(), site.casefold(), stage))
    if not rows:
        raise RuleError(gettext_noop("Aucune ligne de l'annexe 2 pour « {section} » à « {site} » ({stage}).", section=section, site=site, stage=stage))
    first = rows[0]
    for other in rows[1:]:
        if other.model_dump(exclude={"row"}) != first.model_dump(exclude={"row"}):
            raise RuleError(gettext_noop("L'annexe 2 donne deux montants différents pour « {section} » à « {site} » ({stage}) : "
                            "lignes {first_row} et {other_row}.", section=section, site=site, stage=stage, first_row=first.row, other_row=other.row))
    return first


_FEE_INDEXES: dict[int, tuple[YearParameters, dict]] = {}


def _fee_index(params: YearParameters) -> dict[tuple[str, str, str], list[FeeRow]]:
    """The year's fee rows by (section, site, stage), built once per parameters object: a batch over a whole
    population looks a row up instead of scanning the annexe."""
    cached = _FEE_INDEXES.get(id(params))
    if cached is None or cached[0] is not params:
        index: dict[tuple[str, str, str], list[FeeRow]] = {}
        for r in params.fee_rows:
            index.setdefault((r.section.casefold(), r.site.casefold(), r.stage), []).append(r)
        cached = _FEE_INDEXES[id(params)] = (params, index)
    return cached[1]


class FeeFacts(Facts):
    year: str = "2023-2024"
    section: str
    site: str
    stage: Literal["DC", "PE", "AD"]  # début de cycle, poursuite d'études, année diplômante
    registration: Literal["reguliere", "libre", "jury_cf"] = "reguliere"
    status: Status = "non_boursier"
    pae_credits: int = Field(default=60, ge=0, le=75)
    allegement: bool = False  # art. 51 al. 1, 71
    end_of_cycle: bool = False  # the student is in the last year of the cycle (art. 51 al. 2)
    # Art. 51 al. 2: the end-of-cycle student has only placements and/or the TFE left to present or re-present.
    only_internships_or_tfe: bool = False
    reorientation: bool = False  # art. 33: réorientation towards a HELHa programme
    non_eu_specific: bool = False  # art. 47: non-EU student whose parents do not reside in Belgium
    cycle: Literal[1, 2] = 1  # for the DIS of type long
    grant_refusal_notified: dt.date | None = None
    registered_on: dt.date | None = None  # a due date before the registration does not apply to it (art. 22, 32)


def compute(facts: FeeFacts) -> Decision:
    params = load_year(facts.year)
    fp = params.fees
    ex = Explanation()
    lines: list[dict] = []
    schedule: list[dict] = []
    dl = params.deadlines.dates

    def line(label: str, amount: Decimal, article: str) -> None:
        lines.append({"label": label, "amount": money(amount), "article": article})

    if facts.registration == "libre":
        cap = fp.free_student_max_credits
        if facts.pae_credits > cap.value:
            # Art. 38 decides: the registration as a free student is refused, no amount is due.
            ex.add(cap.article, gettext_noop("Un étudiant libre suit au plus {cap_value} crédits par année académique : "
                   "{pae_credits} demandés, inscription comme étudiant libre refusée.", cap_value=cap.value, pae_credits=facts.pae_credits))
            return ex.decide({"total": None, "refused": True, "lines": lines, "schedule": schedule})
        line(fp.free_student_admin.label, fp.free_student_admin.amount, "Art. 38")
        line(f"{facts.pae_credits} crédits × {euros(fp.free_student_per_credit.amount)}",
             fp.free_student_per_credit.amount * facts.pae_credits, "Art. 38")
        ex.add("Art. 38", gettext_noop("Étudiant libre : 50 € de frais administratifs et 5 € par crédit suivi (20 crédits au plus)."))
        total = sum((ln["amount"] for ln in lines), Decimal(0))
        return ex.decide({"total": money(total), "lines": lines, "schedule": schedule})

    row = find_row(params, facts.section, facts.site, facts.stage)
    ex.add("Annexe 2", gettext_noop("Ligne {row_row} de l'annexe 2 : {domaine}, {section}, {site}, {type}, {stage}.", row_row=row.row, domaine=row.domaine, section=row.section, site=row.site, type=row.type, stage=row.stage))

    if facts.registration == "jury_cf":
        line("Minerval de l'année d'études", row.minerval_non_boursier, "Annexe 4")
        line(fp.jury_cf_admin.label, fp.jury_cf_admin.amount, "Annexe 4")
        fee = dl["jury_cf_fee"]
        total = money(row.minerval_non_boursier + fp.jury_cf_admin.amount)
        schedule.append({"date": fee.date, "amount": total, "label": fee.label, "article": fee.article,
                         "consequence": gettext_noop("Inscription au jury non effective.")})
        ex.add("Annexe 4", gettext_noop("Jury de la Communauté française : minerval des étudiants réguliers et 100 € de frais "
               "administratifs, à verser au plus tard le {fee_date:date} ; en aucun cas remboursés.", fee_date=fee.date))
        return ex.decide({"total": total, "lines": lines, "schedule": schedule})

    if facts.allegement and facts.end_of_cycle:
        raise RuleError(gettext_noop("Allègement (art. 51 al. 1) et fin de cycle (art. 51 al. 2) ne se cumulent pas : "
                        "préciser lequel s'applique."))
    status = facts.status
    ex.add("Art. 47", gettext_noop("Étudiant {status_labels}.", status_labels=STATUS_LABELS[status]))

    if status == "boursier":
        ex.add("Art. 54", gettext_noop("Statut de boursier octroyé : aucun droit d'inscription ; les montants perçus, acompte "
               "compris, sont remboursés."))
        total = Decimal(0)
    elif facts.reorientation:
        share = Decimal(facts.pae_credits) / fp.reference_pae_credits.value
        line("Frais d'infrastructure au prorata", row.frais_infrastructure * share, "Art. 33 ; annexe 2")
        line("Frais administratifs au prorata", row.frais_administratifs * share, "Art. 33 ; annexe 2")
        ex.add("Art. 33", gettext_noop("Réorientation : frais d'infrastructure et administratifs au prorata des {pae_credits} "
               "crédits suivis du PAE (sur {reference_pae_credits_value}).", pae_credits=facts.pae_credits, reference_pae_credits_value=fp.reference_pae_credits.value))
        total = sum((ln["amount"] for ln in lines), Decimal(0))
    elif status == "condition_modeste":
        total = _modeste(facts, row, line, ex)
    else:
        total = _non_boursier(facts, row, line, ex, fp.reference_pae_credits.value)
        if status == "modeste_demande":
            ex.add("Art. 56", gettext_noop("Demande de statut de condition modeste en cours : le montant non boursier est dû ; la "
                   "différence est remboursée quand le travailleur social reconnaît le statut."))

    if facts.non_eu_specific:
        dis = _dis(params, row, facts.cycle)
        line(dis.label, dis.amount, dis.article)
        ex.add("Art. 47, 60", gettext_noop("Droits d'inscription spécifiques (étudiant hors UE dont les parents ne résident pas en "
               "Belgique) : remboursables seulement en cas de refus de visa, jamais après délivrance d'une attestation."))
        total += dis.amount
    total = money(total)

    schedule.extend(_schedule(facts, total, params, ex))
    return ex.decide({"total": total, "lines": lines, "schedule": schedule, "row": row.row})


def _end_of_cycle_reduction(facts: FeeFacts, ex: Explanation) -> bool:
    """Art. 51 al. 2: the reduction needs 15 credits or fewer in the PAE, or only placements and/or the TFE left."""
    if not facts.end_of_cycle:
        return False
    most = load_year(facts.year).fees.end_of_cycle_max_credits
    if facts.pae_credits <= most.value:
        ex.add(most.article, gettext_noop("Fin de cycle avec {pae_credits} crédits au programme annuel ({most_value} ou moins) : "
               "minerval et moitié des frais d'études admissibles.", pae_credits=facts.pae_credits, most_value=most.value))
        return True
    if facts.only_internships_or_tfe:
        ex.add(most.article, gettext_noop("Fin de cycle : il ne reste que les stages et/ou le TFE ({pae_credits} crédits) : "
               "minerval et moitié des frais d'études admissibles.", pae_credits=facts.pae_credits))
        return True
    ex.add(most.article, gettext_noop("Fin de cycle avec {pae_credits} crédits (plus de {most_value}) qui ne sont pas que des "
           "stages et/ou le TFE : pas de réduction, les droits complets sont dus.", pae_credits=facts.pae_credits, most_value=most.value))
    return False


def _non_boursier(facts: FeeFacts, row: FeeRow, line, ex: Explanation, reference: int) -> Decimal:
    if _end_of_cycle_reduction(facts, ex):
        line("Minerval", row.minerval_non_boursier, "Art. 51 ; annexe 2")
        line("Moitié des frais d'études admissibles", row.frais_etudes / 2, "Art. 51 ; annexe 2")
        return row.minerval_non_boursier + row.frais_etudes / 2
    line("Minerval", row.minerval_non_boursier, "Art. 47 ; annexe 2")
    line("Frais d'infrastructure et d'équipement", row.frais_infrastructure, "Art. 47 ; annexe 2")
    line("Frais administratifs", row.frais_administratifs, "Art. 47 ; annexe 2")
    if row.frais_specifiques is not None:
        line("Frais spécifiques", row.frais_specifiques, "Art. 47 ; annexe 2")
    total = row.total_non_boursier
    ex.add("Annexe 2", gettext_noop("Total non boursier : {total:euros}.", total=total))
    if facts.allegement:
        prorated = total * Decimal(facts.pae_credits) / reference
        lines_note = f"Allègement : {facts.pae_credits}/{reference} des droits"
        line(lines_note, prorated - total, "Art. 51, 71")
        ex.add("Art. 51, 71", gettext_noop("Allègement : droits au prorata des {pae_credits} crédits du programme annuel "
               "→ {prorated:euros}.", pae_credits=facts.pae_credits, prorated=money(prorated)))
        return prorated
    return total


def _modeste(facts: FeeFacts, row: FeeRow, line, ex: Explanation) -> Decimal:
    total = row.total_modeste
    if row.minerval_modeste is None:
        ex.add("Annexe 2", gettext_noop("L'annexe 2 ne précise pas le minerval modeste de cette ligne ; le total imprimé "
               "({total:euros}) s'applique.", total=total))
        if (facts.end_of_cycle and _end_of_cycle_reduction(facts, Explanation())) or facts.allegement:
            raise RuleError(gettext_noop("Annexe 2 : sans minerval modeste pour cette ligne, la réduction de fin de cycle ou "
                            "d'allègement ne peut être calculée ; décision à prendre par le service des inscriptions."))
        line("Total étudiant de condition modeste (minerval non détaillé)", total, "Art. 56 ; annexe 2")
        return total
    frais = total - row.minerval_modeste
    if _end_of_cycle_reduction(facts, ex):
        line("Minerval (condition modeste)", row.minerval_modeste, "Art. 51, 56 ; annexe 2")
        line("Moitié des frais d'études (condition modeste)", frais / 2, "Art. 51, 56 ; annexe 2")
        ex.add("Art. 51, 56", gettext_noop("Fin de cycle, condition modeste : minerval modeste et moitié des frais d'études."))
        return row.minerval_modeste + frais / 2
    line("Minerval (condition modeste)", row.minerval_modeste, "Art. 56 ; annexe 2")
    line("Frais d'études (condition modeste)", frais, "Art. 56 ; annexe 2")
    ex.add("Art. 56 ; annexe 2", gettext_noop("Total étudiant de condition modeste : {total:euros}.", total=total))
    if facts.allegement:
        prorated = total * Decimal(facts.pae_credits) / 60
        line(f"Allègement : {facts.pae_credits}/60 des droits", prorated - total, "Art. 51, 71")
        ex.add("Art. 51, 71", gettext_noop("Allègement : au prorata des {pae_credits} crédits → {prorated:euros}.", pae_credits=facts.pae_credits, prorated=money(prorated)))
        return prorated
    return total


def _dis(params: YearParameters, row: FeeRow, cycle: int):
    dis = params.fees.dis
    if row.type == "TC":
        return dis.court
    return dis.long_cycle_1 if cycle == 1 else dis.long_cycle_2


def _schedule(facts: FeeFacts, total: Decimal, params: YearParameters, ex: Explanation) -> list[dict]:
    dl = params.deadlines.dates
    acompte = params.fees.acompte.amount
    out: list[dict] = []
    if total == 0:
        return out
    if facts.status == "bourse_refusee":
        if facts.grant_refusal_notified is None:
            ex.add("Art. 55", gettext_noop("Bourse refusée : la totalité est due dans les 30 jours calendrier de la notification du refus."))
            return out
        due = deadline(DeadlineFacts(time_limit="refused_grant_payment", event_date=facts.grant_refusal_notified,
                                     year=facts.year)).outcome
        ex.add("Art. 55", gettext_noop("Bourse refusée le {grant_refusal_notified:date} : la totalité est due au plus tard "
               "le {due:date}, même en cas de recours contre le refus.", grant_refusal_notified=facts.grant_refusal_notified, due=due))
        out.append({"date": due, "amount": total, "label": gettext_noop("Totalité des droits après refus de bourse"),
                    "article": "Art. 55", "consequence": gettext_noop("Défaut de paiement : mêmes conséquences qu'au 1er février (art. 49).")})
        return out
    if facts.status == "presume_boursier":
        ex.add("Art. 53", gettext_noop("Présumé boursier : dispensé de l'acompte ; sans décision au 1er février, il garde l'accès aux "
               "activités, est délibéré et bénéficie des reports et valorisations."))
        return out
    # Art. 48 cancels a registration unpaid "à la date du 31 octobre": one taken later (art. 22, 32) or a
    # réorientation (art. 33, from 1 November) did not exist then.
    after = None
    if facts.registered_on is not None and facts.registered_on > dl["acompte"].date:
        after = ("Art. 48 ; art. 22, 32", gettext_noop("Inscription du {registered_on:date}, postérieure au "
                 "{acompte_date:date} : l'acompte de l'art. 48 ne la concerne pas.", registered_on=facts.registered_on, acompte_date=dl['acompte'].date))
    elif facts.reorientation:
        after = ("Art. 33, 48", gettext_noop("Réorientation (à partir du 1er novembre) : l'acompte du {acompte_date:date} "
                 "ne la concerne pas.", acompte_date=dl['acompte'].date))
    if after is not None:
        ex.add(*after)
        out.append(_solde_step(dl, total))
        ex.add("Art. 49", gettext_noop("Solde au plus tard le {solde_date:date}.", solde_date=dl['solde'].date))
        return out
    out.append({"date": dl["acompte"].date, "amount": min(acompte, total), "label": dl["acompte"].label,
                "article": dl["acompte"].article,
                "consequence": gettext_noop("Inscription annulée, notifiée par recommandé ou courriel avec accusé de "
                                            "réception (art. 48) ; recours au Commissaire (art. 182).")})
    out.append(_solde_step(dl, total))
    ex.add("Art. 24, 48", gettext_noop("Acompte de {acompte:euros} au plus tard le {acompte_date:date} ; il n'est pas "
           "remboursable (sauf aux boursiers).", acompte=acompte, acompte_date=dl['acompte'].date))
    ex.add("Art. 49", gettext_noop("Solde au plus tard le {solde_date:date}.", solde_date=dl['solde'].date))
    return out


def _solde_step(dl, total: Decimal) -> dict:
    return {"date": dl["solde"].date, "amount": total, "label": gettext_noop("Totalité des droits d'inscription (solde)"),
            "article": dl["solde"].article,
            "consequence": gettext_noop("Plus d'accès aux activités d'apprentissage, pas de délibération, ni report ni "
                                        "valorisation de crédits ; l'étudiant reste inscrit et redevable de la totalité "
                                        "(art. 49) ; recours au Commissaire (art. 182).")}


def _due(fees: FeeFacts) -> Decision:
    """The amount due, for the rules that follow payments: a refused registration has none."""
    due = compute(fees)
    if due.outcome.get("refused"):
        raise RuleError(gettext_noop("{reasons} Aucun paiement à suivre.", reasons=joined([r.text for r in due.reasons], " ")))
    return due


class Payment(Facts):
    date: dt.date
    amount: Decimal = Field(gt=0)


class PaymentStatusFacts(Facts):
    fees: FeeFacts
    payments: list[Payment] = []
    on: dt.date
    registered_on: dt.date | None = None  # date of the registration; a due date before it does not apply to it


def payment_status(facts: PaymentStatusFacts) -> Decision:
    """Where a student stands on ``on`` given the payments received (art. 48, 49, 53, 55)."""
    due = _due(facts.fees)
    total: Decimal = due.outcome["total"]
    ex = Explanation()
    ex.add("Art. 47", gettext_noop("Montant dû : {total:euros}.", total=total))
    paid_by = lambda d: sum((p.amount for p in facts.payments if p.date <= d), Decimal(0))  # noqa: E731
    paid = paid_by(facts.on)
    ex.add("Art. 47", gettext_noop("Payé au {on:date} : {paid:euros}.", on=facts.on, paid=paid))
    outcome = {"total": total, "paid": money(paid), "balance": money(max(total - paid, Decimal(0))), "state": "en_ordre",
               "next": None}
    registered_on = facts.registered_on or facts.fees.registered_on
    if registered_on is not None and registered_on > facts.on:
        raise RuleError(gettext_noop("Situation demandée au {on:date}, avant l'inscription du {registered_on:date}.", on=facts.on, registered_on=registered_on))
    for step in due.outcome["schedule"]:
        if registered_on is not None and step["date"] < registered_on:
            # Art. 48 cancels a registration unpaid "à la date du 31 octobre"; one taken later (art. 22, 32) did
            # not exist then, and no due date before the registration applies to it.
            ex.add(f"{step['article']} ; art. 22, 32", gettext_noop("Inscription du {registered_on:date}, postérieure à "
                   "l'échéance du {step_date:date} ({step_label}) : cette échéance ne s'applique pas.", registered_on=registered_on, step_date=step['date'], step_label=step['label']))
            continue
        if facts.on > step["date"] and paid_by(step["date"]) < step["amount"]:
            if step["article"].startswith("Art. 24"):
                ex.add("Art. 48", gettext_noop("Moins de {step_amount:euros} payés au {step_date:date} : l'inscription ne "
                       "peut être prise en compte et est annulée.", step_amount=step['amount'], step_date=step['date']))
                ex.add("Art. 182", gettext_noop("Recours possible auprès du Commissaire ou Délégué du Gouvernement dans les 15 jours "
                       "ouvrables de la notification."))
                outcome["state"] = "inscription_annulee"
                return ex.decide(outcome)
            ex.add(step["article"], gettext_noop("Solde non payé au {step_date:date} : {consequence}", step_date=step['date'], consequence=step['consequence']))
            outcome["state"] = "acces_suspendu"
            return ex.decide(outcome)
        if facts.on <= step["date"] and paid < step["amount"]:
            outcome["next"] = {"date": step["date"], "amount": money(step["amount"] - paid), "label": step["label"]}
            ex.add(step["article"], gettext_noop("Prochaine échéance : {due:euros} au plus tard le "
                   "{step_date:date}.", due=money(step['amount'] - paid), step_date=step['date']))
            break
    if outcome["state"] == "en_ordre" and paid >= total:
        if total:
            ex.add("Art. 24", gettext_noop("Droits d'inscription entièrement payés."))
        else:  # nothing was due (a grant holder, art. 54): nothing is "paid" either
            ex.add("Art. 47", gettext_noop("Aucun droit d'inscription n'est dû."))
    return ex.decide(outcome)


class WithdrawalFacts(Facts):
    fees: FeeFacts
    withdrawal_date: dt.date  # date on the document signed with the department direction (art. 57)
    paid: Decimal = Field(ge=0)
    attestation_delivered: bool = False  # for the non-EU specific fees (art. 60)
    visa_refused: bool = False  # art. 47


def withdrawal(facts: WithdrawalFacts) -> Decision:
    """Annulation (until 30 November) or abandon (from 1 December), and what is refunded (art. 57-60)."""
    params = load_year(facts.fees.year)
    due = _due(facts.fees)
    ex = Explanation()
    ex.add("Art. 57", gettext_noop("Seule la date du document d'arrêt signé ({withdrawal_date:date}) est opposable.", withdrawal_date=facts.withdrawal_date))
    limit = params.deadlines.dates["annulation_until"].date
    total: Decimal = due.outcome["total"]
    if facts.fees.registration == "jury_cf":
        ex.add("Annexe 4", gettext_noop("Jury de la Communauté française : « Ce droit d'inscription n'est en aucun cas remboursé. » "
               "Non payé, il rend l'inscription au jury non effective."))
        cancelled = facts.withdrawal_date <= limit
        return ex.decide({"kind": "annulation" if cancelled else "abandon", "counts_as_registration": not cancelled,
                          "still_due": Decimal("0.00"), "refund": Decimal("0.00")})
    dis = sum((ln["amount"] for ln in due.outcome["lines"] if ln["label"].startswith("DIS")), Decimal(0))
    if facts.withdrawal_date <= limit:
        kept = min(params.fees.acompte.amount, total) if facts.fees.status != "boursier" else Decimal(0)
        ex.add("Art. 58", gettext_noop("Désinscription au plus tard le {limit:date} : annulation. Seul l'acompte reste dû ; "
               "l'année ne compte pas comme inscription.", limit=limit))
        if dis and not facts.visa_refused:
            kept += dis
            ex.add("Art. 47, 60", gettext_noop("Les droits spécifiques hors UE ne sont remboursés qu'en cas de refus de visa ; "
                                               "une attestation d'inscription a été délivrée.") if facts.attestation_delivered
                   else gettext_noop("Les droits spécifiques hors UE ne sont remboursés qu'en cas de refus de visa."))
        refund = max(facts.paid - kept, Decimal(0))
        ex.add("Art. 58", gettext_noop("Trop-perçu remboursé : {refund:euros}.", refund=money(refund)))
        return ex.decide({"kind": "annulation", "counts_as_registration": False, "still_due": money(max(kept - facts.paid, Decimal(0))),
                          "refund": money(refund)})
    ex.add("Art. 59", gettext_noop("Désinscription à partir du {since:date} : abandon. La totalité des droits "
           "reste due et l'année compte comme inscription.", since=limit + dt.timedelta(days=1)))
    return ex.decide({"kind": "abandon", "counts_as_registration": True, "still_due": money(max(total - facts.paid, Decimal(0))),
                      "refund": Decimal("0.00")})
