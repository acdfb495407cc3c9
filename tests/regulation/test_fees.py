"""Droits d'inscription (art. 24, 33, 38, 47-60, 71; annexes 2, 4, 7). Amounts read off annexe 2."""

from decimal import Decimal as D

import pytest

from parcours.regulation.explain import RuleError
from parcours.regulation.fees import (
    FeeFacts,
    Payment,
    PaymentStatusFacts,
    WithdrawalFacts,
    compute,
    payment_status,
    withdrawal,
)
from tests.conftest import d

AS_MONS = {"section": "Assistant-e Social-e", "site": "Mons"}


def total(**kw):
    return compute(FeeFacts(**kw)).outcome["total"]


@pytest.mark.article("47", "Annexe 2")
def test_non_boursier_amount_and_breakdown():
    out = compute(FeeFacts(**AS_MONS, stage="DC")).outcome
    assert out["total"] == D("650.00")
    assert [line["amount"] for line in out["lines"]] == [D("175.01"), D("175.00"), D("299.99")]
    assert sum(line["amount"] for line in out["lines"]) == out["total"]
    agro = compute(FeeFacts(section="AIBT", site="Mss", stage="DC")).outcome
    assert agro["total"] == D("835.00") and agro["lines"][-1]["amount"] == D("185.00")


@pytest.mark.article("24", "48", "49")
def test_schedule_acompte_then_balance():
    schedule = compute(FeeFacts(**AS_MONS, stage="PE")).outcome["schedule"]
    assert [(s["date"], s["amount"]) for s in schedule] == [(d("2023-10-31"), D("50.00")), (d("2024-02-01"), D("650.00"))]


@pytest.mark.article("56", "Annexe 2")
def test_condition_modeste_pays_the_printed_modeste_total():
    out = compute(FeeFacts(**AS_MONS, stage="DC", status="condition_modeste")).outcome
    assert out["total"] == D("374.00")
    assert out["lines"][0]["amount"] == D("64.01")


@pytest.mark.article("56")
def test_a_pending_modeste_request_pays_the_full_amount_first():
    decision = compute(FeeFacts(**AS_MONS, stage="DC", status="modeste_demande"))
    assert decision.outcome["total"] == D("650.00")
    assert "Art. 56" in decision.articles


@pytest.mark.article("54")
def test_boursier_pays_nothing():
    out = compute(FeeFacts(**AS_MONS, stage="DC", status="boursier")).outcome
    assert out["total"] == D("0.00") and out["schedule"] == []


@pytest.mark.article("53")
def test_presume_boursier_is_exempt_of_the_acompte():
    decision = compute(FeeFacts(**AS_MONS, stage="DC", status="presume_boursier"))
    assert decision.outcome["schedule"] == []
    assert "Art. 53" in decision.articles


@pytest.mark.article("55")
def test_refused_grant_pays_everything_within_30_days():
    schedule = compute(FeeFacts(**AS_MONS, stage="DC", status="bourse_refusee",
                                grant_refusal_notified=d("2024-01-10"))).outcome["schedule"]
    assert [(s["date"], s["amount"]) for s in schedule] == [(d("2024-02-09"), D("650.00"))]


@pytest.mark.article("51", "71")
@pytest.mark.parametrize("credits,expected", [(30, "325.00"), (45, "487.50"), (59, "639.17")])
def test_allegement_pro_rata(credits, expected):
    assert total(**AS_MONS, stage="DC", allegement=True, pae_credits=credits) == D(expected)


@pytest.mark.article("51")
def test_end_of_cycle_pays_the_minerval_and_half_the_fees():
    # Année diplômante: 227,24 € + (175 + 247,76) / 2 = 438,62 €.
    assert total(**AS_MONS, stage="AD", end_of_cycle=True, pae_credits=15) == D("438.62")


@pytest.mark.article("51 al. 2")
@pytest.mark.parametrize("credits,only_internships,expected", [
    (15, False, "438.62"), (16, False, "650.00"), (30, False, "650.00"), (30, True, "438.62"),
])
def test_end_of_cycle_reduction_needs_15_credits_or_only_placements_and_tfe(credits, only_internships, expected):
    # AS Mons AD: full row 650 €; reduced 227,24 + (175 + 247,76) / 2 = 438,62 €.
    assert total(**AS_MONS, stage="AD", end_of_cycle=True, pae_credits=credits,
                 only_internships_or_tfe=only_internships) == D(expected)


@pytest.mark.article("51")
def test_allegement_and_end_of_cycle_do_not_combine():
    with pytest.raises(RuleError, match="ne se cumulent pas"):
        compute(FeeFacts(**AS_MONS, stage="AD", end_of_cycle=True, allegement=True, pae_credits=12))


@pytest.mark.article("56", "Annexe 2")
def test_modeste_end_of_cycle_on_a_row_without_modeste_minerval_is_not_guessed():
    with pytest.raises(RuleError, match="minerval modeste"):
        compute(FeeFacts(section="Kinésithérapie", site="MSS", stage="AD", status="condition_modeste", end_of_cycle=True,
                         pae_credits=10))


@pytest.mark.article("33")
def test_reorientation_pays_infrastructure_and_administrative_fees_pro_rata():
    assert total(**AS_MONS, stage="DC", reorientation=True, pae_credits=30) == D("237.50")


@pytest.mark.article("38")
@pytest.mark.parametrize("credits,expected", [(1, "55.00"), (20, "150.00")])
def test_free_student(credits, expected):
    assert total(**AS_MONS, stage="DC", registration="libre", pae_credits=credits) == D(expected)


@pytest.mark.article("38")
@pytest.mark.parametrize("credits,refused", [(20, False), (21, True)])
def test_a_free_student_cannot_follow_21_credits(credits, refused):
    decision = compute(FeeFacts(**AS_MONS, stage="DC", registration="libre", pae_credits=credits))
    assert decision.outcome.get("refused", False) is refused
    assert (decision.outcome["total"] is None) is refused
    assert "Art. 38" in decision.articles
    if refused:
        with pytest.raises(RuleError, match="20 crédits"):  # no payment to follow on a refused registration
            payment_status(PaymentStatusFacts(fees=FeeFacts(**AS_MONS, stage="DC", registration="libre",
                                                            pae_credits=credits), on=d("2023-11-01")))


@pytest.mark.article("Annexe 4")
def test_jury_of_the_communaute_francaise():
    out = compute(FeeFacts(**AS_MONS, stage="DC", registration="jury_cf")).outcome
    assert out["total"] == D("275.01")
    assert out["schedule"][0]["date"] == d("2023-12-01")


@pytest.mark.article("47", "Annexe 2", "Annexe 7")
@pytest.mark.parametrize("row,cycle,expected,low,high", [
    ({**AS_MONS, "stage": "DC"}, 1, "1642.00", 1500, 1800),
    ({"section": "Section 1", "site": "Gosselies", "stage": "DC"}, 1, "2322.00", 2200, 2900),
    ({"section": "Master gestion de production", "site": "Mons", "stage": "DC"}, 2, "2819.00", 2200, 2900),
])
def test_non_eu_specific_fees_fall_in_the_ranges_annexe_7_announces(row, cycle, expected, low, high):
    amount = total(**row, non_eu_specific=True, cycle=cycle)
    assert amount == D(expected)
    assert low <= amount <= high


def test_an_unknown_programme_is_named():
    with pytest.raises(RuleError, match="Aucune ligne"):
        compute(FeeFacts(section="Astronomie", site="Mons", stage="DC"))


def status(payments, on, registered_on=None, **kw):
    fees = FeeFacts(**AS_MONS, stage="DC", **kw)
    return payment_status(PaymentStatusFacts(fees=fees, payments=[Payment(date=d(a), amount=D(b)) for a, b in payments],
                                             on=d(on), registered_on=registered_on and d(registered_on))).outcome


@pytest.mark.article("48")
@pytest.mark.parametrize("paid,state", [("49.99", "inscription_annulee"), ("50", "en_ordre")])
def test_acompte_missing_on_31_october_cancels_the_registration(paid, state):
    assert status([("2023-10-31", paid)], "2023-11-01")["state"] == state


@pytest.mark.article("48")
def test_before_31_october_the_next_step_is_shown():
    out = status([], "2023-10-20")
    assert out["state"] == "en_ordre" and out["next"]["date"] == d("2023-10-31") and out["next"]["amount"] == D("50.00")


@pytest.mark.article("49")
@pytest.mark.parametrize("paid,state", [("649.99", "acces_suspendu"), ("650", "en_ordre")])
def test_balance_missing_on_1_february(paid, state):
    assert status([("2023-10-01", "50"), ("2024-02-01", str(D(paid) - 50))], "2024-02-02")["state"] == state


@pytest.mark.article("48", "22", "32")
@pytest.mark.parametrize("registered_on,state", [("2023-10-31", "inscription_annulee"),
                                                  ("2023-11-01", "en_ordre")])
def test_the_31_october_acompte_does_not_cancel_a_registration_taken_later(registered_on, state):
    # Nothing paid on 31 October: a registration of that day is cancelled (art. 48); one of 1 November is not.
    assert status([("2023-11-02", "650")], "2023-11-03", registered_on=registered_on)["state"] == state


@pytest.mark.article("49", "32")
@pytest.mark.parametrize("paid,state", [("649.99", "acces_suspendu"), ("650", "en_ordre")])
def test_a_late_registration_still_owes_the_balance_by_1_february(paid, state):
    assert status([("2024-01-12", paid)], "2024-02-02", registered_on="2024-01-12")["state"] == state


@pytest.mark.article("33", "48")
@pytest.mark.parametrize("paid,state", [("474.99", "en_ordre"), ("474.98", "acces_suspendu")])
def test_a_reorientation_is_not_cancelled_by_the_31_october_acompte(paid, state):
    # Réorientation into AS Mons on 60 credits: infrastructure and administrative fees, 474,99 €, paid 15 November.
    assert status([("2023-11-15", paid)], "2023-11-20", reorientation=True)["state"] == "en_ordre"
    assert status([("2023-11-15", paid)], "2024-02-02", reorientation=True)["state"] == state


@pytest.mark.article("53", "49")
def test_presume_boursier_keeps_access_after_1_february():
    assert status([], "2024-02-02", status="presume_boursier")["state"] == "en_ordre"


@pytest.mark.article("57", "58")
def test_annulation_until_30_november_keeps_only_the_acompte():
    out = withdrawal(WithdrawalFacts(fees=FeeFacts(**AS_MONS, stage="DC"), withdrawal_date=d("2023-11-30"),
                                     paid=D(650))).outcome
    assert out == {"kind": "annulation", "counts_as_registration": False, "still_due": D("0.00"), "refund": D("600.00")}


@pytest.mark.article("59")
def test_abandon_from_1_december_owes_everything():
    out = withdrawal(WithdrawalFacts(fees=FeeFacts(**AS_MONS, stage="DC"), withdrawal_date=d("2023-12-01"),
                                     paid=D(50))).outcome
    assert out == {"kind": "abandon", "counts_as_registration": True, "still_due": D("600.00"), "refund": D("0.00")}


@pytest.mark.article("47", "60")
def test_non_eu_specific_fees_are_refunded_only_on_visa_refusal():
    fees = FeeFacts(**AS_MONS, stage="DC", non_eu_specific=True)
    kept = withdrawal(WithdrawalFacts(fees=fees, withdrawal_date=d("2023-10-15"), paid=D(1642),
                                      attestation_delivered=True)).outcome
    assert kept["refund"] == D("600.00")  # 1642 − 50 acompte − 992 DIS
    visa = withdrawal(WithdrawalFacts(fees=fees, withdrawal_date=d("2023-10-15"), paid=D(1642), visa_refused=True)).outcome
    assert visa["refund"] == D("1592.00")


@pytest.mark.article("Annexe 4")
@pytest.mark.parametrize("on", ["2023-11-10", "2023-12-02"])
def test_the_jury_cf_fee_is_never_refunded(on):
    # Comptabilité Mons PE before a jury: 175,01 + 100 = 275,01 €, refunded neither before nor after 30 November.
    fees = FeeFacts(section="Comptabilité", site="Mons", stage="PE", registration="jury_cf")
    out = withdrawal(WithdrawalFacts(fees=fees, withdrawal_date=d(on), paid=D("275.01"))).outcome
    assert out["refund"] == D("0.00")
    # The other side: a regular registration withdrawn on 10 November is refunded beyond the acompte.
    regular = withdrawal(WithdrawalFacts(fees=FeeFacts(section="Comptabilité", site="Mons", stage="PE"),
                                         withdrawal_date=d("2023-11-10"), paid=D("275.01"))).outcome
    assert regular["refund"] == D("225.01")


@pytest.mark.article("54", "58")
def test_a_boursier_who_cancels_gets_everything_back():
    out = withdrawal(WithdrawalFacts(fees=FeeFacts(**AS_MONS, stage="DC", status="boursier"),
                                     withdrawal_date=d("2023-11-15"), paid=D(50))).outcome
    assert out["refund"] == D("50.00")


@pytest.mark.article("48", "49", "32")
@pytest.mark.parametrize("registered_on,steps", [("2023-10-31", ["Art. 24, 48", "Art. 49"]), ("2023-11-01", ["Art. 49"])])
def test_the_schedule_of_a_registration_taken_after_31_october_has_no_acompte(registered_on, steps):
    out = compute(FeeFacts(**AS_MONS, stage="DC", registered_on=d(registered_on))).outcome
    assert [s["article"] for s in out["schedule"]] == steps
    # The same date given inside the fees reaches payment_status: nothing paid on 31 October cancels only the first.
    state = payment_status(PaymentStatusFacts(fees=FeeFacts(**AS_MONS, stage="DC", registered_on=d(registered_on)),
                                              on=d("2023-11-03"))).outcome["state"]
    assert state == ("inscription_annulee" if len(steps) == 2 else "en_ordre")
