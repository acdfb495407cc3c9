"""Sessions read through a cache the server's processes share (settings: SESSION_ENGINE, issue 13): a page no
longer queries the session table, and closing a session still closes it for every process."""

import os
import subprocess
import sys
import textwrap

from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.test_accounts import NEW_PASSWORD, PASSWORD, logs_in

EMAIL = "etudiant@test.helha.be"


def me(client) -> int:
    return client.get("/api/me").status_code


def test_a_page_reads_the_session_from_the_cache_and_falls_back_on_the_table(client, world):
    assert logs_in(client, EMAIL, PASSWORD)
    with CaptureQueriesContext(connection) as read:
        assert me(client) == 200
    assert not [q for q in read.captured_queries if "django_session" in q["sql"]]
    # A session the cache does not hold (another machine opened it, or the cache was emptied): read from the
    # table once, then kept.
    caches["sessions"].clear()
    with CaptureQueriesContext(connection) as missed:
        assert me(client) == 200
    assert [q for q in missed.captured_queries if "django_session" in q["sql"]]
    with CaptureQueriesContext(connection) as again:
        assert me(client) == 200
    assert not [q for q in again.captured_queries if "django_session" in q["sql"]]


def _peek(data_dir, session_key: str) -> str:
    """What another process of this machine finds in the sessions cache for that key."""
    script = textwrap.dedent(f"""
        import django
        django.setup()
        from django.core.cache import caches
        print("user", (caches["sessions"].get({KEY_PREFIX + session_key!r}) or {{}}).get("_auth_user_id"))
    """)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parcours.config.settings", "PARCOURS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)  # the cache only: no database is opened
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()[-1]


def test_a_logout_closes_the_session_for_the_other_processes_too(client, world, settings, tmp_path):
    settings.CACHES = {**settings.CACHES, "sessions": {**settings.CACHES["sessions"],
                                                       "LOCATION": tmp_path / "cache" / "sessions"}}
    assert logs_in(client, EMAIL, PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _peek(tmp_path, key) == str(world.users["etudiant"].pk)  # the other workers read this login
    client.post(reverse("logout"))
    assert _peek(tmp_path, key) == "None"
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key
    assert me(stolen) == 401


def test_a_changed_password_ends_the_other_sessions_despite_the_cache(client, world):
    other = Client()
    assert logs_in(client, EMAIL, PASSWORD) and logs_in(other, EMAIL, PASSWORD)
    assert me(other) == 200
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                             "new_password2": NEW_PASSWORD})
    assert me(client) == 200  # the session that changed it goes on
    assert me(other) == 401


def test_a_closed_account_is_refused_on_its_next_request(client, world):
    assert logs_in(client, EMAIL, PASSWORD)
    world.users["etudiant"].__class__.objects.filter(pk=world.users["etudiant"].pk).update(is_active=False)
    assert me(client) == 401


def _engine(value: str) -> subprocess.CompletedProcess:
    script = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parcours.config.settings", "PARCOURS_SESSION_CACHE": value}
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)


def test_several_machines_can_keep_sessions_in_the_table_alone():
    assert _engine("database").stdout.split()[-1] == "django.contrib.sessions.backends.db"
    refused = _engine("redis")
    assert refused.returncode != 0 and "PARCOURS_SESSION_CACHE : « file » (par défaut) ou « database »" in refused.stderr


def test_a_migrated_database_serves_no_session_its_table_lacks(client, world):
    """A database reset (a new file, the same ids) then migrated: a cookie of the old one does not log in, whoever
    holds that id now; a session the table holds goes on."""
    from django.contrib.sessions.models import Session
    from django.core.management.sql import emit_post_migrate_signal

    kept = Client()
    assert logs_in(client, EMAIL, PASSWORD) and logs_in(kept, EMAIL, PASSWORD)
    Session.objects.exclude(session_key=kept.session.session_key).delete()  # the reset table lacks the first one
    assert me(client) == 200  # still served from the cache until the database is migrated
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert me(client) == 401
    assert me(kept) == 200
