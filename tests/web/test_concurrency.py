"""Double submissions at the same instant, on PostgreSQL with real threads: one record, never a 500.
(SQLite serialises every writer, so these only mean something on PostgreSQL.)"""

# ruff: noqa: F811  (the mobility fixtures are imported from test_exchanges and requested by name)
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from parcours.admissions.models import AdmissionRequest
from parcours.dossiers.models import Dossier
from parcours.exchanges.models import Candidature
from tests.web.test_exchanges import mobility  # noqa: F401 (fixture)

N = 6

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrence réelle : PostgreSQL seulement")


def at_once(user, url, data) -> list[int]:
    """N clients of the same person post the same form at the same instant; their status codes."""
    barrier, codes = threading.Barrier(N), []

    def one():
        from django.db import connections

        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=30)
            codes.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return codes


@pytest.mark.article("23")
def test_six_simultaneous_admission_requests_make_one(transactional_db, world, applicant, on):
    on("2023-09-20")
    codes = at_once(applicant.user, reverse("new_request"),
                    {"programme": world.programme.pk, "kind": "inscription", "bloc": 1})
    assert len(codes) == N and all(c < 500 for c in codes), codes
    assert AdmissionRequest.objects.filter(student=applicant).count() == 1
    assert Dossier.objects.filter(student=applicant).count() == 1
    assert len([m for m in mail.outbox if applicant.user.email in m.to]) == 1


@pytest.mark.article("Procédure mobilité AS")
def test_six_simultaneous_candidater_make_one(transactional_db, world, mobility):
    codes = at_once(world.student.user, reverse("call_apply", args=[mobility["call"].pk]),
                    {"destinations": [mobility["porto"].pk]})
    assert len(codes) == N and all(c < 500 for c in codes), codes
    assert Candidature.objects.filter(student=world.student).count() == 1
