"""Outgoing-mobility screens: thin views over exchanges.services."""

import csv
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from parcours.accounts import permissions
from parcours.exchanges import files, forms, selectors, services
from parcours.exchanges import permissions as exchange_permissions
from parcours.exchanges.models import LANGUAGES, Call, Candidature, MobilityFile
from parcours.web import formtoken
from parcours.web.clock import DateRefused, parse_day, today
from parcours.web.safety import int_ids


@login_required
def calls(request):
    user = request.user
    if permissions.is_student(user):
        mine = {c.call_id: c for c in Candidature.objects.filter(student=user.student)}
        return render(request, "exchanges/student_calls.html", {
            "calls": [(call, mine.get(call.pk)) for call in services.open_calls_for(user.student)
                      .prefetch_related("destinations__host")], "today": today(), "contacts": selectors.contacts()})
    visible = services.candidatures_visible_to(user)
    office_calls = [c for c in Call.objects.select_related("programme")
                    if permissions.can_act_on_programme(user, c.programme, permissions.READERS)
                    or c.candidatures.filter(pk__in=visible).exists()]
    if not office_calls and not permissions.is_staff_member(user) and not permissions.partner_institutions(
            user, {"coordinateur_ri"}):
        raise Http404
    return render(request, "exchanges/office_calls.html", {"calls": office_calls,
                                                            "can_open": bool(selectors.programmes_for_calls(user))})


@login_required
def call_new(request):
    """The international office opens a call: destinations with places and fact sheets, deadlines from the year."""
    programmes = selectors.programmes_for_calls(request.user)
    if not programmes:
        raise Http404
    form = forms.CallForm(request.POST or None, programmes=programmes)
    rows = forms.destination_rows(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (done := formtoken.replayed(request)):
        return redirect(done)
    if request.method == "POST" and form.is_valid():
        try:
            destinations = [r.cleaned for r in rows if r.cleaned]
            errors = [e for r in rows for e in r.errors]
            if errors:
                raise services.MobilityError(" ".join(errors))
            call = services.open_call(actor=request.user, destinations=destinations, **form.cleaned_data)
        except services.MobilityError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, gettext("Appel ouvert."))
            formtoken.remember(request, reverse("call_detail", args=[call.pk]))
            return redirect("call_detail", pk=call.pk)
    return render(request, "exchanges/call_new.html", {
        "form": form, "rows": rows, "hosts": selectors.hosts(), "kinds": selectors.kinds(),
        "deadlines": selectors.year_deadlines(),
        "languages": LANGUAGES, "levels": ["A1", "A2", "B1", "B2", "C1", "C2"]}, status=400 if request.method == "POST" else 200)


@login_required
def call_detail(request, pk):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk)
    visible = services.candidatures_visible_to(request.user).filter(call=call)
    if not visible.exists() and not permissions.can_act_on_programme(request.user, call.programme, permissions.READERS):
        raise Http404
    status = request.GET.get("statut", "")
    if status:
        visible = visible.filter(status=status)
    destination = request.GET.get("destination", "")
    if destination.isdigit():
        visible = visible.filter(choices__destination_id=int(destination)).distinct()
    return render(request, "exchanges/call_detail.html", {
        "call": call, "pipeline": services.pipeline(call), "status": status, "destination": destination,
        "candidatures": visible.select_related("student__user", "destination__host", "managing_institution")
        .prefetch_related("choices__destination__host", "receptions__institution"),
        "partner_ids": permissions.partner_institutions(request.user, {"coordinateur_ri"}),
        "is_committee": exchange_permissions.is_committee(request.user, call)})


@login_required
@require_POST
def apply(request, pk):
    call = get_object_or_404(Call, pk=pk)
    if done := formtoken.replayed(request):
        return redirect(done)
    try:
        c = services.start_candidature(actor=request.user, call_id=call.pk,
                                       destination_ids=int_ids(request.POST.getlist("destinations")),
                                       wants_grant=request.POST.get("wants_grant") == "on",
                                       fwb_boursier=request.POST.get("fwb_boursier") == "on",
                                       other_community_language=request.POST.get("other_language") == "on",
                                       bloc2_available=request.POST.get("bloc2_available") == "on")
    except services.MobilityError as exc:
        messages.error(request, str(exc))
        return redirect("mobility_calls")
    except IntegrityError:  # a double click: the unique (call, student) kept the first one, show it
        c = get_object_or_404(Candidature, call=call, student__user=request.user)
        messages.info(request, gettext("Votre candidature pour cet appel était déjà enregistrée."))
    formtoken.remember(request, reverse("candidature_detail", args=[c.pk]))
    return redirect("candidature_detail", pk=c.pk)


def candidature_or_404(user, pk) -> Candidature:
    c = get_object_or_404(Candidature.objects.select_related("call__programme", "student__user", "dossier"), pk=pk)
    if not services.candidatures_visible_to(user).filter(pk=c.pk).exists():
        raise Http404
    return c


@login_required
def candidature_detail(request, pk):
    c = candidature_or_404(request.user, pk)
    return render(request, "exchanges/candidature.html", selectors.candidature_page(request.user, c))


@login_required
@require_POST
def candidature_action(request, pk):
    c = candidature_or_404(request.user, pk)
    action, post = request.POST.get("action"), request.POST
    try:
        if action == "soumettre":
            services.submit(actor=request.user, candidature_id=c.pk, letter_signed=post.get("letter_signed") == "on",
                            sent_to=int_ids(post.getlist("sent_to")))
            messages.success(request, gettext("Candidature soumise ; un accusé de réception vous est envoyé."))
        elif action == "envoyee":
            services.declare_sent(actor=request.user, candidature_id=c.pk, institution_id=int(post.get("institution", 0)))
            messages.success(request, gettext("Envoi enregistré."))
        elif action == "exception":
            services.open_exception(actor=request.user, candidature_id=c.pk, reason=post.get("reason", ""))
            messages.success(request, gettext("Exception au délai enregistrée."))
        elif action == "reception":
            services.record_reception(actor=request.user, candidature_id=c.pk, institution_id=int(post.get("institution", 0)))
            messages.success(request, gettext("Réception enregistrée."))
        elif action == "evaluer":
            services.evaluate(actor=request.user, candidature_id=c.pk, score=post.get("score", ""),
                              comment=post.get("comment", ""))
            messages.success(request, gettext("Évaluation enregistrée."))
        elif action == "decider":
            dest, inst = post.get("destination", ""), post.get("managing_institution", "")
            services.decide(actor=request.user, candidature_id=c.pk, status=post.get("status", ""),
                            reason=post.get("reason", ""), destination_id=int(dest) if dest.isdigit() else None,
                            managing_institution_id=int(inst) if inst.isdigit() else None,
                            criteria=post.getlist("criteria"))
            messages.success(request, gettext("Décision enregistrée et notifiée à l'étudiant."))
        elif action == "autoriser":
            services.authorise(actor=request.user, candidature_id=c.pk, authorised=post.get("authorised") == "oui",
                               reason=post.get("reason", ""))
            messages.success(request, gettext("Décision du département enregistrée."))
        elif action == "verifier":
            files.verify_document(actor=request.user, slot_id=int(post.get("slot", 0)), accept=post.get("accept") == "oui",
                                  reason=post.get("reason", ""))
            messages.success(request, gettext("Document vérifié.") if post.get("accept") == "oui" else gettext("Document refusé."))
        else:
            raise Http404
    except ValueError:
        messages.error(request, gettext("Valeur invalide."))
    except services.MobilityError as exc:
        messages.error(request, str(exc))
    return redirect("candidature_detail", pk=c.pk)


@login_required
@require_POST
def open_file(request, pk):
    c = candidature_or_404(request.user, pk)
    try:
        f = files.open_file(actor=request.user, candidature_id=c.pk, start=parse_day(request.POST.get("start"), "Le début"),
                            end=parse_day(request.POST.get("end"), "La fin"))
    except DateRefused as exc:
        messages.error(request, str(exc))
    except IntegrityError:  # opened twice (double click or two tabs): the file is one per candidature
        messages.info(request, gettext("Le dossier de mobilité de cette candidature était déjà ouvert."))
        return redirect("mobility_file", pk=get_object_or_404(MobilityFile, candidature=c).pk)
    except services.MobilityError as exc:
        messages.error(request, str(exc))
    else:
        return redirect("mobility_file", pk=f.pk)
    return redirect("candidature_detail", pk=c.pk)


def _office_call_or_404(user, pk) -> Call:
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk)
    if not permissions.can_act_on_programme(user, call.programme, services.OFFICE | permissions.READERS):
        raise Http404
    return call


@login_required
def export(request, pk, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    call = _office_call_or_404(request.user, pk)
    rows = services.export_rows(call, services.candidatures_visible_to(request.user).filter(call=call))
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="candidatures-{call.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(services.EXPORT_COLUMNS)
        writer.writerows(rows)
        return response
    wb = Workbook()
    ws = wb.active
    ws.title = "Candidatures"
    ws.append(services.EXPORT_COLUMNS)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="candidatures-{call.pk}.xlsx"'
    return response


@login_required
@require_POST
def message(request, pk):
    call = _office_call_or_404(request.user, pk)
    try:
        n = services.message_selection(actor=request.user, call_id=call.pk,
                                       candidature_ids=int_ids(request.POST.getlist("candidatures")),
                                       subject=request.POST.get("subject", ""), body=request.POST.get("body", ""))
        messages.success(request, gettext("Message envoyé à %(n)s candidat(s).") % {"n": n})
    except services.MobilityError as exc:
        messages.error(request, str(exc))
    return redirect("call_detail", pk=call.pk)


