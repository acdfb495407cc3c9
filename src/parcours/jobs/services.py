"""The one way to run long work in the background: Django's Tasks framework (the ``django-tasks`` backport and
its database backend, ``django-tasks-db``), behind this facade. Nothing else in the project imports django_tasks.

Writing a job (any app)::

    from parcours.jobs import services as jobs

    @jobs.job
    def score_sheets(progress: jobs.Progress, *, session_id: int) -> dict:
        items = ...
        for n, item in enumerate(items, start=1):
            ...                               # each unit of work in its own transaction, locking only its rows
            progress(n, len(items))           # the starter's page shows "n / total"
        progress.attach("feuilles.zip", data) # optional: a file the starter downloads from the job page
        return {"summary": "42 feuilles produites"}   # JSON; "summary" is shown, the rest kept

Starting it (a view, a command)::

    job = jobs.start(score_sheets, actor=request.user, label="Feuilles de cotes — janvier", session_id=3)
    return redirect(job_url(job))            # /travaux/<id>/ : progress, then result or error

Rules: the job function is a module-level function decorated with ``@jobs.job``; its keyword arguments are
JSON values (dates as ISO strings); it must be idempotent (a worker that dies mid-job leaves the job to be run
again); it raises a domain error with a French message to fail the job — the message is what the starter reads.
The task is enqueued when the starter's transaction commits. ``run_now(job)`` runs a queued job in-process
(tests, ``--sync`` commands).

Workers: ``manage.py worker`` (several on several machines against the same PostgreSQL: each claims tasks with
``SELECT … FOR UPDATE SKIP LOCKED``); ``make run`` starts one embedded beside the development server. See
README, "Travaux en arrière-plan".
"""

import logging
import time
import traceback
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.module_loading import import_string

from parcours.jobs.models import Job
from parcours.web.clock import now as clock_now

log = logging.getLogger("parcours.jobs")

__all__ = ["Job", "Progress", "job", "job_url", "kind_of", "run_now", "start"]


def job(func: Callable) -> Callable:
    """Mark a module-level function as runnable in the background (only marked functions can be started)."""
    func._parcours_job = True
    return func


def _path(func: Callable) -> str:
    if not getattr(func, "_parcours_job", False) or "<locals>" in func.__qualname__:
        raise ValueError(f"{func!r} n'est pas déclaré avec @jobs.job au niveau d'un module.")
    return f"{func.__module__}.{func.__qualname__}"


def kind_of(func: Callable) -> str:
    """What ``Job.kind`` holds for this job function (to find a run already under way)."""
    return _path(func)


def start(func: Callable, *, actor, label: str, **params) -> Job:
    """Record the job for its starter and enqueue it once the current transaction commits."""
    created = Job.objects.create(kind=_path(func), label=label[:200], params=params,
                                 started_by=actor if getattr(actor, "pk", None) else None)
    transaction.on_commit(lambda: _enqueue(created.pk))
    return created


def _enqueue(job_id) -> None:
    from parcours.jobs.tasks import run_job

    run_job.enqueue(str(job_id))


def job_url(j: Job) -> str:
    return reverse("job_detail", args=[j.pk])


class Progress:
    """Handed to the job function: ``progress(done, total)`` (written at most twice a second) and ``attach``."""

    def __init__(self, j: Job):
        self.job, self._last = j, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last >= 0.5 or done >= total:
            self._last = now
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total)

    def attach(self, name: str, content: bytes) -> None:
        folder = settings.PRIVATE_MEDIA_ROOT / "jobs"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{self.job.pk}").write_bytes(content)
        Job.objects.filter(pk=self.job.pk).update(file_name=name[:200])


def job_file(j: Job):
    return settings.PRIVATE_MEDIA_ROOT / "jobs" / f"{j.pk}"


def run_now(job_id) -> Job:
    """Run a job in this process: what the worker's task does."""
    j = Job.objects.get(pk=job_id)
    if j.finished:  # delivered twice: already done
        return j
    j.status, j.started_at = Job.Status.RUNNING, clock_now()
    j.save(update_fields=["status", "started_at"])
    try:
        func = import_string(j.kind)
        if not getattr(func, "_parcours_job", False):
            raise ValueError(f"« {j.kind} » n'est pas un travail déclaré.")
        result = func(Progress(j), **j.params) or {}
    except Exception as exc:  # the starter reads what went wrong; the log keeps the traceback
        log.exception("travail %s en échec", j.pk)
        j.status, j.error = Job.Status.FAILED, str(exc) or type(exc).__name__
        j.result = {"trace": traceback.format_exc()[-4000:]}
    else:
        j.status, j.result = Job.Status.DONE, result
    j.finished_at = clock_now()  # the one clock, like created_at: a demo of 3 October 2023 stays there
    # The progress and file name were written by the job meanwhile: only the outcome's fields are saved.
    j.save(update_fields=["status", "error", "result", "finished_at"])
    j.refresh_from_db()
    return j
