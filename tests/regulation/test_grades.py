"""Notes and UE results (art. 98, 100-102, 110, 114, 134)."""

from decimal import Decimal as D

import pytest

from parcours.regulation.explain import RuleError
from parcours.regulation.grades import (
    Activity,
    CarryOverFacts,
    JuryGrantFacts,
    UEFacts,
    carry_over,
    fr_note,
    jury_grant,
    round_half_point,
    ue_result,
)


def ue(*activities, **kw):
    return ue_result(UEFacts(activities=list(activities), **kw)).outcome


@pytest.mark.article("100")
@pytest.mark.parametrize("raw,rounded", [
    ("9.74", "9.5"), ("9.75", "10"), ("9.25", "9.5"), ("9.24", "9"), ("14.749", "14.5"), ("14.75", "15"),
    ("0", "0"), ("20", "20"), ("19.8", "20"),
])
def test_notes_are_rounded_to_the_half_point(raw, rounded):
    assert round_half_point(D(raw)) == D(rounded)


@pytest.mark.article("100")
def test_a_note_outside_0_20_is_refused():
    with pytest.raises(RuleError, match="entre 0 et 20"):
        round_half_point(D("20.5"))


@pytest.mark.article("100")
@pytest.mark.parametrize("note,acquired", [("9.74", False), ("9.75", True), ("10", True), ("9.5", False)])
def test_threshold_of_10_on_both_sides(note, acquired):
    result = ue(Activity(note=D(note)), credits=5)
    assert result["acquired"] is acquired
    assert result["credits"] == (5 if acquired else 0)


@pytest.mark.article("100")
def test_the_rounding_reason_reads_as_french_notes():
    # A student reads this reason on the results page: decimal comma, no "10.500".
    texts = [r.text for r in ue_result(UEFacts(activities=[Activity(note=D(10)), Activity(note=D(11))])).reasons]
    assert "Note finale 10,5/20 arrondie au demi-point : 10,5/20." in texts
    texts = [r.text for r in ue_result(UEFacts(activities=[Activity(note=D(10)), Activity(note=D("13.5"))])).reasons]
    assert "Note finale 11,75/20 arrondie au demi-point : 12/20." in texts


@pytest.mark.article("63", "65", "100")
def test_activities_are_integrated_by_their_weights():
    assert ue(Activity(note=D(8), weight=D(1)), Activity(note=D(12), weight=D(3)))["note"] == D(11)
    assert ue(Activity(note=D(12), weight=D(1)), Activity(note=D(8), weight=D(3)))["note"] == D(9)


@pytest.mark.article("100")
@pytest.mark.parametrize("code", ["FR", "CM", "ML", "PP", "PR"])
def test_a_special_code_in_one_activity_invalidates_the_ue(code):
    result = ue(Activity(note=D(18)), Activity(special=code), credits=6)
    assert result == {"note": code, "acquired": False, "credits": 0}


@pytest.mark.article("110", "114", "164")
def test_fraud_in_one_part_makes_the_whole_ue_fr():
    assert ue(Activity(special="CM"), Activity(special="FR"))["note"] == "FR"


@pytest.mark.article("100")
def test_missing_note_of_a_single_activity_ue_takes_the_programme_average_floored_at_10():
    assert ue(Activity(), programme_average=D(8))["note"] == D(10)
    assert ue(Activity(), programme_average=D("12.3"))["note"] == D("12.5")
    with pytest.raises(RuleError, match="moyenne du programme annuel"):
        ue(Activity())


@pytest.mark.article("100")
def test_missing_note_of_a_multi_activity_ue_takes_the_mean_of_the_others_floored_at_10():
    assert ue(Activity(note=D(8)), Activity(note=D(14)), Activity())["note"] == D(11)  # (8+14+11)/3
    assert ue(Activity(note=D(6)), Activity(note=D(8)), Activity())["note"] == D(8)  # (6+8+10)/3


def test_a_note_and_a_special_code_together_are_refused():
    with pytest.raises(ValueError):
        Activity(note=D(12), special="PP")


def carry(**kw):
    return carry_over(CarryOverFacts(**kw))


@pytest.mark.article("101", "98")
def test_bloc1_january_notes():
    assert carry(student="bloc1", from_period=1, note=D(10)).outcome == "reportee"
    assert carry(student="bloc1", from_period=1, note=D("9.5")).outcome == "a_representer"
    assert carry(student="bloc1", from_period=1, note=D("9.5"), retake_waived=True).outcome == "reportee"
    retake = carry(student="bloc1", from_period=1, note=D(14), retake_requested=True)
    assert retake.outcome == "remise_a_zero" and retake.details["absent"] == "PP"


@pytest.mark.article("101", "134")
def test_bloc1_june_notes():
    assert carry(student="bloc1", from_period=2, note=D("9.5")).outcome == "remise_a_zero"
    assert carry(student="bloc1", from_period=2, note=D(10)).outcome == "reportee"


@pytest.mark.article("102")
def test_poursuite_notes():
    assert carry(student="poursuite", from_period=1, note=D(4)).outcome == "reportee"
    assert carry(student="poursuite", from_period=2, note=D(10)).outcome == "reportee"
    assert carry(student="poursuite", from_period=2, note=D(10), retake_requested=True).outcome == "remise_a_zero"
    assert carry(student="poursuite", from_period=2, note=D("9.5")).outcome == "remise_a_zero"


@pytest.mark.article("134")
def test_carry_over_to_the_next_year():
    assert carry(student="poursuite", from_period=3, note=D(10), next_year=True).outcome == "reportee"
    assert carry(student="poursuite", from_period=3, note=D("9.5"), next_year=True).outcome == "non_reportee"
    assert carry(student="poursuite", from_period=3, note=D(15), next_year=True,
                 integrated_exam_changed=True).outcome == "remise_a_zero"


@pytest.mark.article("134", "135", "Annexe 3")
def test_the_jury_grants_credits_only_after_q2_or_q3():
    assert jury_grant(JuryGrantFacts(period=1, note=D(9), jury_judges_failure_acceptable=True)).outcome["granted"] is False
    granted = jury_grant(JuryGrantFacts(period=2, note=D(9), jury_judges_failure_acceptable=True)).outcome
    assert granted == {"granted": True, "note": D(10)}
    refused = jury_grant(JuryGrantFacts(period=3, note=D(9), jury_judges_failure_acceptable=False))
    assert refused.outcome["granted"] is False
    assert "appréciation du jury" in refused.reasons[0].text


@pytest.mark.article("100", "110", "134")
@pytest.mark.parametrize("special", ["FR", "CM", "ML", "PP", "PR"])
def test_the_jury_grants_no_ue_ending_in_a_special_note(special):
    # Art. 100: the special note makes the evaluation incomplete; art. 134 grants only "un échec" (a note under 10).
    out = jury_grant(JuryGrantFacts(period=2, special=special, jury_judges_failure_acceptable=True))
    assert out.outcome == {"granted": False, "note": special}
    assert "Art. 100" in out.articles
    # The other side: a numeric failure in the same circumstances is granted.
    assert jury_grant(JuryGrantFacts(period=2, note=D(0), jury_judges_failure_acceptable=True)).outcome["granted"] is True


@pytest.mark.article("100")
@pytest.mark.parametrize("note,granted,shown", [(D("9.75"), True, D(10)), (D("9.74"), False, D("9.5"))])
def test_jury_grant_reads_the_note_rounded_to_the_half_point(note, granted, shown):
    out = jury_grant(JuryGrantFacts(period=2, note=note, jury_judges_failure_acceptable=False)).outcome
    assert out == {"granted": granted, "note": shown}


@pytest.mark.article("100", "101")
@pytest.mark.parametrize("note,outcome", [(D("9.75"), "reportee"), (D("9.74"), "a_representer")])
def test_carry_over_reads_the_note_rounded_to_the_half_point(note, outcome):
    assert carry(student="bloc1", from_period=1, note=note).outcome == outcome


@pytest.mark.article("100")
def test_jury_grant_refuses_a_note_and_a_special_together():
    with pytest.raises(ValueError, match="pas les deux"):
        JuryGrantFacts(period=2, note=D(8), special="PP", jury_judges_failure_acceptable=True)


@pytest.mark.article("100")
@pytest.mark.parametrize(("note", "special", "shown"), [
    (D("12.50"), "", "12,5"), (D("14.00"), "", "14"), (D("11.75"), "", "11,75"),
    (D("0"), "", "0"), (None, "", ""), (None, "PP", "PP")])
def test_a_note_is_written_with_a_decimal_comma_or_its_special_code(note, special, shown):
    assert fr_note(note, special) == shown
