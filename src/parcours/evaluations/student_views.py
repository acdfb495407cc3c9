"""Evaluation screens around the student: absences (art. 91), published results and the relevé de notes
(art. 103), the ICS feed (art. 80), procurations (art. 103)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.dossiers.uploads import private_path
from parcours.evaluations import absences, organisation, selectors, services
from parcours.evaluations import permissions as perms
from parcours.evaluations.models import Absence, CalendarToken, Procuration
from parcours.evaluations.views import _int
from parcours.students.models import Student


def _absence_or_404(user, pk) -> Absence:
    absence = get_object_or_404(Absence.objects.select_related(
        "student__user", "evaluation__activity__ue__programme", "evaluation__period__academic_year", "proof"), pk=pk)
    programme = absence.evaluation.activity.ue.programme
    if absence.student.user_id != user.pk and not perms.may_act(user, programme, perms.SECRETARIAT | perms.PRESIDENT):
        raise Http404
    return absence


@login_required
@require_POST
def absence_declare(request):
    try:
        a = absences.declare(actor=request.user, evaluation_id=_int(request.POST.get("evaluation"), "Évaluation inconnue."),
                             kind=request.POST.get("kind", ""), explanation=request.POST.get("explanation", ""))
    except services.EvaluationError as exc:
        messages.error(request, str(exc))
        return redirect("evaluations_index")
    messages.success(request, _("Absence déclarée : déposez le justificatif dans les 2 jours ouvrables (art. 91)."))
    return redirect("absence_detail", pk=a.pk)


@login_required
def absence_detail(request, pk):
    a = _absence_or_404(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "proof":
                if "fichier" not in request.FILES:
                    raise services.EvaluationError(_("Choisissez le fichier du justificatif."))
                absences.upload_proof(actor=request.user, absence_id=a.pk, uploaded=request.FILES["fichier"])
                messages.success(request, _("Justificatif reçu."))
            elif action == "retake":
                absences.request_retake(actor=request.user, absence_id=a.pk, when=request.POST.get("when", ""))
                messages.success(request, _("Demande transmise au président du jury."))
            elif action in ("retake_yes", "retake_no"):
                absences.decide_retake(actor=request.user, absence_id=a.pk, granted=action == "retake_yes")
                messages.success(request, _("Décision enregistrée."))
            else:
                absences.decide(actor=request.user, absence_id=a.pk, decision=action,
                                reason=request.POST.get("reason", ""))
                messages.success(request, _("Décision enregistrée ; l'étudiant est prévenu."))
        except services.EvaluationError as exc:
            messages.error(request, str(exc))
        return redirect("absence_detail", pk=a.pk)
    is_owner = a.student.user_id == request.user.pk
    deadline = absences.proof_deadline(a)
    return render(request, "evaluations/absence.html", {
        "absence": a, "is_owner": is_owner, "proof_last_day": deadline.details["last_day"],
        "proof_in_time": deadline.outcome,
        "decisions": absences.allowed_decisions(request.user, a) if not is_owner else [],
        "can_decide_retake": bool(a.retake) and a.retake_granted is None and perms.may_act(
            request.user, a.evaluation.activity.ue.programme, perms.PRESIDENT)})


@login_required
def absence_proof(request, pk):
    a = _absence_or_404(request.user, pk)
    path = private_path(a.proof.stored_name) if a.proof else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type=a.proof.content_type, filename=a.proof.original_name)


@login_required
def absence_queue(request):
    if not perms.programmes_followed_by(request.user, perms.SECRETARIAT | perms.PRESIDENT).exists():
        raise Http404
    return render(request, "evaluations/absences.html", {"absences": absences.absences_for_staff(request.user)[:300]})


@login_required
def results(request):
    student = getattr(request.user, "student", None)
    if student is None:
        raise Http404
    return render(request, "evaluations/results.html", {"periods": selectors.student_results(student)})


@login_required
def releve(request, student_pk=None):
    """The relevé de notes (art. 103): the student's own, or printed by the secretariat for a procuration holder."""
    if student_pk is None:
        student = getattr(request.user, "student", None)
        if student is None:
            raise Http404
    else:
        student = get_object_or_404(Student.objects.select_related("user"), pk=student_pk)
        programmes = [r.programme for r in student.registrations.select_related("programme")]
        if not any(perms.may_act(request.user, p, perms.SECRETARIAT) for p in programmes):
            raise Http404
        if not Procuration.objects.filter(student=student, identity_checked=True, revoked_on__isnull=True).exists() \
                and student.user_id != request.user.pk:
            raise Http404
    from parcours.juries.documents import student_releve  # the one relevé (with the jury's decisions)

    pdf = student_releve(student)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="releve-{student.matricule}.pdf"'
    return response


def ics_feed(request, token):
    """A private ICS feed (no login: the token is the key) that phones and Outlook subscribe to (art. 80)."""
    entry = CalendarToken.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_active:
        raise Http404
    response = HttpResponse(organisation.ics(entry.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="evaluations.ics"'
    return response


@login_required
def procurations(request):
    programmes = perms.programmes_followed_by(request.user, perms.SECRETARIAT)
    if not programmes.exists():
        raise Http404
    if request.method == "POST":
        student = Student.objects.filter(matricule=request.POST.get("matricule", "").strip()).first()
        try:
            if student is None:
                raise services.EvaluationError(_("Matricule inconnu."))
            organisation.record_procuration(actor=request.user, student_id=student.pk,
                                            holder_name=request.POST.get("holder_name", ""),
                                            identity_document=request.POST.get("identity_document", ""),
                                            identity_checked=request.POST.get("identity_checked") == "on")
            messages.success(request, _("Procuration enregistrée."))
        except services.EvaluationError as exc:
            messages.error(request, str(exc))
        return redirect("evaluation_procurations")
    items = (Procuration.objects.filter(student__registrations__programme__in=programmes).distinct()
             .select_related("student__user", "recorded_by").order_by("-recorded_on")[:200])
    return render(request, "evaluations/procurations.html", {"procurations": items})
