"""Who sees and does what in the juries: only the jury's members see its grid (art. 130: huis clos)."""

from parcours.accounts import permissions as account_permissions
from parcours.accounts.models import Role
from parcours.juries import selectors
from parcours.juries.models import Decision, DeliberationSession, Jury
from parcours.juries.workflow import SessionStatus


def can_see_jury(user, jury: Jury) -> bool:
    return selectors.is_member(user, jury)


def is_secretary(user, jury: Jury) -> bool:
    return user.is_authenticated and user.pk == jury.secretary_id


def is_president(user, jury: Jury) -> bool:
    return user.is_authenticated and user.pk == jury.president_id


def is_officer(user, jury: Jury) -> bool:
    return is_secretary(user, jury) or is_president(user, jury)


def session_actions(user, session: DeliberationSession) -> dict[str, bool]:
    """What the screen offers: exactly what the services accept."""
    jury = session.jury
    is_open = session.status == SessionStatus.OPEN
    closed = session.status == SessionStatus.CLOSED
    return {
        "open": is_secretary(user, jury) and session.status == SessionStatus.PREPARED,
        "attendance": is_secretary(user, jury) and is_open,
        "decide": is_officer(user, jury) and is_open and session.quorum_valid,
        "undo": is_officer(user, jury) and is_open,  # withdrawing a grant or a raised mention needs no quorum
        "close": is_secretary(user, jury) and is_open and session.quorum_valid,
        "reopen": is_president(user, jury) and closed,
        "publish": is_president(user, jury) and closed and not session.published,
        "pv": closed and can_see_jury(user, jury),
    }


def can_see_decision(user, decision: Decision) -> bool:
    """The student once published (art. 103); the jury's members."""
    if not user.is_authenticated:
        return False
    if decision.student.user_id == user.pk:
        return decision.session.published
    return can_see_jury(user, decision.session.jury)


def can_download_diploma(user, decision: Decision) -> bool:
    """Art. 136: the jury issues the diploma "après proclamation", signed by its president and secretary (the
    supplement by the secretary): before publication nobody has it; after, the student and those two officers — not
    the jury's other members, nor a direction that does not sit on it as president or secretary."""
    if not (user.is_authenticated and decision.session.published):
        return False
    return decision.student.user_id == user.pk or is_officer(user, decision.session.jury)


# Art. 127: "les autorités de la HELHa constituent un jury": the department's secretariat prepares it for its
# direction; both may constitute it and edit its composition.
COMPOSERS = {Role.SECRETARIAT, Role.DEPARTMENT_DIRECTION}


def can_compose(user, programme) -> bool:
    return user.is_authenticated and account_permissions.can_act_on_programme(user, programme, COMPOSERS)


def composable_programmes(user):
    """The programmes whose jury the person may constitute (their department's)."""
    from parcours.institutions.models import Programme

    if not user.is_authenticated or not account_permissions.roles_of(user) & COMPOSERS:
        return Programme.objects.none()
    scope = account_permissions.scope_programmes(user, COMPOSERS)
    programmes = Programme.objects.all() if scope is None else Programme.objects.filter(pk__in=scope)
    return programmes.order_by("name")


def may_compose(user) -> bool:
    """Whether ``composable_programmes`` holds one, without reading them when the scope is a set of programmes: its
    ids are those of programmes (foreign keys, or read from the departments), so it holds one when it is not empty.
    Asked by every staff home."""
    if not user.is_authenticated or not account_permissions.roles_of(user) & COMPOSERS:
        return False
    scope = account_permissions.scope_programmes(user, COMPOSERS)
    return composable_programmes(user).exists() if scope is None else bool(scope)


def can_edit_composition(user, jury: Jury) -> bool:
    return is_officer(user, jury) or can_compose(user, jury.programme)
