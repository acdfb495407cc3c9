"""Jury and deliberation (art. 67, 128-136, annexe 6)."""

from decimal import Decimal as D

import pytest

from parcours.regulation.deliberation import (
    ConflictFacts,
    CreditsFacts,
    DelibUE,
    MentionFacts,
    QuorumFacts,
    SessionFacts,
    credits,
    deliberated,
    may_sit,
    mention,
    quorum,
)
from parcours.regulation.explain import RuleError

THRESHOLDS = {"satisfaction": D(50), "distinction": D(65), "grande_distinction": D(75), "plus_grande_distinction": D(85)}


@pytest.mark.article("100", "134", "63")
def test_credits_and_average():
    out = credits(CreditsFacts(ues=[
        DelibUE(code="A", credits=10, note=D(14)), DelibUE(code="B", credits=5, note=D(8)),
        DelibUE(code="C", credits=5, note=D(9), jury_granted=True), DelibUE(code="D", credits=5, special="PP"),
    ])).outcome
    assert out["credits_acquired"] == 15 and out["pae_credits"] == 25
    assert out["not_acquired"] == ["B", "D"]
    assert out["average"] == D("10.67")  # (14 + 8 + 10) / 3, equal weights, PP left out


@pytest.mark.article("67")
@pytest.mark.parametrize("last_note,passed", [(D("9.5"), False), (D(10), True)])
def test_first_year_success_means_the_60_first_credits(last_note, passed):
    ues = [DelibUE(code=f"U{i}", credits=10, note=D(12)) for i in range(5)] + [DelibUE(code="U5", credits=10, note=last_note)]
    assert credits(CreditsFacts(ues=ues, first_year_first_cycle=True)).outcome["first_year_passed"] is passed


def cycle(b1, b2, b3, domain="social", kind="bachelier_3"):
    return [DelibUE(code="x1", credits=60, note=b1, bloc="1"), DelibUE(code="x2", credits=60, note=b2, bloc="2"),
            DelibUE(code="x3", credits=60, note=b3, bloc="3")]


@pytest.mark.article("136", "129", "Annexe 6")
def test_mention_uses_the_annexe_6_weights():
    out = mention(MentionFacts(domain="social", kind="bachelier_3", ues=cycle(D(12), D(14), D(16)),
                               thresholds=THRESHOLDS)).outcome
    assert out == {"degree": True, "mention": "distinction", "percentage": D("73.00")}  # 0.2×12 + 0.3×14 + 0.5×16 = 14.6


@pytest.mark.article("136", "Annexe 6")
@pytest.mark.parametrize("bloc3,expected", [(D("14.98"), "distinction"), (D(15), "grande_distinction")])
def test_mention_threshold_on_both_sides(bloc3, expected):
    out = mention(MentionFacts(domain="social", kind="bachelier_3", ues=cycle(D(15), D(15), bloc3),
                               thresholds=THRESHOLDS)).outcome
    assert out["mention"] == expected


@pytest.mark.article("Annexe 6")
def test_economic_domain_weights_bloc_3_at_70_percent():
    out = mention(MentionFacts(domain="economique", kind="bachelier_3", ues=cycle(D(10), D(10), D(18)),
                               thresholds=THRESHOLDS)).outcome
    assert out["percentage"] == D("78.00")  # 0.1×10 + 0.2×10 + 0.7×18 = 15.6


@pytest.mark.article("136")
def test_the_jury_may_raise_the_mention_with_a_motivation():
    facts = dict(domain="social", kind="bachelier_3", ues=cycle(D(12), D(14), D(16)), thresholds=THRESHOLDS)
    with pytest.raises(RuleError, match="motivée"):
        mention(MentionFacts(jury_raise=True, **facts))
    raised = mention(MentionFacts(jury_raise=True, jury_motivation="Progression remarquable", **facts)).outcome
    assert raised["mention"] == "grande_distinction"


@pytest.mark.article("136")
def test_mention_thresholds_are_the_institutions_choice_and_must_be_given():
    with pytest.raises(RuleError, match="choix de l'établissement"):
        mention(MentionFacts(domain="social", kind="bachelier_3", ues=cycle(D(12), D(14), D(16)),
                             thresholds={"satisfaction": D(50)}))


@pytest.mark.article("129", "136")
def test_no_degree_and_no_mention_without_all_credits():
    out = mention(MentionFacts(domain="social", kind="bachelier_3", ues=cycle(D(12), D(14), D(9)),
                               thresholds=THRESHOLDS)).outcome
    assert out == {"degree": False, "mention": None, "percentage": None}


@pytest.mark.article("128")
@pytest.mark.parametrize("present,valid", [(5, False), (6, True)])
def test_quorum_more_than_half_of_the_teachers(present, valid):
    assert quorum(QuorumFacts(members=12, teachers_who_examined=10, teachers_present=present)).outcome["valid"] is valid


@pytest.mark.article("128")
@pytest.mark.parametrize("members,valid", [(4, False), (5, True)])
def test_a_jury_has_at_least_five_members(members, valid):
    assert quorum(QuorumFacts(members=members, teachers_who_examined=3, teachers_present=3)).outcome["valid"] is valid


@pytest.mark.article("131")
@pytest.mark.parametrize("relationship,degree,allowed", [
    ("aucun", None, True), ("conjoint", None, False), ("parent", 4, False), ("parent", 5, True), ("allie", 4, False),
    ("allie", 5, True),
])
def test_who_may_not_sit(relationship, degree, allowed):
    assert may_sit(ConflictFacts(relationship=relationship, degree=degree)).outcome is allowed


@pytest.mark.article("133", "129")
@pytest.mark.parametrize("period,end,whole,expected", [
    (1, True, True, True), (1, True, False, False), (1, False, False, False), (2, False, False, True),
])
def test_who_is_deliberated_when(period, end, whole, expected):
    facts = SessionFacts(evaluation_period=period, end_of_cycle=end, presents_whole_residual_programme=whole)
    assert deliberated(facts).outcome is expected
