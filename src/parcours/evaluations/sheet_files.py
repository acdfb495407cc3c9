"""A score sheet as a file: XLSX export, XLSX import (all or nothing, a report line per problem) and the PDF
for signature (the one PDF service). The import costs a constant number of queries, whatever its length."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from parcours.audit.services import record
from parcours.documents.pdf import render_pdf
from parcours.evaluations import permissions as perms
from parcours.evaluations import services
from parcours.evaluations.models import ActivityNote, ScoreSheet
from parcours.students.models import Student
from parcours.web.clock import today

HEADER = ["Matricule", "Nom", "Prénom", "Note", "Remarque"]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class ReportLine:
    row: int
    matricule: str
    message: str


def lines_of(sheet: ScoreSheet):
    return (ActivityNote.objects.filter(sheet=sheet).select_related("student__user")
            .order_by("student__user__last_name", "student__user__first_name", "student__matricule"))


def remark(line: ActivityNote) -> str:
    if not line.may_sit:
        return _("Non admis : {reason} ({article})").format(reason=_(line.excluded_reason), article=line.excluded_article)
    if line.source == ActivityNote.Source.CARRIED:
        return _("Note reportée (ne pas modifier)")
    if line.source in (ActivityNote.Source.ABSENCE, ActivityNote.Source.FRAUD):
        return _("Note spéciale décidée (ne pas modifier)")
    return ""


def export_xlsx(sheet: ScoreSheet) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Notes"
    ws.append(["Feuille de notes", f"{sheet.activity.code} — {sheet.activity.title}"])
    ws.append(["Période", str(sheet.period)])
    ws.append(["Notes de 0 à 20 (virgule ou point), ou PP (pas présenté), PR (note de présence) — art. 100"])
    ws.append([])
    ws.append(HEADER)
    for cell in ws[5]:
        cell.font = Font(bold=True)
    for line in lines_of(sheet):
        ws.append([line.student.matricule, line.student.user.last_name, line.student.user.first_name,
                   line.display, remark(line)])
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 18
    ws.column_dimensions["E"].width = 40
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class ImportRefused(services.EvaluationError):
    def __init__(self, report: list[ReportLine], message: str = ""):
        super().__init__(message or _("{n} ligne(s) en erreur : rien n'a été enregistré.").format(n=len(report)))
        self.report = report


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()  # a date typed in a note column: parse_note refuses it with a clear message
    return str(value).strip()


def read_rows(uploaded) -> list[tuple[int, str, str]]:
    """(row number, matricule, note text) for each filled line under the header."""
    if uploaded.size > MAX_BYTES:
        raise ImportRefused([], _("Le fichier dépasse 2 Mo."))
    try:
        wb = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        raise ImportRefused([], _("Le fichier n'est pas un classeur XLSX lisible.")) from None
    ws = wb.worksheets[0]
    rows = []
    header_row = None
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if i > MAX_ROWS:
            raise ImportRefused([], _("Le fichier dépasse {n} lignes.").format(n=MAX_ROWS))
        cells = list(row) + [None] * 4
        if header_row is None:
            if str(cells[0] or "").strip().lower() == "matricule":
                header_row = i
            continue
        matricule, note = _cell_text(cells[0]), _cell_text(cells[3])
        if matricule or note:
            rows.append((i, matricule, note))
    wb.close()
    if header_row is None:
        raise ImportRefused([], _("Colonne « Matricule » introuvable : utilisez le fichier exporté de la feuille."))
    return rows


@transaction.atomic
def import_xlsx(*, actor, sheet_id: int, uploaded) -> int:
    """Import the notes of a sheet from XLSX: every line checked, nothing saved when one is wrong (art. 100)."""
    rows = read_rows(uploaded)
    sheet = services._lock_sheet(sheet_id)
    if not perms.can_encode(actor, sheet):
        raise services.EvaluationError(_("Seuls les évaluateurs de cette activité encodent ses notes."))
    if sheet.is_locked:
        raise services.EvaluationError(_("La feuille est soumise : l'import n'est plus possible."))
    matricules = {m for _, m, _ in rows if m}
    students = dict(Student.objects.filter(matricule__in=matricules).values_list("matricule", "pk"))
    lines = {n.student_id: n for n in ActivityNote.objects.filter(sheet=sheet, student_id__in=students.values())}
    report, seen, entries, where = [], {}, [], []
    for row, matricule, text in rows:
        if not matricule:
            report.append(ReportLine(row, "", _("Matricule manquant.")))
            continue
        if matricule in seen:
            report.append(ReportLine(row, matricule, _("Ligne en double (déjà à la ligne {row}).").format(row=seen[matricule])))
            continue
        seen[matricule] = row
        sid = students.get(matricule)
        if sid is None:
            report.append(ReportLine(row, matricule, _("Matricule inconnu.")))
            continue
        if not text:
            continue  # an empty note leaves the line as it is
        entries.append((sid, text))
        where.append((row, matricule))
    changes, errors = services.validate_entries(sheet, entries, on=today(), lines=lines)
    at = {sid: place for place, (sid, _) in zip(where, entries, strict=True)}
    report.extend(ReportLine(*at[sid], message) for sid, message in errors)
    if report:
        raise ImportRefused(sorted(report, key=lambda r: r.row))
    n = services._save(sheet, changes, actor=actor, source=ActivityNote.Source.IMPORT, reason="Import XLSX")
    record(actor=actor, action="evaluations.sheet.imported", target=sheet, summary=f"Import XLSX : {n} note(s)")
    return n


def sheet_pdf(sheet: ScoreSheet) -> bytes:
    return render_pdf("evaluations/sheet_pdf.html", {
        "sheet": sheet, "lines": [(line, remark(line)) for line in lines_of(sheet)],
        "evaluators": sheet.evaluators.all(), "deadline": services.encoding_deadline(sheet), "issued_on": today()})
