"""The student home, the most visited page, is kept whole — menu, body and notifications — and served again as
long as nothing it shows has changed: on a kept page a request costs the session, the user and one query.

That query (PostgreSQL) finds the person's student and hashes the full text of every row the page is computed
from: the student and their user, their role assignments, their registrations with the PAE entries and the
credits of their UEs, payments, admission requests, dossiers and document slots, the juries they sit on, their
decisions and whether they are published, their unread notifications (the menu's badge and the five latest),
and the catalogue tables (programmes, departments, institutions, years). Any change to any of these rows, by a
service, the admin, a bulk update or raw SQL, changes the fingerprint, so the page is rendered afresh: there is
nothing to invalidate. The key adds what the page depends on outside the database: the day (deadlines and fee
status move with it), the language, the page of dossiers, the settings the rules read, and the code itself (a
hash of the package's files: templates, rules, year parameters, catalogues — a new release renders afresh).
What belongs to one request is never kept: the CSRF token is put back fresh on each serving, a page showing a
message (a flash after an action) is neither served from nor kept, nor is one asked with other parameters than
``page``. ``tests/web/test_student_home_cache.py`` checks that every table the page reads is one the fingerprint
covers.

The pages are files under the data folder, shared by the server's worker processes (a student's next request
may reach another worker); a key holds everything, so a machine of its own, or a wiped folder, only costs a
rendering. On another database than PostgreSQL the page is rendered each time.
"""

import functools
import hashlib
import re
import weakref
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import ProgrammingError, connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from parcours.accounts.models import User
from parcours.web.clock import today

CACHE = "student_home"

# Every table the page is computed from (checked by the test above).
TABLES = frozenset({
    "accounts_user", "accounts_roleassignment", "students_student", "students_registration", "students_paeentry",
    "institutions_ue", "admissions_payment", "admissions_admissionrequest", "dossiers_dossier",
    "dossiers_documentslot", "juries_jury", "juries_jurymember", "juries_decision", "juries_deliberationsession",
    "notifications_notification", "institutions_programme", "institutions_department",
    "institutions_institution", "institutions_academicyear",
})

# Each part: the text of the rows, in primary-key order (a row's text holds every column), for the student ``st``
# of the user ``u``. The row sets are those the page reads, or wider (the catalogue tables are small, read whole).
_REGS = "SELECT id FROM students_registration WHERE student_id = st.id"
_UNREAD = "FROM notifications_notification WHERE user_id = %(u)s AND read_at IS NULL"
_PARTS = [
    "SELECT t::text FROM accounts_user t WHERE t.id = %(u)s",
    "SELECT st::text",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM accounts_roleassignment t WHERE t.user_id = %(u)s",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM students_registration t WHERE t.student_id = st.id",
    "SELECT string_agg(t::text || u::text, '|' ORDER BY t.id) FROM students_paeentry t"
    f" JOIN institutions_ue u ON u.id = t.ue_id WHERE t.registration_id IN ({_REGS})",
    f"SELECT string_agg(t::text, '|' ORDER BY t.id) FROM admissions_payment t WHERE t.registration_id IN ({_REGS})",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM admissions_admissionrequest t"
    f" WHERE t.student_id = st.id OR t.registration_id IN ({_REGS})",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM dossiers_dossier t WHERE t.student_id = st.id",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM dossiers_documentslot t"
    " WHERE t.dossier_id IN (SELECT id FROM dossiers_dossier WHERE student_id = st.id)",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM juries_jurymember t WHERE t.user_id = %(u)s",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM juries_jury t WHERE t.president_id = %(u)s"
    " OR t.secretary_id = %(u)s OR t.id IN (SELECT jury_id FROM juries_jurymember WHERE user_id = %(u)s)",
    "SELECT string_agg(t::text || s::text, '|' ORDER BY t.id) FROM juries_decision t"
    " JOIN juries_deliberationsession s ON s.id = t.session_id WHERE t.student_id = st.id",
    # The menu's badge counts them all; the page lists the five latest.
    f"SELECT count(*)::text {_UNREAD}",
    f"SELECT string_agg(t::text, '|' ORDER BY t.created_at DESC, t.id DESC) FROM (SELECT * {_UNREAD}"
    " ORDER BY created_at DESC, id DESC LIMIT 5) t",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM institutions_programme t",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM institutions_department t",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM institutions_institution t",
    "SELECT string_agg(t::text, '|' ORDER BY t.id) FROM institutions_academicyear t",
]
FINGERPRINT_SQL = ("SELECT md5(concat_ws('#', " + ", ".join(f"({p}), '{i}'" for i, p in enumerate(_PARTS))
                   + ")) FROM students_student st WHERE st.user_id = %(u)s")

# The CSRF tokens of the menu's forms (logout, language): masked afresh for each request, so never kept.
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_TOKEN_SLOT = "\x00csrf\x00"


@functools.cache
def code_version() -> str:
    """A hash of the package's files (code, templates, year parameters, translations), read once per process."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# Planning the query costs twice what running it does: each database connection prepares it once (outside a
# transaction, where a statement lost to a connection pooler can be prepared again without aborting anything).
_STATEMENT = "parcours_student_home"
_PREPARE = f"PREPARE {_STATEMENT} (bigint) AS " + FINGERPRINT_SQL.replace("%(u)s", "$1")
_prepared = weakref.WeakSet()  # the driver's connections where it is prepared


def fingerprint(user_id: int) -> str | None:
    """The hash of every row the student's home shows; None when the user is no student or the database cannot
    say (then nothing is kept)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(FINGERPRINT_SQL, {"u": user_id})
        else:
            _execute_prepared(cursor, user_id)
        row = cursor.fetchone()
    return row[0] if row else None


def _execute_prepared(cursor, user_id: int) -> None:
    raw = connection.connection
    if raw not in _prepared:
        cursor.execute(_PREPARE)
        _prepared.add(raw)
    try:
        cursor.execute(f"EXECUTE {_STATEMENT} (%s)", [user_id])
    except ProgrammingError:  # gone (DISCARD ALL, a pooler's other connection): prepared again
        cursor.execute(_PREPARE)
        cursor.execute(f"EXECUTE {_STATEMENT} (%s)", [user_id])


def _key(request, rows: str) -> str | None:
    """The page's key, or None when this request's page is not one to keep."""
    if request.method not in ("GET", "HEAD") or set(request.GET) - {"page"}:
        return None
    page = request.GET.getlist("page")
    if len(page) > 1 or len("".join(page)) > 8:
        return None
    key = "|".join(map(str, [
        request.user.pk, rows, today().isoformat(), translation.get_language(), "".join(page),
        settings.ACADEMIC_YEAR, settings.PARCOURS_IBAN, settings.PARCOURS_BIC, settings.PARCOURS_BENEFICIARY,
        code_version(),
    ]))
    return "home:" + hashlib.sha256(key.encode()).hexdigest()


def _lookup(request) -> tuple[str, str] | None:
    """(fingerprint, key) of this request's page when it may be kept, read once per request."""
    if not hasattr(request, "_parcours_home"):
        found = None
        # A message waiting to be shown (after an action) is for this request only: such a page is not kept.
        if not len(messages.get_messages(request)):
            rows = fingerprint(request.user.pk)
            if rows is None and connection.vendor == "postgresql":
                # No student: said to the user object, so that ``permissions.is_student`` asks no more.
                User.student.related.set_cached_value(request.user, None)
            key = rows and _key(request, rows)
            found = (rows, key) if key else None
        request._parcours_home = found
    return request._parcours_home


def kept_page(request) -> HttpResponse | None:
    """The student's home as last rendered, when nothing it shows has changed since; None otherwise (not a
    student, a message to show, not PostgreSQL, or not kept yet)."""
    found = _lookup(request)
    html = found and caches[CACHE].get(found[1])
    if not html:
        return None
    return HttpResponse(html.replace(_TOKEN_SLOT, get_token(request)))


def keep(request, response: HttpResponse) -> HttpResponse:
    """Keeps the page just rendered for the next requests — only if nothing it shows changed while it was
    rendered (its queries are not in the fingerprint's snapshot)."""
    found = _lookup(request)
    if found and response.status_code == 200 and fingerprint(request.user.pk) == found[0]:
        caches[CACHE].set(found[1], _TOKEN.sub(lambda m: m[1] + _TOKEN_SLOT + m[2], response.content.decode()))
    return response
