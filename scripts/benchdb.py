"""The benchmark scripts' populations: a PostgreSQL database per size, made when missing.

``ensure(url, students)`` creates the database when it does not exist, migrates it and generates the population
(``manage.py generate_population``) up to ``students`` generated students; a database that has them already is
used as it is (generating 20 000 students with their notes takes under a minute, 40 000 about twice that). ``scratch_copy`` clones one for
a benchmark that changes data (``daily`` cancels registrations).
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def with_suffix(url: str, suffix: str) -> str:
    """The same server, the database name with a suffix: postgres://…/parcours_bench → …/parcours_bench_2k."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def _admin(url: str, sql: str, *params) -> list:
    """Run ``sql`` on the server's maintenance database (CREATE DATABASE cannot run inside the target)."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        cur = conn.execute(sql, params or None)
        return cur.fetchall() if cur.description else []


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _exists(url: str) -> bool:
    return bool(_admin(url, "SELECT 1 FROM pg_database WHERE datname = %s", _name(url)))


def _manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "parcours.config.settings"}
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True)
    return done.stdout


def _generated(url: str) -> int:
    out = _manage(url, "shell", "-c", "from parcours.accounts.models import User; "
                  "print(User.objects.filter(email__startswith='pop', email__endswith='@pop.helha.be').count())")
    return int(out.strip().splitlines()[-1])


def ensure(url: str, students: int, log=print) -> str:
    """The database at ``url`` with at least ``students`` generated students (created, migrated, generated)."""
    if not url.startswith("postgres"):
        raise SystemExit(f"Les bancs de mesure tournent sur PostgreSQL (DATABASE_URL=postgres://…), pas sur {url!r}.")
    if not _exists(url):
        log(f"  création de la base {_name(url)}")
        _admin(url, f'CREATE DATABASE "{_name(url)}"')
    _manage(url, "migrate", "--noinput", "-v0")
    have = _generated(url)
    if have < students:
        log(f"  {_name(url)} : génération de {students - have} étudiants…")
        _manage(url, "generate_population", "--students", str(students - have))
    return url


def scratch_copy(url: str, suffix: str = "_scratch") -> str:
    """A fresh copy of the database at ``url`` (PostgreSQL's template copy), replacing any previous one."""
    copy = with_suffix(url, suffix)
    _admin(url, f'DROP DATABASE IF EXISTS "{_name(copy)}"')
    _admin(url, f'CREATE DATABASE "{_name(copy)}" TEMPLATE "{_name(url)}"')
    return copy


def drop(url: str) -> None:
    _admin(url, f'DROP DATABASE IF EXISTS "{_name(url)}"')
