"""Evaluation API (django-ninja): a sheet's lines, encoding notes, a student's published results —
the same services and permission checks as the pages."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from parcours.evaluations import permissions as perms
from parcours.evaluations import selectors, services, sheet_files
from parcours.evaluations.models import ActivityNote, ScoreSheet

router = Router(tags=["évaluations"])


class LineOut(Schema):
    student_id: int
    matricule: str
    name: str
    may_sit: bool
    note: Decimal | None
    code: str
    source: str
    remark: str


class SheetOut(Schema):
    id: int
    activity: str
    period: int
    status: str
    lines: list[LineOut]


class NotesIn(Schema):
    entries: list[tuple[int, str]]


class ActivityResultOut(Schema):
    code: str
    title: str
    note: Decimal | None
    special: str


class UEResultOut(Schema):
    period: int
    ue: str
    credits: int
    note: Decimal | None
    code: str
    acquired: bool
    activities: list[ActivityResultOut]


def _sheet(request, pk) -> ScoreSheet:
    sheet = get_object_or_404(ScoreSheet.objects.select_related("activity__ue__programme", "period"), pk=pk)
    if not perms.can_view_sheet(request.user, sheet):
        raise HttpError(404, "Feuille de notes inconnue.")
    return sheet


def _out(sheet) -> SheetOut:
    return SheetOut(id=sheet.pk, activity=sheet.activity.code, period=sheet.period.number, status=sheet.status, lines=[
        LineOut(student_id=n.student_id, matricule=n.student.matricule, name=n.student.user.get_full_name(),
                may_sit=n.may_sit, note=n.note, code=n.code, source=n.source, remark=sheet_files.remark(n))
        for n in sheet_files.lines_of(sheet)])


@router.get("/sheets/{pk}", response=SheetOut, summary="Une feuille de notes (évaluateurs et suivi du département)")
def sheet(request, pk: int):
    return _out(_sheet(request, pk))


@router.post("/sheets/{pk}/notes", response=SheetOut, summary="Encoder des notes (tout ou rien, art. 100)")
def encode(request, pk: int, payload: NotesIn):
    s = _sheet(request, pk)
    try:
        services.encode_notes(actor=request.user, sheet_id=s.pk, entries=payload.entries,
                              source=ActivityNote.Source.TEACHER)
    except services.EvaluationError as exc:
        raise HttpError(400, str(exc)) from None
    return _out(s)


@router.get("/results", response=list[UEResultOut], summary="Mes résultats publiés (art. 103)")
def results(request):
    student = getattr(request.user, "student", None)
    if student is None:
        raise HttpError(404, "Réservé aux étudiants.")
    return [UEResultOut(period=p.number, ue=r.ue_code, credits=r.credits, note=r.note, code=r.code, acquired=r.acquired,
                        activities=[ActivityResultOut(code=a.code, title=a.title, note=a.note, special=a.code_special)
                                    for a in r.activities])
            for p, rows in selectors.student_results(student) for r in rows]
