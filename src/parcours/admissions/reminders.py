"""The daily reminders of documents still expected for an admission (art. 24): 7 and 2 days before the due date."""

import datetime as dt

from parcours.audit.services import record
from parcours.dossiers.models import DocumentSlot
from parcours.dossiers.workflow import SlotStatus
from parcours.notifications.services import notify


def remind_documents(*, on: dt.date) -> int:
    """Remind students of a requested or refused document 7 and 2 days before its due date — once each."""
    from parcours.audit.services import events_for

    sent = 0
    slots = DocumentSlot.objects.select_related("dossier__student__user").filter(
        status__in=[SlotStatus.REQUESTED, SlotStatus.REFUSED],
        required=True,
        due_date__in=[on + dt.timedelta(days=7), on + dt.timedelta(days=2)],
    )
    for slot in slots:
        days = (slot.due_date - on).days
        if (
            events_for(slot.dossier)
            .filter(action="dossiers.document.reminder", data__slot=slot.pk, data__days=days)
            .exists()
        ):
            continue
        record(
            actor=None,
            action="dossiers.document.reminder",
            target=slot.dossier,
            summary=f"Rappel : « {slot.label} » au plus tard le {slot.due_date:%d/%m/%Y}",
            slot=slot.pk,
            days=days,
        )
        notify(
            user=slot.dossier.student.user,
            template="document_reminder",
            context={"slot": slot, "days": days},
            url=f"/dossiers/{slot.dossier_id}/",
        )
        sent += 1
    return sent

