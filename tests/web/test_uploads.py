"""The upload service: real types only, sizes bounded, names made harmless, files kept private."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.dossiers.uploads import UploadRejected, private_path, safe_display_name, store_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + bytes.fromhex("ffd9")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
HTML = b"<html><script>alert(1)</script></html>"


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("name,content,kind", [("scan.pdf", PDF, "application/pdf"), ("photo.png", PNG, "image/png"),
                                               ("photo.jpg", JPEG, "image/jpeg"), ("PHOTO.JPEG", JPEG, "image/jpeg")])
def test_accepted_types(db, name, content, kind):
    stored = store_upload(upload(name, content), actor=None)
    assert stored.content_type == kind
    assert private_path(stored.stored_name).read_bytes() == content


@pytest.mark.parametrize("name,content", [
    ("programme.pdf", ELF),  # a renamed executable
    ("page.pdf", HTML),  # HTML pretending to be a PDF
    ("notes.txt", b"hello world, plain text"),
    ("archive.pdf", b"PK\x03\x04" + b"\x00" * 100),
])
def test_wrong_real_types_are_refused(db, name, content):
    with pytest.raises(UploadRejected, match="PDF, JPEG ou PNG"):
        store_upload(upload(name, content), actor=None)


@pytest.mark.parametrize("name,content", [("photo.jpg", PNG), ("scan.png", PDF), ("scan", PDF), ("scan.pdf.exe", PDF)])
def test_an_extension_that_lies_about_the_content_is_refused(db, name, content):
    with pytest.raises(UploadRejected, match="ne correspond pas"):
        store_upload(upload(name, content), actor=None)


def test_size_limits(db, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(UploadRejected, match="taille maximale"):
        store_upload(upload("big.pdf", PDF + b"0" * 2000), actor=None)
    with pytest.raises(UploadRejected, match="vide"):
        store_upload(upload("empty.pdf", b""), actor=None)
    assert store_upload(upload("ok.pdf", PDF + b"0" * (1024 - len(PDF))), actor=None).size == 1024


@pytest.mark.parametrize("hostile", [
    "../../etc/passwd.pdf", "..\\..\\windows\\system32\\x.pdf", "<script>alert(1)</script>.pdf",
    "nul\x00byte\x1b[31m.pdf", "   ..pdf", "con:.pdf", "a|b?c*.pdf",
])
def test_hostile_names_are_neutralised(db, settings, hostile):
    shown = safe_display_name(hostile)
    assert shown.endswith(".pdf")
    assert not set(shown) & set("/\\<>:|?*\x00\x1b") and not shown.startswith(".")
    stored = store_upload(upload(hostile, PDF), actor=None)
    assert stored.original_name == shown
    path = private_path(stored.stored_name)
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT) and path.exists()
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.stored_name)


def test_a_very_long_name_is_shortened_and_keeps_its_extension():
    shown = safe_display_name("a" * 500 + ".pdf")
    assert len(shown) <= 120 and shown.endswith(".pdf")


def test_files_are_stored_outside_the_web_root_and_served_only_through_the_view(client, world, settings):
    from parcours.config import urls

    stored = store_upload(upload("carte.pdf", PDF), actor=None)
    assert not str(private_path(stored.stored_name)).startswith(str(settings.STATIC_ROOT))
    assert all("uploads" not in str(p.pattern) for p in urls.urlpatterns)
    world.slot.file = stored
    world.slot.save()
    client.force_login(world.users["etudiant"])
    response = client.get(reverse("slot_file", args=[world.slot.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_a_refused_upload_keeps_the_slot_and_says_why(client, world):
    client.force_login(world.users["etudiant"])
    response = client.post(reverse("slot_upload", args=[world.slot.pk]),
                           {"file": SimpleUploadedFile("virus.pdf", ELF)}, follow=True)
    world.slot.refresh_from_db()
    assert world.slot.status == "demande" and world.slot.file is None
    assert "Seuls les documents PDF, JPEG ou PNG" in response.content.decode()


@pytest.mark.article("21")  # the student brings the proof, the secretariat checks it
def test_upload_through_the_page(client, world):
    client.force_login(world.users["etudiant"])
    response = client.post(reverse("slot_upload", args=[world.slot.pk]), {"file": upload("carte.pdf", PDF)}, follow=True)
    assert "déposé : il sera vérifié par le secrétariat" in response.content.decode()
    world.slot.refresh_from_db()
    assert world.slot.status == "recu" and world.slot.file.original_name == "carte.pdf"


def test_no_file_chosen_shows_the_error_next_to_the_field(client, world):
    client.force_login(world.users["etudiant"])
    response = client.post(reverse("slot_upload", args=[world.slot.pk]), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="file-err-{world.slot.pk}"' in page and f'aria-describedby="file-err-{world.slot.pk}"' in page
    assert "Choisissez un fichier" in page
