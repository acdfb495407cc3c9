"""Who sees and does what in the juries: only the jury's members see its grid (art. 130: huis clos)."""

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
