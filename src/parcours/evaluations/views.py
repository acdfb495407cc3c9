"""Evaluation screens for evaluators and staff: the score sheet grid, its files, progress, timetable.
Thin: check who asks, call one service, render."""

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.accounts import permissions
from parcours.evaluations import (
    attempts,
    choices,
    organisation,
    selectors,
    services,
    session_ouverte,
    sheet_files,
)
from parcours.evaluations import permissions as perms
from parcours.evaluations.models import (
    ActivityNote,
    Assessor,
    CalendarToken,
    Evaluation,
    EvaluationPeriod,
    RetakeChoice,
    ScoreSheet,
    UEResult,
)
from parcours.regulation import exams
from parcours.regulation.params import UnknownYear
from parcours.students.models import Student
from parcours.web.clock import parse_day, today


def _sheet_or_404(user, pk) -> ScoreSheet:
    sheet = get_object_or_404(ScoreSheet.objects.select_related("activity__ue__programme", "period__academic_year"),
                              pk=pk)
    if not perms.can_view_sheet(user, sheet):
        raise Http404
    return sheet


def _sheet_context(request, sheet, **extra):
    user = request.user
    can_encode = perms.can_encode(user, sheet) and not sheet.is_locked
    lines = list(sheet_files.lines_of(sheet))
    expected = [n for n in lines if n.may_sit]
    # After the deadline only a student in session ouverte may still get a note (art. 80, 85): the other cells are
    # not offered, rather than refused one by one when the teacher leaves them.
    open_ids = services._encoding_open(sheet, [n.student_id for n in lines], today()) if can_encode else set()
    closed = bool(can_encode and lines and not open_ids)
    return {"sheet": sheet, "lines": [(n, sheet_files.remark(n), _editable(n) and n.student_id in open_ids)
                                      for n in lines],
            "missing": [n for n in expected if not n.is_encoded],
            "can_encode": can_encode and not closed, "past_deadline": closed,
            "can_correct": sheet.is_locked and perms.can_correct(user, sheet),
            # A late, incomplete sheet: the jury secretary completes the missing notes and may submit it.
            "can_complete": (late := services.is_late(sheet)) and perms.can_complete_late(user, sheet),
            "late": late, "can_submit": can_encode or bool(late and perms.can_complete_late(user, sheet)),
            "can_announce": sheet.is_locked and perms.can_encode(user, sheet) and UEResult.objects.filter(
                period_id=sheet.period_id, ue_id=sheet.activity.ue_id, published_at__isnull=False).exists(),
            "can_fraud": perms.may_act(user, perms.programme_of(sheet), perms.PRESIDENT),
            "can_authorise_attempt": perms.can_authorise_attempt(user, sheet),
            "evaluators": sheet.evaluators.all(), "assessors": sheet.assessors.select_related("user", "student"),
            "assessor_origins": Assessor.Origin.choices,
            "encoded": sum(1 for n in expected if n.is_encoded), "expected": len(expected),
            "deadline": services.encoding_deadline(sheet), "today": today(),
            "history": ActivityNote.history.filter(sheet_id=sheet.pk).select_related("history_user", "student__user")
            .order_by("-history_date")[:30], **extra}


def _editable(line: ActivityNote) -> bool:
    if not line.may_sit:
        return False
    return not (line.source in (ActivityNote.Source.CARRIED, ActivityNote.Source.ABSENCE, ActivityNote.Source.FRAUD)
                and line.is_encoded)


@login_required
def sheet(request, pk):
    s = _sheet_or_404(request.user, pk)
    return render(request, "evaluations/sheet.html", _sheet_context(request, s))


@login_required
def sheet_attempt(request, pk, student_pk):
    """Art. 83: the department director authorises a further presentation, with a motivation."""
    s = _sheet_or_404(request.user, pk)
    if not perms.can_authorise_attempt(request.user, s):
        raise Http404
    line = get_object_or_404(ActivityNote.objects.select_related("student__user"), sheet=s, student_id=student_pk)
    if request.method == "POST":
        try:
            attempts.authorise_extra_attempt(actor=request.user, sheet_id=s.pk, student_id=line.student_id,
                                             motivation=request.POST.get("motivation", ""))
        except services.EvaluationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Présentation supplémentaire autorisée (art. 83) : l'étudiant est admis."))
            return redirect("evaluation_sheet", pk=s.pk)
    return render(request, "evaluations/attempt.html", {"sheet": s, "line": line,
                                                        "motivation": request.POST.get("motivation", "")})


@login_required
@require_POST
def sheet_save(request, pk):
    """Save as you go: JSON {"entries": [[student_id, "12,5"], …]} from the grid, or a plain form (no JS)."""
    s = _sheet_or_404(request.user, pk)
    is_json = request.content_type == "application/json"
    try:
        if is_json:
            data = json.loads(request.body or b"{}")
            entries = [(int(sid), str(text)[:20]) for sid, text in data.get("entries", [])]
        else:
            entries = [(int(k[5:]), v[:20]) for k, v in request.POST.items() if k.startswith("note_") and k[5:].isdigit()]
    except (ValueError, TypeError, AttributeError):
        if is_json:
            return JsonResponse({"ok": False, "error": _("Requête illisible.")}, status=400)
        messages.error(request, _("Requête illisible."))
        return redirect("evaluation_sheet", pk=s.pk)
    try:
        n = services.encode_notes(actor=request.user, sheet_id=s.pk, entries=entries)
    except services.EvaluationError as exc:
        if is_json:
            return JsonResponse({"ok": False, "error": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect("evaluation_sheet", pk=s.pk)
    if is_json:
        values = {n.student_id: n.display for n in ActivityNote.objects.filter(sheet=s, student_id__in=[e[0] for e in entries])}
        return JsonResponse({"ok": True, "saved": n, "values": values})
    messages.success(request, _("{n} note(s) enregistrée(s).").format(n=n))
    return redirect("evaluation_sheet", pk=s.pk)


@login_required
def sheet_export(request, pk):
    s = _sheet_or_404(request.user, pk)
    response = HttpResponse(sheet_files.export_xlsx(s),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="notes-{s.activity.code}-P{s.period.number}.xlsx"'
    return response


@login_required
def sheet_pdf(request, pk):
    s = _sheet_or_404(request.user, pk)
    response = HttpResponse(sheet_files.sheet_pdf(s), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="feuille-{s.activity.code}-P{s.period.number}.pdf"'
    return response


@login_required
@require_POST
def sheet_import(request, pk):
    s = _sheet_or_404(request.user, pk)
    uploaded = request.FILES.get("fichier")
    if uploaded is None:
        messages.error(request, _("Choisissez le fichier XLSX à importer."))
        return redirect("evaluation_sheet", pk=s.pk)
    try:
        n = sheet_files.import_xlsx(actor=request.user, sheet_id=s.pk, uploaded=uploaded)
    except sheet_files.ImportRefused as exc:
        return render(request, "evaluations/sheet.html", _sheet_context(request, s, report=exc.report,
                                                                         report_message=str(exc)), status=400)
    except services.EvaluationError as exc:
        messages.error(request, str(exc))
        return redirect("evaluation_sheet", pk=s.pk)
    messages.success(request, _("Import réussi : {n} note(s) enregistrée(s).").format(n=n))
    return redirect("evaluation_sheet", pk=s.pk)


@login_required
@require_POST
def sheet_action(request, pk):
    s = _sheet_or_404(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "submit":
            services.submit_sheet(actor=request.user, sheet_id=s.pk)
            messages.success(request, _("Feuille soumise : elle est verrouillée."))
        elif action == "correct":
            services.correct_note(actor=request.user, sheet_id=s.pk, student_id=_int(request.POST.get("student")),
                                  text=request.POST.get("note", ""), reason=request.POST.get("reason", ""))
            messages.success(request, _("Note corrigée ; le motif est conservé dans l'historique."))
        elif action == "complete":
            entries = [(int(k[5:]), v.strip()[:20]) for k, v in request.POST.items()
                       if k.startswith("note_") and k[5:].isdigit() and v.strip()]
            n = services.complete_late_sheet(actor=request.user, sheet_id=s.pk, entries=entries,
                                             reason=request.POST.get("reason", ""))
            messages.success(request, _("{n} note(s) encodée(s) ; le motif est conservé dans l'historique.").format(n=n))
        elif action == "fraud":
            services.record_fraud(actor=request.user, sheet_id=s.pk, student_id=_int(request.POST.get("student")),
                                  reference=request.POST.get("reference", ""),
                                  decided_on=_date(request.POST.get("decided_on")))
            messages.success(request, _("Décision de fraude enregistrée : FR sur la feuille."))
        elif action == "coevaluator":
            organisation.add_evaluator(actor=request.user, sheet_id=s.pk, email=request.POST.get("email", ""))
            messages.success(request, _("Co-évaluateur désigné (art. 99)."))
        elif action == "assessor":
            organisation.designate_assessor(actor=request.user, sheet_id=s.pk, email=request.POST.get("email", ""),
                                            origin=request.POST.get("origin", ""),
                                            student_id=_int(request.POST["student"]) if request.POST.get("student") else None,
                                            requested_on=_date(request.POST["requested_on"])
                                            if request.POST.get("requested_on") else None,
                                            motivation=request.POST.get("motivation", "")[:500])
            messages.success(request, _("Assesseur désigné (art. 99)."))
        elif action == "consultation":
            at = dt.datetime.combine(_date(request.POST.get("date")), _time(request.POST.get("time")) or dt.time(9))
            organisation.announce_consultation(actor=request.user, sheet_id=s.pk, at=at,
                                               place=request.POST.get("place", ""))
            messages.success(request, _("Consultation annoncée ; les étudiants sont prévenus."))
        else:
            raise services.EvaluationError(_("Action inconnue."))
    except services.EvaluationError as exc:
        messages.error(request, str(exc))
    return redirect("evaluation_sheet", pk=s.pk)


def _int(value, what: str = "") -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise services.EvaluationError(what or _("Étudiant inconnu.")) from None


def _date(value) -> dt.date:
    try:
        return parse_day(value)  # the one date parser: AAAA-MM-JJ inside the sane window of the year
    except ValueError as exc:
        raise services.EvaluationError(str(exc)) from None


def _time(value) -> dt.time | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise services.EvaluationError(_("Heure invalide (format HH:MM).")) from None


def _optional_date(value) -> dt.date | None:
    return _date(value) if value else None


def _period(request, *, started: bool = False) -> EvaluationPeriod:
    """The period asked for, else the coming one (to organise) or, with ``started``, the last one begun: after the
    January period ends its sheets are still being encoded and reminded, the June period has nothing yet."""
    periods = EvaluationPeriod.objects.select_related("academic_year").order_by("-academic_year__start", "number")
    wanted = request.GET.get("periode") or request.POST.get("periode")
    if wanted and wanted.isdigit():
        p = periods.filter(pk=int(wanted)).first()
        if p:
            return p
    now = today()
    coming = periods.filter(end__gte=now).order_by("academic_year__start", "number").first() or periods.first()
    if started and coming is not None:
        begun = (periods.filter(academic_year=coming.academic_year, start__lte=now).order_by("-number").first())
        return begun or coming
    return coming


def _scope(request, roles, *, started: bool = False):
    """The programmes the person follows through ``roles`` and the period asked for; 404 for anyone else."""
    programmes = perms.programmes_followed_by(request.user, roles)
    period = _period(request, started=started) if programmes.exists() else None
    if period is None:
        raise Http404
    return programmes, period


@login_required
def progress(request):
    programmes, period = _scope(request, perms.FOLLOWERS, started=True)
    if request.method == "POST":
        action = request.POST.get("action", "remind")
        try:
            if action == "publish":
                n = choices.publish_period(actor=request.user, period_id=period.pk)
                messages.success(request, _("{n} résultat(s) d'UE publiés ; les étudiants sont prévenus (art. 103).").format(
                    n=n))
            elif action == "session":
                student = Student.objects.filter(matricule=request.POST.get("matricule", "").strip()).first()
                if student is None:
                    raise services.EvaluationError(_("Matricule inconnu."))
                session_ouverte.open_session(actor=request.user, period_id=period.pk, student_id=student.pk,
                                      until=_date(request.POST.get("until")), reason=request.POST.get("reason", ""))
                messages.success(request, _("Session ouverte enregistrée (art. 85)."))
            else:
                organisers = perms.programmes_followed_by(request.user, perms.ORGANISERS)
                if not organisers.exists():
                    raise Http404
                n = organisation.remind_late(actor=request.user, period_id=period.pk, programmes=organisers)
                messages.success(request, _("Rappel envoyé à {n} évaluateur(s).").format(n=n) if n
                                 else _("Aucune feuille en retard."))
        except services.EvaluationError as exc:
            messages.error(request, str(exc))
        return redirect(f"{request.path}?periode={period.pk}")
    rows = selectors.progress(period, programmes)
    detail = None
    if period.number == 1:  # art. 103: only the January detail of first-year students has a fixed date
        try:
            detail = exams.results_detail_due(exams.ResultsDetailFacts(
                bloc1=True, period=1, period_end=period.end, year=period.academic_year.label))
        except UnknownYear:
            detail = None  # a past year kept for its results: its regulation is not loaded
    return render(request, "evaluations/progress.html", {
        "detail_due": detail and detail.outcome, "detail_reason": detail and detail.reasons[-1],
        "detail_days_left": detail and (detail.outcome - today()).days,
        "period": period, "periods": EvaluationPeriod.objects.filter(academic_year=period.academic_year),
        "rows": rows, "late": sum(1 for r in rows if r["late"]),
        "can_remind": perms.programmes_followed_by(request.user, perms.ORGANISERS).exists(),
        "can_complete": perms.programmes_followed_by(request.user, perms.JURY_SECRETARY).exists(),
        "is_president": perms.programmes_followed_by(request.user, perms.PRESIDENT).exists()})


@login_required
def timetable(request):
    programmes, period = _scope(request, perms.ORGANISERS)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "schedule":
                organisation.schedule(actor=request.user, activity_id=_int(request.POST.get("activity")),
                                      date=_date(request.POST.get("date")), start_time=_time(request.POST.get("time")),
                                      place=request.POST.get("place", ""), form=request.POST.get("form", ""))
            elif action == "move":
                organisation.change_date(actor=request.user, evaluation_id=_int(request.POST.get("evaluation")),
                                         date=_date(request.POST.get("date")), start_time=_time(request.POST.get("time")),
                                         place=request.POST.get("place", ""),
                                         force_majeure=request.POST.get("force_majeure") == "on",
                                         reason=request.POST.get("reason", ""))
            elif action == "prepare":
                n = choices.prepare_sheets(actor=request.user, period_id=period.pk)
                messages.success(request, _("Feuilles de notes établies : {n} ligne(s) ajoutée(s) (art. 88-90).").format(
                    n=n))
                return redirect(f"{request.path}?periode={period.pk}")
            elif action == "deadline":
                services.set_department_period(actor=request.user, period_id=period.pk,
                                               department_id=_int(request.POST.get("department")),
                                               encoding_deadline=_date(request.POST.get("deadline")),
                                               retake_choice_opens=_optional_date(request.POST.get("opens")),
                                               retake_choice_closes=_optional_date(request.POST.get("closes")))
            elif action == "publish":
                dp = organisation.publish_timetable(actor=request.user, period_id=period.pk,
                                                    department_id=_int(request.POST.get("department")))
                messages.success(request, _("Horaire publié le {date}.").format(
                    date=f"{dp.timetable_published_on:%d/%m/%Y}"))
            else:
                raise services.EvaluationError(_("Action inconnue."))
            if action != "publish":
                messages.success(request, _("Horaire enregistré."))
        except services.EvaluationError as exc:
            messages.error(request, str(exc))
        return redirect(f"{request.path}?periode={period.pk}")
    from parcours.evaluations.models import DepartmentPeriod
    from parcours.institutions.models import Department, LearningActivity

    evaluations = (Evaluation.objects.filter(period=period, activity__ue__programme__in=programmes)
                   .select_related("activity__ue__programme").order_by("date", "start_time"))
    return render(request, "evaluations/timetable.html", {
        "period": period, "periods": EvaluationPeriod.objects.filter(academic_year=period.academic_year),
        "evaluations": evaluations, "forms": Evaluation.Form.choices,
        "activities": LearningActivity.objects.filter(ue__programme__in=programmes).exclude(
            evaluations__period=period).select_related("ue").order_by("code")[:500],
        "department_periods": DepartmentPeriod.objects.filter(period=period, department__programmes__in=programmes)
        .select_related("department").distinct(),
        "departments": Department.objects.filter(programmes__in=programmes).distinct(),
        "is_direction": perms.programmes_followed_by(request.user, perms.DIRECTION).exists()})


@login_required
def index(request):
    """What each person has to do with evaluations: their sheets, timetable, absences, follow-up pages."""
    user = request.user
    student = getattr(user, "student", None)
    ctx = {"token": CalendarToken.for_user(user).token if (student or permissions.is_teacher(user)) else None}
    if student is not None:
        from parcours.evaluations.models import Absence

        ctx["evaluations"] = organisation.evaluations_of(user)
        encoded = {(n.sheet.activity_id, n.sheet.period_id) for n in ActivityNote.objects.filter(
            student=student).select_related("sheet") if n.is_encoded}
        ctx["declarable"] = {e.pk for e in ctx["evaluations"] if (e.activity_id, e.period_id) not in encoded
                             and exams.absence_proof(exams.ProofFacts(evaluation_date=e.date, on=today(), year=e.period.academic_year.label)).outcome}
        ctx["absences"] = {a.evaluation_id: a for a in Absence.objects.filter(student=student)}
        ctx["absence_kinds"] = Absence.Kind.choices
        ctx["has_results"] = bool(selectors.student_results(student))
        ctx["retakes"] = [(p, choices.retake_options(student, p), choices.window_open(student, p))
                          for p in EvaluationPeriod.objects.filter(number__gt=1, end__gte=today())]
        ctx["retake_kinds"] = dict(RetakeChoice.Kind.choices)
    if permissions.is_teacher(user) or ScoreSheet.objects.filter(evaluators=user).exists():
        ctx["sheets"] = selectors.sheets_of_evaluator(user)
        ctx["teacher_evaluations"] = organisation.evaluations_of(user) if student is None else []
    ctx["follows"] = perms.programmes_followed_by(user, perms.FOLLOWERS).exists()
    ctx["organises"] = perms.programmes_followed_by(user, perms.ORGANISERS).exists()
    ctx["absence_staff"] = perms.programmes_followed_by(user, perms.SECRETARIAT | perms.PRESIDENT).exists()
    if student is None and not ctx["follows"] and "sheets" not in ctx:
        raise Http404
    return render(request, "evaluations/index.html", ctx)


@login_required
@require_POST
def retake_choice(request):
    try:
        choices.choose(actor=request.user, period_id=_int(request.POST.get("period")),
                       activity_id=_int(request.POST.get("activity")), kind=request.POST.get("kind", ""))
        messages.success(request, _("Choix enregistré."))
    except services.EvaluationError as exc:
        messages.error(request, str(exc))
    return redirect("evaluations_index")
