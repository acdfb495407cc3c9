"""Every timestamp a person sees follows the same clock as 'today' (the demo runs on 16 October 2023)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.dossiers.services import upload_document
from parcours.notifications.models import Notification
from parcours.web.clock import now, today

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def local_day(value) -> dt.date:
    return timezone.localtime(value).date()


def test_now_is_on_the_demo_date_at_the_current_time(settings):
    settings.PARCOURS_TODAY = "2023-10-16"
    assert local_day(now()) == today() == dt.date(2023, 10, 16)
    settings.PARCOURS_TODAY = ""
    assert abs((now() - timezone.now()).total_seconds()) < 5


def test_upload_history_audit_and_notification_times_follow_the_demo_date(world, settings, client):
    settings.PARCOURS_TODAY = "2023-10-16"
    stored = upload_document(actor=world.student.user, slot_id=world.slot.pk,
                             uploaded=SimpleUploadedFile("carte.pdf", PDF))
    world.slot.refresh_from_db()
    assert local_day(world.slot.history.first().history_date) == dt.date(2023, 10, 16)
    assert local_day(AuditEvent.objects.latest("pk").created_at) == dt.date(2023, 10, 16)
    stored = stored if hasattr(stored, "uploaded_at") else world.slot.file
    assert local_day(stored.uploaded_at) == dt.date(2023, 10, 16)
    note = Notification.objects.create(user=world.student.user, title="x", body="y")
    assert local_day(note.created_at) == dt.date(2023, 10, 16)
    client.force_login(world.student.user)
    page = client.get(f"/dossiers/{world.dossier.pk}/historique/").content.decode()
    assert "16/10/2023" in page or "16 octobre 2023" in page
