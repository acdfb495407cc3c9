"""The work of the background jobs, callable directly (management commands, tests) or as tasks
(``parcours.web.tasks``). Each job reports its progress through ``progress(done, total)``."""

import datetime as dt

from django.db import transaction

from parcours.admissions.payments import apply_payment_deadlines
from parcours.admissions.services import remind_documents
from parcours.exchanges.services import mobility_reminders
from parcours.notifications.services import bulk_mail


def run_daily(*, on: dt.date, chunk: int = 500, progress=None) -> dict[str, int]:
    """The daily pass. The reminders only add rows (audit events, notifications), so they lock nobody; the
    payment deadlines work in chunks and lock only the registrations they change."""
    with transaction.atomic(), bulk_mail():
        documents = remind_documents(on=on)
    with transaction.atomic(), bulk_mail():
        mobility = mobility_reminders(on=on)
    counts = apply_payment_deadlines(on=on, chunk=chunk, progress=progress)
    return {"documents": documents, "mobilite": mobility, **counts}
