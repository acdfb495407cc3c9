"""The student home is kept whole while the rows it shows are unchanged (parcours.web.student_home): a change is
visible on the next load, what belongs to one request (the CSRF token, a message) is never kept, and the
fingerprint covers every table the page reads."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from parcours.accounts.models import RoleAssignment
from parcours.admissions import payments
from parcours.dossiers.services import review_document, upload_document
from parcours.notifications.models import Notification
from parcours.web import student_home, views
from tests.web.admissions_support import PDF


def _paid(html: str) -> str:
    return re.search(r'data-testid="paid">([^<]*)<', html).group(1)


def _missing(html: str) -> list[str]:
    return re.findall(r"<td>(\d+)</td></tr>", html.split("Mes dossiers", 1)[1])


def test_a_payment_recorded_shows_on_the_next_load_and_an_unchanged_home_is_kept(world, registered, client,
                                                                                monkeypatch):
    client.force_login(registered.student.user)
    assert _paid(client.get("/").content.decode()) == "0,00 €"
    with CaptureQueriesContext(connection) as kept:
        assert _paid(client.get("/").content.decode()) == "0,00 €"
    monkeypatch.setattr(student_home, "code_version", lambda: "the next release")
    with CaptureQueriesContext(connection) as released:
        assert _paid(client.get("/").content.decode()) == "0,00 €"
    if connection.vendor == "postgresql":  # the page kept: the session, the user and the fingerprint
        assert len(kept) <= 3, [q["sql"][:80] for q in kept]
        assert len(released) > len(kept)  # another release renders afresh
    payments.record_payment(actor=world.users["secretariat"], registration_id=registered.pk, amount=Decimal(50),
                            paid_on=dt.date(2023, 9, 20))
    html = client.get("/").content.decode()
    assert _paid(html) == "50,00 €" and "Paiement de l&#x27;acompte de 50 €</td>" not in html


def test_a_document_verified_and_a_new_day_show_on_the_next_load(world, client, on):
    on("2023-09-20")
    client.force_login(world.users["etudiant"])
    before = client.get("/").content.decode()
    assert _missing(before) == ["1"]
    upload_document(actor=world.users["etudiant"], slot_id=world.slot.pk, uploaded=SimpleUploadedFile("id.pdf", PDF))
    review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=True)
    assert _missing(client.get("/").content.decode()) == ["0"]
    on("2023-09-21")
    assert "Au 21 septembre 2023" in client.get("/").content.decode()


def test_a_change_by_a_bulk_update_shows_too(world, registered, client):
    """No signal, no service: the fingerprint reads the rows themselves."""
    client.force_login(registered.student.user)
    assert "<h1>Bonjour Inès</h1>" in client.get("/").content.decode()
    type(registered.student.user).objects.filter(pk=registered.student.user_id).update(first_name="Ines")
    assert "<h1>Bonjour Ines</h1>" in client.get("/").content.decode()


def test_the_fingerprint_covers_every_table_the_page_reads(world, registered, client, monkeypatch):
    read: set[str] = set()
    real = views.student_home

    def capture(request):
        with CaptureQueriesContext(connection) as queries:
            response = real(request)
        read.update(t for q in queries for t in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"]))
        return response

    monkeypatch.setattr(views, "student_home", capture)
    client.force_login(registered.student.user)
    html = client.get("/").content.decode()
    assert "Mes droits d'inscription" in html and read
    assert read <= student_home.TABLES, read - student_home.TABLES
    hashed = set(re.findall(r"(?:FROM|JOIN) (\w+)", student_home.FINGERPRINT_SQL))
    assert student_home.TABLES <= hashed, student_home.TABLES - hashed  # each table listed is one the query hashes


def test_a_kept_page_carries_a_fresh_csrf_token_that_logs_out(world, registered, client):
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(registered.student.user)
    first = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get("/").content.decode())
    html = client.get("/").content.decode()  # kept on PostgreSQL
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) == 2 and all(len(t) == 64 for t in tokens), tokens
    assert not set(tokens) & set(first)  # masked afresh for this request, never the kept page's
    assert "\x00" not in html
    assert client.post("/deconnexion/", {"csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert client.get("/").status_code == 302  # logged out: to the login page


def test_a_new_notification_and_a_new_role_show_on_the_next_load(world, registered, client):
    user = registered.student.user
    client.force_login(user)
    client.get("/")
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    assert f'aria-label="{unread} non lues">{unread}<' in client.get("/").content.decode()  # kept
    Notification.objects.create(user=user, title="Votre relevé est publié", body="…", url="/mes-resultats/")
    html = client.get("/").content.decode()
    assert "Votre relevé est publié" in html and f'aria-label="{unread + 1} non lues">{unread + 1}<' in html
    assert "Demandes d'admission</a>" not in html
    RoleAssignment.objects.create(user=user, role="secretariat", department=registered.programme.department)
    assert "Demandes d'admission</a>" in client.get("/").content.decode()  # the staff menu


def test_a_message_after_an_action_is_shown_once_and_not_kept(world, registered, client):
    client.force_login(registered.student.user)
    client.get("/")
    client.get("/")  # kept
    carrier = HttpResponse()  # the cookie an action's redirect leaves
    CookieStorage(SimpleNamespace(COOKIES={}))._store([Message(messages.SUCCESS, "Demande envoyée.")], carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    assert "Demande envoyée." in client.get("/").content.decode()
    assert "Demande envoyée." not in client.get("/").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fingerprint is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_prepared_fingerprint_is_the_query_and_survives_a_lost_statement(world):
    assert not connection.in_atomic_block
    user = world.users["etudiant"]
    with connection.cursor() as cursor:
        cursor.execute(student_home.FINGERPRINT_SQL, {"u": user.pk})
        plain = cursor.fetchone()[0]
    assert student_home.fingerprint(user.pk) == plain
    type(user).objects.filter(pk=user.pk).update(first_name="Ines")
    changed = student_home.fingerprint(user.pk)
    assert changed != plain
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler's reset would
    assert student_home.fingerprint(user.pk) == changed
    assert student_home.fingerprint(world.users["secretariat"].pk) is None  # no student
