"""Eight simultaneous clicks on the same manual payment record one payment (PostgreSQL: the registration row lock
serialises them; SQLite serialises every write anyway, so the test runs on PostgreSQL only)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from parcours.admissions import payments
from parcours.admissions.services import AdmissionError

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrence : PostgreSQL seulement")


@pytest.mark.article("47")
def test_eight_simultaneous_identical_manual_payments_are_one(transactional_db, world, registered):
    start, errors = threading.Barrier(8), []

    def click():
        try:
            start.wait()
            payments.record_payment(actor=world.users["secretariat"], registration_id=registered.pk,
                                    amount=Decimal(50), paid_on=dt.date(2023, 10, 3))
        except AdmissionError as exc:
            errors.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert registered.payments.count() == 1
    assert len(errors) == 7 and all("vient d'être enregistré" in e for e in errors)
