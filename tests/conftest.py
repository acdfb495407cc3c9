import datetime as dt
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def seed_rge() -> str:
    """The RGE seed text, when the shared/ folder sits beside the clone (it does in CI)."""
    files = sorted(SEEDS.glob("001_*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("shared/seeds/ absent : comparaison avec le texte source impossible")
    return files[0].read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    """Fast password hashing in tests; uploads in a private temporary folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "uploads"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _french_between_tests():
    """Each test starts in French: a page asked in English leaves the thread's language set, and services that
    answer in the asker's language (gettext at call time) would otherwise answer the next test in English."""
    yield
    from django.utils import translation

    translation.activate("fr")


@pytest.fixture
def connections(monkeypatch):
    """Counts the SMTP sessions the one e-mail sender opens."""
    from parcours.notifications import services as notifications

    opened, real = [], notifications.get_connection
    monkeypatch.setattr(notifications, "get_connection", lambda *a, **kw: opened.append(1) or real(*a, **kw))
    return opened


@pytest.fixture(autouse=True)
def _no_kept_pages(settings, tmp_path):
    """Each test keeps its student homes and its sessions in folders of its own: none left by another test (or by
    a server)."""
    settings.CACHES = {**settings.CACHES,
                       "student_home": {**settings.CACHES["student_home"], "LOCATION": tmp_path / "student-home"},
                       "sessions": {**settings.CACHES["sessions"], "LOCATION": tmp_path / "sessions"}}
