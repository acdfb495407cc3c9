"""Outgoing-mobility screens: thin views over exchanges.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from parcours.accounts import permissions
from parcours.exchanges import services
from parcours.exchanges.models import Call, Candidature
from parcours.web.clock import today


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
    return render(request, "exchanges/call_detail.html", {
        "call": call, "pipeline": services.pipeline(call),
        "candidatures": visible.select_related("student__user", "destination__host", "managing_institution")
        .prefetch_related("choices__destination__host", "receptions__institution"),
        "partner_ids": permissions.partner_institutions(request.user, {"coordinateur_ri"}),
        "is_committee": permissions.can_act_on_programme(request.user, call.programme, services.COMMITTEE)})


@login_required
@require_POST
def apply(request, pk):
    call = get_object_or_404(Call, pk=pk)
    try:
        c = services.start_candidature(actor=request.user, call_id=call.pk,
                                       destination_ids=[int(x) for x in request.POST.getlist("destinations") if x.isdigit()],
                                       wants_grant=request.POST.get("wants_grant") == "on",
                                       fwb_boursier=request.POST.get("fwb_boursier") == "on")
    except services.MobilityError as exc:
        messages.error(request, str(exc))
        return redirect("mobility_calls")
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
