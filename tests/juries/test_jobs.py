"""The jury's long work on the task queue (issue 13 §5): closing a session and the session's documents run
through parcours.jobs.services; the starter follows progress, result or error on /travaux/<id>/."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from parcours.jobs import services as jobs
from parcours.jobs.models import Job
from parcours.juries import services
from parcours.juries.models import Decision
from parcours.juries.workflow import SessionStatus
from parcours.students.models import PastRegistration
from tests.juries.conftest import open_with


@pytest.mark.article("130")
@pytest.mark.django_db(transaction=True)
def test_closing_runs_on_the_worker_and_its_starter_follows_it(client, jw, django_capture_on_commit_callbacks):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    client.force_login(jw.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("juries:session_close", args=[session.pk]))
        again = client.post(reverse("juries:session_close", args=[session.pk]))  # a double click follows the same job
    job = Job.objects.get()
    assert response.url == again.url == reverse("job_detail", args=[job.pk])
    assert "En attente" in client.get(response.url).content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN  # nothing decided before the worker runs
    call_command("worker", "--batch", "--interval=0")
    job.refresh_from_db()
    session.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == job.total == 3
    assert session.status == SessionStatus.CLOSED and Decision.objects.filter(session=session).count() == 3
    assert PastRegistration.objects.filter(student=jw.students["lea"]).exists()
    page = client.get(response.url).content.decode()
    assert "3 décisions arrêtées" in page and reverse("juries:session", args=[session.pk]) in page
    client.force_login(jw.president)  # someone else's job is not theirs to see
    assert client.get(response.url).status_code == 404


@pytest.mark.article("128")
def test_refusals_are_said_before_queuing_and_a_job_failing_later_says_why(client, jw):
    session = services.create_session(actor=jw.secretary, jury_id=jw.jury.pk, period=2)
    services.open_session(actor=jw.secretary, session_id=session.pk)
    client.force_login(jw.secretary)
    page = client.post(reverse("juries:session_close", args=[session.pk]), follow=True).content.decode()
    assert "quorum n&#x27;est pas atteint" in page.lower() or "quorum n'est pas atteint" in page.lower()
    assert not Job.objects.exists()
    client.force_login(jw.teachers[0])
    client.post(reverse("juries:session_close", args=[session.pk]))
    assert not Job.objects.exists()  # a member does not close
    # Queued with quorum, then the quorum lost before the worker runs: the job fails with the reason.
    services.record_attendance(actor=jw.secretary, session_id=session.pk,
                               present_user_ids=[u.pk for u in [jw.president, jw.secretary] + jw.teachers])
    client.force_login(jw.secretary)
    client.post(reverse("juries:session_close", args=[session.pk]))
    services.record_attendance(actor=jw.secretary, session_id=session.pk, present_user_ids=[])
    job = jobs.run_now(Job.objects.get().pk)
    assert job.status == Job.Status.FAILED and "quorum" in job.error
    assert "quorum" in client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert not Decision.objects.exists()


@pytest.mark.article("136")
def test_the_session_documents_come_as_one_archive(client, jw, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    client.force_login(jw.secretary)
    assert client.post(reverse("juries:session_documents", args=[session.pk])).status_code == 302
    assert not Job.objects.exists()  # not before closing
    services.close_session(actor=jw.secretary, session_id=session.pk)
    client.force_login(jw.students["lea"].user)
    assert client.post(reverse("juries:session_documents", args=[session.pk])).status_code == 404
    client.force_login(jw.teachers[2])  # any member may produce them
    response = client.post(reverse("juries:session_documents", args=[session.pk]))
    job = jobs.run_now(Job.objects.get().pk)
    assert job.status == Job.Status.DONE and job.done == job.total == 5
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("job_file", args=[job.pk])).getvalue()))
    names = set(archive.namelist())
    lea, tom, eva = (jw.students[n].matricule for n in ("lea", "tom", "eva"))
    assert {"pv.pdf", "valves.pdf", f"releves/releve-{tom}.pdf", f"attestations/attestation-{lea}.pdf",
            f"attestations/attestation-{eva}.pdf"} <= names
    assert f"attestations/attestation-{tom}.pdf" not in names  # no success, no attestation de réussite
    assert all(archive.read(n).startswith(b"%PDF") for n in names)
    assert response.url == reverse("job_detail", args=[job.pk])
