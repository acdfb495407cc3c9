"""The secretariat's documents to check: the received documents of its department, the oldest upload first. The
slots keep a copy of their dossier's programme and of their file's upload time (issue 13: the queue is one index of
the slots); these tests hold the copies to what they copy, through the services the student and the secretariat use."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parcours.dossiers.models import DocumentSlot, StoredFile
from parcours.dossiers.services import review_document, upload_document
from tests.factories import DossierFactory, SlotFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def deposit(student, slot, *, at: dt.datetime) -> None:
    upload_document(actor=student.user, slot_id=slot.pk, uploaded=SimpleUploadedFile("piece.pdf", PDF))
    # The upload's time as the clock would have given it, so that the order does not rest on microseconds.
    StoredFile.objects.filter(pk=DocumentSlot.objects.get(pk=slot.pk).file_id).update(uploaded_at=at)
    DocumentSlot.objects.filter(pk=slot.pk).update(received_at=at)


def queue(client, user) -> list[str]:
    client.force_login(user)
    return [row["label"] for row in client.get("/").context["queue"]]


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 9, day, hour))


def test_the_oldest_upload_comes_first_and_a_replaced_document_goes_back_in_line(world, client):
    passport = SlotFactory(dossier=world.dossier, code="passeport", label="Passeport")
    diploma = SlotFactory(dossier=world.dossier, code="diplome", label="Diplôme")
    deposit(world.student, diploma, at=at(5))
    deposit(world.student, passport, at=at(3))
    assert queue(client, world.users["secretariat"]) == ["Passeport", "Diplôme"]

    # The student replaces the passport before anyone has checked it: it waits behind the diploma now.
    upload_document(actor=world.student.user, slot_id=passport.pk, uploaded=SimpleUploadedFile("p2.pdf", PDF))
    passport.refresh_from_db()
    assert passport.received_at == passport.file.uploaded_at > at(5)
    assert queue(client, world.users["secretariat"]) == ["Diplôme", "Passeport"]


def test_a_checked_document_leaves_the_queue_and_a_new_upload_after_a_refusal_comes_back(world, client):
    deposit(world.student, world.slot, at=at(4))
    secretariat = world.users["secretariat"]
    review_document(actor=secretariat, slot_id=world.slot.pk, accept=False, reason="Illisible.")
    assert queue(client, secretariat) == []
    upload_document(actor=world.student.user, slot_id=world.slot.pk, uploaded=SimpleUploadedFile("p2.pdf", PDF))
    assert queue(client, secretariat) == [world.slot.label]
    review_document(actor=secretariat, slot_id=world.slot.pk, accept=True)
    assert queue(client, secretariat) == []


def test_a_slot_keeps_its_dossier_s_programme_and_the_queue_is_the_department_s(world, client):
    foreign = SlotFactory(dossier=DossierFactory(student=world.foreign_student, programme=world.other_programme),
                          label="Bulletin")
    assert foreign.programme_id == world.other_programme.pk and world.slot.programme_id == world.programme.pk
    deposit(world.student, world.slot, at=at(4))
    deposit(world.foreign_student, foreign, at=at(2))
    assert queue(client, world.users["secretariat"]) == [world.slot.label]
    assert queue(client, world.users["secretariat_autre_departement"]) == ["Bulletin"]


def test_a_slot_without_its_file_has_no_upload_time(world):
    deposit(world.student, world.slot, at=at(4))
    slot = DocumentSlot.objects.get(pk=world.slot.pk)
    slot.file = None  # the file removed by hand: nothing received any more (a partial save writes the copy too)
    slot.save(update_fields=["file"])
    slot.refresh_from_db()
    assert slot.received_at is None


def test_a_dossier_corrected_to_another_programme_takes_its_documents_to_that_department(world, client):
    deposit(world.student, world.slot, at=at(4))
    dossier = type(world.dossier).objects.get(pk=world.dossier.pk)
    dossier.programme = world.other_programme  # a correction by the admin
    dossier.save()
    assert queue(client, world.users["secretariat"]) == []
    assert queue(client, world.users["secretariat_autre_departement"]) == [world.slot.label]


def test_a_slot_moved_to_another_dossier_follows_its_programme(world, client):
    deposit(world.student, world.slot, at=at(4))
    slot = DocumentSlot.objects.get(pk=world.slot.pk)
    slot.dossier = DossierFactory(student=world.foreign_student, programme=world.other_programme)
    slot.save()
    assert DocumentSlot.objects.get(pk=slot.pk).programme_id == world.other_programme.pk
    assert queue(client, world.users["secretariat"]) == []
    assert queue(client, world.users["secretariat_autre_departement"]) == [world.slot.label]
