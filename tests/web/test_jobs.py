"""Background jobs: started by a person, run by a worker, followed on a page only that person sees."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from parcours.jobs import services as jobs
from parcours.jobs.models import Job
from parcours.students.models import Registration
from parcours.web import jobs as web_jobs


@jobs.job
def failing(progress, *, why: str) -> dict:
    progress(1, 2)
    raise ValueError(why)


def run_worker():
    """The real worker, once over what is queued. It closes its database connections when done, so the tests
    that call it run outside a wrapping transaction (transaction=True)."""
    call_command("worker", "--batch", "--interval=0")


@pytest.mark.article("48")
@pytest.mark.django_db(transaction=True)
def test_the_daily_pass_runs_on_the_worker_and_its_starter_follows_it(client, world, registered,
                                                                      django_capture_on_commit_callbacks):
    college = world.users["college_direction"]
    client.force_login(college)
    assert "Lancer le passage quotidien" in client.get(reverse("job_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("job_start_daily"))
    job = Job.objects.get()
    assert response.url == reverse("job_detail", args=[job.pk])
    assert "En attente" in client.get(response.url).content.decode()
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == job.total >= 1
    page = client.get(response.url).content.decode()
    assert "Terminé" in page and "inscription(s) annulée(s)" in page
    registered.refresh_from_db()  # the settings' today (16 October) is before 31 October: nothing cancelled
    assert registered.status == Registration.Status.REGULAR
    client.force_login(world.users["secretariat"])  # someone else's job does not exist for them
    assert client.get(response.url).status_code == 404
    assert "Lancer le passage quotidien" not in client.get(reverse("job_list")).content.decode()
    assert client.post(reverse("job_start_daily")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_says_why_to_its_starter(client, world, django_capture_on_commit_callbacks):
    user = world.users["secretariat"]
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(failing, actor=user, label="Essai", why="Fichier bancaire illisible à la ligne 3.")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.done == 1 and job.total == 2
    client.force_login(user)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Le travail a échoué" in page and "Fichier bancaire illisible à la ligne 3." in page


def test_only_declared_functions_can_be_started(world):
    def not_a_job(progress):
        return {}

    with pytest.raises(ValueError):
        jobs.start(not_a_job, actor=None, label="x")


@pytest.mark.article("52")
def test_the_scope_attestations_come_as_one_zip(client, world, registered, django_capture_on_commit_callbacks):
    secretariat = world.users["secretariat"]
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("job_start_attestations"))
    job = jobs.run_now(Job.objects.get().pk)  # what the worker does, in-process
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("job_file", args=[job.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert f"attestation-{registered.student.matricule}.pdf" in names
    assert response.status_code == 302
    assert jobs.run_now(job.pk).status == Job.Status.DONE  # delivered twice: not run again


def test_daily_job_function_reports_its_counts(world, registered):
    result = web_jobs.daily(jobs.Progress(Job.objects.create(kind="x", label="x")), on="2023-11-01")
    assert result["annulees"] >= 1 and "inscription(s) annulée(s)" in result["summary"]
    registered.refresh_from_db()
    assert registered.status == Registration.Status.CANCELLED
