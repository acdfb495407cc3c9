"""Scale: jobs that never block a login, the batch path equal to the pages' path, bounded staff pages."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections
from django.urls import reverse

from parcours.admissions import payments
from parcours.students import selectors
from parcours.students.models import Registration, Student

pytestmark = pytest.mark.article("48")


@pytest.mark.django_db(transaction=True)
def test_a_student_logs_in_while_the_daily_job_holds_its_locks(world, registered, monkeypatch):
    """Two connections on PostgreSQL: the job stops inside its transaction, holding the lock on the registration
    it cancels; the same student's login (which writes last_login on their account) goes through at once."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter (SQLite locks the whole file)")
    user = registered.student.user
    user.set_password("Un-mot-de-passe-solide-13")
    user.save()
    locked, release = threading.Event(), threading.Event()
    real = payments._consequence

    def pause_inside_the_transaction(*args, **kwargs):
        real(*args, **kwargs)
        locked.set()
        release.wait(20)

    monkeypatch.setattr(payments, "_consequence", pause_inside_the_transaction)
    outcome = {}

    def job():
        try:
            outcome["counts"] = payments.apply_payment_deadlines(on=dt.date(2023, 11, 1))
        finally:
            connections.close_all()

    worker = threading.Thread(target=job)
    worker.start()
    try:
        assert locked.wait(20), "the job never reached its locked section"
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # a blocked login fails the test instead of hanging it
        from django.test import Client

        started = time.perf_counter()
        response = Client().post(reverse("login"), {"username": user.email, "password": "Un-mot-de-passe-solide-13"})
        waited = time.perf_counter() - started
    finally:
        release.set()
        worker.join(30)
    assert response.status_code == 302 and response.url == "/"
    assert waited < 2
    assert outcome["counts"]["annulees"] >= 1
    registered.refresh_from_db()
    assert registered.status == Registration.Status.CANCELLED


def test_the_daily_job_is_idempotent_and_keeps_history(world, registered):
    regular = Registration.objects.filter(status=Registration.Status.REGULAR, programme__fee_section__gt="").count()
    first = payments.apply_payment_deadlines(on=dt.date(2023, 11, 1), chunk=1)  # one transaction per registration
    again = payments.apply_payment_deadlines(on=dt.date(2023, 11, 1), chunk=1)  # as after a crash: run again
    assert first["annulees"] == regular >= 1 and again["annulees"] == 0
    assert registered.student.user.notifications.filter(title__contains="annulée").count() == 1
    latest = Registration.history.filter(id=registered.pk).order_by("-history_date").first()
    assert latest.status == Registration.Status.CANCELLED
    from parcours.audit.services import events_for

    assert events_for(registered).filter(action="admissions.payment.cancelled").count() == 1


def test_the_batch_decides_as_the_student_pages_do(world, registered):
    from parcours.students.models import PastRegistration

    student = registered.student
    PastRegistration.objects.create(student=student, academic_year="2022-2023", cycle=1, cursus=world.programme.name,
                                    pae_credits=60, credits_acquired=20)
    decided = {d.registration.student_id: d for d in selectors.population_decisions(Student.objects.all())}
    page_reg = selectors.current_registration(student)
    page_fin = selectors.financabilite_decision(student, page_reg)
    page_fees = selectors.fees_decision(student, page_reg)
    mine = decided[student.pk]
    assert mine.registration.pk == page_reg.pk
    assert mine.financabilite.outcome == page_fin.outcome
    assert [r.article for r in mine.financabilite.reasons] == [r.article for r in page_fin.reasons]
    assert (mine.fees and mine.fees.outcome) == (page_fees and page_fees.outcome)


def test_the_staff_queue_counts_at_most_a_thousand_and_says_so(world):
    from parcours.web.paging import CappedPaginator

    students = Student.objects.order_by("pk")
    n = students.count()
    assert n >= 3
    exact = CappedPaginator(students, 1, cap=n)
    assert exact.count_label == str(n) and exact.num_pages == n and not exact.capped
    capped = CappedPaginator(students, 1, cap=n - 1)
    assert capped.count_label == f"{n - 1}+" and capped.num_pages == n - 1


def test_the_daily_payment_pass_reads_and_writes_a_chunk_in_a_constant_number_of_queries(world):
    """Art. 48: after 31 October every unpaid registration is cancelled; a chunk of 5 and a chunk of 9 cost the
    same queries (read in bulk, locked, written and notified in one statement each), not a few per student."""
    from django.test.utils import CaptureQueriesContext

    from tests.factories import RegistrationFactory, StudentFactory

    def run() -> tuple[dict, int]:
        with CaptureQueriesContext(connection) as ctx:
            counts = payments.apply_payment_deadlines(on=dt.date(2023, 11, 1), chunk=500)
        return counts, len(ctx.captured_queries)

    def more(n: int) -> None:
        for _ in range(n):
            RegistrationFactory(student=StudentFactory(), programme=world.programme, academic_year=world.registration.academic_year)

    regular = Registration.objects.filter(status=Registration.Status.REGULAR, programme__fee_section__gt="")
    more(2)
    first_n = regular.count()
    first, first_queries = run()
    more(first_n + 4)
    second_n = regular.count()
    second, second_queries = run()
    assert first["annulees"] == first_n >= 5 and second["annulees"] == second_n == first_n + 4
    assert second_queries == first_queries
    assert Registration.objects.filter(status=Registration.Status.CANCELLED).count() == first_n + second_n
    from parcours.notifications.models import Notification

    assert Notification.objects.filter(title__contains="annulée").count() == first_n + second_n


def test_the_secretariat_counts_what_its_lists_hold(world, client):
    """The counts of the secretariat's home are made on the department's dossiers and registrations (indexes that
    cost what the department costs): they are the lengths of the lists they head."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parcours.accounts import permissions
    from parcours.dossiers.models import DocumentSlot
    from parcours.dossiers.services import upload_document
    from parcours.dossiers.workflow import SlotStatus
    from tests.web.admissions_support import PDF

    upload_document(actor=world.users["etudiant"], slot_id=world.slot.pk, uploaded=SimpleUploadedFile("id.pdf", PDF))
    secretariat = world.users["secretariat"]
    client.force_login(secretariat)
    page = client.get("/").context
    received = DocumentSlot.objects.filter(permissions.reviewable_q(secretariat), status=SlotStatus.RECEIVED,
                                           file__isnull=False)
    assert page["queue"].paginator.count == received.count() == 1
    assert page["students"].paginator.count == permissions.students_visible_to(secretariat).count() == 2


def test_the_secretariat_home_costs_the_same_queries_whatever_its_lists_hold(world, client):
    """Issue 13: the work queue, the student list and every count heading them (one query for all the counts) cost
    the same queries with one document or thirty, three students or thirty, on the first page or the second: a
    query that comes back per row, per list or per count fails here."""
    import uuid

    from django.test.utils import CaptureQueriesContext

    from parcours.dossiers.models import StoredFile
    from parcours.dossiers.workflow import SlotStatus
    from tests.factories import DossierFactory, RegistrationFactory, SlotFactory, StudentFactory

    def received(student) -> None:
        file = StoredFile.objects.create(original_name="id.pdf", stored_name=uuid.uuid4().hex, content_type="application/pdf",
                                         size=1, sha256="0" * 64)
        SlotFactory(dossier=DossierFactory(student=student, programme=world.programme), status=SlotStatus.RECEIVED,
                    file=file)

    def queries(url: str) -> tuple[int, bytes]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content

    client.force_login(world.users["secretariat"])
    received(world.student)
    few, page = queries("/")
    assert "1</div>document à vérifier" in page.decode()
    for _ in range(30):
        student = StudentFactory()
        RegistrationFactory(student=student, programme=world.programme, academic_year=world.registration.academic_year)
        received(student)
    many, page = queries("/")
    assert "31</div>documents à vérifier" in page.decode() and "page 1 sur 2" in page.decode()
    assert few == many == queries("/?page=2&spage=2")[0] == queries("/?q=Dupont")[0]
    # user (the session is read from its cache), student?, roles, the department's programmes, counts,
    # notifications, juries, documents, students
    assert many == 9


def test_a_secretariat_of_the_whole_institution_counts_every_department(world, client):
    """The counts made for a scope that is not a set of programmes (the whole HELHa): every received document,
    student and open dossier of the institution, the other department's included."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parcours.accounts.models import Role
    from parcours.dossiers.models import Dossier
    from parcours.dossiers.services import upload_document
    from tests.factories import DossierFactory, InstitutionFactory, SlotFactory, UserFactory, role
    from tests.web.admissions_support import PDF

    foreign_slot = SlotFactory(dossier=DossierFactory(student=world.foreign_student, programme=world.other_programme))
    for slot, owner in ((world.slot, world.student), (foreign_slot, world.foreign_student)):
        upload_document(actor=owner.user, slot_id=slot.pk, uploaded=SimpleUploadedFile("id.pdf", PDF))
    client.force_login(role(UserFactory(email="secr.helha@test.helha.be"), Role.SECRETARIAT,
                            institution=InstitutionFactory()))
    page = client.get("/").context
    assert page["queue"].paginator.count == 2 == len(page["queue"])  # counted and listed
    assert page["students"].paginator.count == Student.objects.count() == 3
    assert page["counts"]["open"] == Dossier.objects.filter(status="ouvert").count() >= 3
