"""The student home's body is kept while the rows it shows are unchanged (parcours.web.student_home): a change is
visible on the next load, and the fingerprint covers every table the body reads."""

import datetime as dt
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parcours.accounts.permissions import roles_of
from parcours.admissions import payments
from parcours.dossiers.services import review_document, upload_document
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
    if connection.vendor == "postgresql":  # the body kept: the session, the user, the student, the fingerprint,
        assert len(kept) <= 6, [q["sql"][:80] for q in kept]  # the roles and the notifications of the menu
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


def test_the_fingerprint_covers_every_table_the_body_reads(world, registered, client, monkeypatch):
    read: set[str] = set()
    real = views.student_home_body

    def capture(request, student, render_body):
        roles_of(request.user)  # in the key, read before the body as in the kept path
        with CaptureQueriesContext(connection) as queries:
            html = render_body()
        read.update(t for q in queries for t in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"]))
        return real(request, student, lambda: html)

    monkeypatch.setattr(views, "student_home_body", capture)
    client.force_login(registered.student.user)
    html = client.get("/").content.decode()
    assert "Mes droits d'inscription" in html and read
    assert read <= student_home.TABLES, read - student_home.TABLES
    body = html.split("<main", 1)[1].split("<h2>Nouveautés</h2>", 1)[0]
    assert "csrfmiddlewaretoken" not in body  # nothing of the request in what is kept
