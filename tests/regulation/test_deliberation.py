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


@pytest.mark.article("100", "110", "134")
@pytest.mark.parametrize("special", ["FR", "CM", "ML", "PP", "PR"])
def test_a_jury_grant_on_a_special_note_earns_no_credits(special):
    out = credits(CreditsFacts(ues=[DelibUE(code="A", credits=50, note=D(12)),
                                    DelibUE(code="B", credits=10, special=special, jury_granted=True)]))
    assert out.outcome["credits_acquired"] == 50 and out.outcome["not_acquired"] == ["B"]
    assert any("sans effet" in r.text for r in out.reasons)
    # The other side: a grant on a numeric failure does count.
    granted = credits(CreditsFacts(ues=[DelibUE(code="A", credits=50, note=D(12)),
                                        DelibUE(code="B", credits=10, note=D(6), jury_granted=True)]))
    assert granted.outcome["credits_acquired"] == 60


@pytest.mark.article("100")
@pytest.mark.parametrize("note,acquired", [(D("9.75"), 60), (D("9.74"), 50)])
def test_credits_read_the_note_rounded_to_the_half_point(note, acquired):
    out = credits(CreditsFacts(ues=[DelibUE(code="A", credits=50, note=D(12)),
                                    DelibUE(code="B", credits=10, note=note)])).outcome
    assert out["credits_acquired"] == acquired


def bloc1(n, note=D(12)):
    return [DelibUE(code=f"B1-{i}", credits=10, note=note, bloc="1") for i in range(n)]


@pytest.mark.article("67 §1er")
@pytest.mark.parametrize("valorised,passed", [(10, True), (9, False)])
def test_first_year_success_counts_valorised_bloc1_credits(valorised, passed):
    # 50 bloc-1 credits in the PAE, all passed, plus the valorised ones: 60 are needed.
    out = credits(CreditsFacts(ues=bloc1(5), first_year_first_cycle=True, valorised_bloc1_credits=valorised))
    assert out.outcome["first_year_passed"] is passed


@pytest.mark.article("67 §1er")
@pytest.mark.parametrize("bloc2_note,bloc1_note,passed", [(D(8), D(12), True), (D(12), D("9.5"), False)])
def test_first_year_success_is_the_bloc_1_only(bloc2_note, bloc1_note, passed):
    ues = bloc1(5) + [DelibUE(code="B1-last", credits=10, note=bloc1_note, bloc="1"),
                      DelibUE(code="B2-1", credits=5, note=bloc2_note, bloc="2")]
    assert credits(CreditsFacts(ues=ues, first_year_first_cycle=True)).outcome["first_year_passed"] is passed


@pytest.mark.article("67 §1er")
def test_more_bloc1_credits_than_the_bloc_holds_is_refused():
    with pytest.raises(RuleError, match="60 crédits"):
        credits(CreditsFacts(ues=bloc1(6), first_year_first_cycle=True, valorised_bloc1_credits=5))


def cycle(b1, b2, b3, domain="social", kind="bachelier_3"):
    return [DelibUE(code="x1", credits=60, note=b1, bloc="1"), DelibUE(code="x2", credits=60, note=b2, bloc="2"),
            DelibUE(code="x3", credits=60, note=b3, bloc="3")]


@pytest.mark.article("136", "129", "Annexe 6")
def test_mention_uses_the_annexe_6_weights():
    out = mention(MentionFacts(domain="social", kind="bachelier_3", ues=cycle(D(12), D(14), D(16)),
                               thresholds=THRESHOLDS)).outcome
    assert out == {"degree": True, "mention": "distinction", "percentage": D("73.00")}  # 0.2×12 + 0.3×14 + 0.5×16 = 14.6


@pytest.mark.article("136", "Annexe 6", "100")
@pytest.mark.parametrize("last_note,expected", [(D("14.5"), "distinction"), (D(15), "grande_distinction")])
def test_mention_threshold_on_both_sides(last_note, expected):
    # UE notes are half points (art. 100); bloc 3 = 59 credits at 15 and 1 credit at 14.5 → 74.98 %, just under 75 %.
    ues = cycle(D(15), D(15), D(15))[:2] + [DelibUE(code="x3", credits=59, note=D(15), bloc="3"),
                                            DelibUE(code="x4", credits=1, note=last_note, bloc="3")]
    out = mention(MentionFacts(domain="social", kind="bachelier_3", ues=ues, thresholds=THRESHOLDS)).outcome
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


@pytest.mark.article("63", "Annexe 6")
def test_averages_percentages_and_mentions_read_as_a_french_reader_writes_them_and_a_point_in_english():
    from django.utils import translation

    from parcours.regulation.explain import render

    ues = [DelibUE(code="A", credits=10, note=D(14)), DelibUE(code="B", credits=5, note=D(8)),
           DelibUE(code="C", credits=5, note=D(9), jury_granted=True)]
    average = next(r.text for r in credits(CreditsFacts(ues=ues)).reasons if r.article == "Art. 63")
    assert "10,67/20" in str(average) and "10.67" not in str(average)  # (14 + 8 + 10) / 3
    weights = mention(MentionFacts(domain="social", kind="bachelier_3", ues=cycle(D("12.5"), D(14), D(16)),
                                   thresholds=THRESHOLDS)).reasons
    text = " ".join(str(r.text) for r in weights)
    assert "bloc 1 : 12,5/20 × 20 %" in text and "→ 73,5 %" in text  # 0.2×12.5 + 0.3×14 + 0.5×16 = 14.7 → 73.5 %
    assert "12.50" not in text and "73.50" not in text
    # the annexe's heading and the mentions' names (art. 129), never the data's codes
    assert "Pondération « Social, bachelier »" in text and "la grande distinction ≥ 75 %" in text
    assert "Mention au pourcentage : la distinction." in text
    assert "bachelier_3" not in text and "grande_distinction" not in text and "social (" not in text
    with translation.override("en"):
        english = render(translation.gettext(average.template), average.params, english=True)
    assert "10.67/20" in english and "10,67" not in english
