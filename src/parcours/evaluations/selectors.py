"""Reads of the evaluation side.

Interface used by the juries app (issue 10) — kept stable:
- ``results_for_students(student_ids, period, *, published_only=False) -> dict[int, list[UEResultRow]]``:
  per student, the UE results of the period with each activity's note (bulk, a constant number of queries).
- ``UEResultRow``/``ActivityRow`` are frozen dataclasses: ``ue_id, ue_code, ue_title, credits, bloc, note``
  (Decimal or None), ``code`` ('' or a special code), ``acquired``, ``complete``, ``published_at``, ``reasons``
  (list of {article, text}) and ``activities`` (``activity_id, code, title, weight, note, code_special, source``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from parcours.evaluations.models import ActivityNote, EvaluationPeriod, ScoreSheet, UEResult
from parcours.evaluations.workflow import SheetStatus
from parcours.regulation import grades


@dataclass(frozen=True)
class ActivityRow:
    activity_id: int
    code: str
    title: str
    weight: Decimal
    note: Decimal | None
    code_special: str
    source: str

    @property
    def display(self) -> str:
        return grades.fr_note(self.note, self.code_special)


@dataclass(frozen=True)
class UEResultRow:
    ue_id: int
    ue_code: str
    ue_title: str
    credits: int
    bloc: int
    note: Decimal | None
    code: str
    acquired: bool
    complete: bool
    published_at: dt.datetime | None
    reasons: list = field(default_factory=list)
    activities: tuple[ActivityRow, ...] = ()

    @property
    def display(self) -> str:
        return grades.fr_note(self.note, self.code)


def results_for_students(student_ids, period: EvaluationPeriod, *, published_only: bool = False
                         ) -> dict[int, list[UEResultRow]]:
    """The UE results (with activity notes) of many students for a period, in three queries."""
    student_ids = list(student_ids)
    results = UEResult.objects.filter(period=period, student_id__in=student_ids).select_related("ue")
    if published_only:
        results = results.filter(published_at__isnull=False)
    results = list(results.order_by("ue__bloc", "ue__code"))
    notes = defaultdict(list)
    for n in (ActivityNote.objects.filter(sheet__period=period, student_id__in=student_ids,
                                          sheet__activity__ue_id__in={r.ue_id for r in results})
              .select_related("sheet__activity").order_by("sheet__activity__code")):
        a = n.sheet.activity
        notes[(n.student_id, a.ue_id)].append(ActivityRow(a.pk, a.code, a.title, a.weight, n.note, n.code, n.source))
    out: dict[int, list[UEResultRow]] = {sid: [] for sid in student_ids}
    for r in results:
        out[r.student_id].append(UEResultRow(
            r.ue_id, r.ue.code, r.ue.title, r.ue.credits, r.ue.bloc, r.note, r.code, r.acquired, r.complete,
            r.published_at, r.reasons, tuple(notes.get((r.student_id, r.ue_id), ()))))
    return out


def student_results(student) -> list[tuple[EvaluationPeriod, list[UEResultRow]]]:
    """A student's published results, period by period (art. 103): nothing before publication."""
    periods = EvaluationPeriod.objects.filter(ue_results__student=student, ue_results__published_at__isnull=False
                                              ).distinct().select_related("academic_year").order_by("academic_year__start", "number")
    return [(p, results_for_students([student.pk], p, published_only=True)[student.pk]) for p in periods]


def sheets_of_evaluator(user):
    return (ScoreSheet.objects.filter(Q(evaluators=user) | Q(activity__ue__teachers=user)).distinct()
            .select_related("activity__ue__programme", "period__academic_year")
            .annotate(expected=Count("notes", filter=Q(notes__may_sit=True), distinct=True),
                      encoded=Count("notes", filter=Q(notes__may_sit=True) & (Q(notes__note__isnull=False)
                                                                              | ~Q(notes__code="")), distinct=True))
            .order_by("-period__academic_year__start", "period__number", "activity__code"))


def progress(period: EvaluationPeriod, programmes) -> list[dict]:
    """Per sheet (UE, activity, evaluators): encoded / expected, submitted, late after the deadline (one query
    for the counts, one for the evaluators, one for the deadlines)."""
    from parcours.evaluations.models import DepartmentPeriod
    from parcours.web.clock import today

    sheets = list(ScoreSheet.objects.filter(period=period, activity__ue__programme__in=programmes)
                  .select_related("activity__ue__programme")
                  .annotate(expected=Count("notes", filter=Q(notes__may_sit=True)),
                            encoded=Count("notes", filter=Q(notes__may_sit=True) & (Q(notes__note__isnull=False)
                                                                                    | ~Q(notes__code=""))))
                  .order_by("activity__ue__programme__name", "activity__code"))
    evaluators = defaultdict(list)
    for sheet_id, first, last, email in ScoreSheet.evaluators.through.objects.filter(
            scoresheet__in=[s.pk for s in sheets]).values_list("scoresheet_id", "user__first_name", "user__last_name",
                                                             "user__email"):
        evaluators[sheet_id].append(f"{first} {last}".strip() or email)
    deadlines = dict(DepartmentPeriod.objects.filter(period=period).values_list("department_id", "encoding_deadline"))
    now = today()
    rows = []
    for s in sheets:
        deadline = deadlines.get(s.activity.ue.programme.department_id, period.end)
        submitted = s.status == SheetStatus.SUBMITTED
        rows.append({"sheet": s, "ue": s.activity.ue, "activity": s.activity, "evaluators": evaluators[s.pk],
                     "expected": s.expected, "encoded": s.encoded, "submitted": submitted, "deadline": deadline,
                     "late": not submitted and now > deadline})
    return rows
