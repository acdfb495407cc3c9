"""Writes of the evaluation side: periods, who sits what (with carry-over), encoding, submission,
correction and UE results (RGE art. 79-102). Every decision comes from regulation.exams or regulation.grades;
every note change keeps who and why in the row history. Publication (art. 103) is ``evaluations.publication``,
session ouverte (art. 85) ``evaluations.session_ouverte``.

Interface used by the juries app (issue 10) — kept stable:
- ``compute_ue_results(period, *, ue_ids=None, student_ids=None)`` recomputes stored UE results;
- ``publication.publish_results(*, actor, period_id, student_ids=None, programme_id=None) -> int`` sets
  ``UEResult.published_at`` (students see nothing before) and tells the students.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from parcours.audit.services import record
from parcours.evaluations import permissions as perms
from parcours.evaluations.models import (
    ActivityNote,
    DepartmentPeriod,
    EvaluationPeriod,
    FraudDecision,
    RetakeChoice,
    ScoreSheet,
    SessionOuverte,
    UEResult,
)
from parcours.evaluations.workflow import SHEET_TRANSITIONS, SheetStatus, check
from parcours.institutions.models import AcademicYear, LearningActivity
from parcours.notifications.services import notify
from parcours.regulation import exams, grades
from parcours.regulation.explain import RuleError, fr_date
from parcours.regulation.params import load_year
from parcours.students.models import PaeEntry, Registration
from parcours.web import clock
from parcours.web.clock import today

LISTED = [Registration.Status.REGULAR, Registration.Status.REQUESTED]  # a requested registration is listed, not admitted


class EvaluationError(Exception):
    """A refused action, in French, for the person who asked."""


def explain(decision) -> str:
    return " ".join(f"{r.text} ({r.article})" for r in decision.reasons)


# --- periods ---------------------------------------------------------------------------------
def ensure_periods(year_label: str) -> list[EvaluationPeriod]:
    """The three evaluation periods of annexe 1 (art. 79) with their session-ouverte limits (art. 85)."""
    params = load_year(year_label)
    year = AcademicYear.objects.get(label=year_label)
    limits = {s.evaluation_period: s.until for s in params.calendar.session_ouverte}
    out = []
    for p in params.calendar.periods:
        if p.evaluation_period is None:
            continue
        period, _created = EvaluationPeriod.objects.update_or_create(
            academic_year=year, number=p.evaluation_period,
            defaults={"start": p.start, "end": p.end, "session_ouverte_until": limits[p.evaluation_period],
                      "article": p.article})
        out.append(period)
    return out


@transaction.atomic
def set_department_period(*, actor, period_id: int, department_id: int, encoding_deadline: dt.date,
                          retake_choice_opens: dt.date | None = None,
                          retake_choice_closes: dt.date | None = None) -> DepartmentPeriod:
    from parcours.institutions.models import Department

    period = EvaluationPeriod.objects.select_related("academic_year").get(pk=period_id)
    department = Department.objects.get(pk=department_id)
    if not any(perms.may_act(actor, p, perms.ORGANISERS) for p in department.programmes.all()):
        raise EvaluationError(_("Seul le secrétariat ou la direction du département fixe la date limite d'encodage."))
    year = period.academic_year
    for d in (encoding_deadline, retake_choice_opens, retake_choice_closes):
        if d is not None and not year.start <= d <= year.end:
            raise EvaluationError(_("La date du {date} n'est pas dans l'année académique {year}.").format(
                date=fr_date(d), year=year.label))
    if encoding_deadline < period.start:
        raise EvaluationError(_("La date limite d'encodage ne peut précéder le début de la période."))
    if (retake_choice_opens is None) != (retake_choice_closes is None) or (
            retake_choice_opens and retake_choice_opens > retake_choice_closes):
        raise EvaluationError(_("La fenêtre de choix des évaluations de la 3e période doit avoir un début et une fin, "
                              "dans cet ordre (art. 90)."))
    dp, _created = DepartmentPeriod.objects.update_or_create(period=period, department=department, defaults={
        "encoding_deadline": encoding_deadline, "retake_choice_opens": retake_choice_opens,
        "retake_choice_closes": retake_choice_closes})
    record(actor=actor, action="evaluations.period.deadline", target=dp,
           summary=f"{period} — {department.code} : encodage jusqu'au {fr_date(encoding_deadline)}")
    return dp


def encoding_deadline(sheet: ScoreSheet) -> dt.date:
    dp = DepartmentPeriod.objects.filter(period_id=sheet.period_id,
                                         department_id=sheet.activity.ue.programme.department_id).first()
    return dp.encoding_deadline if dp else sheet.period.end


# --- who sits what ---------------------------------------------------------------------------
def _ues_of_period(number: int) -> list[str]:
    """UEs whose teaching ends in the quadrimestre the period closes (art. 79, 89)."""
    return {1: ["1"], 2: ["2", "1-2"], 3: []}[number]


@transaction.atomic
def build_sheets(*, period: EvaluationPeriod, activities=None, on: dt.date | None = None) -> int:
    """Create or refresh the sheets of a period: every student of the PAE is listed, admitted or not with the
    reason (art. 88-90), and notes of the previous period carried over by regulation.grades (art. 98, 101, 102).
    Lines already encoded are kept. Returns the number of lines created."""
    on = on or today()
    year = period.academic_year
    qs = LearningActivity.objects.select_related("ue__programme")
    if activities is not None:
        qs = qs.filter(pk__in=[a.pk if hasattr(a, "pk") else a for a in activities])
    activities = list(qs)
    ue_ids = {a.ue_id for a in activities}
    pae = (PaeEntry.objects.filter(ue_id__in=ue_ids, registration__academic_year=year,
                                   registration__status__in=LISTED)
           .values_list("ue_id", "registration__student_id", "registration__status", "registration__access_suspended_on",
                        "registration__bloc", "registration__programme__cycle"))
    by_ue = defaultdict(list)
    for ue_id, student_id, status, suspended_on, bloc, cycle in pae:
        by_ue[ue_id].append((student_id, status, suspended_on, bloc == 1 and cycle == 1))
    previous = _previous_period(period)
    prev_results, prev_notes, choices = {}, {}, {}
    if previous is not None:
        prev_results = {(r.student_id, r.ue_id): r for r in UEResult.objects.filter(period=previous, ue_id__in=ue_ids)}
        prev_notes = {(n.student_id, n.sheet.activity_id): n for n in ActivityNote.objects.filter(
            sheet__period=previous, sheet__activity__in=activities).select_related("sheet")}
    choices = {(c.student_id, c.activity_id): c.kind for c in RetakeChoice.objects.filter(
        period=period, activity__in=activities)}
    window = {dp.department_id: dp for dp in DepartmentPeriod.objects.filter(period=period)}
    attempts, authorised = attempts_before(period, ue_ids)
    sheets = {s.activity_id: s for s in ScoreSheet.objects.filter(period=period, activity__in=activities)}
    existing = {(n.sheet_id, n.student_id): n for n in ActivityNote.objects.filter(sheet__in=sheets.values())}
    new_notes, refreshed = [], []
    for activity in activities:
        ue = activity.ue
        sheet = sheets.get(activity.pk)
        rows = []
        for student_id, status, suspended_on, bloc1 in by_ue.get(ue.pk, []):
            row = _line_for(period, activity, ue, student_id, status, suspended_on, bloc1, previous,
                            prev_results, prev_notes, choices, window.get(ue.programme.department_id))
            if row is not None and row.may_sit and row.source != ActivityNote.Source.CARRIED:
                _limit_attempts(row, attempts.get((student_id, ue.pk), 0), authorised.get((student_id, ue.pk)), year)
            if row is not None:
                rows.append(row)
        if not rows:
            continue
        if sheet is None:
            sheet = ScoreSheet.objects.create(activity=activity, period=period)
            sheet.evaluators.set(ue.teachers.all())
            sheets[activity.pk] = sheet
        for row in rows:
            current = existing.get((sheet.pk, row.student_id))
            if current is None:
                row.sheet = sheet
                new_notes.append(row)
            elif not current.is_encoded and (current.may_sit, current.excluded_article) != (row.may_sit,
                                                                                           row.excluded_article):
                # not yet encoded: the admission follows the registration (e.g. documents now complete, art. 88)
                current.may_sit, current.excluded_reason = row.may_sit, row.excluded_reason
                current.excluded_article = row.excluded_article
                refreshed.append(current)
    bulk_create_with_history(new_notes, ActivityNote, batch_size=2000, default_date=clock.now(),
                             default_change_reason="Inscrits à l'évaluation (art. 89)")
    if refreshed:
        ActivityNote.objects.bulk_update(refreshed, ["may_sit", "excluded_reason", "excluded_article"], batch_size=1000)
        ActivityNote.history.bulk_history_create(refreshed, update=True, default_date=clock.now(),
                                                 default_change_reason="Admission mise à jour (art. 88-90)")
    return len(new_notes)


def _previous_period(period: EvaluationPeriod) -> EvaluationPeriod | None:
    if period.number == 1:
        return None
    return EvaluationPeriod.objects.filter(academic_year=period.academic_year, number=period.number - 1).first()


def _line_for(period, activity, ue, student_id, status, suspended_on, bloc1, previous, prev_results, prev_notes,
              choices, dept_period) -> ActivityNote | None:
    """One student's line on the sheet of ``activity`` in ``period``, or None when they have nothing to sit."""
    carried = None
    if period.number > 1 and ue.quadrimestre not in _ues_of_period(period.number):
        result = prev_results.get((student_id, ue.pk))
        if result is None or result.acquired:
            return None  # nothing to retake: the UE was not evaluated before, or its credits are acquired
        before = prev_notes.get((student_id, activity.pk))
        carried = _carry(period, before, bloc1, choices.get((student_id, activity.pk)))
    elif period.number == 1 and ue.quadrimestre not in _ues_of_period(1):
        return None
    third = None
    if period.number == 3 and dept_period and dept_period.retake_choice_opens:
        third = choices.get((student_id, activity.pk)) in (RetakeChoice.Kind.REGISTER, RetakeChoice.Kind.RETAKE_PASSED)
        if carried is not None and carried.source == ActivityNote.Source.CARRIED:
            third = True  # a carried note needs no registration
    decision = exams.admission(exams.AdmissionFacts(
        registration_regular=status == Registration.Status.REGULAR,
        access_suspended=bool(suspended_on and suspended_on <= period.start), ue_in_pae=True,
        period=period.number, third_period_registered=third))
    line = carried or ActivityNote(student_id=student_id)
    line.student_id = student_id
    if not decision.outcome:
        _exclude(line, decision)
    return line


def attempts_before(period: EvaluationPeriod, ue_ids) -> tuple[dict, dict]:
    """Per (student, UE): the earlier periods of the year where the student presented the UE (a note, PR or FR on
    one of its activities; a carried note or an absence is not a presentation), and the art. 83 authorisations."""
    from parcours.evaluations.models import ExtraAttempt

    sat = (ActivityNote.objects.filter(sheet__period__academic_year_id=period.academic_year_id,
                                       sheet__period__number__lt=period.number, sheet__activity__ue_id__in=ue_ids,
                                       may_sit=True)
           .exclude(source=ActivityNote.Source.CARRIED)
           .filter(Q(note__isnull=False) | Q(code__in=PRESENT_CODES))
           .values_list("student_id", "sheet__activity__ue_id", "sheet__period_id").distinct())
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for student_id, ue_id, _period_id in sat:
        counts[(student_id, ue_id)] += 1
    authorised = {(a.student_id, a.ue_id): a.motivation
                  for a in ExtraAttempt.objects.filter(period=period, ue_id__in=ue_ids)}
    return counts, authorised


PRESENT_CODES = ("PR", "FR")  # art. 100: a presence note or a fraud: the student was there


def _limit_attempts(line: ActivityNote, count: int, motivation: str | None, year: AcademicYear) -> None:
    """Not admitted a third time in the year without the department director's authorisation (art. 83)."""
    decision = exams.attempt(exams.AttemptFacts(attempts_this_year=count, authorised=motivation is not None,
                                                motivation=motivation or "", year=year.label))
    if not decision.outcome:
        _exclude(line, decision)


def _exclude(line: ActivityNote, decision) -> None:
    """Listed, not admitted, with the reason and the article (art. 83, 88-90)."""
    line.may_sit = False
    line.excluded_reason = decision.reasons[-1].text[:250]
    line.excluded_article = decision.details["article"]
    line.note, line.code, line.source = None, "", ActivityNote.Source.TEACHER


def _carry(period, before: ActivityNote | None, bloc1: bool, choice: str | None) -> ActivityNote:
    """What the previous period's note becomes on the new sheet (regulation.grades.carry_over)."""
    line = ActivityNote()
    if before is None or before.note is None:
        # A special code or no note: the activity must be presented again (art. 100: the evaluation was incomplete).
        line.carried_reason = gettext_noop("Pas de note chiffrée à la période précédente : l'activité est à présenter "
                                           "(art. 100).")
        return line
    decision = grades.carry_over(grades.CarryOverFacts(
        student="bloc1" if bloc1 else "poursuite", from_period=period.number - 1, note=before.note,
        retake_requested=choice == RetakeChoice.Kind.RETAKE_PASSED, retake_waived=choice == RetakeChoice.Kind.WAIVE))
    line.carried_reason = explain(decision)[:300]
    if decision.outcome == "reportee":
        line.note, line.source = before.note, ActivityNote.Source.CARRIED
    elif decision.outcome == "remise_a_zero":
        line.source = ActivityNote.Source.RETAKE
    return line


# --- encoding --------------------------------------------------------------------------------
def _encoding_open(sheet: ScoreSheet, student_ids, on: dt.date) -> set[int]:
    """Students whose note may still be encoded today: the department's deadline, or their session ouverte (art. 85)."""
    deadline = encoding_deadline(sheet)
    extended = dict(SessionOuverte.objects.filter(period_id=sheet.period_id, student_id__in=student_ids)
                    .values_list("student_id", "until"))
    label = sheet.period.academic_year.label

    def allowed(until):
        return exams.encoding(exams.EncodingFacts(on=on, period=sheet.period.number, deadline=deadline,
                                                  session_ouverte_until=until, year=label)).outcome

    everyone = allowed(None)  # the department's deadline, the same for every student without a session ouverte
    ok = {sid for sid in student_ids if (allowed(extended[sid]) if sid in extended else everyone)}
    return ok


def _lock_sheet(sheet_id: int) -> ScoreSheet:
    sheet = ScoreSheet.objects.select_for_update().filter(pk=sheet_id).first()
    if sheet is None:
        raise EvaluationError(_("Feuille de notes inconnue."))
    return ScoreSheet.objects.select_related("activity__ue__programme", "period__academic_year").get(pk=sheet.pk)


def validate_entries(sheet: ScoreSheet, entries: list[tuple[int, str]], *, on: dt.date,
                     lines: dict[int, ActivityNote]
                     ) -> tuple[list[tuple[ActivityNote, Decimal | None, str]], list[tuple[int, str]]]:
    """Check (student_id, text) pairs against a sheet in a constant number of queries; return the changes and a
    (student_id, French message) per bad entry."""
    open_ids = _encoding_open(sheet, [sid for sid, _text in entries if sid in lines], on)
    deadline = None
    changes, errors = [], []
    for sid, text in entries:
        line = lines.get(sid)
        if line is None:
            errors.append((sid, "Étudiant absent de cette feuille (UE hors de son PAE, art. 89)."))
            continue
        if not line.may_sit:
            errors.append((sid, _("Non admis à l'évaluation : {reason} ({article}).").format(
                reason=_(line.excluded_reason), article=line.excluded_article)))
            continue
        if line.source in (ActivityNote.Source.CARRIED, ActivityNote.Source.ABSENCE, ActivityNote.Source.FRAUD) \
                and (line.note is not None or line.code):
            if text.strip().replace(".", ",") == line.display or text.strip().upper() == line.code:
                continue  # the same value sent back (a re-import of an exported sheet): harmless
            errors.append((sid, {
                "report": _("Note reportée d'une période précédente : elle ne s'encode pas (art. 101, 102)."),
                "absence": _("{code} résulte d'une décision sur l'absence (art. 91).").format(code=line.code),
                "fraude": _("FR résulte d'une décision de fraude (art. 110, 114).")}[line.source]))
            continue
        if sid not in open_ids:
            deadline = deadline or encoding_deadline(sheet)
            errors.append((sid, _("La date limite d'encodage ({date}) est dépassée (art. 80, 85).").format(
                date=fr_date(deadline))))
            continue
        try:
            note, code = exams.parse_note(text)
        except RuleError as exc:
            errors.append((sid, str(exc)))
            continue
        changes.append((line, note, code))
    return changes, errors


@transaction.atomic
def encode_notes(*, actor, sheet_id: int, entries: list[tuple[int, str]], source=ActivityNote.Source.TEACHER) -> int:
    """The evaluator writes notes (a cell, a pasted column): all saved or none, each change in the history."""
    sheet = _lock_sheet(sheet_id)
    if not perms.can_encode(actor, sheet):
        raise EvaluationError(_("Seuls les évaluateurs de cette activité encodent ses notes."))
    if sheet.is_locked:
        raise EvaluationError(_("La feuille est soumise : seul le secrétaire du jury peut encore corriger une note."))
    ids = [sid for sid, _text in entries]
    if len(set(ids)) != len(ids):
        raise EvaluationError(_("Un même étudiant apparaît deux fois."))
    lines = {n.student_id: n for n in ActivityNote.objects.filter(sheet=sheet, student_id__in=ids)}
    changes, errors = validate_entries(sheet, entries, on=today(), lines=lines)
    if errors:
        raise EvaluationError(" ".join(dict.fromkeys(m for _sid, m in errors)))
    return _save(sheet, changes, actor=actor, source=source, reason="Encodage de l'évaluateur")


def _save(sheet, changes, *, actor, source, reason) -> int:
    """Write the changed notes in a constant number of queries and one history row each (who and why)."""
    now = clock.now()
    changed = []
    for line, note, code in changes:
        if line.note == note and line.code == code:
            continue
        line.note, line.code, line.encoded_by, line.encoded_at = note, code, actor, now
        if line.source != ActivityNote.Source.RETAKE or note is not None or code:
            line.source = source
        changed.append(line)
    if not changed:
        return 0
    # The fields every changed line shares go in plain UPDATEs; only note and code differ line by line.
    for value in {line.source for line in changed}:
        ActivityNote.objects.filter(pk__in=[n.pk for n in changed if n.source == value]).update(
            source=value, encoded_by=actor, encoded_at=now)
    ActivityNote.objects.bulk_update(changed, ["note", "code"], batch_size=1000)
    ActivityNote.history.bulk_history_create(changed, update=True, default_user=actor, default_change_reason=reason,
                                             default_date=now)
    return len(changed)


def is_late(sheet: ScoreSheet, on: dt.date | None = None) -> bool:
    """Not submitted and past the department's encoding deadline (art. 80)."""
    return not sheet.is_locked and (on or today()) > encoding_deadline(sheet)


# A sheet left incomplete after the department's encoding deadline. The RGE does not say who completes it: art. 94
# lets the department director replace a teacher prevented from *examining*, art. 99 has the jury president designate
# co-evaluators (who encode within the same deadline) and assessors (who never encode), art. 100 fills a note still
# missing when the jury deliberates. The text being silent, the narrowest role is taken: the programme's jury
# secretary, who already alone corrects a submitted sheet (issue 9 §3), writes the notes the evaluator hands over,
# each with who and why in the history, and may then submit the sheet for the jury.
@transaction.atomic
def complete_late_sheet(*, actor, sheet_id: int, entries: list[tuple[int, str]], reason: str) -> int:
    """The jury secretary completes the missing notes of a late sheet, with a reason kept in the history."""
    sheet = _lock_sheet(sheet_id)
    if not perms.can_complete_late(actor, sheet):
        raise EvaluationError(_("Seul le secrétaire du jury complète une feuille en retard."))
    if sheet.is_locked:
        raise EvaluationError(_("La feuille est soumise : une note se corrige, avec un motif, par la correction."))
    deadline = encoding_deadline(sheet)
    if not is_late(sheet):
        raise EvaluationError(_("La date limite d'encodage ({date}) n'est pas passée : l'évaluateur encode "
                                "lui-même ses notes.").format(date=fr_date(deadline)))
    if not reason.strip():
        raise EvaluationError(_("Indiquez le motif : il est conservé dans l'historique de chaque note."))
    ids = [sid for sid, _text in entries]
    if len(set(ids)) != len(ids):
        raise EvaluationError(_("Un même étudiant apparaît deux fois."))
    lines = {n.student_id: n for n in ActivityNote.objects.filter(sheet=sheet, student_id__in=ids).select_related("student")}
    still_open = _encoding_open(sheet, list(lines), today())  # a session ouverte: the evaluator still encodes
    changes, errors = [], []
    for sid, text in entries:
        line = lines.get(sid)
        if line is None:
            errors.append(_("Étudiant absent de cette feuille."))
        elif not line.may_sit:
            errors.append(_("Non admis à l'évaluation : {reason} ({article}).").format(
                reason=line.excluded_reason, article=line.excluded_article))
        elif line.is_encoded:
            errors.append(_("{matricule} : la note est déjà encodée ; après soumission, elle se corrige avec un "
                            "motif.").format(matricule=line.student.matricule))
        elif sid in still_open:
            errors.append(_("{matricule} : session ouverte, l'évaluateur encode encore cette note (art. 85).").format(
                matricule=line.student.matricule))
        else:
            try:
                note, code = exams.parse_note(text, "jury_secretary")
            except RuleError as exc:
                errors.append(str(exc))
                continue
            changes.append((line, note, code))
    if errors:
        raise EvaluationError(" ".join(dict.fromkeys(str(e) for e in errors)))
    n = _save(sheet, changes, actor=actor, source=ActivityNote.Source.CORRECTION,
              reason=f"Feuille en retard complétée : {reason.strip()}"[:100])
    record(actor=actor, action="evaluations.sheet.completed_late", target=sheet, reason=reason.strip(),
           summary=f"{sheet} : {n} note(s) encodée(s) après la date limite du {fr_date(deadline)} ({reason.strip()})")
    # The evaluator answers for the sheet's notes (art. 99): told who wrote in their sheet, what and why (after commit).
    for user in perms.evaluators_of(sheet) - {actor}:
        notify(user=user, template="evaluation_sheet_completed", url=reverse("evaluation_sheet", args=[sheet.pk]),
               context={"sheet": sheet, "ue": sheet.activity.ue, "n": n, "reason": reason.strip(),
                        "deadline": deadline, "secretary": actor})
    return n


@transaction.atomic
def submit_sheet(*, actor, sheet_id: int) -> ScoreSheet:
    """The evaluator submits the complete sheet, which locks it; the UE results are computed (art. 100). A sheet
    late after the deadline may also be submitted by the jury secretary who completed it."""
    sheet = _lock_sheet(sheet_id)
    if not (perms.can_encode(actor, sheet) or (perms.can_complete_late(actor, sheet) and is_late(sheet))):
        raise EvaluationError(_("Seuls les évaluateurs de cette activité soumettent sa feuille."))
    if sheet.is_locked:
        return sheet  # a second click is harmless
    missing = sheet.notes.filter(may_sit=True, note__isnull=True, code="").count()
    if missing:
        raise EvaluationError(_("{n} étudiant(s) sans note ni note spéciale : complétez la feuille (PP pour un "
                                "étudiant non présenté) avant de la soumettre.").format(n=missing))
    if not check(SHEET_TRANSITIONS, sheet.status, SheetStatus.SUBMITTED):
        raise EvaluationError(_("Transition impossible."))
    sheet.status, sheet.submitted_at, sheet.submitted_by = SheetStatus.SUBMITTED, clock.now(), actor
    sheet._change_reason, sheet._history_user = "Soumission de la feuille", actor
    sheet.save()
    record(actor=actor, action="evaluations.sheet.submitted", target=sheet, summary=f"Feuille {sheet} soumise")
    compute_ue_results(sheet.period, ue_ids=[sheet.activity.ue_id])
    return sheet


DECIDED = {ActivityNote.Source.ABSENCE: gettext_lazy("{code} résulte d'une décision sur l'absence (art. 91) : elle ne "
                                                    "se corrige pas sur la feuille."),
           ActivityNote.Source.FRAUD: gettext_lazy("{code} résulte d'une décision de fraude (art. 110, 114) : elle ne se "
                                                  "corrige pas sur la feuille.")}


@transaction.atomic
def correct_note(*, actor, sheet_id: int, student_id: int, text: str, reason: str) -> ActivityNote:
    """After submission, the jury secretary corrects a note with a reason kept in the history (art. 100)."""
    sheet = _lock_sheet(sheet_id)
    if not perms.can_correct(actor, sheet):
        raise EvaluationError(_("Seul le secrétaire du jury corrige une note après la soumission."))
    if not reason.strip():
        raise EvaluationError(_("Indiquez le motif de la correction : il est conservé dans l'historique."))
    line = ActivityNote.objects.select_for_update().filter(sheet=sheet, student_id=student_id).first()
    if line is None:
        raise EvaluationError(_("Étudiant absent de cette feuille."))
    if line.source in DECIDED and line.code:
        # CM/ML/PP from an absence decision (art. 91), FR from a fraud decision (art. 110, 114): the decision is
        # what changes them, not a correction of the sheet.
        raise EvaluationError(str(DECIDED[line.source]).format(code=line.code))
    try:
        note, code = exams.parse_note(text, "jury_secretary")
    except RuleError as exc:
        raise EvaluationError(str(exc)) from None
    before = line.display or "—"
    line.note, line.code, line.source = note, code, ActivityNote.Source.CORRECTION
    line.encoded_by, line.encoded_at = actor, clock.now()
    line._change_reason, line._history_user = f"Correction : {reason.strip()}"[:100], actor
    line.save()
    record(actor=actor, action="evaluations.note.corrected", target=line,
           summary=f"{sheet} : {before} → {line.display or '—'} ({reason.strip()})", reason=reason.strip())
    compute_ue_results(sheet.period, ue_ids=[sheet.activity.ue_id], student_ids=[student_id])
    return line


def write_decided_code(*, actor, sheet: ScoreSheet, student_id: int, code: str, source: str, reason: str) -> None:
    """CM/ML/PP from an absence decision, FR from a fraud decision: written on the sheet even after submission."""
    line = ActivityNote.objects.select_for_update().filter(sheet=sheet, student_id=student_id).first()
    if line is None:
        raise EvaluationError(_("L'étudiant ne figure pas sur la feuille de cette évaluation."))
    exams.parse_note(code, "absence" if source == ActivityNote.Source.ABSENCE else "fraud")
    line.note, line.code, line.source = None, code, source
    line.encoded_by, line.encoded_at = actor, clock.now()
    line._change_reason, line._history_user = reason[:100], actor
    line.save()
    if sheet.is_locked:
        compute_ue_results(sheet.period, ue_ids=[sheet.activity.ue_id], student_ids=[student_id])


@transaction.atomic
def record_fraud(*, actor, sheet_id: int, student_id: int, reference: str, decided_on: dt.date) -> FraudDecision:
    """Until the exam-fraud procedure exists, the jury president records the decision: FR on the sheet (art. 110, 114)."""
    sheet = _lock_sheet(sheet_id)
    if not perms.may_act(actor, perms.programme_of(sheet), perms.PRESIDENT):
        raise EvaluationError(_("Seul le président du jury enregistre une décision de fraude."))
    if not reference.strip():
        raise EvaluationError(_("La référence de la décision est obligatoire."))
    year = sheet.period.academic_year
    if not year.start <= decided_on <= min(year.end, today()):
        raise EvaluationError(_("La date de la décision doit être passée et dans l'année académique."))
    fraud, _created = FraudDecision.objects.update_or_create(student_id=student_id, sheet=sheet, defaults={
        "reference": reference.strip()[:80], "decided_on": decided_on, "recorded_by": actor})
    write_decided_code(actor=actor, sheet=sheet, student_id=student_id, code="FR", source=ActivityNote.Source.FRAUD,
                       reason=f"Décision de fraude {reference.strip()} du {fr_date(decided_on)}")
    record(actor=actor, action="evaluations.fraud.recorded", target=fraud, summary=f"FR : {reference.strip()}")
    return fraud


# --- UE results ------------------------------------------------------------------------------
def compute_ue_results(period: EvaluationPeriod, *, ue_ids=None, student_ids=None) -> int:
    """Store each UE's note from regulation.grades.ue_result (weights, half-point rounding, special codes,
    art. 100) for the students on the period's sheets. Unpublished until ``publish_results``."""
    notes = ActivityNote.objects.filter(sheet__period=period, may_sit=True).select_related("sheet__activity")
    if ue_ids is not None:
        notes = notes.filter(sheet__activity__ue_id__in=ue_ids)
    if student_ids is not None:
        notes = notes.filter(student_id__in=student_ids)
    grouped: dict[tuple[int, int], list[ActivityNote]] = defaultdict(list)
    for n in notes:
        grouped[(n.student_id, n.sheet.activity.ue_id)].append(n)
    if not grouped:
        return 0
    from parcours.institutions.models import UE

    ues = {u.pk: u for u in UE.objects.filter(pk__in={k[1] for k in grouped}).prefetch_related("activities")}
    existing = {(r.student_id, r.ue_id): r for r in UEResult.objects.filter(
        period=period, ue_id__in=ues, student_id__in={k[0] for k in grouped})}
    create, update = [], []
    for (sid, ue_id), lines in grouped.items():
        ue = ues[ue_id]
        by_activity = {n.sheet.activity_id: n for n in lines}
        facts = [grades.Activity(code=a.code, note=by_activity[a.pk].note,
                                 special=by_activity[a.pk].code or None, weight=a.weight)
                 for a in ue.activities.all() if a.pk in by_activity]
        complete = all(n.is_encoded for n in lines) and len(facts) == len(ue.activities.all())
        result = existing.get((sid, ue_id)) or UEResult(student_id=sid, ue_id=ue_id, period=period)
        if complete:
            decision = grades.ue_result(grades.UEFacts(code=ue.code, credits=ue.credits, activities=facts))
            outcome = decision.outcome
            result.note = outcome["note"] if isinstance(outcome["note"], Decimal) else None
            result.code = "" if result.note is not None else str(outcome["note"])
            result.acquired, result.credits = outcome["acquired"], outcome["credits"]
            result.reasons = [r.to_dict() for r in decision.reasons]
        else:
            result.note, result.code, result.acquired, result.credits = None, "", False, 0
            result.reasons = [{"article": "Art. 100",
                               "text": gettext_noop("Toutes les notes d'activité ne sont pas encore encodées.")}]
        result.complete = complete
        (update if result.pk else create).append(result)
    if create:
        UEResult.objects.bulk_create(create, batch_size=1000)
    if update:
        bulk_update_with_history(update, UEResult, ["note", "code", "acquired", "credits", "reasons", "complete"],
                                 batch_size=1000, default_change_reason="Recalcul (art. 100)", default_date=clock.now())
    return len(create) + len(update)


