"""Annexe 1, working days (art. 176) and the deadline calculator. Expected dates are counted by
hand on a 2023-2024 calendar."""

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parcours.regulation.calendar import (
    DayFacts,
    DeadlineFacts,
    FixedDateFacts,
    calendar_for,
    count_time_limit,
    deadline,
    describe_day,
    fixed_date,
    land_on_working_day,
)
from parcours.regulation.explain import RuleError
from parcours.regulation.params import load_year
from tests.conftest import d

CAL = calendar_for("2023-2024")
LIMITS = load_year().deadlines.time_limits


def due(name: str, event: str) -> dt.date:
    return deadline(DeadlineFacts(time_limit=name, event_date=d(event))).outcome


@pytest.mark.article("Annexe 1", "9")
def test_every_day_of_the_year_belongs_to_exactly_one_period():
    day = CAL.start
    while day <= CAL.end:
        matching = [p for p in CAL.params.calendar.periods if p.start <= day <= p.end]
        assert len(matching) == 1, day
        assert describe_day(DayFacts(date=day)).outcome["period"] in {"activites", "conge", "fermeture", "evaluation"}
        day += dt.timedelta(days=1)


@pytest.mark.article("Annexe 1", "11")
@pytest.mark.parametrize("day,kind", [
    ("2023-09-26", "activites"), ("2023-09-27", "conge"), ("2023-09-28", "activites"),
    ("2023-10-29", "activites"), ("2023-10-30", "conge"), ("2023-11-03", "conge"), ("2023-11-04", "activites"),
    ("2023-12-24", "activites"), ("2023-12-25", "conge"), ("2024-01-05", "conge"), ("2024-01-08", "evaluation"),
    ("2024-03-04", "conge"), ("2024-03-09", "activites"), ("2024-05-10", "conge"), ("2024-05-20", "conge"),
    ("2024-05-27", "evaluation"), ("2024-06-28", "evaluation"), ("2024-07-10", "activites"),
    ("2024-07-11", "fermeture"), ("2024-08-15", "fermeture"), ("2024-08-16", "evaluation"),
    ("2024-09-06", "evaluation"), ("2024-09-07", "activites"),
])
def test_periods_of_annexe_1(day, kind):
    assert describe_day(DayFacts(date=d(day))).outcome["period"] == kind


@pytest.mark.article("10")
@pytest.mark.parametrize("day,q", [("2024-01-31", 1), ("2024-02-01", 2), ("2024-06-30", 2), ("2024-07-01", 3)])
def test_quadrimestres(day, q):
    assert describe_day(DayFacts(date=d(day))).outcome["quadrimestre"] == q


@pytest.mark.article("176")
def test_saturday_and_sunday_are_not_working_days():
    assert describe_day(DayFacts(date=d("2023-10-13"))).outcome["working_day"] is True  # Friday
    assert describe_day(DayFacts(date=d("2023-10-14"))).outcome["working_day"] is False  # Saturday
    assert describe_day(DayFacts(date=d("2023-10-15"))).outcome["working_day"] is False  # Sunday


def test_a_day_outside_the_loaded_year_is_refused():
    with pytest.raises(RuleError, match="n'appartient pas"):
        describe_day(DayFacts(date=d("2024-09-14")))


@pytest.mark.article("177", "176")
def test_internal_appeal_skips_the_weekend():
    assert due("internal_appeal", "2023-10-11") == d("2023-10-16")  # Thu, Fri, (Sat, Sun), Mon


@pytest.mark.article("177", "176", "Annexe 1")
def test_internal_appeal_is_suspended_by_the_autumn_holiday():
    decision = deadline(DeadlineFacts(time_limit="internal_appeal", event_date=d("2023-10-27")))
    assert decision.outcome == d("2023-11-08")
    assert decision.details["suspended_days"] == 5
    assert [r.article for r in decision.reasons][0] == "Art. 177"


@pytest.mark.article("180", "27", "176")
def test_irrecevability_appeal_ignores_helha_closures():
    # 15 working days from 2 November (1 November is a legal holiday): the HELHa autumn holiday does not suspend an
    # external appeal. 2-3, 6-10, 13-17, 20-22 November.
    assert due("irrecevability_appeal", "2023-10-31") == d("2023-11-22")


@pytest.mark.article("180", "181")
def test_external_appeals_are_suspended_from_24_december_to_1_january():
    assert due("irrecevability_appeal", "2023-12-15") == d("2024-01-15")
    assert due("ceperi_appeal", "2023-12-15") == d("2024-01-15")
    assert due("ceperi_appeal", "2023-12-01") == d("2023-12-22")  # before the window: unchanged


@pytest.mark.article("182", "176")
def test_payment_default_appeal_has_no_suspension():
    # 18-22, 26-29 December (25 is Christmas), 2-5 January (1 is New Year), 8, 9 January: 15 working days.
    assert due("payment_default_appeal", "2023-12-15") == d("2024-01-09")


@pytest.mark.article("193")
def test_cesi_time_limit_is_suspended_from_10_july_to_20_august():
    assert due("cesi_decision", "2024-07-05") == d("2024-09-06")
    # 5 working days from 9 July: 10 July-20 August suspended, then 21, 22, 23, 26 and 27 August.
    assert due("cesi_appeal", "2024-07-09") == d("2024-08-27")


@pytest.mark.article("55")
def test_refused_grant_payment_is_30_calendar_days():
    assert due("refused_grant_payment", "2024-01-10") == d("2024-02-09")


@pytest.mark.article("183", "176")
def test_council_of_state_ending_on_a_sunday_moves_to_the_next_working_day():
    # 60 days end on Sunday 31 December; Monday 1 January is a legal holiday: Tuesday 2 January.
    decision = deadline(DeadlineFacts(time_limit="council_of_state", event_date=d("2023-11-01")))
    assert decision.outcome == d("2024-01-02")
    assert any("31 décembre 2023 n'est pas un jour ouvrable" in r.text for r in decision.reasons)


@pytest.mark.article("178")
def test_registration_refusal_appeal_ten_calendar_days_suspended_by_closure():
    # 21-29 October = 9 days, 30 October-3 November suspended, 4 November (Saturday) = 10th → Monday 6 November.
    assert due("registration_refusal_appeal", "2023-10-20") == d("2023-11-06")


@pytest.mark.article("103")
def test_results_detail_one_month_suspended_by_closure():
    assert due("results_detail", "2024-01-31") == d("2024-02-29")
    # 28 June + 1 month = 28 July; 18 closure days in the window, counted again from 16 August.
    assert due("results_detail", "2024-06-28") == d("2024-09-02")


@pytest.mark.article("99", "176")
def test_assessor_request_counts_backwards():
    # 7 working days before Wednesday 10 January: 9, 8, 5, 4, 3, 2 January, then (1 January is a holiday) 29 December.
    assert due("assessor_request", "2024-01-10") == d("2023-12-29")


@pytest.mark.article("172")
def test_disciplinary_hearing_at_the_earliest_after_the_spring_break():
    decision = deadline(DeadlineFacts(time_limit="disciplinary_hearing", event_date=d("2024-03-04")))
    assert decision.outcome == d("2024-03-15") and decision.details["bound"] == "earliest"


@pytest.mark.article("Annexe 7")
def test_non_eu_payment_ten_working_days():
    assert due("non_eu_payment", "2023-09-06") == d("2023-09-20")


@pytest.mark.article("29")
def test_registration_attestations_within_15_working_days():
    assert due("registration_attestations", "2023-09-25") == d("2023-10-16")


@pytest.mark.article("91")
def test_absence_justification_two_working_days():
    assert due("absence_justification", "2024-01-11") == d("2024-01-15")
    assert due("absence_justification", "2024-01-12") == d("2024-01-16")
    assert due("absence_retake_same_period", "2024-01-10") == d("2024-01-11")


@pytest.mark.article("36")
def test_non_financable_notice_runs_at_the_earliest_from_the_rentree():
    assert due("non_financable_procedure_notice", "2023-09-01") == d("2023-09-29")


@pytest.mark.article("40", "43", "76", "80", "87", "104", "105", "106", "111", "114", "118", "12", "136", "194",
                     "Annexe 4")
@pytest.mark.parametrize("name,event,expected", [
    ("registration_refusal_notification", "2023-10-02", "2023-10-23"),
    ("registration_fraud_hearing", "2023-10-02", "2023-10-17"),
    ("absence_activity_justification", "2023-10-05", "2023-10-09"),
    ("evaluation_schedule_change", "2024-06-10", "2024-05-27"),
    ("evaluation_schedule_publication", "2024-05-27", "2024-04-26"),
    ("out_of_session_exam_schedule", "2023-12-20", "2023-12-05"),
    ("copy_consultation", "2024-02-05", "2024-03-05"),
    ("exam_complaint", "2024-02-02", "2024-02-07"),
    ("exam_complaint_report", "2024-02-07", "2024-02-09"),
    ("evaluation_fraud_report", "2024-01-12", "2024-01-16"),
    ("serious_misconduct_report", "2024-01-12", "2024-01-16"),
    ("internship_refusal_appeal", "2023-11-09", "2023-11-13"),
    ("schedule_change_notice", "2023-11-20", "2023-11-10"),
    ("diploma_delivery", "2024-06-28", "2024-09-30"),
    ("pai_establishment", "2023-11-20", "2024-01-22"),
    ("jury_cf_refusal_notification", "2023-10-31", "2023-11-30"),
])
def test_other_time_limits(name, event, expected):
    assert due(name, event) == d(expected)


def test_a_time_limit_that_leaves_the_loaded_calendar_fails_loudly():
    with pytest.raises(RuleError, match="calendrier n'est pas chargé"):
        due("exam_complaint", "2024-09-12")


def test_an_unknown_time_limit_lists_the_known_ones():
    with pytest.raises(RuleError, match="internal_appeal"):
        due("appel_inconnu", "2023-10-02")


@pytest.mark.article("72", "74", "192", "187")
@pytest.mark.parametrize("name,on,in_time", [
    ("allegement_at_registration", "2023-10-30", True), ("allegement_at_registration", "2023-10-31", False),
    ("allegement_after_q1", "2024-02-14", True), ("allegement_after_q1", "2024-02-15", False),
    ("inclusive_request", "2023-11-15", True), ("inclusive_request", "2023-11-16", False),
    ("inclusive_request_q2", "2024-03-15", True), ("inclusive_request_q2", "2024-03-16", False),
    ("student_elections", "2024-03-01", True), ("student_elections", "2024-02-29", False),
    ("bloc1_q1_results", "2024-02-10", True), ("bloc1_q1_results", "2024-02-11", False),
])
def test_fixed_dates_on_both_sides(name, on, in_time):
    assert fixed_date(FixedDateFacts(name=name, on=d(on))).outcome["in_time"] is in_time


AFTER = sorted(n for n, tl in LIMITS.items() if tl.direction == "after")
YEAR_DAYS = st.dates(min_value=d("2023-09-14"), max_value=d("2024-07-31"))


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(LIMITS)), event=YEAR_DAYS)
def test_a_deadline_never_lands_on_a_non_working_day(name, event):
    try:
        result = due(name, event.isoformat())
    except RuleError:
        assume(False)
    assert result.weekday() < 5
    if LIMITS[name].suspensions and CAL.contains(result):
        assert not CAL.is_suspended(result, LIMITS[name].suspensions)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(AFTER), event=YEAR_DAYS, extra=st.sampled_from(
    ["helha_closures", "appeals_external", "inclusive_appeals"]))
def test_a_suspension_never_makes_a_deadline_earlier(name, event, extra):
    base = LIMITS[name]
    plain = base.model_copy(update={"suspensions": []})
    suspended = base.model_copy(update={"suspensions": sorted(set(base.suspensions) | {extra})})
    try:
        with_suspension = land_on_working_day(CAL, suspended, count_time_limit(CAL, suspended, event)[0])
    except RuleError:
        assume(False)
    without = land_on_working_day(CAL, plain, count_time_limit(CAL, plain, event)[0])
    assert with_suspension >= without


@settings(max_examples=200, deadline=None)
@given(event=YEAR_DAYS, n=st.integers(min_value=1, max_value=40))
def test_more_working_days_never_end_earlier(event, n):
    tl = LIMITS["internal_appeal"].model_copy(update={"suspensions": [], "count": n})
    longer = tl.model_copy(update={"count": n + 1})
    assert count_time_limit(CAL, longer, event)[0] > count_time_limit(CAL, tl, event)[0]


@pytest.mark.article("176", "177")
@pytest.mark.parametrize("notified,until", [("2024-03-29", "2024-04-04"), ("2024-03-22", "2024-03-27")])
def test_a_legal_public_holiday_is_not_a_working_day(notified, until):
    # Internal appeal, 3 working days: after Friday 29 March, Easter Monday (1 April) is not counted → 2, 3, 4 April;
    # a week earlier nothing falls in between → 25, 26, 27 March.
    assert due("internal_appeal", notified) == d(until)


@pytest.mark.article("176")
@pytest.mark.parametrize("day,working", [("2024-04-01", False), ("2024-04-02", True), ("2024-05-09", False),
                                         ("2024-05-08", True)])
def test_describe_day_knows_the_legal_holidays(day, working):
    decision = describe_day(DayFacts(date=d(day)))
    assert decision.outcome["working_day"] is working
    if not working:
        assert "loi du 4 janvier 1974" in " ".join(r.text + r.article for r in decision.reasons)


@pytest.mark.article("176")
def test_the_reading_of_working_days_is_written_in_the_reason():
    decision = deadline(DeadlineFacts(time_limit="internal_appeal", event_date=d("2024-03-29")))
    assert any("Lecture retenue" in r.text and "Lundi de Pâques" in r.text for r in decision.reasons)


@pytest.mark.article("85")
@pytest.mark.parametrize("name,on,until,in_time", [
    ("session_ouverte_q1", "2024-04-15", "2024-04-15", True), ("session_ouverte_q1", "2024-04-16", "2024-04-15", False),
    ("session_ouverte_q2", "2024-09-15", "2024-09-15", True), ("session_ouverte_q2", "2024-09-16", "2024-09-15", False),
    ("session_ouverte_q3", "2024-11-30", "2024-11-30", True), ("session_ouverte_q3", "2024-12-01", "2024-11-30", False),
])
def test_session_ouverte_limits_of_art_85(name, on, until, in_time):
    out = fixed_date(FixedDateFacts(name=name, on=d(on))).outcome
    assert out["date"] == d(until) and out["in_time"] is in_time


@pytest.mark.article("85")
def test_an_unknown_session_ouverte_lists_the_known_names():
    with pytest.raises(RuleError, match="session_ouverte_q3"):
        fixed_date(FixedDateFacts(name="session_ouverte_q4"))
