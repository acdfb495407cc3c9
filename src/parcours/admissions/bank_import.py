"""Importing a bank statement (art. 24, 47-49): every credit line becomes a payment of the registration its
structured communication names (else the matricule it quotes), or waits in a list where the secretariat
assigns it to a student or sets it aside with a reason. One file is all-or-nothing."""

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext

from parcours.accounts import permissions
from parcours.accounts.models import Role
from parcours.admissions import banking, statements
from parcours.admissions.models import BankTransaction, Payment
from parcours.admissions.payments import create_payment
from parcours.admissions.services import AdmissionError
from parcours.audit.services import record
from parcours.dossiers.uploads import safe_display_name
from parcours.jobs import services as jobs
from parcours.notifications.services import bulk_mail
from parcours.regulation.explain import euros
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
        raise AdmissionError(gettext("Seul le secrétariat importe les extraits bancaires."))
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
        parsed.errors.append(gettext("Aucune ligne de crédit dans ce fichier."))
    if parsed.errors:
        report.errors = parsed.errors
        return report
    try:
        # The students' payment notices leave together, over one connection, once the whole file is committed.
        with transaction.atomic(), bulk_mail():
            _record_lines(actor, parsed, report)
    except IntegrityError:
        # Another import of the same lines committed meanwhile: nothing of this one was kept.
        return ImportReport(format=parsed.format, errors=[
            gettext("Ce relevé a été importé en même temps par quelqu'un d'autre : rien n'a été enregistré, "
                    "réessayez.")])
    report.saved = True
    return report


def _statement_path(name: str) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "releves" / name


def start_import(*, actor, uploaded) -> jobs.Job:
    """Keep the uploaded statement privately and queue its import; the starter follows it on the job's page.

    A statement of the start of the year holds thousands of credits, each a payment, an audit event and a notice:
    that is work for the worker, not for the request (issue 13 §5)."""
    if not can_import(actor):
        raise AdmissionError(gettext("Seul le secrétariat importe les extraits bancaires."))
    if uploaded.size == 0:
        raise AdmissionError(gettext("Le fichier est vide."))
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise AdmissionError(gettext("Le fichier dépasse la taille maximale de %(mb)d Mo.")
                             % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
    name = uuid.uuid4().hex
    path = _statement_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    label = gettext("Import de l'extrait bancaire « %(name)s »") % {"name": safe_display_name(uploaded.name)}
    return jobs.start(import_job, actor=actor, label=label, statement=name, actor_id=actor.pk)


# The report's headings, translated on the job's page (the job runs without a reader's language).
SECTIONS = (("errors", gettext_noop("Erreurs")), ("matched", gettext_noop("Rapprochés")),
            ("waiting", gettext_noop("En attente d'attribution")), ("duplicates", gettext_noop("Déjà importés")),
            ("ignored", gettext_noop("Ignorés (débits, totaux)")))


@jobs.job
def import_job(progress: jobs.Progress, *, statement: str, actor_id: int) -> dict:
    """The queued import: all-or-nothing as ever, its line-by-line report kept on the job for its starter.
    Idempotent: run again, every line already imported is reported as such (the bank reference is the key)."""
    from django.contrib.auth import get_user_model

    path = _statement_path(statement)
    if not path.exists():
        raise AdmissionError(gettext("Le fichier de cet import n'est plus disponible : importez-le à nouveau."))
    actor = get_user_model().objects.get(pk=actor_id)
    with translation.override(actor.language or "fr"):  # the line-by-line report too, in its reader's language
        report = import_statement(actor=actor, raw=path.read_bytes())
    path.unlink(missing_ok=True)  # the lines are in the database; the bank file itself is not kept
    total = len(report.matched) + len(report.waiting) + len(report.duplicates)
    progress(total, total)
    with translation.override(actor.language or "fr"):  # the summary in the language of who reads it
        if report.saved:
            matched, waiting, known = len(report.matched), len(report.waiting), len(report.duplicates)
            summary = " ".join([
                f"{report.format} :",
                ngettext("%(n)d paiement rapproché,", "%(n)d paiements rapprochés,", matched) % {"n": matched},
                ngettext("%(n)d ligne en attente d'attribution,", "%(n)d lignes en attente d'attribution,",
                         waiting) % {"n": waiting},
                ngettext("%(n)d déjà importée.", "%(n)d déjà importées.", known) % {"n": known}])
        else:
            summary = gettext("Fichier refusé : rien n'a été enregistré. Corrigez les lignes signalées puis "
                              "importez-le à nouveau.")
    return {"summary": summary, "ok": report.saved, "format": report.format,
            "sections": [{"title": title, "lines": getattr(report, key)} for key, title in SECTIONS
                         if getattr(report, key)],
            "link": {"url": reverse("admissions_import") + "#attente", "label": gettext_noop("Lignes en attente d'attribution")}}


def _record_lines(actor, parsed: statements.Statement, report: ImportReport) -> None:
    known = set(BankTransaction.objects.filter(reference__in=[ln.reference for ln in parsed.lines])
                .values_list("reference", flat=True))
    known |= set(Payment.objects.filter(reference__in=[ln.reference for ln in parsed.lines])
                 .values_list("reference", flat=True))
    for line in parsed.lines:
        where = statements._where(line.number, camt=parsed.format == "camt.053")
        if line.reference in known:
            report.duplicates.append(gettext("%(where)s : référence « %(reference)s » déjà importée")
                                     % {"where": where, "reference": line.reference})
            continue
        reg = _match(line)
        bank_line = BankTransaction(reference=line.reference, source=parsed.format, booked_on=line.booked_on,
                                    amount=line.amount, communication=line.communication,
                                    counterparty=line.counterparty, imported_by=actor)
        if reg is None:
            bank_line.status = BankTransaction.Status.WAITING
            bank_line.save()
            report.waiting.append(gettext("%(where)s : %(amount)s du %(date)s « %(communication)s » — aucune inscription "
                                          "reconnue, à attribuer")
                                  % {"where": where, "amount": euros(line.amount),
                                     "date": f"{line.booked_on:%d/%m/%Y}", "communication": line.communication})
            continue
        reg = Registration.objects.select_for_update().select_related("student__user").get(pk=reg.pk)
        bank_line.payment = create_payment(reg, actor=actor, amount=line.amount, paid_on=line.booked_on,
                                           method=Payment.Method.IMPORT, reference=line.reference)
        bank_line.status = BankTransaction.Status.MATCHED
        bank_line.save()
        report.matched.append(gettext("%(where)s : %(amount)s pour %(matricule)s (%(programme)s)")
                              % {"where": where, "amount": euros(line.amount), "matricule": reg.student.matricule,
                                 "programme": reg.programme.name})
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
        raise AdmissionError(gettext("Seul le secrétariat attribue les lignes d'extraits bancaires."))
    line = BankTransaction.objects.select_for_update().filter(pk=line_id).first()
    if line is None:
        raise AdmissionError(gettext("Ligne d'extrait inconnue."))
    if line.status != BankTransaction.Status.WAITING:
        raise AdmissionError(gettext("Cette ligne a déjà été traitée."))
    return line


@transaction.atomic
def assign_line(*, actor, line_id: int, matricule: str) -> Payment:
    """The secretariat recognises who paid: the line becomes a payment of that student's registration."""
    line = _lock_line(actor, line_id)
    student = Student.objects.filter(matricule=matricule.strip().upper()).first()
    if student is None:
        raise AdmissionError(gettext("Aucun étudiant de matricule « %(matricule)s ».") % {"matricule": matricule.strip()[:20]})
    reg = (Registration.objects.select_for_update().select_related("student__user", "programme")
           .filter(student=student, academic_year__label=settings.ACADEMIC_YEAR).first())
    if reg is None:
        raise AdmissionError(gettext("%(matricule)s n'a pas d'inscription en %(year)s.")
                             % {"matricule": student.matricule, "year": settings.ACADEMIC_YEAR})
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
        raise AdmissionError(gettext("Indiquez pourquoi cette ligne est écartée."))
    line.status = BankTransaction.Status.SET_ASIDE
    line.reason = reason.strip()[:1000]
    line.save()
    record(actor=actor, action="admissions.statement.set_aside", target=line,
           summary=f"Ligne {line.reference} ({line.amount} €) écartée : {line.reason}")
    return line
