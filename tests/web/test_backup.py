"""`manage.py backup` then `manage.py restore` into an empty database gives back every row and every file."""

import hashlib
import shutil
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from parcours.dossiers.services import upload_document
from parcours.web.backup import row_counts, uploaded_files

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def filled(world, registered, settings):
    """The world, a registration with its request, history and accepted documents, one more upload, an audit trail."""
    upload_document(actor=world.student.user, slot_id=world.slot.pk,
                    uploaded=SimpleUploadedFile("carte.pdf", PDF + b"% autre\n"))
    return world


def test_round_trip_gives_back_every_row_and_every_file(transactional_db, filled, settings, tmp_path, client):
    client.force_login(filled.users["etudiant"])  # a session open before the disaster
    assert client.get("/api/me").status_code == 200
    before_rows, before_files = row_counts(), uploaded_files()
    assert len(before_files) >= 2 and before_rows["accounts.user"] > 10 and before_rows["audit.auditevent"] > 0
    assert before_rows["admissions.historicaladmissionrequest"] > 0
    call_command("backup", output=str(tmp_path / "out"))
    (archive,) = (tmp_path / "out").glob("parcours-sauvegarde-*.tar.gz")

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT)
    assert sum(row_counts().values()) == 0 and uploaded_files() == {}

    call_command("restore", str(archive))
    assert row_counts() == before_rows
    assert uploaded_files() == before_files
    assert client.get("/api/me").status_code == 401  # sessions are not restored, cached ones neither
    for rel, digest in before_files.items():
        assert hashlib.sha256((settings.PRIVATE_MEDIA_ROOT / rel).read_bytes()).hexdigest() == digest


def test_restore_refuses_a_database_that_is_not_empty(transactional_db, filled, tmp_path):
    call_command("backup", output=str(tmp_path))
    (archive,) = tmp_path.glob("*.tar.gz")
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", str(archive))


def test_restore_refuses_an_altered_file_and_keeps_nothing(transactional_db, filled, settings, tmp_path):
    call_command("backup", output=str(tmp_path))
    (archive,) = tmp_path.glob("*.tar.gz")
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(altered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = data.replace(b"%%EOF", b"%%EOX")
            member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT)
    with pytest.raises(CommandError, match="altéré"):
        call_command("restore", str(altered))
    assert sum(row_counts().values()) == 0
