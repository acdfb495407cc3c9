"""Outgoing-mobility screens: thin views over exchanges.services."""

import csv
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from parcours.accounts import permissions
from parcours.documents.pdf import render_pdf
from parcours.exchanges import files, services
from parcours.exchanges.models import Call, Candidature, MobilityFile
from parcours.web import formtoken
from parcours.web.clock import DateRefused, parse_day, today
from parcours.web.safety import int_ids


@login_required
def calls(request):
    user = request.user
    if permissions.is_student(user):
        mine = {c.call_id: c for c in Candidature.objects.filter(student=user.student)}
        return render(request, "exchanges/student_calls.html", {
            "calls": [(call, mine.get(call.pk)) for call in services.open_calls_for(user.student)], "today": today()})
    visible = services.candidatures_visible_to(user)
    office_calls = [c for c in Call.objects.select_related("programme")
                    if permissions.can_act_on_programme(user, c.programme, permissions.READERS)
                    or c.candidatures.filter(pk__in=visible).exists()]
    if not office_calls and not permissions.is_staff_member(user) and not permissions.partner_institutions(
            user, {"coordinateur_ri"}):
        raise Http404
    return render(request, "exchanges/office_calls.html", {"calls": office_calls})


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
        "is_committee": permissions.can_act_on_programme(request.user, call.programme, services.COMMITTEE)})


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
                                       other_community_language=request.POST.get("other_language") == "on")
    except services.MobilityError as exc:
        messages.error(request, str(exc))
        return redirect("mobility_calls")
    except IntegrityError:  # a double click: the unique (call, student) kept the first one, show it
        c = get_object_or_404(Candidature, call=call, student__user=request.user)
        messages.info(request, "Votre candidature pour cet appel était déjà enregistrée.")
    formtoken.remember(request, reverse("candidature_detail", args=[c.pk]))
    return redirect("candidature_detail", pk=c.pk)


def _candidature_or_404(user, pk) -> Candidature:
    c = get_object_or_404(Candidature.objects.select_related("call__programme", "student__user", "dossier"), pk=pk)
    if not services.candidatures_visible_to(user).filter(pk=c.pk).exists():
        raise Http404
    return c


@login_required
def candidature_detail(request, pk):
    c = _candidature_or_404(request.user, pk)
    check = services.completeness(c, today())
    return render(request, "exchanges/candidature.html", {
        "c": c, "check": check, "eligibility": services.eligibility(c), "today": today(),
        "days_left": (check.outcome["deadline"] - today()).days,
        "is_owner": c.student.user_id == request.user.pk,
        "is_committee": permissions.can_act_on_programme(request.user, c.call.programme, services.COMMITTEE),
        "partner_ids": permissions.partner_institutions(request.user, {"coordinateur_ri"}),
        "choices": c.choices.select_related("destination__host")})


@login_required
@require_POST
def candidature_action(request, pk):
    c = _candidature_or_404(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "soumettre":
            services.submit(actor=request.user, candidature_id=c.pk, letter_signed=request.POST.get("letter_signed") == "on")
            messages.success(request, "Candidature soumise à HENALLUX et à HERS ; un accusé de réception vous est envoyé.")
        elif action == "exception":
            services.open_exception(actor=request.user, candidature_id=c.pk, reason=request.POST.get("reason", ""))
            messages.success(request, "Exception au délai enregistrée.")
        elif action == "reception":
            services.record_reception(actor=request.user, candidature_id=c.pk,
                                      institution_id=int(request.POST.get("institution", 0)))
            messages.success(request, "Réception enregistrée.")
        elif action == "evaluer":
            services.review(actor=request.user, candidature_id=c.pk, score=int(request.POST.get("score", -1)),
                            comment=request.POST.get("comment", ""))
            messages.success(request, "Évaluation enregistrée.")
        elif action == "decider":
            dest = request.POST.get("destination")
            inst = request.POST.get("managing_institution")
            services.decide(actor=request.user, candidature_id=c.pk, status=request.POST.get("status", ""),
                            reason=request.POST.get("reason", ""), destination_id=int(dest) if dest else None,
                            managing_institution_id=int(inst) if inst else None)
            messages.success(request, "Décision enregistrée et notifiée à l'étudiant.")
        else:
            raise Http404
    except ValueError:
        messages.error(request, "Valeur invalide.")
    except services.MobilityError as exc:
        messages.error(request, str(exc))
    return redirect("candidature_detail", pk=c.pk)


def _file_or_404(user, pk):
    f = get_object_or_404(MobilityFile.objects.select_related("candidature__call__programme", "candidature__student__user",
                                                              "candidature__destination__host",
                                                              "candidature__managing_institution"), pk=pk)
    _candidature_or_404(user, f.candidature_id)
    return f


@login_required
def file_detail(request, pk):
    f = _file_or_404(request.user, pk)
    la = f.agreements.prefetch_related("lines").first()
    c = f.candidature
    return render(request, "exchanges/file.html", {
        "f": f, "c": c, "la": la, "is_owner": c.student.user_id == request.user.pk,
        "is_office": permissions.can_act_on_programme(request.user, c.call.programme, services.OFFICE)
        or c.managing_institution_id in permissions.partner_institutions(request.user, {"coordinateur_ri"}),
        "home_ues": c.call.programme.ues.order_by("bloc", "code"), "today": today()})


@login_required
@require_POST
def file_action(request, pk):
    f = _file_or_404(request.user, pk)
    action, post = request.POST.get("action"), request.POST

    def day(name):
        return parse_day(post.get(name)) if post.get(name) else None

    try:
        if action == "enquete":
            files.request_social_inquiry(actor=request.user, file_id=f.pk, on=today())
        elif action == "contrat":
            files.sign_grant_contract(actor=request.user, file_id=f.pk, on=day("on") or today())
        elif action == "convention":
            host = []
            for line in post.get("host_lines", "").splitlines():
                parts = [p.strip() for p in line.split(";")]
                if len(parts) == 4:
                    host.append((parts[0], parts[1], int(parts[2]), int(parts[3])))
                    if not 0 < host[-1][2] <= 60:  # an UE weighs 1 to 60 ECTS; a negative or huge one is a typo
                        raise services.MobilityError(f"Ligne « {line[:80]} » : les ECTS vont de 1 à 60.")
                    if len(parts[0]) > 40 or len(parts[1]) > 200:  # the columns of AgreementLine
                        raise services.MobilityError(f"Ligne « {line[:80]} » : code de 40 et intitulé de 200 "
                                                     "caractères au plus.")
            if len(post.get("reason", "")) > 200:
                raise services.MobilityError("Le motif du changement tient en 200 caractères au plus.")
            files.propose_agreement(actor=request.user, file_id=f.pk,
                                    home_ue_ids=int_ids(post.getlist("home")),
                                    host_lines=host, reason=post.get("reason", ""))
        elif action == "signer":
            files.sign_agreement(actor=request.user, agreement_id=int(post.get("agreement", 0)), party=post.get("party", ""))
        elif action == "sejour":
            check = files.record_stay(actor=request.user, file_id=f.pk, arrival=day("arrival"), departure=day("departure"))
            if check is not None and not check.outcome:
                messages.error(request, " ".join(r.text for r in check.reasons))
        elif action == "reconnaitre":
            files.recognise_credits(actor=request.user, file_id=f.pk)
        elif action == "rapport":
            files.submit_report(actor=request.user, file_id=f.pk, on=today())
        elif action == "cloturer":
            files.close(actor=request.user, file_id=f.pk)
        else:
            raise Http404
        messages.success(request, "Enregistré.")
    except DateRefused as exc:
        messages.error(request, str(exc))
    except (ValueError, TypeError):
        messages.error(request, "Valeur invalide : vérifiez les dates (AAAA-MM-JJ) et les lignes (code;intitulé;ECTS;quadrimestre).")
    except services.MobilityError as exc:
        messages.error(request, str(exc))
    return redirect("mobility_file", pk=f.pk)


@login_required
@require_POST
def open_file(request, pk):
    c = _candidature_or_404(request.user, pk)
    try:
        f = files.open_file(actor=request.user, candidature_id=c.pk, start=parse_day(request.POST.get("start"), "Le début"),
                            end=parse_day(request.POST.get("end"), "La fin"))
    except DateRefused as exc:
        messages.error(request, str(exc))
    except IntegrityError:  # opened twice (double click or two tabs): the file is one per candidature
        messages.info(request, "Le dossier de mobilité de cette candidature était déjà ouvert.")
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
        messages.success(request, f"Message envoyé à {n} candidat(s).")
    except services.MobilityError as exc:
        messages.error(request, str(exc))
    return redirect("call_detail", pk=call.pk)


@login_required
def document_pdf(request, pk, kind):
    if kind == "nomination":
        c = _candidature_or_404(request.user, pk)
        if c.nominated_on is None:
            raise Http404
        context, template, name = {"c": c, "today": today()}, "exchanges/pdf_nomination.html", f"nomination-{c.pk}.pdf"
    elif kind in ("convention", "contrat"):
        f = _file_or_404(request.user, pk)
        la = f.agreements.prefetch_related("lines").first()
        if kind == "convention" and la is None:
            raise Http404
        context = {"f": f, "c": f.candidature, "la": la, "today": today()}
        template = "exchanges/pdf_agreement.html" if kind == "convention" else "exchanges/pdf_contract.html"
        name = f"{kind}-{f.pk}.pdf"
    else:
        raise Http404
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
