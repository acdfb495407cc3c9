"""The upgrade that gave the slots their copies (dossiers 0003, issue 13): the documents already received before it
are in their department's queue after it, in upload order — on SQLite and on PostgreSQL, where the new column is
made NOT NULL in the same transaction as the rows are filled."""

import datetime as dt
import uuid

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE, AFTER = [("dossiers", "0002_scale_indexes")], [("dossiers", "0003_slot_queue")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_upgrade_puts_the_documents_already_received_in_their_department_s_queue(transactional_db, world,
                                                                                       client):
    old = migrate(BEFORE)
    try:
        StoredFile, Slot = old.get_model("dossiers", "StoredFile"), old.get_model("dossiers", "DocumentSlot")
        labels = {}
        for day, (dossier, label) in enumerate([(world.dossier, "Diplôme"), (world.dossier, "Passeport"),
                                                (None, "Bulletin")], start=1):
            if dossier is None:  # the other department's, with a dossier of its own
                dossier = old.get_model("dossiers", "Dossier").objects.create(
                    student_id=world.foreign_student.pk, programme_id=world.other_programme.pk,
                    academic_year_id=world.dossier.academic_year_id, kind="inscription", title="Inscription")
            file = StoredFile.objects.create(original_name="p.pdf", stored_name=uuid.uuid4().hex, size=1,
                                             content_type="application/pdf", sha256="0" * 64)
            # Passeport uploaded before Diplôme: the queue's order is the files', not the slots'.
            at = timezone.make_aware(dt.datetime(2023, 9, {"Diplôme": 5, "Passeport": 3, "Bulletin": 4}[label], 9))
            StoredFile.objects.filter(pk=file.pk).update(uploaded_at=at)
            labels[label] = Slot.objects.create(dossier_id=dossier.pk, code=f"c{day}", label=label, status="recu",
                                                file=file).pk
        Slot.objects.create(dossier_id=world.dossier.pk, code="vide", label="Demandé", status="demande")
    finally:
        migrate(AFTER)
    from parcours.dossiers.models import DocumentSlot

    assert DocumentSlot.objects.get(pk=labels["Passeport"]).received_at.day == 3
    assert DocumentSlot.objects.get(label="Demandé").received_at is None
    for user, expected in (("secretariat", ["Passeport", "Diplôme"]), ("secretariat_autre_departement", ["Bulletin"])):
        client.force_login(world.users[user])
        assert [row["label"] for row in client.get("/").context["queue"]] == expected
