"""Screens. Views are thin: check who asks, call one service or selector, render."""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from parcours.accounts import permissions
from parcours.admissions.selectors import fees_summary
from parcours.audit.services import events_for
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.services import DossierError, review_document, upload_document
from parcours.dossiers.uploads import UploadRejected, private_path
from parcours.dossiers.workflow import SlotStatus
from parcours.students import selectors
from parcours.students.models import Registration, Student
from parcours.web import student_home as kept_homes
from parcours.web.clock import now as clock_now
from parcours.web.clock import today
from parcours.web.context import unread
from parcours.web.forms import ReviewForm, UploadForm  # noqa: F401
from parcours.web.homes import staff_home  # noqa: F401  (the home dispatch below)
from parcours.web.i18n import label_text
from parcours.web.jobs import attestation_pdf

PAGE_SIZE = 25


@require_POST
def choose_language(request):
    """Django's language switch, also kept on the person's profile: e-mails are written in it."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and language != user.language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@login_required
def home(request):
    kept = kept_homes.kept_page(request)  # a student's home unchanged since it was last rendered
    if kept is not None:
        return kept
    user = request.user
    if permissions.is_student(user):
        return student_home(request)
    if permissions.is_staff_member(user):
        return staff_home(request)
    if permissions.is_teacher(user):
        return teacher_home(request)
    return render(request, "web/no_role.html")


def teacher_home(request):
    ues = (request.user.ues_taught.select_related("programme")
           .annotate(students=Count("paeentry", distinct=True)).order_by("programme__name", "bloc", "code"))
    return render(request, "web/teacher_home.html", {"ues": Paginator(ues, PAGE_SIZE).get_page(request.GET.get("page"))})


def student_home(request):
    student = request.user.student
    registration = selectors.current_registration_for_page(student)
    now = today()
    # Everything the template shows is read here, in as few queries as the page needs (no lazy query while
    # rendering): a student has a handful of dossiers, paginated from one list.
    dossiers = Paginator(list(student.dossiers.annotate(
        missing=Count("slots", filter=Q(slots__required=True) & ~Q(slots__status=SlotStatus.ACCEPTED)))
        .order_by("-updated_at")), PAGE_SIZE).get_page(request.GET.get("page"))
    fees = fees_summary(registration, now)
    response = render(request, "web/student_home.html", {
        "student": student, "registration": registration, "dossiers": dossiers, "today": now,
        "deadlines": selectors.deadlines_for(student, now, registration, fees.settled if fees else frozenset()),
        "fees": fees,
        "requests": list(student.admission_requests.select_related("programme").order_by("-submitted_on")[:10]),
        "notifications": unread(request)[1],
    })
    # Kept while the rows it shows are unchanged (parcours.web.student_home).
    return kept_homes.keep(request, response)


def _dossier_or_404(user, pk) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.select_related("student__user", "programme", "academic_year"), pk=pk)
    if not permissions.can_view_dossier(user, dossier):
        raise Http404  # do not reveal that the dossier exists
    return dossier


def _render_dossier(request, dossier, *, errors_for=None, errors=None, reason="", status=200):
    return render(request, "web/dossier_detail.html", {
        "dossier": dossier, "slots": dossier.slots.select_related("file"),
        "can_upload": permissions.can_upload_to(request.user, dossier),
        "can_review": permissions.can_review_dossier(request.user, dossier),
        "errors_for": errors_for, "errors": errors or {}, "reason": reason,
    }, status=status)


@login_required
def dossier_detail(request, pk):
    return _render_dossier(request, _dossier_or_404(request.user, pk))


@login_required
@require_POST
def slot_upload(request, pk):
    slot = get_object_or_404(DocumentSlot.objects.select_related("dossier"), pk=pk)
    dossier = _dossier_or_404(request.user, slot.dossier_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_dossier(request, dossier, errors_for=slot.pk, errors={"file": ["Choisissez un fichier à déposer."]},
                               status=400)
    try:
        upload_document(actor=request.user, slot_id=slot.pk, uploaded=form.cleaned_data["file"])
    except (UploadRejected, DossierError) as exc:
        return _render_dossier(request, dossier, errors_for=slot.pk, errors={"file": [f"Document non déposé : {exc}"]},
                               status=400)
    messages.success(request, gettext("Document « %(label)s » déposé : il sera vérifié par le secrétariat.") % {"label": label_text(slot.label)})
    return redirect("dossier_detail", pk=dossier.pk)


@login_required
@require_POST
def slot_review(request, pk):
    slot = get_object_or_404(DocumentSlot.objects.select_related("dossier"), pk=pk)
    dossier = _dossier_or_404(request.user, slot.dossier_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_dossier(request, dossier, errors_for=slot.pk, errors=form.errors,
                               reason=request.POST.get("reason", ""), status=400)
    try:
        review_document(actor=request.user, slot_id=slot.pk, accept=form.cleaned_data["decision"] == "accept",
                        reason=form.cleaned_data["reason"])
    except DossierError as exc:
        return _render_dossier(request, dossier, errors_for=slot.pk, errors={"decision": [str(exc)]}, status=400)
    messages.success(request, gettext("Décision enregistrée ; l'étudiant en est informé."))
    return redirect("dossier_detail", pk=dossier.pk)


@login_required
def slot_file(request, pk):
    slot = get_object_or_404(DocumentSlot.objects.select_related("file"), pk=pk)
    _dossier_or_404(request.user, slot.dossier_id)
    if slot.file is None:
        raise Http404
    path = private_path(slot.file.stored_name)
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=slot.file.original_name,
                        content_type=slot.file.content_type)


def _history_targets(dossier) -> list:
    """The dossier, and what it belongs to: its admission request and registration, or its candidature and
    mobility dossier — so that the history page tells the whole story."""
    from parcours.admissions.models import AdmissionRequest
    from parcours.exchanges.models import Candidature, MobilityFile

    targets = [dossier]
    admission = AdmissionRequest.objects.filter(dossier=dossier).select_related("registration").first()
    if admission is not None:
        targets += [admission] + ([admission.registration] if admission.registration else [])
    candidature = Candidature.objects.filter(dossier=dossier).first()
    if candidature is not None:
        targets += [candidature, *MobilityFile.objects.filter(candidature=candidature)]
    return targets


@login_required
def dossier_history(request, pk):
    dossier = _dossier_or_404(request.user, pk)
    slot_changes = DocumentSlot.history.filter(dossier_id=dossier.pk).select_related("history_user").order_by("-history_date")
    targets = _history_targets(dossier)
    return render(request, "web/dossier_history.html", {
        "dossier": dossier, "events": events_for(*targets)[:200], "slot_changes": slot_changes[:200]})


@login_required
def student_detail(request, pk):
    student = get_object_or_404(Student.objects.select_related("user"), pk=pk)
    if not permissions.can_view_student(request.user, student):
        raise Http404
    registration = selectors.current_registration_for_page(student)
    return render(request, "web/student_detail.html", {
        "student": student, "registration": registration,
        "registrations": student.registrations.select_related("programme", "academic_year"),
        "past": student.past_registrations.order_by("academic_year"),
        "credits": student.credits.select_related("ue").order_by("ue__bloc", "ue__code"),
        "financabilite": selectors.financabilite_decision(student, registration),
        "fees": selectors.fees_decision(student, registration),
        "dossiers": permissions.dossiers_visible_to(request.user).filter(student=student),
    })


@login_required
def attestation(request, pk):
    registration = get_object_or_404(Registration.objects.select_related("student__user", "programme__department",
                                                                         "academic_year"), pk=pk)
    if not permissions.can_view_student(request.user, registration.student):
        raise Http404
    if not registration.is_regular:
        messages.error(request, gettext("L'attestation n'est délivrée qu'aux étudiants régulièrement inscrits (art. 52)."))
        return redirect("home")
    pdf = attestation_pdf(registration, today())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{registration.student.matricule}.pdf"'
    return response


@login_required
def notifications(request):
    items = Paginator(request.user.notifications.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=clock_now())
    return redirect("notifications")


