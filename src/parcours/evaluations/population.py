"""Evaluation data for an institution-sized population (called once by `generate_population`): every
regular registration of the year sits its PAE through the three periods — notes mostly passing, some
failing, a few special codes — with carry-over decided by regulation.grades and UE results computed by
regulation.grades.ue_result, all published. Bulk inserts, no row history (generated data): notes, results and PAE lines go as plain tuples, through
PostgreSQL's COPY (one round trip a batch instead of building 600 000 model instances), bulk_create elsewhere."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal
from functools import partial

from parcours.evaluations import services
from parcours.evaluations.demo import DEADLINES, random_note
from parcours.evaluations.models import ActivityNote, DepartmentPeriod, ScoreSheet, UEResult
from parcours.evaluations.workflow import SheetStatus
from parcours.institutions.models import UE, AcademicYear, LearningActivity, Programme
from parcours.regulation import grades
from parcours.students.models import PaeEntry, Registration
from parcours.web import clock
from parcours.web.bulk import Pipeline, write_rows

BATCH = 2000
# A bloc of 60 credits in 8 UEs of 3 activities (24 activity notes a year before retakes), so that 20 000 students
# hold about 600 000 activity notes over the three periods (issue 9).
TITLES = [("Fondements", 10), ("Méthodologie", 5), ("Communication", 5), ("Langue", 5),
          ("Pratique professionnelle", 10), ("Projet", 10), ("Stage", 10), ("Séminaire", 5)]


def _ensure_ues(programmes) -> None:
    """Programmes without UEs get a generic programme of 3 blocs × 8 UEs of 3 activities (population only)."""
    for programme in programmes:
        if programme.ues.exists():
            continue
        created = UE.objects.bulk_create([
            UE(programme=programme, code=f"P{programme.pk}-{bloc}{i + 1:02d}", title=f"{title} {bloc}", credits=credits,
               bloc=bloc, quadrimestre="1" if i % 2 == 0 else "2")
            for bloc in (1, 2, 3) for i, (title, credits) in enumerate(TITLES)])
        LearningActivity.objects.bulk_create([
            LearningActivity(ue=ue, code=f"{ue.code}-{j}", title=f"{ue.title} — partie {j}", weight=Decimal(j))
            for ue in created for j in (1, 2, 3)])


def generate_notes(*, seed: int = 79, log=print) -> dict[str, int]:
    year = AcademicYear.objects.get(label="2023-2024")
    periods = {p.number: p for p in services.ensure_periods(year.label)}
    programmes = list(Programme.objects.filter(registrations__academic_year=year).distinct())
    _ensure_ues(programmes)
    for department_id in {p.department_id for p in programmes if p.department_id}:
        for number, (deadline, opens, closes) in DEADLINES.items():
            DepartmentPeriod.objects.get_or_create(period=periods[number], department_id=department_id, defaults={
                "encoding_deadline": deadline, "retake_choice_opens": opens, "retake_choice_closes": closes})
    ues = defaultdict(list)
    for ue in UE.objects.filter(programme__in=programmes).prefetch_related("activities"):
        ues[(ue.programme_id, ue.bloc)].append((ue, list(ue.activities.all())))
    regs = list(Registration.objects.filter(academic_year=year, status=Registration.Status.REGULAR)
                .exclude(student__activity_notes__isnull=False)
                .values_list("pk", "student_id", "programme_id", "bloc", "programme__cycle").order_by("pk"))
    with_pae = set(PaeEntry.objects.filter(registration__academic_year=year).values_list("registration_id", flat=True))
    sheets = {(s.activity_id, s.period_id): s.pk for s in ScoreSheet.objects.filter(period__academic_year=year)}
    period_ids = {number: p.pk for number, p in periods.items()}
    rng = random.Random(seed)
    counts = {"activity_notes": 0, "ue_results": 0}
    now = clock.now()
    with Pipeline() as pipeline:  # each batch written on a second connection while the next one sits
        for offset in range(0, len(regs), BATCH):
            chunk = regs[offset:offset + BATCH]
            pae, lines, results = [], [], []
            for reg_id, student_id, programme_id, bloc, cycle in chunk:
                taken = ues.get((programme_id, bloc), [])
                if reg_id not in with_pae:
                    pae += [(reg_id, ue.pk) for ue, _ in taken]
                for ue, activities in taken:
                    _sit(ue, activities, student_id, bloc == 1 and cycle == 1, period_ids, rng, lines, results)
            pipeline.submit(partial(_write_batch, pae, lines, results, sheets, now))
            counts["activity_notes"] += len(lines)
            counts["ue_results"] += len(results)
            log(f"  notes : {offset + len(chunk)} / {len(regs)} inscriptions, {counts['activity_notes']} notes "
                "d'activité")
    return counts


def _write_batch(pae, lines, results, sheets, now) -> None:
    """One batch's PAE lines, the score sheets it is the first to need (``sheets``: only the writer touches it
    once the batches start), its notes and its UE results."""
    write_rows(PaeEntry, ["registration", "ue"], pae, now=now)
    missing = {(a, p) for a, p, *_ in lines} - set(sheets)
    created = ScoreSheet.objects.bulk_create([
        ScoreSheet(activity_id=a, period_id=p, status=SheetStatus.SUBMITTED, submitted_at=now)
        for a, p in sorted(missing)], batch_size=5000)
    sheets.update({(s.activity_id, s.period_id): s.pk for s in created})
    write_rows(ActivityNote, NOTE_FIELDS, [(sheets[(a, p)], sid, True, "", "", note, code, source, reason, now)
                                           for a, p, sid, note, code, source, reason in lines], now=now)
    write_rows(UEResult, RESULT_FIELDS, [(sid, ue_id, p, note, code, acq, credits, reasons, True, now, now)
                                         for sid, ue_id, p, note, code, acq, credits, reasons in results], now=now)


NOTE_FIELDS = ["sheet", "student", "may_sit", "excluded_reason", "excluded_article", "note", "code", "source",
               "carried_reason", "encoded_at"]
RESULT_FIELDS = ["student", "ue", "period", "note", "code", "acquired", "credits", "reasons", "complete", "computed_at",
                 "published_at"]


_CARRY: dict = {}
_RESULT: dict = {}


def _carry(bloc1: bool, from_period: int, note: Decimal) -> tuple[str, str]:
    """regulation.grades.carry_over, asked once per distinct (student kind, period, note): a pure rule."""
    key = (bloc1, from_period, note)
    if key not in _CARRY:
        decision = grades.carry_over(grades.CarryOverFacts(student="bloc1" if bloc1 else "poursuite",
                                                           from_period=from_period, note=note))
        _CARRY[key] = (decision.outcome, decision.reasons[-1].text[:300])
    return _CARRY[key]


_DECIDED: dict = {}


def _ue_result(ue, activities, notes: tuple) -> tuple[dict, list]:
    """regulation.grades.ue_result, asked once per distinct (UE, activity notes): a pure rule.

    The rule reads only the credits, and each activity's note, special code and weight (never a code), so two UEs
    of the same credits and weights with the same notes get the same decision: it is computed once for them all
    (``_DECIDED``, keyed on the exact notes as written — 2 and 2.0 are equal but print apart in the reasons)."""
    key = (ue.pk, notes)
    if key not in _RESULT:
        exact = (ue.credits, tuple((str(a.weight), None if n is None else str(n), c)
                                   for a, (n, c) in zip(activities, notes, strict=True)))
        if exact not in _DECIDED:
            decision = grades.ue_result(grades.UEFacts(code=ue.code, credits=ue.credits, activities=[
                _activity(a.weight, n, c) for a, (n, c) in zip(activities, notes, strict=True)]))
            _DECIDED[exact] = (decision.outcome, [r.to_dict() for r in decision.reasons])
        _RESULT[key] = _DECIDED[exact]
    return _RESULT[key]


_ACTIVITIES: dict = {}


def _activity(weight: Decimal, note: Decimal | None, code: str) -> grades.Activity:
    """The rule's facts for one activity note, validated once per distinct (weight, note, code) and shared (facts
    are frozen, and a validated Facts placed in a UEFacts is not checked again). Without the activity's code: the
    rule never reads it."""
    key = (str(weight), None if note is None else str(note), code)
    if key not in _ACTIVITIES:
        _ACTIVITIES[key] = grades.Activity(note=note, special=code or None, weight=weight)
    return _ACTIVITIES[key]


TEACHER, CARRIED = ActivityNote.Source.TEACHER, ActivityNote.Source.CARRIED
TWENTY = Decimal(20)


def _sit(ue, activities, student_id, bloc1, period_ids, rng, lines, results) -> None:
    """One student's evaluations of one UE, period after period until its credits are acquired (``period_ids``:
    the period's number → its key). The notes of a period are (note, code) in the order of ``activities``."""
    first = 1 if ue.quadrimestre == "1" else 2
    previous: tuple[tuple[Decimal | None, str], ...] = ()
    for number in range(first, 4):
        period = period_ids[number]
        current = []
        for i, a in enumerate(activities):
            if previous and previous[i][0] is not None:
                before = previous[i][0]
                outcome, text = _carry(bloc1, number - 1, before)
                if outcome == "reportee":
                    current.append((before, ""))
                    lines.append((a.pk, period, student_id, before, "", CARRIED, text))
                    continue
            note, code = random_note(rng)
            if number > first and note is not None:
                note = min(TWENTY, note + 2)  # a retake usually goes better
            current.append((note, code))
            lines.append((a.pk, period, student_id, note, code, TEACHER, ""))
        previous = tuple(current)
        out, reasons = _ue_result(ue, activities, previous)
        numeric = isinstance(out["note"], Decimal)
        results.append((student_id, ue.pk, period, out["note"] if numeric else None, "" if numeric else out["note"],
                        out["acquired"], out["credits"], reasons))
        if out["acquired"]:
            return
