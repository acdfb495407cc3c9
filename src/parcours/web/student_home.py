"""The student home, the most visited page: its body (registration, requests, deadlines, fees, dossiers, juries)
is rendered once and kept, keyed by a fingerprint of every row it is computed from.

The fingerprint is one SQL query (PostgreSQL) that reads the full text of those rows — the student and their
user, their registrations with the PAE entries and the credits of their UEs, payments, admission requests,
dossiers and document slots, the juries they sit on, their decisions and whether they are published, and the
catalogue tables (programmes, departments, years) — and hashes it. Any change to any of these rows, by a service,
the admin, a bulk update or raw SQL, changes the fingerprint, so the body is rendered afresh: there is nothing to
invalidate. The key adds what the body depends on outside the database: the day (deadlines and fee status move
with it), the language, the page of dossiers, the person's roles, the settings the rules read, and the code itself
(a hash of the package's files: templates, rules, year parameters, catalogues — a new release renders afresh).
``tests/web/test_student_home_cache.py`` checks that every table the body reads is one the fingerprint covers.

The bodies are files under the data folder, shared by the server's worker processes (a student's next request
may reach another worker); a key holds everything, so a machine of its own, or a wiped folder, only costs a
rendering. The unread notifications (shared with the menu's badge) are not part of the body: they are read on
every page.
On another database than PostgreSQL the body is rendered each time.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from parcours.accounts.permissions import roles_of
from parcours.web.clock import today

CACHE = "student_home"

# Every table the body is computed from (checked by the test above).
TABLES = frozenset({
    "accounts_user", "students_student", "students_registration", "students_paeentry", "institutions_ue",
    "admissions_payment", "admissions_admissionrequest", "dossiers_dossier", "dossiers_documentslot",
    "juries_jury", "juries_jurymember", "juries_decision", "juries_deliberationsession",
    "institutions_programme", "institutions_department", "institutions_academicyear",
})

# Each part: the text of the rows, in primary-key order (a row's text holds every column). The row sets are
# those the body reads, or wider (the catalogue tables are small and read whole).
_REGS = "SELECT id FROM students_registration WHERE student_id = %(s)s"
_PARTS = [
    "SELECT t::text FROM accounts_user t WHERE t.id = %(u)s",
    "SELECT t::text FROM students_student t WHERE t.id = %(s)s",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM students_registration t WHERE t.student_id = %(s)s",
    "SELECT string_agg(t::text || u::text, '|' ORDER BY t.id) FROM students_paeentry t"
    f" JOIN institutions_ue u ON u.id = t.ue_id WHERE t.registration_id IN ({_REGS})",
    f"SELECT string_agg(t::text, '|' ORDER BY t.id) FROM admissions_payment t WHERE t.registration_id IN ({_REGS})",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM admissions_admissionrequest t"
    f" WHERE t.student_id = %(s)s OR t.registration_id IN ({_REGS})",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM dossiers_dossier t WHERE t.student_id = %(s)s",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM dossiers_documentslot t"
    " WHERE t.dossier_id IN (SELECT id FROM dossiers_dossier WHERE student_id = %(s)s)",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM juries_jurymember t WHERE t.user_id = %(u)s",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM juries_jury t WHERE t.president_id = %(u)s"
    " OR t.secretary_id = %(u)s OR t.id IN (SELECT jury_id FROM juries_jurymember WHERE user_id = %(u)s)",
    "SELECT string_agg(t::text || s::text, '|' ORDER BY t.id) FROM juries_decision t"
    " JOIN juries_deliberationsession s ON s.id = t.session_id WHERE t.student_id = %(s)s",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM institutions_programme t",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM institutions_department t",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM institutions_academicyear t",
]
FINGERPRINT_SQL = "SELECT md5(concat_ws('#', " + ", ".join(f"({p}), '{i}'" for i, p in enumerate(_PARTS)) + "))"


@functools.cache
def code_version() -> str:
    """A hash of the package's files (code, templates, year parameters, translations), read once per process."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(student) -> str | None:
    """The hash of every row the body shows; None when the database cannot say (then nothing is kept)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL, {"u": student.user_id, "s": student.pk})
        return cursor.fetchone()[0]


def body(request, student, render_body) -> str:
    """The body for this request: kept when the fingerprint and everything else it depends on are the same,
    else rendered by ``render_body()`` (and kept)."""
    rows = fingerprint(student)
    if rows is None:
        return render_body()
    key = "|".join(map(str, [
        student.user_id, rows, today().isoformat(), translation.get_language(), request.GET.get("page", ""),
        ",".join(sorted(roles_of(request.user))), settings.ACADEMIC_YEAR, settings.PARCOURS_IBAN,
        settings.PARCOURS_BIC, settings.PARCOURS_BENEFICIARY, code_version(),
    ]))
    key = "home:" + hashlib.sha256(key.encode()).hexdigest()
    store = caches[CACHE]
    html = store.get(key)
    if html is None:
        html = render_body()
        # Kept only if nothing changed while it was rendered (its queries are not in the fingerprint's snapshot).
        if fingerprint(student) == rows:
            store.set(key, html)
    return html
