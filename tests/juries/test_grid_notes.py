"""The jury grid writes notes with the one note formatter, regulation.grades.fr_note: decimal comma, no trailing
zeros (art. 100), the special code instead of a note, "—" for nothing yet."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.evaluations.models import UEResult
from parcours.juries import grid, selectors
from parcours.juries.grid import PaeUE, UERow
from parcours.regulation.grades import fr_note
from tests.juries.conftest import open_with

UE = PaeUE(1, "B1-1", "UE B1-1", 10, 1, Decimal(1))


@pytest.mark.article("100")
@pytest.mark.parametrize(("note", "special", "shown"), [
    (Decimal("10.50"), None, "10,5"), (Decimal("11.75"), None, "11,75"), (Decimal("14.00"), None, "14"),
    (Decimal("0"), None, "0"), (Decimal("9.125"), None, "9,125"), (None, "PP", "PP"), (None, None, "—")])
def test_a_grid_note_is_the_note_formatters(note, special, shown):
    row = UERow(UE, note, special, False, False, False, [])
    assert row.display == shown == (fr_note(note, special or "") or "—")


@pytest.mark.article("100")
def test_the_grid_pages_show_10_5_and_an_average_of_12_never_10_point_5_or_12_00(client, jw):
    lea = jw.students["lea"]
    UEResult.objects.filter(student=lea, ue=jw.ues["B1-1"]).update(note=Decimal("10.5"))
    UEResult.objects.filter(student=lea, ue=jw.ues["B1-2"]).update(note=Decimal("12.5"))
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    proposal = selectors.grid(session, student_id=lea.pk)[0]
    assert proposal.average == Decimal("12.00") and proposal.average_display == "12"
    client.force_login(jw.secretary)
    grid_page = client.get(reverse("juries:session", args=[session.pk])).content.decode()
    assert "B1-1 10,5" in grid_page and "B1-2 12,5" in grid_page and "<td>12</td>" in grid_page
    detail = client.get(reverse("juries:session_student", args=[session.pk, lea.pk])).content.decode()
    assert 'data-label="Note">10,5' in detail and 'data-label="Note">12,5' in detail and "moyenne 12/20" in detail
    for page in (grid_page, detail):
        assert "10.5" not in page and "12.5" not in page and "<td>12,00" not in page and "moyenne 12,00" not in page


def test_no_average_yet_is_a_dash():
    assert grid.Proposal(student=None, rows=[], deliberated=False, outcome="", outcome_label="").average_display == "—"
