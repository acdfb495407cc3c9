"""Finançabilité in 2023-2024 (art. 35, 58): the transition regime, the new and the old rules."""

import pytest

from parcours.regulation.explain import RuleError
from parcours.regulation.financabilite import FinancabiliteFacts, PastRegistration, evaluate

AS = "Bachelier : assistant social"


def reg(year, credits=60, pae=60, cursus=AS, cycle=1, **kw):
    return PastRegistration(academic_year=year, cycle=cycle, cursus=cursus, pae_credits=pae,
                            credits_acquired=credits, **kw)


def run(history, cycle=1, cursus=AS, cursus_credits=180, credits=0, bloc1=0, **kw):
    return evaluate(FinancabiliteFacts(cycle=cycle, cursus=cursus, cursus_credits=cursus_credits, history=history,
                                       credits_in_cursus=credits, bloc1_credits=bloc1, **kw))


def outcome(*args, **kw):
    return run(*args, **kw).outcome


@pytest.mark.article("35")
def test_first_generation_student_is_under_the_new_rules_and_financable():
    d = run([])
    assert d.outcome == {"regime": "nouvelles", "financable": True}
    assert "Art. 35 §1er, 1°" in d.articles


@pytest.mark.article("35")
def test_regime_of_the_transition_year():
    assert outcome([reg("2022-2023", 20, new_rules=True)], credits=20, bloc1=20)["regime"] == "nouvelles"
    assert outcome([reg("2022-2023", 180, pae=60, led_to_degree=True)], cycle=2, cursus="Master",
                   cursus_credits=120)["regime"] == "nouvelles"  # changes cycle
    assert outcome([reg("2016-2017", 10)], credits=10, bloc1=10)["regime"] == "nouvelles"
    assert outcome([reg("2018-2019", 10)], credits=10, bloc1=10)["regime"] == "anciennes"


@pytest.mark.article("35")
def test_a_last_registration_in_2017_2018_is_ambiguous_and_raises():
    with pytest.raises(RuleError, match="2017-2018"):
        run([reg("2017-2018", 10)], credits=10, bloc1=10)


@pytest.mark.article("35 §1er 2°")
def test_all_credits_of_the_previous_registration_with_at_least_45():
    history = [reg("2021-2022", 20, new_rules=True), reg("2022-2023", 45, pae=45, new_rules=True)]
    assert outcome(history, credits=65, bloc1=60)["financable"] is True
    history = [reg("2021-2022", 20, new_rules=True), reg("2022-2023", 44, pae=44, new_rules=True)]
    # 44 of 44 is not §1 2°; after 2 registrations bloc 1 is not complete either.
    assert outcome(history, credits=58, bloc1=58)["financable"] is False


@pytest.mark.article("35 §2 1°")
def test_no_bloc1_ue_after_the_first_registration_in_the_cursus():
    assert outcome([reg("2022-2023", 0, new_rules=True)], credits=0, bloc1=0)["financable"] is False
    assert outcome([reg("2022-2023", 5, new_rules=True)], credits=5, bloc1=5)["financable"] is True


@pytest.mark.article("35 §2 2°")
@pytest.mark.parametrize("bloc1,financable", [(59, False), (60, True)])
def test_sixty_first_credits_after_two_registrations(bloc1, financable):
    history = [reg("2021-2022", 30, new_rules=True), reg("2022-2023", 30, new_rules=True)]
    assert outcome(history, credits=bloc1, bloc1=bloc1)["financable"] is financable


@pytest.mark.article("35 §2 2°")
@pytest.mark.parametrize("bloc1,financable", [(49, False), (50, True)])
def test_jury_exception_with_fifty_credits_of_bloc1(bloc1, financable):
    history = [reg("2021-2022", 30, new_rules=True), reg("2022-2023", 30, new_rules=True)]
    d = run(history, credits=bloc1, bloc1=bloc1, jury_exception=True)
    assert d.outcome["financable"] is financable


@pytest.mark.article("35 §2 3°")
@pytest.mark.parametrize("credits,financable", [(119, False), (120, True)])
def test_120_credits_after_four_registrations(credits, financable):
    history = [reg(f"{y}-{y + 1}", 30, new_rules=True) for y in range(2019, 2023)]
    assert outcome(history, credits=credits, bloc1=60)["financable"] is financable


@pytest.mark.article("35 §2 4°")
@pytest.mark.parametrize("credits,financable", [(179, False), (180, True)])
def test_all_credits_after_five_registrations(credits, financable):
    history = [reg(f"{y}-{y + 1}", 36, new_rules=True) for y in range(2018, 2023)]
    assert outcome(history, credits=credits, bloc1=60)["financable"] is financable


@pytest.mark.article("35 §5")
def test_reorientation_gives_one_more_registration():
    history = [reg(f"{y}-{y + 1}", 36, new_rules=True) for y in range(2018, 2023)]
    assert outcome(history, credits=179, bloc1=60)["financable"] is False
    # The first year in another programme: the second registration, first one in AS, was a réorientation.
    history[0] = history[0].model_copy(update={"cursus": "Bachelier : comptabilité"})
    assert outcome(history, credits=179, bloc1=60)["financable"] is True


@pytest.mark.article("35 §5")
def test_allegement_gives_half_a_registration_rounded_up():
    history = [reg("2021-2022", 30, new_rules=True, allegement=True, pae=30),
               reg("2022-2023", 25, new_rules=True)]
    d = run(history, credits=55, bloc1=55)
    assert d.outcome["financable"] is True  # the 60 first credits are due after 3 registrations, not 2
    assert "Art. 35 §5" in d.articles


@pytest.mark.article("35 §5")
@pytest.mark.parametrize("bloc1,financable", [(49, False), (50, True)])
def test_late_reorientation_requires_fifty_first_credits_after_three_registrations(bloc1, financable):
    history = [reg("2020-2021", 10, new_rules=True, cursus="Autre"), reg("2021-2022", 10, new_rules=True, cursus="Autre"),
               reg("2022-2023", bloc1, new_rules=True, reorientation=True)]
    assert outcome(history, credits=bloc1, bloc1=bloc1)["financable"] is financable


@pytest.mark.article("35 §4")
def test_registrations_that_led_to_a_degree_do_not_count():
    history = [reg(f"{y}-{y + 1}", 60, cursus="Bachelier en comptabilité", led_to_degree=True, new_rules=True)
               for y in range(2019, 2022)] + [reg("2022-2023", 30, new_rules=True)]
    d = run(history, credits=30, bloc1=30)
    assert d.outcome["financable"] is True
    assert "Art. 35 §4" in d.articles


@pytest.mark.article("35 §3")
@pytest.mark.parametrize("credits,financable", [(59, False), (60, True)])
def test_second_cycle_sixty_credits_after_two_registrations(credits, financable):
    history = [reg("2021-2022", 30, cycle=2, cursus="Master", new_rules=True),
               reg("2022-2023", 29, cycle=2, cursus="Master", new_rules=True)]
    assert outcome(history, cycle=2, cursus="Master", cursus_credits=120, credits=credits)["financable"] is financable


@pytest.mark.article("35 §3")
@pytest.mark.parametrize("registrations,complementary,financable", [
    (2, 0, False), (2, 30, True), (3, 30, False), (3, 31, True), (4, 60, False)])
def test_second_cycle_complementary_conditions_give_more_registrations(registrations, complementary, financable):
    # 60 credits are due after 2 registrations, +1 with at most 30 complementary credits, +2 with 31 to 60.
    history = [reg(f"{y}-{y + 1}", 20, cycle=2, cursus="Master", new_rules=True)
               for y in range(2023 - registrations, 2023)]
    d = outcome(history, cycle=2, cursus="Master", cursus_credits=120, credits=59, complementary_credits=complementary)
    assert d["financable"] is financable


@pytest.mark.article("35 §2")
@pytest.mark.parametrize("credits,financable", [(59, False), (60, True)])
def test_specialisation_all_credits_after_two_registrations(credits, financable):
    history = [reg("2021-2022", 30, cursus="Spé", new_rules=True), reg("2022-2023", 29, cursus="Spé", new_rules=True)]
    assert outcome(history, cursus="Spé", cursus_credits=60, specialisation=True, credits=credits,
                   bloc1=min(credits, 60))["financable"] is financable


@pytest.mark.article("35 §2")
@pytest.mark.parametrize("credits,financable", [(179, False), (180, True)])
def test_240_credit_cursus_180_credits_after_six_registrations(credits, financable):
    history = [reg(f"{y}-{y + 1}", 30, cursus="Infirmier", new_rules=True) for y in range(2017, 2023)]
    assert outcome(history, cursus="Infirmier", cursus_credits=240, credits=credits, bloc1=60)["financable"] is financable


@pytest.mark.article("58")
def test_a_cancelled_year_does_not_count():
    d = run([reg("2022-2023", 0, cancelled=True)], credits=0, bloc1=0)
    assert d.outcome == {"regime": "nouvelles", "financable": True}
    assert "Art. 58" in d.articles


@pytest.mark.article("35")
def test_old_rules_one_registration_in_the_cycle_within_five_years():
    d = run([reg("2022-2023", 0)], credits=0, bloc1=0)
    assert d.outcome == {"regime": "anciennes", "financable": True}


@pytest.mark.article("35")
def test_old_rules_two_registrations_in_different_programmes():
    history = [reg("2021-2022", 0, cursus="Comptabilité"), reg("2022-2023", 0, cursus="Marketing")]
    assert outcome(history)["financable"] is True  # 2°: not twice the same grade nor three times in the cycle


@pytest.mark.article("35")
@pytest.mark.parametrize("last,financable", [(44, False), (45, True)])
def test_old_rules_75_percent_of_the_previous_programme(last, financable):
    history = [reg("2020-2021", 10), reg("2021-2022", 10), reg("2022-2023", last)]
    assert outcome(history, credits=20 + last, bloc1=50)["financable"] is financable


@pytest.mark.article("35")
@pytest.mark.parametrize("third,financable", [(29, False), (30, True)])
def test_old_rules_half_of_three_years_and_45_credits(third, financable):
    history = [reg("2020-2021", 30), reg("2021-2022", 30), reg("2022-2023", third)]
    assert outcome(history, credits=60 + third, bloc1=60)["financable"] is financable


@pytest.mark.article("35")
def test_old_rules_reorientation_once_in_five_years():
    history = [reg("2020-2021", 0), reg("2021-2022", 0), reg("2022-2023", 0)]
    assert outcome(history, cursus="Marketing", reorientation=True)["financable"] is True
    history[1] = history[1].model_copy(update={"cursus": "Comptabilité"})  # a réorientation in 2021-2022 already
    assert outcome(history, cursus="Marketing", reorientation=True)["financable"] is False


@pytest.mark.article("35 §5")
@pytest.mark.parametrize("first_cursus,financable", [("Bachelier : comptabilité", True), (AS, False)])
def test_new_rules_derive_the_reorientation_from_the_history(first_cursus, financable):
    # No flag: two registrations in comptabilité then AS is a réorientation (one more registration, §5), so the 60
    # first credits are not yet due; two registrations in AS already are not.
    history = [reg("2021-2022", 20, cursus=first_cursus, new_rules=True),
               reg("2022-2023", 25, cursus=first_cursus, new_rules=True)]
    d = run(history, credits=0 if first_cursus != AS else 45, bloc1=0 if first_cursus != AS else 45)
    assert d.outcome == {"regime": "nouvelles", "financable": financable}


@pytest.mark.article("35 anciennes règles 4°")
@pytest.mark.parametrize("cursus,financable", [("Marketing", True), (AS, False)])
def test_old_rules_reorientation_means_a_programme_never_followed(cursus, financable):
    # The flag does not make a réorientation of a programme already followed (10, 15, 20 of 60 in AS).
    history = [reg("2020-2021", 10), reg("2021-2022", 15), reg("2022-2023", 20)]
    d = run(history, cursus=cursus, reorientation=True, credits=45, bloc1=45)
    assert d.outcome == {"regime": "anciennes", "financable": financable}


@pytest.mark.article("35 anciennes règles 3° b)")
@pytest.mark.parametrize("last,financable", [(22, True), (19, False)])
def test_old_rules_3b_leaves_out_the_first_year_for_the_half_only(last, financable):
    # 5/60, 20/40, last/40. i.: without the first year, 20 + last ≥ 40 (half of 80); ii.: 5 + 20 + last ≥ 45 over
    # the three years, the first included. last = 22: 42/80 and 47 → finançable; last = 19: 39/80 and 44 → not.
    history = [reg("2020-2021", 5), reg("2021-2022", 20, pae=40), reg("2022-2023", last, pae=40)]
    assert outcome(history, credits=25 + last, bloc1=25 + last)["financable"] is financable


@pytest.mark.article("35 anciennes règles 3° b)")
@pytest.mark.parametrize("first,financable", [(5, True), (4, False)])
def test_old_rules_3b_counts_the_first_year_in_the_45_credits(first, financable):
    # first/60, 20/40, 20/40: half without the first year (40/80) in both cases; ii. counts the first year:
    # 45 credits pass, 44 do not.
    history = [reg("2020-2021", first), reg("2021-2022", 20, pae=40), reg("2022-2023", 20, pae=40)]
    d = run(history, credits=40 + first, bloc1=40 + first)
    assert d.outcome["financable"] is financable
    if financable:
        assert "Art. 35 (anciennes règles), 3° b) ii." in d.articles


@pytest.mark.article("35", "36", "40")
def test_a_non_financable_student_is_told_the_art_36_procedure():
    d = run([reg("2022-2023", 0, new_rules=True)])
    assert d.outcome["financable"] is False
    assert d.reasons[-1].article == "Art. 36, 40"


def test_history_must_be_chronological():
    with pytest.raises(ValueError, match="chronologique"):
        run([reg("2022-2023", 0), reg("2021-2022", 0)])
