"""What the secretariat's home reads (issue 13: it costs what the department costs, not what the institution does):
the documents to check, the students of the scope, and every count heading them — those in one query.

The documents are read in their order from the slots' (programme, received_at, id) index of the received documents,
the students walked by the (last_name, first_name, id) index, both stopping after their page; the counts are capped
(``CappedPaginator``: "1000+") or made on the department's rows through the (programme, …) indexes. Who sees what
is ``parcours.accounts.permissions``'s."""

from django.db.models import F, Q, QuerySet

from parcours.accounts import permissions
from parcours.accounts.models import User
from parcours.admissions.models import BankTransaction
from parcours.dossiers.models import DocumentSlot
from parcours.dossiers.workflow import DossierStatus, SlotStatus
from parcours.students.models import Registration
from parcours.web import paging
from parcours.web.paging import CAP


def document_queue(user) -> QuerySet:
    """The received documents (a file) of the dossiers the user reviews, oldest upload first, as their keys: what
    the page counts and pages; ``queue_rows`` reads a page's rows. For a scope of programmes, on the slots' own
    programme: the (programme, received_at, id) index of the received documents answers alone."""
    programmes = permissions.reviewable_programmes(user)
    scope = Q(programme_id__in=programmes) if programmes is not None else permissions.reviewable_q(user)
    return (DocumentSlot.objects.filter(scope, status=SlotStatus.RECEIVED, file__isnull=False)
            .order_by("received_at", "id").values("pk"))


def queue_rows(keys: QuerySet) -> list[dict]:
    """A page of ``document_queue`` (its slice, still a query) as the columns the page shows, the student's name as
    their account writes it. The page's keys are taken first, in a subquery, and only they are joined to their
    dossier and student: joined first, the planner would join the department's every document to keep 25."""
    rows = (DocumentSlot.objects.filter(pk__in=keys).order_by("received_at", "id")
            .values("label", "dossier_id", "received_at", title=F("dossier__title"),
                    first_name=F("dossier__student__user__first_name"), last_name=F("dossier__student__user__last_name")))
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
    listed = _scope_students(user) if not searching else None
    parts = {
        "open": dossiers.filter(status=DossierStatus.OPEN).values("pk"),
        "complete": dossiers.filter(status=DossierStatus.COMPLETE).values("pk"),
        "received": queue[:CAP + 1],
        "students": listed if listed is not None else students.values("pk")[:CAP + 1],
        "to_decide": to_decide.values("pk"),
    }
    if bank:
        parts["bank_waiting"] = BankTransaction.objects.filter(status=BankTransaction.Status.WAITING).values("pk")
    found = paging.counts(**parts)
    found.setdefault("bank_waiting", 0)
    return found


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
