"""Art. 103: publishing a session's decisions shows the student every UE result the decision counted — the year's
results up to that period, January's included for a student deliberated only in June — and nothing later."""

from decimal import Decimal

import pytest

from parcours.evaluations.selectors import student_results
from parcours.juries import services
from parcours.web import clock
from tests.juries.conftest import open_with

pytestmark = pytest.mark.django_db


@pytest.mark.article("103")
def test_the_june_publication_shows_the_january_results_its_decision_counted(jw, settings):
    settings.PARCOURS_TODAY = "2024-07-01"
    tom, lea = jw.students["tom"], jw.students["lea"]
    january = jw.result(tom, "B1-1", Decimal(9), period=1)  # failed in January, not deliberated then (art. 133)
    september = jw.result(lea, "B1-1", Decimal(15), period=3)  # after the session's period: not counted
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=clock.now())
    january.refresh_from_db()
    september.refresh_from_db()
    assert january.published_at is not None  # period 1 ≤ 2: counted by the June decision, so shown
    assert september.published_at is None  # period 3 > 2: not counted, still hidden
    # What /evaluations/resultats/ and the relevé read: January and June, the six UEs of the decision.
    assert [p.number for p, _rows in student_results(tom)] == [1, 2]
    assert [p.number for p, _rows in student_results(lea)] == [2]
