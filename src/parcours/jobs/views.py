"""The starter's view of their background jobs, and the buttons that start the built-in ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.accounts import permissions
from parcours.jobs import services as jobs
from parcours.jobs.models import Job
from parcours.web import jobs as web_jobs
from parcours.web.clock import today


def can_run_daily(user) -> bool:
    """The daily pass concerns the whole institution: the college of direction (or the site administrator)."""
    return user.is_superuser or "college_direction" in permissions.roles_of(user)


def can_bulk_attestations(user) -> bool:
    return bool(permissions.roles_of(user) & permissions.REVIEWERS)


def _mine(user, pk) -> Job:
    j = get_object_or_404(Job, pk=pk)
    if j.started_by_id != user.pk:
        raise Http404  # a job is seen by the person who started it
    return j


@login_required
def job_list(request):
    items = Paginator(Job.objects.filter(started_by=request.user).order_by("-created_at"), 25)
    return render(request, "jobs/job_list.html", {
        "items": items.get_page(request.GET.get("page")),
        "can_run_daily": can_run_daily(request.user), "can_bulk_attestations": can_bulk_attestations(request.user)})


@login_required
def job_detail(request, pk):
    return render(request, "jobs/job_detail.html", {"job": _mine(request.user, pk)})


@login_required
def job_file(request, pk):
    j = _mine(request.user, pk)
    path = jobs.job_file(j)
    if not j.file_name or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=j.file_name)


@login_required
@require_POST
def start_daily(request):
    if not can_run_daily(request.user):
        raise Http404
    on = today()
    j = jobs.start(web_jobs.daily, actor=request.user, label=_("Passage quotidien du %(d)s") % {"d": f"{on:%d/%m/%Y}"},
                   on=on.isoformat())
    messages.success(request, _("Travail lancé : vous suivez son avancement sur cette page."))
    return redirect(jobs.job_url(j))


@login_required
@require_POST
def start_attestations(request):
    if not can_bulk_attestations(request.user):
        raise Http404
    programmes = permissions.scope_programmes(request.user, permissions.REVIEWERS)
    j = jobs.start(web_jobs.attestations, actor=request.user, label=_("Attestations d'inscription de votre périmètre"),
                   programme_ids=sorted(programmes) if programmes is not None else None)
    messages.success(request, _("Travail lancé : vous suivez son avancement sur cette page."))
    return redirect(jobs.job_url(j))
