"""Reads of admissions: where a registration stands with its fees, for the student's home and fees page."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from parcours.admissions import banking, payments
from parcours.admissions.services import AdmissionError
from parcours.regulation import fees
from parcours.regulation.explain import Decision, RuleError
from parcours.students import selectors as student_selectors
from parcours.students.models import Registration
from parcours.web.clock import today


@dataclass(frozen=True)
class Step:
    date: dt.date
    amount: Decimal  # this instalment (not cumulative)
    cumulative: Decimal
    label: str
    article: str
    consequence: str
    paid: bool
    remaining: Decimal = Decimal(0)  # what is still to pay of this instalment (part of it may be paid already)


@dataclass(frozen=True)
class FeesSummary:
    total: Decimal
    paid: Decimal
    balance: Decimal
    state: str  # en_ordre / inscription_annulee / acces_suspendu
    next: dict | None  # {"date", "amount", "label"}
    steps: list[Step]
    status: Decision
    pay: banking.PaymentInstructions | None
    refused: bool = False  # the rules refuse the registration (art. 38): nothing is due
    computed: Decision | None = None  # how the amount was reached: why nothing is due, when nothing is (art. 54)

    @property
    def settled(self) -> set[str]:
        """The deadlines the student has met: they leave the list of things to do."""
        names = set()
        for step in self.steps:
            if step.paid:
                names.add("acompte" if step.article.startswith("Art. 24") else "solde")
        return names


def fees_summary(reg: Registration | None, on: dt.date | None = None) -> FeesSummary | None:
    """Paid, remaining, the next date and how to pay it; None when no fee applies or the rules cannot say."""
    if reg is None or not reg.programme.fee_section:
        return None
    on = on or today()
    try:
        facts = payments.fee_facts(reg)  # read once for the amount due and the payment status
        due = fees.compute(facts)
        if due.outcome.get("refused"):
            return FeesSummary(total=Decimal(0), paid=payments.paid_total(reg), balance=Decimal(0), state="refuse",
                               next=None, steps=[], status=due, pay=None, refused=True)
        status = fees.payment_status(student_selectors.payment_status_facts(reg, on, facts))
        schedule = due.outcome["schedule"]
    except (AdmissionError, RuleError):
        return None
    out = status.outcome
    steps, before = [], Decimal(0)
    for s in schedule:
        steps.append(Step(date=s["date"], amount=s["amount"] - before, cumulative=s["amount"], label=s["label"],
                          article=s["article"], consequence=s["consequence"], paid=out["paid"] >= s["amount"],
                          remaining=min(s["amount"] - before, max(Decimal(0), s["amount"] - out["paid"]))))
        before = s["amount"]
    return FeesSummary(total=out["total"], paid=out["paid"], balance=out["balance"], state=out["state"],
                       next=out["next"], steps=steps, status=status, computed=due,
                       pay=banking.instructions(reg, out["next"] if out["state"] == "en_ordre" else
                                                {"date": None, "amount": out["balance"]}))
