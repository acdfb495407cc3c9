"""One archive for a whole Parcours: the database as JSON, references to content types and permissions by
natural key (their ids differ from one database to another) and every row keeping its primary key, so audit
events naming "user 12" still name the same person — portable between SQLite and PostgreSQL — and every uploaded document with its SHA-256, plus a manifest of row counts to check a restore.

    manage.py backup [--output DIR]      writes parcours-sauvegarde-AAAAMMJJ-HHMMSS.tar.gz
    manage.py restore ARCHIVE            into an empty, migrated database (see README for scheduling)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from parcours.accounts.sessions import forget_cached_sessions

# Rebuilt by `migrate` (content types, permissions) or worthless in another installation (sessions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
FORMAT = 1


class BackupError(Exception):
    """A French message: the archive cannot be written or restored as it is."""


def _models():
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    return [m for m in apps.get_models() if m._meta.app_label not in excluded_apps
            and m._meta.label_lower not in excluded_models and not m._meta.proxy and m._meta.managed]


def row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in _models()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def uploaded_files() -> dict[str, str]:
    """Every file under the private upload folder: relative path → SHA-256."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def backup(output_dir: Path) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"parcours-sauvegarde-{stamp}.tar.gz"
    data = io.StringIO()
    with transaction.atomic():  # one consistent picture (a snapshot on PostgreSQL)
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, indent=None,
                     stdout=data)
        counts = row_counts()
    files = uploaded_files()
    manifest = {"format": FORMAT, "created": dt.datetime.now().isoformat(timespec="seconds"),
                "database_vendor": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "rows": counts, "files": files}
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    partial = archive.with_suffix(".partial")
    with tarfile.open(partial, "w:gz") as tar:
        for name, content in (("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False)),
                              ("database.json", data.getvalue())):
            raw = content.encode()
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
        for rel in files:
            tar.add(root / rel, arcname=f"uploads/{rel}")
    partial.rename(archive)  # never a half-written archive under the final name
    return archive


def _safe_member(name: str) -> str:
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts:
        raise BackupError(f"Archive refusée : chemin dangereux « {name} ».")
    return name


def restore(archive: Path) -> dict:
    """Into an empty database: the rows, then the files, each file's hash and each model's count checked;
    on any difference nothing is kept."""
    if not archive.is_file():
        raise BackupError(f"Archive introuvable : {archive}")
    not_empty = sorted(label for label, n in row_counts().items() if n)
    if not_empty:
        raise BackupError("La base n'est pas vide (" + ", ".join(not_empty[:5]) + ") : restaurez dans une base "
                          "neuve (`manage.py migrate` sur une base vide).")
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"Archive illisible : {exc}") from exc
    with tar:
        names = {_safe_member(m.name): m for m in tar.getmembers()}
        if "manifest.json" not in names or "database.json" not in names:
            raise BackupError("Archive incomplète : manifest.json ou database.json manquant.")
        manifest = json.loads(tar.extractfile(names["manifest.json"]).read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Format d'archive {manifest.get('format')} inconnu (attendu : {FORMAT}).")
        contents = {}
        for rel, expected in manifest["files"].items():
            member = names.get(f"uploads/{rel}")
            raw = tar.extractfile(member).read() if member is not None else None
            if raw is None or hashlib.sha256(raw).hexdigest() != expected:
                raise BackupError(f"Fichier absent ou altéré dans l'archive : {rel}")
            contents[rel] = raw
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        fixture = root.parent / f".restore-{archive.stem}.json"
        fixture.parent.mkdir(parents=True, exist_ok=True)
        fixture.write_bytes(tar.extractfile(names["database.json"]).read())
    written = []
    try:
        with transaction.atomic():
            call_command("loaddata", str(fixture), verbosity=0)
            counts = row_counts()
            differ = {k: (v, counts.get(k, 0)) for k, v in manifest["rows"].items() if counts.get(k, 0) != v}
            if differ:
                raise BackupError("Restauration incomplète, rien n'est gardé : " + ", ".join(
                    f"{k} {a}→{b}" for k, (a, b) in sorted(differ.items())[:5]))
            for rel, raw in contents.items():
                target = root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(raw)
                written.append(target)
    except Exception:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    finally:
        fixture.unlink(missing_ok=True)
    forget_cached_sessions()  # sessions are not archived: everyone logs in again, cached sessions included
    return {"rows": sum(manifest["rows"].values()), "files": len(contents), "created": manifest["created"]}
