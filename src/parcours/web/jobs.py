"""Long work of the web area, run in the background through the one task facade (``parcours.jobs.services``):
the daily pass, and the registration attestations of a whole scope. Also callable directly (commands, tests)."""

import datetime as dt
import io
import zipfile

from django.db import transaction

from parcours.admissions.payments import apply_payment_deadlines
from parcours.admissions.reminders import remind_documents
from parcours.documents.pdf import render_pdf
from parcours.dossiers.services import send_review_digests
from parcours.exchanges.services import mobility_reminders
from parcours.jobs import services as jobs
from parcours.notifications.services import bulk_mail
from parcours.web.clock import today


def run_daily(*, on: dt.date, chunk: int = 500, progress=None) -> dict[str, int]:
    """The daily pass. The reminders only add rows (audit events, notifications), so they lock nobody; the
    payment deadlines work in chunks and lock only the registrations they change."""
    with transaction.atomic(), bulk_mail():
        documents = remind_documents(on=on)
    with transaction.atomic(), bulk_mail():
        send_review_digests(on=on)  # one e-mail per dossier for the documents reviewed that day
    with transaction.atomic(), bulk_mail():
        mobility = mobility_reminders(on=on)
    counts = apply_payment_deadlines(on=on, chunk=chunk, progress=progress)
    return {"documents": documents, "mobilite": mobility, **counts}


@jobs.job
def daily(progress: jobs.Progress, *, on: str, chunk: int = 500) -> dict:
    counts = run_daily(on=dt.date.fromisoformat(on), chunk=chunk, progress=progress)
    return {**counts, "summary": (
        f"{counts['documents']} rappel(s) de documents, {counts['mobilite']} rappel(s) de mobilité, "
        f"{counts['rappels']} rappel(s) de paiement, {counts['annulees']} inscription(s) annulée(s), "
        f"{counts['suspendues']} accès suspendu(s).")}


@jobs.job
def attestations(progress: jobs.Progress, *, programme_ids: list[int] | None) -> dict:
    """Every regular registration's attestation (art. 52) in the given programmes (all when None), in one zip."""
    from django.conf import settings

    from parcours.students.models import Registration

    regs = (Registration.objects.filter(status=Registration.Status.REGULAR, academic_year__label=settings.ACADEMIC_YEAR)
            .select_related("student__user", "programme__department", "academic_year")
            .prefetch_related("pae__ue").order_by("programme__name", "student__matricule"))
    if programme_ids is not None:
        regs = regs.filter(programme_id__in=programme_ids)
    regs = list(regs)
    buffer = io.BytesIO()
    issued = today()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, reg in enumerate(regs, start=1):
            archive.writestr(f"attestation-{reg.student.matricule}.pdf", attestation_pdf(reg, issued))
            progress(n, len(regs))
    progress.attach("attestations.zip", buffer.getvalue())
    return {"summary": f"{len(regs)} attestation(s) d'inscription.", "count": len(regs)}


def attestation_pdf(registration, issued_on: dt.date) -> bytes:
    """The registration attestation (art. 52): one PDF, for the page and for the bulk job."""
    pae_credits = sum(e.ue.credits for e in registration.pae.all())
    return render_pdf("documents/attestation_inscription.html", {
        "registration": registration, "student": registration.student, "pae_credits": pae_credits,
        "issued_on": issued_on, "reference": f"ATT-{registration.academic_year.label}-{registration.pk}"})
