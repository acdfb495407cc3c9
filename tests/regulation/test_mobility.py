"""Mobility (art. 214-219) and the candidature procedure of the Bachelier AS (HENALLUX / HERS)."""

import pytest

from parcours.regulation.explain import RuleError
from parcours.regulation.mobility import (
    CandidatureFacts,
    DurationFacts,
    EligibilityFacts,
    LearningAgreementFacts,
    candidature,
    duration,
    eligibility,
    learning_agreement,
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
@pytest.mark.parametrize("q,year,ok", [
    ([20], 60, True), ([19], 60, False), ([33], 60, True), ([34], 60, False), ([30, 30], 60, True), ([30], 59, False),
])
def test_learning_agreement_credits(q, year, ok):
    facts = LearningAgreementFacts(quadrimestre_credits=q, year_total_credits=year, accepted_by_department=True,
                                   accepted_by_host=True)
    assert learning_agreement(facts).outcome is ok


@pytest.mark.article("215")
def test_learning_agreement_needs_both_acceptances():
    facts = LearningAgreementFacts(quadrimestre_credits=[30], year_total_credits=60, accepted_by_department=True)
    assert learning_agreement(facts).outcome is False


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
