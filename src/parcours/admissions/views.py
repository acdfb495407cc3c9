"""Admission, registration, payments and PAE screens: thin views over admissions.services."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from parcours.accounts import permissions
from parcours.admissions import bank_import, fraud, payments, programme, services
from parcours.admissions.forms import DecisionForm, PaymentForm, RequestForm
from parcours.admissions.models import AdmissionRequest, FraudCase, PaeProposal
from parcours.admissions.workflow import ProposalStatus, RequestStatus
from parcours.documents.pdf import render_pdf
from parcours.institutions.models import UE
from parcours.regulation.explain import RuleError
from parcours.regulation.params import load_year
from parcours.students.models import Registration
from parcours.web import formtoken
from parcours.web.clock import DateRefused, parse_day, today
from parcours.web.i18n import reasons_sentence
from parcours.web.safety import int_ids

PAGE_SIZE = 25


def _visible_requests(user):
    return AdmissionRequest.objects.filter(dossier__in=permissions.dossiers_visible_to(user))


def _request_or_404(user, pk) -> AdmissionRequest:
    req = get_object_or_404(AdmissionRequest.objects.select_related(
        "student__user", "programme", "academic_year", "dossier", "registration"), pk=pk)
    if not permissions.can_view_dossier(user, req.dossier):
        raise Http404
    return req


@login_required
def new_request(request):
    if not permissions.is_student(request.user):
        raise Http404
    if request.method == "POST" and (done := formtoken.replayed(request)):
        messages.info(request, gettext("Cette demande était déjà introduite : la voici."))
        return redirect(done)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.submit_request(actor=request.user, programme_id=data["programme"].pk, kind=data["kind"],
                                          bloc=data["bloc"], motivation=data["motivation"],
                                          other_registrations=data["other_registrations"],
                                          foreign_secondary=data["foreign_secondary"],
                                          previous_fwb_institution=data["previous_fwb_institution"],
                                          non_resident=data["non_resident"], non_eu_present=data["non_eu_present"],
                                          diploma_year=data["diploma_year"])
        except services.AdmissionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, gettext("Demande introduite : un accusé de réception vous a été envoyé par e-mail."))
            formtoken.remember(request, reverse("request_detail", args=[req.pk]))
            return redirect("request_detail", pk=req.pk)
    return render(request, "admissions/new_request.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def request_detail(request, pk, forms=None):
    req = _request_or_404(request.user, pk)
    if req.decided_on and req.acknowledged_at is None and req.student.user_id == request.user.pk:
        services.acknowledge_decision(actor=request.user, request_id=req.pk)
        req.refresh_from_db()
    reg = req.registration
    can_decide = permissions.can_review_dossier(request.user, req.dossier)
    can_grant = permissions.can_act_for_student(request.user, req.student, payments.GRANT_ROLES)
    context = {"req": req, "reg": reg, "can_decide": can_decide, "today": today(), "can_grant": can_grant,
               "grant_choices": req.student.Grant.choices,
               "slots": req.dossier.slots.all(), "forms": forms or {}}
    if req.status in (RequestStatus.SUBMITTED, RequestStatus.FINAL) and can_decide:
        context["preview"] = services.recevability_preview(req)
    if req.status == RequestStatus.FINAL:
        from parcours.regulation import registration as rules

        context["silence"] = rules.silence(rules.SilenceFacts(year=req.academic_year.label, final_request_filed=True,
                                                              today=today()))
    if reg is not None:
        try:
            context["fees"] = payments.payment_status(reg)
        except services.AdmissionError as exc:
            context["fees_error"] = str(exc)
        context["payments"] = reg.payments.all()
        context["proposal"] = reg.pae_proposals.exclude(status=ProposalStatus.WITHDRAWN).prefetch_related("ues").first()
        if can_decide:
            context["programme_ues"] = UE.objects.filter(programme=reg.programme).order_by("bloc", "code")
    options = services.decision_options(request.user, req)
    context["options"] = options
    context["closed_options"] = [why for why in options.values() if why]
    context.setdefault("decision_form", (forms or {}).get("decision") or DecisionForm(options=options))
    context.setdefault("payment_form", (forms or {}).get("payment") or PaymentForm(initial={"paid_on": today()}))
    return render(request, "admissions/request_detail.html", context, status=400 if forms else 200)


@login_required
@require_POST
def decide(request, pk):
    """Two steps: the decision with its consequences and the letter as the student will read it, then confirmed."""
    req = _request_or_404(request.user, pk)
    options = services.decision_options(request.user, req)
    form = DecisionForm(request.POST, options=options)
    if not form.is_valid():
        return request_detail(request, pk, forms={"decision": form})
    data = form.cleaned_data
    grounds = {g: data[g] for g in DecisionForm.GROUNDS}
    if request.POST.get("confirm") != "1":
        params = ({"access_conditions_met": data["access_conditions_met"]} if data["action"] == "irrecevable" else
                  {"motivation": data["motivation"], **(grounds if data["action"] == "refuser" else {})})
        try:
            letter = services.letter_preview(actor=request.user, request_id=req.pk, action=data["action"], **params)
        except (services.AdmissionError, RuleError) as exc:  # what the confirmation would refuse: said now, nothing recorded
            form.add_error(None, str(exc))
            return request_detail(request, pk, forms={"decision": form})
        letter_html = render_to_string("documents/decision_letter.html", letter)
        # The letter's body, as rendered (and escaped) by its own template, shown inside the page.
        body = letter_html.split("<body>", 1)[-1].rsplit("</body>", 1)[0]
        return render(request, "admissions/confirm_decision.html", {
            "req": req, "form": form, "title": letter["title"], "consequences": services.CONSEQUENCES[data["action"]],
            "letter_html": mark_safe(body), "data": data})  # noqa: S308 — our own escaped template output
    try:
        if data["action"] == "accepter":
            services.accept(actor=request.user, request_id=req.pk, motivation=data["motivation"])
        elif data["action"] == "irrecevable":
            services.declare_irrecevable(actor=request.user, request_id=req.pk,
                                         access_conditions_met=data["access_conditions_met"])
        else:
            services.refuse(actor=request.user, request_id=req.pk, motivation=data["motivation"], **grounds)
    except services.AdmissionError as exc:
        form.add_error(None, str(exc))
        return request_detail(request, pk, forms={"decision": form})
    messages.success(request, gettext("Décision enregistrée et notifiée à l'étudiant, avec ses motifs et ses voies de recours."))
    return redirect("request_detail", pk=req.pk)


@login_required
@require_POST
def add_payment(request, pk):
    req = _request_or_404(request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid() and req.registration:
        try:
            payments.record_payment(actor=request.user, registration_id=req.registration.pk, **form.cleaned_data)
        except services.AdmissionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, gettext("Paiement enregistré."))
            return redirect("request_detail", pk=req.pk)
    return request_detail(request, pk, forms={"payment": form})


@login_required
@require_POST
def propose(request, pk):
    req = _request_or_404(request.user, pk)
    if req.registration is None:
        raise Http404
    try:
        proposal = programme.propose_pae(actor=request.user, registration_id=req.registration.pk,
                                        ue_ids=int_ids(request.POST.getlist("ues")),
                                        derogation=request.POST.get("derogation", ""),
                                        jury_agreement=request.POST.get("jury_agreement") == "on")
    except services.AdmissionError as exc:
        messages.error(request, str(exc))
    else:
        if proposal.verification["outcome"]["admissible"]:
            messages.success(request, gettext("Programme proposé à l'étudiant."))
        else:
            messages.error(request, gettext("Programme non admissible : voir les règles enfreintes ci-dessous."))
    return redirect("request_detail", pk=req.pk)


@login_required
@require_POST
def validate(request, pk):
    proposal = get_object_or_404(PaeProposal.objects.select_related("registration"), pk=pk)
    req = AdmissionRequest.objects.filter(registration=proposal.registration).first()
    if req is None or not permissions.can_view_dossier(request.user, req.dossier):
        raise Http404
    try:
        programme.validate_pae(actor=request.user, proposal_id=proposal.pk)
    except services.AdmissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Programme annuel validé."))
    return redirect("request_detail", pk=req.pk)


@login_required
def letter(request, pk):
    req = _request_or_404(request.user, pk)
    try:
        name, pdf = services.decision_letter(req)
    except services.AdmissionError:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def withdraw(request, pk):
    req = _request_or_404(request.user, pk)
    if req.registration is None:
        raise Http404
    try:
        on = parse_day(request.POST.get("on"), "La date du document d'arrêt signé")
    except DateRefused as exc:
        messages.error(request, str(exc))
        return redirect("request_detail", pk=req.pk)
    try:
        decision = payments.withdraw(actor=request.user, registration_id=req.registration.pk, on=on)
    except services.AdmissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, reasons_sentence(decision.reasons, articles=False))
    return redirect("request_detail", pk=req.pk)


@login_required
@require_POST
def grant(request, pk):
    req = _request_or_404(request.user, pk)

    try:
        on = parse_day(request.POST.get("on"), "La date de la notification")
        if request.POST.get("action") == "modeste":
            refunded = payments.recognise_condition_modeste(actor=request.user, student_id=req.student.pk, on=on)
        else:
            refunded = payments.set_grant_status(actor=request.user, student_id=req.student.pk,
                                                 status=request.POST.get("status", ""), notified_on=on)
    except DateRefused as exc:
        messages.error(request, str(exc))
    except services.AdmissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Statut enregistré ; remboursement : %(amount)s €.") % {"amount": refunded})
    return redirect("request_detail", pk=req.pk)


@login_required
@require_POST
def programme_changes(request, pk):
    """Valorisation (art. 69-70) and allègement (art. 71-73) by the admission commission."""
    req = _request_or_404(request.user, pk)
    if req.registration is None:
        raise Http404

    try:
        if request.POST.get("action") == "valoriser":
            n = programme.valorise_credits(actor=request.user, registration_id=req.registration.pk,
                                          ue_ids=int_ids(request.POST.getlist("ues")),
                                          basis=request.POST.get("basis", ""), reason=request.POST.get("reason", ""))
            messages.success(request, gettext("%(n)s unité(s) d'enseignement valorisée(s).") % {"n": n})
        else:
            programme.grant_allegement(actor=request.user, registration_id=req.registration.pk,
                                      requested_on=parse_day(request.POST.get("requested_on"), "La date de la demande"),
                                      grave=request.POST.get("grave") == "on")
            messages.success(request, gettext("Allègement accordé ; les droits d'inscription suivent le programme au prorata."))
    except DateRefused as exc:
        messages.error(request, str(exc))
    except services.AdmissionError as exc:
        messages.error(request, str(exc))
    return redirect("request_detail", pk=req.pk)


@login_required
def fraud_cases(request):
    roles = permissions.roles_of(request.user)
    if not roles & {"college_direction", "direction_departement"}:
        raise Http404

    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "signaler":
                fraud.report_fraud(actor=request.user, student_id=int(request.POST["student"]),
                                      facts=request.POST.get("facts", ""), on=today())
            elif action == "convoquer":
                hearing = request.POST.get("hearing_on")
                fraud.convene_fraud_hearing(actor=request.user, case_id=int(request.POST["case"]),
                                               notified_on=parse_day(request.POST.get("notified_on"),
                                                                     "La date de notification des faits"),
                                               hearing_on=parse_day(hearing, "La date d'audition") if hearing else None,
                                               lives_abroad=request.POST.get("abroad") == "on")
            else:
                fraud.decide_fraud(actor=request.user, case_id=int(request.POST["case"]),
                                      proven=request.POST.get("proven") == "oui", on=today())
            messages.success(request, gettext("Enregistré."))
        except DateRefused as exc:
            messages.error(request, str(exc))
        except (KeyError, ValueError):
            messages.error(request, gettext("Données incomplètes : vérifiez l'étudiant, les dates et le dossier."))
        except services.AdmissionError as exc:
            messages.error(request, str(exc))
        return redirect("fraud_cases")
    visible = permissions.students_visible_to(request.user)
    cases = FraudCase.objects.filter(student__in=visible).select_related("student__user").order_by("-reported_on")
    return render(request, "admissions/fraud.html", {"cases": cases, "students": visible.select_related("user")[:500],
                                                     "is_college": "college_direction" in roles})


@login_required
def receipt(request, pk):
    reg = get_object_or_404(Registration.objects.select_related("student__user", "programme", "academic_year"), pk=pk)
    if not permissions.can_view_student(request.user, reg.student):
        raise Http404
    status = payments.payment_status(reg)
    pdf = render_pdf("documents/receipt.html", {"reg": reg, "payments": reg.payments.all(), "status": status,
                                                "issued_on": today(), "reference": f"REC-{reg.pk}-{today():%Y%m%d}"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recu-{reg.student.matricule}.pdf"'
    return response


def _staff_or_404(user):
    if not permissions.is_staff_member(user):
        raise Http404


@login_required
def queue(request):
    """Requests of the person's scope, by status, programme and bloc; every count complete ("Toutes" included)."""
    _staff_or_404(request.user)
    requests = _visible_requests(request.user).select_related("student__user", "programme")
    programmes = sorted(set(requests.values_list("programme_id", "programme__name")), key=lambda p: p[1])
    programme, bloc = request.GET.get("programme", ""), request.GET.get("bloc", "")
    if programme.isdigit():
        requests = requests.filter(programme_id=int(programme))
    if bloc.isdigit():
        requests = requests.filter(bloc=int(bloc))
    counts = dict(requests.values_list("status").annotate(n=Count("id")).order_by())
    status = request.GET.get("statut", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = Paginator(requests.order_by("final_request_on", "submitted_on", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    decide_by = load_year(settings.ACADEMIC_YEAR).deadlines.dates["registration_decision"].date
    filters = "&".join(f"{k}={v}" for k, v in (("programme", programme), ("bloc", bloc)) if v.isdigit())
    return render(request, "admissions/queue.html", {
        "page": page, "decide_by": decide_by, "today": today(), "status": status, "total": sum(counts.values()),
        "statuses": [(s, label, counts.get(s, 0)) for s, label in RequestStatus.choices],
        "programmes": programmes, "programme": programme, "bloc": bloc, "filters": filters,
        "can_import": bank_import.can_import(request.user)})


@login_required
def export(request):
    _staff_or_404(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demandes.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["matricule", "nom", "prénom", "programme", "nature", "statut", "introduite le", "demande finale le",
                     "décision le"])
    for r in _visible_requests(request.user).select_related("student__user", "programme").iterator():
        writer.writerow([r.student.matricule, r.student.user.last_name, r.student.user.first_name, r.programme.name,
                         r.get_kind_display(), r.get_status_display(), r.submitted_on, r.final_request_on or "",
                         r.decided_on or ""])
    return response
