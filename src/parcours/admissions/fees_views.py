"""The student's fees page (how to pay: account, structured communication, QR) and the secretariat's bank
import with its list of lines waiting to be assigned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.accounts import permissions
from parcours.admissions import bank_import, selectors
from parcours.admissions.forms import ImportForm
from parcours.admissions.services import AdmissionError
from parcours.jobs import services as jobs
from parcours.students import selectors as student_selectors

PAGE_SIZE = 25


@login_required
def my_fees(request):
    """Art. 24, 47-49: what is due, what is paid, what remains, by when, and how to pay it."""
    if not permissions.is_student(request.user):
        raise Http404
    reg = student_selectors.current_registration_for_page(request.user.student)
    summary = selectors.fees_summary(reg)
    return render(request, "admissions/fees.html", {
        "reg": reg, "summary": summary,
        "payments": reg.payments.all() if reg is not None else [],
    })


@login_required
def import_statement(request):
    """The upload starts the import on the worker; its line-by-line report is on the job's page."""
    if not bank_import.can_import(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = bank_import.start_import(actor=request.user, uploaded=form.cleaned_data["statement"])
            except AdmissionError as exc:
                form.add_error("statement", str(exc))
            else:
                messages.success(request, _("Import lancé : son rapport, ligne par ligne, s'affiche sur cette page."))
                return redirect(jobs.job_url(job))
        status = 400
    waiting = Paginator(bank_import.waiting_lines(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "admissions/import.html", {"form": form, "waiting": waiting}, status=status)


@login_required
@require_POST
def bank_line(request, pk):
    if not bank_import.can_import(request.user):
        raise Http404
    try:
        if request.POST.get("action") == "attribuer":
            payment = bank_import.assign_line(actor=request.user, line_id=pk, matricule=request.POST.get("matricule", ""))
            messages.success(request, _("Paiement de %(amount)s € attribué à %(who)s.") % {
                "amount": payment.amount, "who": payment.registration.student.matricule})
        else:
            bank_import.set_aside_line(actor=request.user, line_id=pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("Ligne écartée."))
    except AdmissionError as exc:
        messages.error(request, str(exc))
    return redirect("admissions_import")
