"""The one upload service: size limit, real type (libmagic), safe stored name, private storage."""

import hashlib
import re
import unicodedata
import uuid
from pathlib import Path

import magic
from django.conf import settings

from parcours.dossiers.models import StoredFile

ALLOWED = {  # real type → extensions a file of that type may carry
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
EXTENSION_FOR = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


class UploadRejected(ValueError):
    """The file was refused; the message is for the person who sent it."""


def safe_display_name(name: str) -> str:
    """The original name reduced to something harmless to show: no path, no control or reserved
    characters, no leading dots, 120 characters at most, extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[<>:\"|?*]", "_", name).strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:8]
    stem = stem.strip(" .")[:110] or "document"
    return f"{stem}.{ext}" if ext else stem


def private_path(stored_name: str) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / stored_name[:2] / stored_name


def store_upload(uploaded, *, actor) -> StoredFile:
    """Check and store an uploaded file; raise UploadRejected with a French message."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    if uploaded.size == 0:
        raise UploadRejected("Le fichier est vide.")
    if uploaded.size > max_bytes:
        raise UploadRejected(f"Le fichier dépasse la taille maximale de {max_bytes // (1024 * 1024)} Mo.")
    head = uploaded.read(4096)
    uploaded.seek(0)
    real_type = magic.from_buffer(head, mime=True)
    if real_type not in ALLOWED:
        raise UploadRejected("Seuls les documents PDF, JPEG ou PNG sont acceptés (type détecté : "
                             f"{real_type}).")
    display = safe_display_name(uploaded.name)
    ext = Path(display).suffix.lower()
    if ext not in ALLOWED[real_type]:
        raise UploadRejected(f"L'extension « {ext or 'aucune'} » ne correspond pas au contenu du fichier "
                             f"({EXTENSION_FOR[real_type]} attendu).")
    stored_name = uuid.uuid4().hex + EXTENSION_FOR[real_type]
    path = private_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("xb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    return StoredFile.objects.create(original_name=display, stored_name=stored_name, content_type=real_type,
                                     size=uploaded.size, sha256=digest.hexdigest(), uploaded_by=actor)
