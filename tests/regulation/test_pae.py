"""Programme annuel de l'étudiant (art. 38, 67, 68, 71, 77): every broken rule is reported."""

import pytest

from parcours.regulation.pae import PaeFacts, ProposedUE, check
from tests.conftest import d

BLOC1 = [ProposedUE(code=f"B1-{i}", credits=10, bloc=1) for i in range(1, 7)]  # 60 credits
BLOC1_CODES = [u.code for u in BLOC1]


def ues(prefix, n, credits=5, bloc=2, **kw):
    return [ProposedUE(code=f"{prefix}{i}", credits=credits, bloc=bloc, **kw) for i in range(1, n + 1)]


def run(ues, **kw):
    kw.setdefault("bloc1_codes", BLOC1_CODES)
    return check(PaeFacts(ues=ues, **kw))


def articles_of(decision):
    return [v["article"] for v in decision.outcome["violations"]]


@pytest.mark.article("67", "62")
def test_first_registration_takes_the_60_first_credits():
    assert run(BLOC1, situation="premiere_inscription").outcome["admissible"] is True
    broken = run(BLOC1[:-1], situation="premiere_inscription")
    assert broken.outcome["admissible"] is False
    assert articles_of(broken) == ["Art. 67 §1er", "Art. 67 §2"]  # missing bloc-1 UE and under 60 credits


@pytest.mark.article("67", "71")
def test_first_registration_with_allegement():
    assert run(BLOC1[:3], situation="premiere_inscription", allegement=True).outcome["admissible"] is True


def failed_first_year(acquired_credits, extra, jury=False):
    acquired = BLOC1_CODES[: acquired_credits // 10]
    remaining = [u for u in BLOC1 if u.code not in acquired]
    return run(remaining + extra, situation="bloc1_non_reussi", acquired=acquired,
               bloc1_credits_acquired=acquired_credits, jury_agreement=jury)


@pytest.mark.article("67 §1er")
@pytest.mark.parametrize("extra_credits,admissible", [(50, True), (55, False)])
def test_45_credits_or_more_complete_up_to_60(extra_credits, admissible):
    # 50 acquired, the remaining bloc-1 UE (10 credits) + the rest of the programme: 60 at most.
    assert failed_first_year(50, ues("S", extra_credits // 5)).outcome["admissible"] is admissible


@pytest.mark.article("67 §1er")
def test_65_credits_need_55_acquired_and_the_jury():
    def case(acquired, jury):
        # 55 acquired: one bloc-1 UE of 5 credits left (B1 split 55/5 for this case).
        bloc1 = [ProposedUE(code=f"X{i}", credits=5, bloc=1) for i in range(12)]
        done = [u.code for u in bloc1[: acquired // 5]]
        left = [u for u in bloc1 if u.code not in done]
        extra = ues("S", (65 - 5 * len(left)) // 5)
        return check(PaeFacts(ues=left + extra, situation="bloc1_non_reussi", acquired=done,
                              bloc1_codes=[u.code for u in bloc1], bloc1_credits_acquired=acquired,
                              jury_agreement=jury)).outcome["admissible"]
    assert case(55, True) is True
    assert case(55, False) is False
    assert case(50, True) is False  # 50 acquired: 60 at most, even with the jury


@pytest.mark.article("67 §1er")
@pytest.mark.parametrize("acquired,jury,admissible", [(29, True, False), (30, True, True), (44, False, False),
                                                      (44, True, True)])
def test_30_to_44_credits_complete_only_with_the_jury(acquired, jury, admissible):
    bloc1 = [ProposedUE(code=f"Y{i}", credits=1, bloc=1) for i in range(60)]
    done = [u.code for u in bloc1[:acquired]]
    left = [u for u in bloc1 if u.code not in done]
    decision = check(PaeFacts(ues=left + ues("S", 2), situation="bloc1_non_reussi", acquired=done,
                              bloc1_codes=[u.code for u in bloc1], bloc1_credits_acquired=acquired, jury_agreement=jury))
    assert decision.outcome["admissible"] is admissible


@pytest.mark.article("67 §2")
def test_prerequisites_and_corequisites():
    base = dict(situation="poursuite", acquired=BLOC1_CODES, bloc1_codes=BLOC1_CODES)
    ok = ues("A", 10, credits=6, bloc=2, prerequisites=["B1-1"]) + [
        ProposedUE(code="C1", credits=0 + 1, bloc=2, corequisites=["A1"])]
    assert check(PaeFacts(ues=ok, **base)).outcome["admissible"] is True
    missing_pre = ues("A", 10, credits=6, bloc=2, prerequisites=["B2-9"])
    decision = check(PaeFacts(ues=missing_pre, **base))
    assert decision.outcome["admissible"] is False
    assert len(decision.outcome["violations"]) == 10 and "prérequis B2-9" in decision.outcome["violations"][0]["text"]
    missing_co = ues("A", 10, credits=6, bloc=2, corequisites=["Z9"])
    assert "corequis Z9" in check(PaeFacts(ues=missing_co, **base)).outcome["violations"][0]["text"]


@pytest.mark.article("67 §2")
def test_prerequisite_turned_into_corequisite_only_at_the_end_of_the_cycle():
    ue_list = [ProposedUE(code="TFE", credits=20, bloc=3, prerequisites=["S1"], prerequisite_as_corequisite=True),
               ProposedUE(code="S1", credits=10, bloc=3)]
    base = dict(situation="poursuite", acquired=BLOC1_CODES)
    assert run(ue_list, end_of_cycle=True, **base).outcome["admissible"] is True
    assert run(ue_list, derogation="d", **base).outcome["admissible"] is False


@pytest.mark.article("67 §2")
@pytest.mark.parametrize("credits,derogation,end_of_cycle,admissible", [
    (60, None, False, True), (59, None, False, False), (55, "c", False, True), (54, "c", False, False),
    (40, "b", False, True), (20, None, True, True),
])
def test_minimum_of_60_credits_and_its_exceptions(credits, derogation, end_of_cycle, admissible):
    decision = run(ues("P", credits, credits=1, bloc=2), situation="poursuite", acquired=BLOC1_CODES,
                   derogation=derogation, end_of_cycle=end_of_cycle)
    assert decision.outcome["admissible"] is admissible


@pytest.mark.article("67 §2")
def test_previously_registered_ues_must_be_taken_again_unless_optional_and_dropped():
    base = dict(situation="poursuite", acquired=BLOC1_CODES, previously_registered=["OLD", "OPT"])
    fill = ues("P", 12, credits=5)
    assert run(fill, **base).outcome["admissible"] is False
    assert run(fill + [ProposedUE(code="OLD", credits=5, bloc=2)], dropped_optional=["OPT"], derogation="d",
               **base).outcome["admissible"] is True


@pytest.mark.article("67 §3")
@pytest.mark.parametrize("remaining,admissible", [(15, True), (16, False)])
def test_second_cycle_ues_at_the_end_of_the_first_cycle(remaining, admissible):
    plan = ues("B3-", 3, credits=5, bloc=3) + ues("M", 5, credits=5, bloc=1, cycle=2)
    decision = run(plan, situation="poursuite", acquired=BLOC1_CODES, end_of_cycle=True,
                   remaining_first_cycle_credits=remaining)
    assert decision.outcome["admissible"] is admissible


@pytest.mark.article("67 §3")
def test_end_of_cycle_total_and_memoire():
    plan = ues("B3-", 3, credits=5, bloc=3) + ues("M", 10, credits=5, bloc=1, cycle=2)
    too_much = run(plan, situation="poursuite", acquired=BLOC1_CODES, end_of_cycle=True, remaining_first_cycle_credits=15)
    assert "60 crédits au plus" in too_much.outcome["violations"][0]["text"]
    memoire = ues("B3-", 3, credits=5, bloc=3) + [ProposedUE(code="MEM", credits=20, bloc=2, cycle=2, memoire=True)]
    base = dict(situation="poursuite", acquired=BLOC1_CODES, end_of_cycle=True, remaining_first_cycle_credits=15)
    assert run(memoire, **base).outcome["admissible"] is False
    assert run(memoire, master_60=True, **base).outcome["admissible"] is True


@pytest.mark.article("77")
@pytest.mark.parametrize("english,admissible", [(15, True), (16, False)])
def test_a_quarter_of_the_credits_in_another_language_in_the_first_cycle(english, admissible):
    plan = ues("EN", english, credits=1, language="en") + ues("FR", 60 - english, credits=1)
    assert run(plan, situation="poursuite", acquired=BLOC1_CODES).outcome["admissible"] is admissible


@pytest.mark.article("77")
def test_language_courses_and_tfe_do_not_count():
    plan = ues("EN", 15, credits=1, language="en") + [
        ProposedUE(code="TFE", credits=15, bloc=3, language="en", category="tfe"),
        ProposedUE(code="ANG", credits=5, bloc=3, language="en", category="langue_etrangere")] + ues("FR", 25, credits=1)
    assert run(plan, situation="poursuite", acquired=BLOC1_CODES).outcome["admissible"] is True


@pytest.mark.article("77")
@pytest.mark.parametrize("english,admissible", [(30, True), (31, False)])
def test_half_of_the_credits_in_a_master(english, admissible):
    plan = ues("EN", english, credits=1, language="en", cycle=2) + ues("FR", 60 - english, credits=1, cycle=2)
    decision = check(PaeFacts(ues=plan, situation="poursuite", programme="master"))
    assert decision.outcome["admissible"] is admissible


@pytest.mark.article("77")
def test_didactic_finality_is_taught_in_french_and_specialisations_have_no_limit():
    plan = [ProposedUE(code="DID", credits=10, bloc=1, cycle=2, language="en", category="finalite_didactique")] + ues(
        "FR", 50, credits=1, cycle=2)
    assert check(PaeFacts(ues=plan, situation="poursuite", programme="master")).outcome["admissible"] is False
    spe = ues("EN", 60, credits=1, language="en")
    assert check(PaeFacts(ues=spe, situation="poursuite", programme="specialisation")).outcome["admissible"] is True


@pytest.mark.article("38")
@pytest.mark.parametrize("credits,admissible", [(20, True), (21, False)])
def test_free_student_at_most_20_credits(credits, admissible):
    assert run(ues("L", credits, credits=1), situation="libre").outcome["admissible"] is admissible


@pytest.mark.article("68")
@pytest.mark.parametrize("on,admissible", [("2023-10-31", True), ("2023-11-01", False)])
def test_the_student_validates_the_pae_by_31_october(on, admissible):
    assert run(BLOC1, situation="premiere_inscription", validated_on=d(on)).outcome["admissible"] is admissible


@pytest.mark.article("67", "77", "68")
def test_all_broken_rules_are_reported_at_once():
    plan = BLOC1[:4] + ues("EN", 5, credits=5, language="en", prerequisites=["Z"])
    decision = run(plan, situation="premiere_inscription", validated_on=d("2023-11-02"))
    articles = articles_of(decision)
    assert {"Art. 67 §1er", "Art. 67 §2, 2°", "Art. 77, 1°", "Art. 68"} <= set(articles)
    assert decision.reasons[-1].text.startswith("Programme non admissible")


@pytest.mark.article("67 §1er")
@pytest.mark.parametrize("extra_credits,admissible", [(10, True), (15, False)])
def test_first_registration_with_valorised_credits_stays_within_60(extra_credits, admissible):
    # 10 bloc-1 credits valorised: the 50 others plus the rest of the programme, 60 credits at most (§1 al. 2 and 4).
    decision = run(BLOC1[1:] + ues("S", extra_credits // 5), situation="premiere_inscription", acquired=["B1-1"],
                   bloc1_credits_acquired=10)
    assert decision.outcome["admissible"] is admissible
    if not admissible:
        assert articles_of(decision) == ["Art. 67 §1er"]


@pytest.mark.article("67 §1er")
@pytest.mark.parametrize("valorised,jury,total,admissible", [
    (55, True, 65, True), (55, True, 70, False), (55, False, 65, False), (50, True, 65, False),
])
def test_first_registration_reaches_65_only_with_55_valorised_and_the_jury(valorised, jury, total, admissible):
    bloc1 = [ProposedUE(code=f"X{i}", credits=5, bloc=1) for i in range(12)]
    done = [u.code for u in bloc1[: valorised // 5]]
    left = [u for u in bloc1 if u.code not in done]
    extra = ues("S", (total - 5 * len(left)) // 5)
    decision = check(PaeFacts(ues=left + extra, situation="premiere_inscription", acquired=done,
                              bloc1_codes=[u.code for u in bloc1], bloc1_credits_acquired=valorised, jury_agreement=jury))
    assert decision.outcome["admissible"] is admissible
