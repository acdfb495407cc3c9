"""Organising evaluations: notes a person may write, who sits, timetable, absences, encoding limits,
copies (art. 80, 85, 88-91, 100, 103, 104). Dates worked out by hand on the 2023-2024 calendar."""

import datetime as dt
from decimal import Decimal as D

import pytest

from parcours.regulation import exams
from parcours.regulation.explain import RuleError


def d(s):
    return dt.date.fromisoformat(s)


@pytest.mark.article("100")
@pytest.mark.parametrize("text,expected", [
    ("12", (D("12.00"), "")), ("9,75", (D("9.75"), "")), (" 0 ", (D("0.00"), "")), ("20", (D("20.00"), "")),
    ("pp", (None, "PP")), ("PR", (None, "PR")), ("", (None, "")),
])
def test_an_evaluator_types_a_note_or_pp_pr(text, expected):
    assert exams.parse_note(text) == expected


@pytest.mark.article("100")
@pytest.mark.parametrize("text,fragment", [
    ("20,01", "entre 0 et 20"), ("-1", "entre 0 et 20"), ("douze", "ni une note"), ("12,345", "deux décimales"),
    ("CM", "certificat médical"), ("ML", "motif légitime"), ("FR", "fraude"), ("NaN", "entre 0 et 20"),
])
def test_an_evaluator_cannot_type_out_of_range_or_decided_codes(text, fragment):
    with pytest.raises(RuleError, match=fragment):
        exams.parse_note(text)


@pytest.mark.article("91")
@pytest.mark.article("110")
def test_cm_ml_come_from_absences_and_fr_from_fraud_decisions():
    assert exams.parse_note("CM", "absence") == (None, "CM")
    assert exams.parse_note("FR", "fraud") == (None, "FR")
    with pytest.raises(RuleError):
        exams.parse_note("FR", "absence")


@pytest.mark.article("88")
@pytest.mark.article("89")
@pytest.mark.article("90")
@pytest.mark.article("49")
def test_who_may_sit():
    ok = exams.admission(exams.AdmissionFacts(registration_regular=True, ue_in_pae=True, period=1))
    assert ok.outcome is True
    unpaid = exams.admission(exams.AdmissionFacts(registration_regular=False, ue_in_pae=True, period=1))
    assert unpaid.outcome is False and unpaid.details["article"] == "Art. 88, 24"
    suspended = exams.admission(exams.AdmissionFacts(registration_regular=True, access_suspended=True,
                                                     ue_in_pae=True, period=2))
    assert suspended.outcome is False and "49" in suspended.details["article"]
    outside = exams.admission(exams.AdmissionFacts(registration_regular=True, ue_in_pae=False, period=1))
    assert outside.outcome is False and outside.details["article"] == "Art. 89"
    assert exams.admission(exams.AdmissionFacts(registration_regular=True, ue_in_pae=True, period=3,
                                                third_period_registered=False)).outcome is False


@pytest.mark.article("91")
@pytest.mark.parametrize("evaluation,on,in_time", [
    ("2024-01-08", "2024-01-10", True),   # Monday: Tuesday and Wednesday are the 2 working days
    ("2024-01-08", "2024-01-11", False),  # 3rd working day
    ("2024-01-12", "2024-01-16", True),   # Friday: the weekend does not count
    ("2024-01-12", "2024-01-17", False),
])
def test_absence_proof_within_two_working_days(evaluation, on, in_time):
    decision = exams.absence_proof(exams.ProofFacts(evaluation_date=d(evaluation), on=d(on)))
    assert decision.outcome is in_time


@pytest.mark.article("91")
def test_retake_requests_next_day_or_within_a_month():
    same = exams.RetakeRequestFacts(evaluation_date=d("2024-01-10"), on=d("2024-01-11"), when="same_period")
    assert exams.retake_request(same).outcome is True
    assert exams.retake_request(same.model_copy(update={"on": d("2024-01-12")})).outcome is False
    nxt = exams.RetakeRequestFacts(evaluation_date=d("2024-01-10"), on=d("2024-02-09"), when="next_period")
    assert exams.retake_request(nxt).outcome is True  # 10 February 2024 is a Saturday: the limit moves to Monday 12
    assert exams.retake_request(nxt.model_copy(update={"on": d("2024-02-13")})).outcome is False


@pytest.mark.article("80")
@pytest.mark.parametrize("on,force,allowed", [
    ("2024-01-08", False, True),   # 10 working days before Monday 22 January
    ("2024-01-09", False, False),  # 9 working days
    ("2024-01-19", True, True),    # force majeure recorded by the direction
])
def test_schedule_change_ten_working_days(on, force, allowed):
    facts = exams.ScheduleChangeFacts(announced=d("2024-01-22"), on=d(on), force_majeure=force,
                                      reason="Inondation du bâtiment" if force else "")
    assert exams.schedule_change(facts).outcome is allowed


@pytest.mark.article("80")
def test_force_majeure_needs_a_reason():
    with pytest.raises(RuleError, match="motivée"):
        exams.schedule_change(exams.ScheduleChangeFacts(announced=d("2024-01-22"), on=d("2024-01-19"),
                                                        force_majeure=True, reason=" "))


@pytest.mark.article("80")
def test_timetable_published_one_month_before():
    assert exams.timetable_publication(exams.PublicationFacts(period_start=d("2024-01-08"), on=d("2023-12-08"))).outcome
    assert not exams.timetable_publication(exams.PublicationFacts(period_start=d("2024-01-08"),
                                                                  on=d("2023-12-09"))).outcome


@pytest.mark.article("85")
def test_encoding_deadline_and_session_ouverte():
    base = exams.EncodingFacts(on=d("2024-02-02"), period=1, deadline=d("2024-02-02"))
    assert exams.encoding(base).outcome is True
    assert exams.encoding(base.model_copy(update={"on": d("2024-02-03")})).outcome is False
    extended = base.model_copy(update={"session_ouverte_until": d("2024-04-15"), "on": d("2024-04-15")})
    assert exams.encoding(extended).outcome is True
    assert exams.encoding(extended.model_copy(update={"on": d("2024-04-16")})).outcome is False
    capped = exams.encoding(base.model_copy(update={"session_ouverte_until": d("2024-05-31"), "on": d("2024-04-16")}))
    assert capped.outcome is False and capped.details["until"] == d("2024-04-15")
    third = exams.encoding(exams.EncodingFacts(on=d("2024-11-30"), period=3, deadline=d("2024-09-06"),
                                               session_ouverte_until=d("2024-11-30")))
    assert third.outcome is True


@pytest.mark.article("104")
def test_copy_consultation_one_week_notice_within_a_month():
    ok = exams.ConsultationFacts(results_on=d("2024-02-01"), announced_on=d("2024-02-08"), consultation_on=d("2024-02-15"))
    assert exams.copy_consultation(ok).outcome is True
    assert exams.copy_consultation(ok.model_copy(update={"announced_on": d("2024-02-09")})).outcome is False
    assert exams.copy_consultation(ok.model_copy(update={"consultation_on": d("2024-03-02"),
                                                         "announced_on": d("2024-02-20")})).outcome is False


@pytest.mark.article("103")
def test_results_detail_for_first_years_by_10_february():
    facts = exams.ResultsDetailFacts(bloc1=True, period=1, period_end=d("2024-01-31"))
    assert exams.results_detail_due(facts).outcome == d("2024-02-10")
    later = exams.results_detail_due(facts.model_copy(update={"bloc1": False}))
    assert later.outcome == d("2024-02-29")  # one month; the détente holiday starts on 4 March


@pytest.mark.article("91")
def test_titre_v_articles_with_a_workflow_say_so():
    from parcours.regulation.articles import get
    for ref in ("79", "80", "85", "88", "89", "90", "91", "100", "101", "102", "103", "104"):
        assert "parcours.evaluations" in get(ref).workflow, ref
    assert get("105").workflow == ""  # complaints are another issue's workflow


@pytest.mark.article("83")
@pytest.mark.parametrize("attempts,allowed", [(0, True), (1, True), (2, False), (3, False)])
def test_at_most_two_presentations_of_a_ue_in_the_year(attempts, allowed):
    decision = exams.attempt(exams.AttemptFacts(attempts_this_year=attempts))
    assert decision.outcome is allowed
    assert decision.reasons[-1].article == "Art. 83"


@pytest.mark.article("83")
def test_the_department_director_may_authorise_a_third_presentation_with_a_motivation():
    decision = exams.attempt(exams.AttemptFacts(attempts_this_year=2, authorised=True,
                                                motivation="Hospitalisation pendant la 2e période"))
    assert decision.outcome is True and "Hospitalisation" in decision.reasons[-1].text
    with pytest.raises(RuleError, match="motivée"):
        exams.attempt(exams.AttemptFacts(attempts_this_year=2, authorised=True, motivation="  "))


@pytest.mark.article("99")
@pytest.mark.parametrize("requested_on,ok", [("2024-01-11", True), ("2024-01-12", False)])
def test_a_student_asks_for_an_assessor_at_the_latest_7_working_days_before(requested_on, ok):
    # Exam Monday 22 January 2024: 19, 18, 17, 16, 15, 12, 11 January are the 7 working days before.
    decision = exams.assessor_request(exams.AssessorFacts(origin="student", evaluation_date=d("2024-01-22"),
                                                          requested_on=d(requested_on), motivation="Conflit"))
    assert decision.outcome is ok and decision.details["last_day"] == d("2024-01-11")
    if not ok:
        assert "11 janvier 2024" in decision.reasons[-1].text and decision.reasons[-1].article == "Art. 99"


@pytest.mark.article("99")
def test_the_president_or_an_evaluator_needs_no_deadline_and_a_student_must_motivate():
    assert exams.assessor_request(exams.AssessorFacts(origin="president")).outcome is True
    assert exams.assessor_request(exams.AssessorFacts(origin="evaluator")).outcome is True
    with pytest.raises(RuleError, match="motivée"):
        exams.assessor_request(exams.AssessorFacts(origin="student", evaluation_date=d("2024-01-22"),
                                                   requested_on=d("2024-01-05")))


@pytest.mark.article("103")
@pytest.mark.parametrize(("publish_on", "on", "ok"), [
    ("2024-02-10", "2024-02-01", True),   # the last day
    ("2024-02-11", "2024-02-01", False),  # the day after, set while 10 February can still be kept
    ("2024-02-12", "2024-02-10", False),
    ("2024-02-11", "2024-02-11", True),   # 10 February passed: only publishing at once remains
    ("2024-02-13", "2024-02-11", False),  # ... not a further delay
])
def test_january_detail_of_a_first_year_student_by_10_february(publish_on, on, ok):
    import datetime as dt
    decision = exams.detail_publication(exams.DetailPublicationFacts(
        bloc1=True, period=1, publish_on=dt.date.fromisoformat(publish_on), on=dt.date.fromisoformat(on)))
    assert decision.outcome is ok
    assert decision.details["deadline"] == dt.date(2024, 2, 10)
    assert decision.reasons[-1].article == "Art. 103" and "10 février 2024" in decision.reasons[-1].text


@pytest.mark.article("103")
@pytest.mark.parametrize(("bloc1", "period"), [(False, 1), (True, 2), (True, 3)])
def test_other_publications_have_no_10_february_limit(bloc1, period):
    import datetime as dt
    decision = exams.detail_publication(exams.DetailPublicationFacts(
        bloc1=bloc1, period=period, publish_on=dt.date(2024, 3, 1), on=dt.date(2024, 2, 1)))
    assert decision.outcome is True and decision.details["deadline"] is None
