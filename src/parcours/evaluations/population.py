"""Evaluation data for an institution-sized population (called once by `generate_population`): every
regular registration of the year sits its PAE through the three periods — notes mostly passing, some
failing, a few special codes — with carry-over decided by regulation.grades and UE results computed by
regulation.grades.ue_result, all published. Bulk inserts, no row history (generated data)."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from parcours.evaluations import services
from parcours.evaluations.demo import DEADLINES, random_note
from parcours.evaluations.models import ActivityNote, DepartmentPeriod, ScoreSheet, UEResult
from parcours.evaluations.workflow import SheetStatus
from parcours.institutions.models import UE, AcademicYear, LearningActivity, Programme
from parcours.regulation import grades
from parcours.students.models import PaeEntry, Registration
from parcours.web import clock

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
        for bloc in (1, 2, 3):
            for i, (title, credits) in enumerate(TITLES):
                ue = UE.objects.create(programme=programme, code=f"P{programme.pk}-{bloc}{i + 1:02d}",
                                       title=f"{title} {bloc}", credits=credits, bloc=bloc,
                                       quadrimestre="1" if i % 2 == 0 else "2")
                LearningActivity.objects.bulk_create([
                    LearningActivity(ue=ue, code=f"{ue.code}-{j}", title=f"{ue.title} — partie {j}",
                                     weight=Decimal(j)) for j in (1, 2, 3)])


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
    rng = random.Random(seed)
    counts = {"activity_notes": 0, "ue_results": 0}
    now = clock.now()
    for offset in range(0, len(regs), BATCH):
        chunk = regs[offset:offset + BATCH]
        pae, lines, results = [], [], []
        for reg_id, student_id, programme_id, bloc, cycle in chunk:
            taken = ues.get((programme_id, bloc), [])
            if reg_id not in with_pae:
                pae += [PaeEntry(registration_id=reg_id, ue=ue) for ue, _ in taken]
            for ue, activities in taken:
                _sit(ue, activities, student_id, bloc == 1 and cycle == 1, periods, rng, lines, results)
        with transaction.atomic():
            PaeEntry.objects.bulk_create(pae, batch_size=5000)
            missing = {(a, p.pk) for a, p, *_ in lines} - set(sheets)
            created = ScoreSheet.objects.bulk_create([
                ScoreSheet(activity_id=a, period_id=p, status=SheetStatus.SUBMITTED, submitted_at=now)
                for a, p in sorted(missing)], batch_size=5000)
            sheets.update({(s.activity_id, s.period_id): s.pk for s in created})
            ActivityNote.objects.bulk_create([
                ActivityNote(sheet_id=sheets[(a, p.pk)], student_id=sid, note=note, code=code, source=source,
                             carried_reason=reason, encoded_at=now) for a, p, sid, note, code, source, reason in lines],
                batch_size=5000)
            UEResult.objects.bulk_create([
                UEResult(student_id=sid, ue_id=ue_id, period=p, note=note, code=code, acquired=acq, credits=credits,
                         reasons=reasons, complete=True, published_at=now) for sid, ue_id, p, note, code, acq, credits,
                reasons in results], batch_size=5000)
        counts["activity_notes"] += len(lines)
        counts["ue_results"] += len(results)
        log(f"  notes : {offset + len(chunk)} / {len(regs)} inscriptions, {counts['activity_notes']} notes d'activité")
    return counts


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


def _ue_result(ue, activities, current) -> tuple[dict, list]:
    """regulation.grades.ue_result, asked once per distinct (UE, activity notes): a pure rule."""
    key = (ue.pk, tuple(current[a.pk] for a in activities))
    if key not in _RESULT:
        decision = grades.ue_result(grades.UEFacts(code=ue.code, credits=ue.credits, activities=[
            grades.Activity(code=a.code, note=current[a.pk][0], special=current[a.pk][1] or None, weight=a.weight)
            for a in activities]))
        _RESULT[key] = (decision.outcome, [r.to_dict() for r in decision.reasons])
    return _RESULT[key]


def _sit(ue, activities, student_id, bloc1, periods, rng, lines, results) -> None:
    """One student's evaluations of one UE, period after period until its credits are acquired."""
    first = 1 if ue.quadrimestre == "1" else 2
    previous: dict[int, tuple[Decimal | None, str]] = {}
    for number in range(first, 4):
        period = periods[number]
        current = {}
        for a in activities:
            before = previous.get(a.pk)
            note, code, source, reason = None, "", ActivityNote.Source.TEACHER, ""
            if before is not None and before[0] is not None:
                outcome, text = _carry(bloc1, number - 1, before[0])
                if outcome == "reportee":
                    note, source, reason = before[0], ActivityNote.Source.CARRIED, text
            if source != ActivityNote.Source.CARRIED:
                note, code = random_note(rng)
                if number > first and note is not None:
                    note = min(Decimal(20), note + 2)  # a retake usually goes better
            current[a.pk] = (note, code)
            lines.append((a.pk, period, student_id, note, code, source, reason))
        out, reasons = _ue_result(ue, activities, current)
        numeric = isinstance(out["note"], Decimal)
        results.append((student_id, ue.pk, period, out["note"] if numeric else None, "" if numeric else out["note"],
                        out["acquired"], out["credits"], reasons))
        if out["acquired"]:
            return
        previous = current
