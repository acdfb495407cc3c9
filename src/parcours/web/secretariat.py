"""What the secretariat's home reads (issue 13: it costs what the department costs, not what the institution does):
the documents to check, the students of the scope, and every count heading them — those in one query.

The lists are walked in their order by the (uploaded_at) and (last_name, first_name, id) indexes and stop after their
page; the counts are capped (``CappedPaginator``: "1000+") or made on the department's rows through the (programme, …)
indexes. Who sees what is ``parcours.accounts.permissions``'s."""

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery

from parcours.accounts import permissions
from parcours.accounts.models import User
from parcours.admissions.models import BankTransaction
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.workflow import DossierStatus, SlotStatus
from parcours.students.models import Registration
from parcours.web import paging
from parcours.web.paging import CAP


def document_queue(user) -> QuerySet:
    """The received documents of the dossiers the user reviews, oldest upload first (received = a file), as the
    columns the page shows (rows, not five models a row: ``queue_rows`` finishes them)."""
    return (DocumentSlot.objects.filter(permissions.reviewable_q(user), status=SlotStatus.RECEIVED, file__isnull=False)
            .order_by("file__uploaded_at", "id")
            .values("label", "dossier_id", title=F("dossier__title"), first_name=F("dossier__student__user__first_name"),
                    last_name=F("dossier__student__user__last_name"), uploaded_at=F("file__uploaded_at")))


def queue_rows(rows) -> list[dict]:
    """A page of ``document_queue`` with the student's name as their account writes it."""
    return [{**row, "student": User.full_name(row["first_name"], row["last_name"])} for row in rows]


def student_list(user, query: str) -> QuerySet:
    """The students the user reads, by name; ``query`` filters on the name, first name or matricule. As the columns
    the page shows."""
    students = permissions.students_visible_to(user)
    if query:
        students = students.filter(Q(user__last_name__icontains=query) | Q(user__first_name__icontains=query)
                                   | Q(matricule__icontains=query))
    return (students.order_by("user__last_name", "user__first_name", "user_id")
            .values("pk", "matricule", first_name=F("user__first_name"), last_name=F("user__last_name")))


def counts(user, queue: QuerySet, students: QuerySet, *, searching: bool, to_decide: QuerySet,
           bank: bool) -> dict[str, int]:
    """Every count of the page in one query: the visible dossiers open and complete, the documents to check and the
    students listed (both capped at ``CAP`` + 1: the page says "1000+"), the complete requests to decide and, for a
    secretariat (``bank``), the bank transfers waiting to be assigned."""
    dossiers = permissions.dossiers_visible_to(user)
    reviewed = permissions.reviewable_programmes(user)
    listed = _scope_students(user) if not searching else None
    parts = {
        "open": dossiers.filter(status=DossierStatus.OPEN).values("pk"),
        "complete": dossiers.filter(status=DossierStatus.COMPLETE).values("pk"),
        "received": (queue if reviewed is None else _received(reviewed)).values("pk")[:CAP + 1],
        "students": listed if listed is not None else students.values("pk")[:CAP + 1],
        "to_decide": to_decide.values("pk"),
    }
    if bank:
        parts["bank_waiting"] = BankTransaction.objects.filter(status=BankTransaction.Status.WAITING).values("pk")
    found = paging.counts(**parts)
    found.setdefault("bank_waiting", 0)
    return found


class _AmongKeys(Func):
    """PostgreSQL's ``<column> = ANY(ARRAY(<subquery>))``: the subquery's keys read first, then one scan of an index
    over them."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        keys, keys_params = compiler.compile(self.source_expressions[1])  # "(SELECT …)"
        return f"{column} = ANY(ARRAY{keys})", (*column_params, *keys_params)


def _received(programmes) -> QuerySet:
    """The received documents of the programmes' dossiers, found through the dossiers: on PostgreSQL as
    ``dossier_id = ANY(ARRAY(…))``, one scan of the slots' dossier index over the department's dossiers, where an
    ``IN (…)`` or a join lets the planner hash every received document of the institution to keep the department's.
    (No partial index of the received documents: the planner then misjudges the queue's page and hashes the whole
    index instead of walking the uploads — 19 ms instead of 3 at 20 000 students.)"""
    dossiers = Dossier.objects.filter(programme_id__in=programmes).order_by().values("pk")
    slots = DocumentSlot.objects.filter(status=SlotStatus.RECEIVED, file__isnull=False)
    if connection.vendor == "postgresql":
        return slots.filter(_AmongKeys(F("dossier_id"), Subquery(dossiers)))
    return slots.filter(dossier__in=dossiers)


def _scope_students(user) -> QuerySet | None:
    """The students ``students_visible_to`` gives a reader of a set of programmes who is not a student themself, as
    the distinct students of the scope's registrations (their (programme, student) index): what the department costs,
    where the students' own table would be scanned whole. None otherwise."""
    if not permissions.roles_of(user) & permissions.READERS or permissions.own_student_pk(user) is not None:
        return None
    programmes = permissions.scope_programmes(user, permissions.READERS)
    if programmes is None:
        return None
    return Registration.objects.filter(programme_id__in=programmes).values("student_id").distinct()[:CAP + 1]
