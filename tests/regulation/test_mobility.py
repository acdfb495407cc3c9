"""Mobility (art. 214-219) and the candidature procedure of the Bachelier AS (HENALLUX / HERS)."""

from decimal import Decimal

import pytest

from parcours.regulation.explain import RuleError
from parcours.regulation.mobility import (
    CandidatureFacts,
    DeadlineFacts,
    DurationFacts,
    EligibilityFacts,
    GradeFacts,
    GrantFacts,
    LearningAgreementFacts,
    StayFacts,
    candidature,
    candidature_deadline,
    convert_grade,
    duration,
    eligibility,
    grant,
    learning_agreement,
    stay,
)
from tests.conftest import d


@pytest.mark.article("215", "216", "217")
@pytest.mark.parametrize("kind,end,ok", [
    ("SMS", "2024-04-28", True), ("SMS", "2024-04-27", False),  # 13 weeks from 29 January 2024 (leap year) = 91 days
    # "9 semaines -2 mois- minimum": 2 months from 29 January end on 28 March, before the 63 days of 9 weeks.
    ("SMT", "2024-03-28", True), ("SMT", "2024-03-27", False),
    ("FAME", "2024-03-31", True), ("FAME", "2024-03-30", False),
    ("BELGICA_STUDIES", "2024-04-27", False),
])
def test_minimum_durations(kind, end, ok):
    assert duration(DurationFacts(kind=kind, start=d("2024-01-29"), end=d(end))).outcome is ok


@pytest.mark.article("215 1)")
@pytest.mark.parametrize("end,ok", [("2024-04-30", True), ("2024-04-29", False)])
def test_three_calendar_months_meet_the_sms_minimum(end, ok):
    # "13 semaines -3 mois- minimum": 1 February – 30 April 2024 is three calendar months but 90 days (< 91).
    decision = duration(DurationFacts(kind="SMS", start=d("2024-02-01"), end=d(end)))
    assert decision.outcome is ok
    if ok:
        assert any("lecture retenue" in r.text for r in decision.reasons)


@pytest.mark.article("215")
@pytest.mark.parametrize("end,ok", [("2024-08-31", True), ("2024-09-01", False)])
def test_twelve_months_at_most(end, ok):
    assert duration(DurationFacts(kind="SMS", start=d("2023-09-01"), end=d(end))).outcome is ok


def test_a_mobility_ending_before_it_starts_is_refused():
    with pytest.raises(RuleError):
        duration(DurationFacts(kind="SMS", start=d("2024-02-01"), end=d("2024-01-01")))


@pytest.mark.article("215")
@pytest.mark.parametrize("q,ok", [([19], False), ([20], True), ([33], True), ([34], False),
                                  ([30, 30], True), ([30, 29], False), ([33, 34], False)])
def test_learning_agreement_credits_on_table_a(q, ok):
    decision = learning_agreement(LearningAgreementFacts(quadrimestre_credits=q))
    assert decision.outcome is ok
    assert decision.details["table_a_total"] == sum(q)  # only the host components count


@pytest.mark.article("214")
def test_the_department_authorisation_pending_does_not_refuse_but_says_so():
    decision = eligibility(EligibilityFacts(kind="SMT", department_authorised=None))
    assert decision.outcome is True and "à obtenir" in decision.reasons[1].text


@pytest.mark.article("Procédure mobilité AS")
@pytest.mark.parametrize("canada_study,due", [(True, "2023-12-08"), (False, "2024-02-19")])
def test_the_canada_deadline_is_for_course_mobilities(canada_study, due):
    assert candidature_deadline(DeadlineFacts(canada_study=canada_study)).outcome == d(due)


@pytest.mark.article("215")
@pytest.mark.parametrize("end,amount", [
    ("2024-12-15", "1560.00"),  # 16 September to 15 December: exactly 3 months at 520 €
    ("2024-12-16", "1577.33"),  # one day more: 3 months and 1/30 of a month
    ("2024-12-14", "1542.67"),  # one day less: 2 months and 29 days
    ("2024-09-16", "17.33"),    # a single day
])
def test_the_grant_at_month_boundaries(end, amount):
    decision = grant(GrantFacts(start=d("2024-09-16"), end=d(end), monthly_rate=Decimal("520")))
    assert decision.outcome == Decimal(amount)


@pytest.mark.article("215")
def test_the_fwb_top_up_and_the_two_instalments():
    decision = grant(GrantFacts(start=d("2024-09-01"), end=d("2024-11-30"), monthly_rate=Decimal("520"),
                                fwb_topup_monthly=Decimal("250"), fwb_boursier=True, first_instalment_percent=80))
    assert decision.outcome == Decimal("2310.00")  # 3 × (520 + 250)
    assert decision.details["first_instalment"] == Decimal("1848.00") and decision.details["balance"] == Decimal("462.00")
    assert "choix de l'établissement" in decision.reasons[1].text


@pytest.mark.article("215")
@pytest.mark.parametrize("grade,max_,pass_,out", [("10", "20", "10", "10.0"), ("9.5", "20", "10", "9.5"),
                                                   ("5", "10", "5", "10.0"), ("10", "10", "5", "20.0"),
                                                   ("14", "20", "9.5", "14.3")])
def test_host_grades_convert_to_twenty(grade, max_, pass_, out):
    facts = GradeFacts(host_grade=Decimal(grade), host_max=Decimal(max_), host_pass=Decimal(pass_))
    assert convert_grade(facts).outcome == Decimal(out)


@pytest.mark.article("215")
@pytest.mark.parametrize("arrival,departure,ok", [
    ("2024-09-16", None, True), ("2024-09-17", None, False),  # today is 16 September: no date in the future
    ("2024-06-01", "2024-09-16", True), ("2024-06-01", "2024-09-17", False),
    ("2024-08-01", "2024-09-16", False),  # seven weeks: under the minimum duration of a study mobility
    ("2024-09-10", "2024-09-09", False),  # departure before arrival
])
def test_the_attestation_de_sejour_only_attests_dates_already_lived(arrival, departure, ok):
    facts = StayFacts(kind="SMS", arrival=d(arrival), departure=d(departure) if departure else None,
                      today=d("2024-09-16"))
    assert stay(facts).outcome is ok


@pytest.mark.article("214", "215")
@pytest.mark.parametrize("passed,ok", [(44, False), (45, True)])
def test_study_mobility_needs_the_department_minimum(passed, ok):
    facts = EligibilityFacts(kind="SMS", department_authorised=True, credits_passed=passed, department_min_credits=45)
    assert eligibility(facts).outcome is ok


@pytest.mark.article("215")
def test_the_department_minimum_is_not_invented():
    with pytest.raises(RuleError, match="fixé par le département"):
        eligibility(EligibilityFacts(kind="SMS", department_authorised=True, credits_passed=60))


@pytest.mark.article("214")
def test_no_mobility_without_the_department_authorisation():
    assert eligibility(EligibilityFacts(kind="SMT", department_authorised=False)).outcome is False


@pytest.mark.article("217")
def test_fame_once_per_cursus_and_outside_europe():
    base = dict(kind="FAME", fame_purpose="stage", department_authorised=True)
    assert eligibility(EligibilityFacts(outside_europe=True, **base)).outcome is True
    assert eligibility(EligibilityFacts(outside_europe=True, fame_already_used=True, **base)).outcome is False
    assert eligibility(EligibilityFacts(outside_europe=False, **base)).outcome is False
    with pytest.raises(RuleError, match="hors Europe"):
        eligibility(EligibilityFacts(**base))


@pytest.mark.article("219")
@pytest.mark.parametrize("section,bloc1,ok", [("AESI Lg", 45, True), ("AESI Lg", 44, False), ("AESI SH", 60, False)])
def test_intercommunity_exchange(section, bloc1, ok):
    facts = EligibilityFacts(kind="INTERCOMMUNAUTAIRE", department_authorised=True, section=section, bloc1_credits=bloc1,
                             other_community_language=True)
    assert eligibility(facts).outcome is ok


@pytest.mark.article("218")
def test_internship_abroad_outside_erasmus_follows_the_department():
    decision = eligibility(EligibilityFacts(kind="STAGE_HORS_PROGRAMME", department_authorised=True))
    assert decision.outcome is True and "Art. 218" in decision.articles


COMPLETE = dict(documents=["formulaire", "lettre_motivation", "cv", "bulletins"], letter_signed=True,
                sent_to=["HENALLUX", "HERS"])


@pytest.mark.article("Procédure mobilité AS")
@pytest.mark.parametrize("on,canada,ok", [
    ("2024-02-19", False, True), ("2024-02-20", False, False), ("2023-12-08", True, True), ("2023-12-09", True, False),
])
def test_candidature_deadlines(on, canada, ok):
    out = candidature(CandidatureFacts(submitted_on=d(on), canada=canada, **COMPLETE)).outcome
    assert out["admissible"] is ok and out["in_time"] is ok


@pytest.mark.article("Procédure mobilité AS")
def test_candidature_needs_the_four_documents_sent_to_both_schools():
    out = candidature(CandidatureFacts(submitted_on=d("2024-01-15"), documents=["formulaire", "cv"],
                                       sent_to=["HENALLUX"])).outcome
    assert out["admissible"] is False
    assert len(out["missing"]) == 2 and out["not_sent_to"] == ["HERS"]
    unsigned = candidature(CandidatureFacts(submitted_on=d("2024-01-15"), **{**COMPLETE, "letter_signed": False}))
    assert unsigned.outcome["missing"] == ["Signature de la lettre de motivation"]
    bloc2 = candidature(CandidatureFacts(submitted_on=d("2024-01-15"), bloc2_bulletin_available=True, **COMPLETE))
    assert bloc2.outcome["admissible"] is False


@pytest.mark.article("Procédure mobilité AS, 1.2")
@pytest.mark.parametrize("stamp,ok", [
    ("2024-02-19T23:59:00+01:00", True), ("2024-02-20T00:05:00+01:00", False),  # Brussels winter time is UTC+1
    ("2024-02-19T22:59:00Z", True), ("2024-02-19T23:05:00Z", False),  # 23:05 UTC is 00:05 in Brussels
    ("2024-02-19T23:59:00", True),  # no time zone: Brussels time
])
def test_a_submission_timestamp_counts_in_brussels_time(stamp, ok):
    facts = CandidatureFacts.model_validate({"submitted_on": stamp, **COMPLETE})
    assert candidature(facts).outcome["in_time"] is ok
