"""The evaluation side, read in bulk: UE results of a set of students up to a period (art. 100).

The evaluations app owns the results; this module is the one place the juries read them, so the grid
and the benchmark cost a constant number of queries whatever the number of students."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from parcours.evaluations.models import EvaluationPeriod, SessionOuverte, UEResult
from parcours.evaluations.publication import publish_results
from parcours.evaluations.selectors import results_for_students
from parcours.evaluations.services import EvaluationError


class UEOutcome(NamedTuple):
    """The UE result the evaluation side computed for one student (note or special code, with reasons).
    A tuple: the whole institution's grid builds hundreds of thousands of them."""

    ue_id: int
    period: int
    note: Decimal | None
    code: str
    reasons: list
    complete: bool = True


def ue_outcomes(student_ids, *, year: str, period: int, with_reasons: bool = False) -> dict[int, dict[int, UEOutcome]]:
    """For each student, the latest UE result of each UE in the periods up to ``period`` of ``year`` (with the
    evaluation side's reasons when asked: the one-student page shows them, the grid does not)."""
    out: dict[int, dict[int, UEOutcome]] = {}

    # The period ids first: the big read then touches one table, with no join and no sort.
    numbers = dict(EvaluationPeriod.objects.filter(academic_year__label=year, number__lte=period)
                   .values_list("pk", "number"))
    rows = (UEResult.objects.filter(student_id__in=student_ids, period_id__in=list(numbers))
            .values_list("student_id", "ue_id", "period_id", "note", "code", "complete",
                         "reasons" if with_reasons else "complete"))
    # One plain fetch: a server-side cursor (iterator) outside a transaction is materialised WITH HOLD, then read
    # back in round trips — dearer than the rows of one grid.
    for student_id, ue_id, period_id, note, code, complete, reasons in rows:
        mine = out.get(student_id)
        if mine is None:
            mine = out[student_id] = {}
        number = numbers[period_id]
        before = mine.get(ue_id)
        if before is None or before.period < number:  # the latest period's result stands
            mine[ue_id] = UEOutcome(ue_id, number, note, code or "", reasons if with_reasons else [], complete)
    return out


def sessions_ouvertes(student_ids, *, year: str, period: int) -> dict:
    """The students whose period ``period`` the jury extended (art. 85): student id → last day of their period."""
    return dict(SessionOuverte.objects.filter(student_id__in=student_ids, period__academic_year__label=year,
                                              period__number=period).values_list("student_id", "until"))


def mark_published(*, student_ids, year: str, period: int, actor, programme_id: int) -> int:
    """Make visible to the students every UE result their decision counted: the year's results of the periods up
    to ``period`` (``ue_outcomes`` reads the same), through the evaluations service (art. 103). A January result of
    a student the jury deliberates only in June is published with the June decision that counts it."""
    student_ids = list(student_ids)
    done = 0
    for period_id in (EvaluationPeriod.objects.filter(academic_year__label=year, number__lte=period)
                      .order_by("number").values_list("pk", flat=True)):
        try:
            done += publish_results(actor=actor, period_id=period_id, student_ids=student_ids,
                                    programme_id=programme_id, notify_students=False, by_jury_president=True)
        except EvaluationError as exc:
            raise PermissionError(str(exc)) from exc
    return done


def activity_detail(student_id: int, *, year: str, period: int) -> dict[int, tuple]:
    """The activity notes of one student's UEs for the period, from the evaluations selector (for the detail page)."""
    found = EvaluationPeriod.objects.filter(academic_year__label=year, number=period).first()
    if found is None:
        return {}
    return {row.ue_id: row.activities for row in results_for_students([student_id], found).get(student_id, [])}
