"""Who may take which registration decision, and from when (art. 24, 34, 36, 39, 40)."""

import datetime as dt

import pytest

from parcours.regulation.registration import DecisionOpenFacts, decision_open


def facts(**kw):
    base = {"action": "irrecevable", "today": dt.date(2023, 9, 30), "by_department_direction": False}
    return DecisionOpenFacts(**{**base, **kw})


@pytest.mark.article("24", "39")
@pytest.mark.parametrize("day,open_", [(dt.date(2023, 9, 30), False), (dt.date(2023, 10, 1), True)])
def test_irrecevability_for_missing_documents_waits_for_30_september(day, open_):
    decision = decision_open(facts(today=day, documents_missing=True))
    assert decision.outcome["open"] is open_
    if not open_:
        assert decision.outcome["from"] == dt.date(2023, 10, 1)


@pytest.mark.article("39")
def test_a_later_document_date_moves_irrecevability_and_a_complete_dossier_has_no_wait():
    later = decision_open(facts(today=dt.date(2023, 10, 10), documents_missing=True,
                                documents_due=[dt.date(2023, 10, 15)]))
    assert later.outcome == {"open": False, "from": dt.date(2023, 10, 16)}
    assert decision_open(facts(today=dt.date(2023, 9, 1), documents_missing=False)).outcome["open"] is True


@pytest.mark.article("40")
@pytest.mark.parametrize("direction,open_", [(False, False), (True, True)])
def test_only_the_department_direction_refuses(direction, open_):
    assert decision_open(facts(action="refuser", by_department_direction=direction)).outcome["open"] is open_


@pytest.mark.article("34", "36")
def test_acceptance_second_registration_and_non_financable():
    second = decision_open(facts(action="accepter", other_regular_registration="Bachelier en GRH"))
    assert not second.outcome["open"] and second.reasons[0].article == "Art. 34"
    assert not decision_open(facts(action="accepter", financable=False)).outcome["open"]
    assert decision_open(facts(action="accepter", financable=False, by_department_direction=True)).outcome["open"]
    assert decision_open(facts(action="accepter", financable=True)).outcome["open"]
