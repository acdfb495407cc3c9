"""Importing a bank statement (art. 24, 47-49): every credit line becomes a payment of the registration its
structured communication names (else the matricule it quotes), or waits in a list where the secretariat
assigns it to a student or sets it aside with a reason. One file is all-or-nothing."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from parcours.accounts import permissions
from parcours.accounts.models import Role
from parcours.admissions import banking, statements
from parcours.admissions.models import BankTransaction, Payment
from parcours.admissions.payments import create_payment
from parcours.admissions.services import AdmissionError
from parcours.audit.services import record
from parcours.students.models import Registration, Student
from parcours.web.clock import date_window

MATRICULE = re.compile(r"\b([A-Z]{1,2}\d{6,7})\b")
IMPORTERS = {Role.SECRETARIAT}


def can_import(user) -> bool:
    return bool(permissions.roles_of(user) & IMPORTERS)


@dataclass
class ImportReport:
    format: str = ""
    saved: bool = False
    matched: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _match(line: statements.BankLine) -> Registration | None:
    """The structured communication first, then a matricule quoted in the free communication."""
    reg = banking.registration_for(line.communication, Registration.objects.all())
    if reg is not None:
        return reg
    found = MATRICULE.search(line.communication.upper())
    if found:
        return (Registration.objects.filter(student__matricule=found.group(1),
                                            academic_year__label=settings.ACADEMIC_YEAR).first())
    return None


def import_statement(*, actor, raw: bytes) -> ImportReport:
    """Read, check and record a statement. Any bad line refuses the whole file and saves nothing."""
    if not can_import(actor):
        raise AdmissionError("Seul le secrétariat importe les extraits bancaires.")
    report = ImportReport()
    try:
        parsed = statements.parse(raw)
    except statements.StatementError as exc:
        report.errors.append(str(exc))
        return report
    # The one sane window of Parcours (web.clock): 1 January of the year before the academic year starts to
    # 31 December of the year after it ends. A fee is paid from the request (spring, art. 22) to the refunds after
    # a withdrawal; a booking date outside that span is a mistyped file or another year's statement, refused
    # whole like any bad line.
    first, last = date_window()
    statements.check_bounds(parsed, maximum=Decimal(settings.PARCOURS_PAYMENT_MAX), first=first, last=last)
    report.format, report.ignored = parsed.format, parsed.ignored
    if not parsed.lines and not parsed.errors:
        parsed.errors.append("Aucune ligne de crédit dans ce fichier.")
    if parsed.errors:
        report.errors = parsed.errors
        return report
    try:
        with transaction.atomic():
            _record_lines(actor, parsed, report)
    except IntegrityError:
        # Another import of the same lines committed meanwhile: nothing of this one was kept.
        return ImportReport(format=parsed.format, errors=[
            "Ce relevé a été importé en même temps par quelqu'un d'autre : rien n'a été enregistré, réessayez."])
    report.saved = True
    return report


def _record_lines(actor, parsed: statements.Statement, report: ImportReport) -> None:
    known = set(BankTransaction.objects.filter(reference__in=[ln.reference for ln in parsed.lines])
                .values_list("reference", flat=True))
    known |= set(Payment.objects.filter(reference__in=[ln.reference for ln in parsed.lines])
                 .values_list("reference", flat=True))
    for line in parsed.lines:
        where = f"ligne {line.number}" if parsed.format != "camt.053" else f"écriture {line.number}"
        if line.reference in known:
            report.duplicates.append(f"{where} : référence « {line.reference} » déjà importée")
            continue
        reg = _match(line)
        bank_line = BankTransaction(reference=line.reference, source=parsed.format, booked_on=line.booked_on,
                                    amount=line.amount, communication=line.communication,
                                    counterparty=line.counterparty, imported_by=actor)
        if reg is None:
            bank_line.status = BankTransaction.Status.WAITING
            bank_line.save()
            report.waiting.append(f"{where} : {line.amount} € du {line.booked_on:%d/%m/%Y} « {line.communication} » "
                                  "— aucune inscription reconnue, à attribuer")
            continue
        reg = Registration.objects.select_for_update().select_related("student__user").get(pk=reg.pk)
        bank_line.payment = create_payment(reg, actor=actor, amount=line.amount, paid_on=line.booked_on,
                                           method=Payment.Method.IMPORT, reference=line.reference)
        bank_line.status = BankTransaction.Status.MATCHED
        bank_line.save()
        report.matched.append(f"{where} : {line.amount} € pour {reg.student.matricule} ({reg.programme.name})")
    first = BankTransaction.objects.filter(reference__in=[ln.reference for ln in parsed.lines]).order_by("pk").first()
    if first is None:
        return
    record(actor=actor, action="admissions.statement.imported", target=first,
           summary=f"Extrait {parsed.format} : {len(report.matched)} rapprochée(s), {len(report.waiting)} en attente, "
                   f"{len(report.duplicates)} déjà importée(s)")


def waiting_lines():
    return BankTransaction.objects.filter(status=BankTransaction.Status.WAITING).order_by("booked_on", "id")


def _lock_line(actor, line_id: int) -> BankTransaction:
    if not can_import(actor):
        raise AdmissionError("Seul le secrétariat attribue les lignes d'extraits bancaires.")
    line = BankTransaction.objects.select_for_update().filter(pk=line_id).first()
    if line is None:
        raise AdmissionError("Ligne d'extrait inconnue.")
    if line.status != BankTransaction.Status.WAITING:
        raise AdmissionError("Cette ligne a déjà été traitée.")
    return line


@transaction.atomic
def assign_line(*, actor, line_id: int, matricule: str) -> Payment:
    """The secretariat recognises who paid: the line becomes a payment of that student's registration."""
    line = _lock_line(actor, line_id)
    student = Student.objects.filter(matricule=matricule.strip().upper()).first()
    if student is None:
        raise AdmissionError(f"Aucun étudiant de matricule « {matricule.strip()[:20]} ».")
    reg = (Registration.objects.select_for_update().select_related("student__user", "programme")
           .filter(student=student, academic_year__label=settings.ACADEMIC_YEAR).first())
    if reg is None:
        raise AdmissionError(f"{student.matricule} n'a pas d'inscription en {settings.ACADEMIC_YEAR}.")
    line.payment = create_payment(reg, actor=actor, amount=line.amount, paid_on=line.booked_on,
                                  method=Payment.Method.IMPORT, reference=line.reference)
    line.status = BankTransaction.Status.ASSIGNED
    line.save()
    return line.payment


@transaction.atomic
def set_aside_line(*, actor, line_id: int, reason: str) -> BankTransaction:
    """Not a student's fee (a gift, a wrong account…): kept out of the list, with the reason why."""
    line = _lock_line(actor, line_id)
    if not reason.strip():
        raise AdmissionError("Indiquez pourquoi cette ligne est écartée.")
    line.status = BankTransaction.Status.SET_ASIDE
    line.reason = reason.strip()[:1000]
    line.save()
    record(actor=actor, action="admissions.statement.set_aside", target=line,
           summary=f"Ligne {line.reference} ({line.amount} €) écartée : {line.reason}")
    return line
