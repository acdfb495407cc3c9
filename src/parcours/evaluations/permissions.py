"""Who may see and do what with evaluations. Views and services both call these."""

from django.db.models import Q, QuerySet

from parcours.accounts import permissions
from parcours.accounts.models import Role

ORGANISERS = {Role.SECRETARIAT, Role.JURY_SECRETARY, Role.DEPARTMENT_DIRECTION}  # periods, timetable, progress
FOLLOWERS = ORGANISERS | {Role.JURY_PRESIDENT}
SECRETARIAT = {Role.SECRETARIAT}
PRESIDENT = {Role.JURY_PRESIDENT}
JURY_SECRETARY = {Role.JURY_SECRETARY}
DIRECTION = {Role.DEPARTMENT_DIRECTION}


def programme_of(sheet):
    return sheet.activity.ue.programme


def is_evaluator(user, sheet) -> bool:
    """The activity's evaluators (and co-evaluators designated by the jury president, art. 99)."""
    if not user.is_authenticated:
        return False
    return sheet.evaluators.filter(pk=user.pk).exists() or sheet.activity.ue.teachers.filter(pk=user.pk).exists()


def evaluators_of(sheet) -> set:
    """The people who encode the sheet and are told about it: its evaluators and the UE's teachers (art. 99)."""
    return set(sheet.evaluators.all()) | set(sheet.activity.ue.teachers.all())


def may_act(user, programme, roles) -> bool:
    return user.is_authenticated and permissions.can_act_on_programme(user, programme, roles)


def can_view_sheet(user, sheet) -> bool:
    return is_evaluator(user, sheet) or may_act(user, programme_of(sheet), FOLLOWERS)


def can_encode(user, sheet) -> bool:
    return is_evaluator(user, sheet)


def can_correct(user, sheet) -> bool:
    """After submission only the jury secretary corrects a note, with a reason."""
    return may_act(user, programme_of(sheet), JURY_SECRETARY)


def can_complete_late(user, sheet) -> bool:
    """A sheet left incomplete after the encoding deadline: the jury secretary completes it (see
    services.complete_late_sheet for why, the RGE being silent)."""
    return may_act(user, programme_of(sheet), JURY_SECRETARY)


def sheets_visible_to(user) -> QuerySet:
    from parcours.evaluations.models import ScoreSheet

    if not user.is_authenticated:
        return ScoreSheet.objects.none()
    own = Q(evaluators=user) | Q(activity__ue__teachers=user)
    if permissions.roles_of(user) & FOLLOWERS:
        scope = permissions._scope_q(user, FOLLOWERS, "activity__ue__programme")
        if scope is None:
            return ScoreSheet.objects.all()
        return ScoreSheet.objects.filter(pk__in=ScoreSheet.objects.filter(own | scope).values("pk"))
    return ScoreSheet.objects.filter(pk__in=ScoreSheet.objects.filter(own).values("pk"))


def programmes_followed_by(user, roles=FOLLOWERS) -> QuerySet:
    """The programmes the user follows through one of ``roles`` (itself, its department, or all of HELHa)."""
    from parcours.institutions.models import Programme

    query = Q(pk__in=[])
    for a in user.role_assignments.select_related("institution") if user.is_authenticated else []:
        if a.role not in roles:
            continue
        if a.programme_id:
            query |= Q(pk=a.programme_id)
        elif a.department_id:
            query |= Q(department_id=a.department_id)
        elif a.institution_id is None or a.institution.kind == "home":
            return Programme.objects.all()
    return Programme.objects.filter(query)


# Art. 83: the department director authorises a further presentation; the jury president is the department director
# (art. 128).
ATTEMPT_AUTHORISERS = DIRECTION | PRESIDENT


def can_authorise_attempt(user, sheet) -> bool:
    return may_act(user, programme_of(sheet), ATTEMPT_AUTHORISERS)
