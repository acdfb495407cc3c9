"""Who may see and do what. Every view and API endpoint goes through these functions."""

from contextlib import contextmanager

from django.db.models import Q, QuerySet

from parcours.accounts.models import Role

# Staff who read student records of their scope.
READERS = {Role.SECRETARIAT, Role.ADMISSION, Role.JURY_PRESIDENT, Role.JURY_SECRETARY, Role.RI_COORDINATOR,
           Role.INTERNATIONAL_OFFICE, Role.MOBILITY_COMMITTEE, Role.SOCIAL_WORKER, Role.DEPARTMENT_DIRECTION,
           Role.DOMAIN_DIRECTION, Role.COLLEGE, Role.DPO, Role.COMMISSIONER}
# Staff who accept or refuse documents of their scope.
REVIEWERS = {Role.SECRETARIAT, Role.ADMISSION, Role.DEPARTMENT_DIRECTION}
# Read-only institution-wide readers.
READ_ONLY = {Role.COMMISSIONER, Role.DPO}


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_parcours_roles", None)
    if cache is None:
        cache = list(user.role_assignments.select_related("institution"))
        user._parcours_roles = cache
    return {a.role for a in cache}


def assignments_of(user) -> list:
    """The user's role assignments, read once per request (``roles_of`` keeps them on the user)."""
    roles_of(user)
    return getattr(user, "_parcours_roles", None) or []


def is_student(user) -> bool:
    return user.is_authenticated and hasattr(user, "student")


def is_teacher(user) -> bool:
    return Role.TEACHER in roles_of(user)


def is_staff_member(user) -> bool:
    return bool(roles_of(user) & READERS)


def _scope_q(user, roles: set[str], programme_path: str) -> Q | None:
    """Programmes reachable through the user's assignments of ``roles``, as a filter on ``programme_path``;
    None when one assignment covers the whole institution."""
    query = Q(pk__in=[])
    for a in getattr(user, "_parcours_roles", None) or user.role_assignments.select_related("institution"):
        if a.role not in roles:
            continue
        if a.programme_id:
            query |= Q(**{f"{programme_path}_id": a.programme_id})
        elif a.department_id:
            query |= Q(**{f"{programme_path}__department_id": a.department_id})
        elif a.institution_id and a.institution.kind != "home":
            continue  # a partner institution's staff gets no HELHa-wide scope
        else:  # the whole HELHa
            return None
    return query


def scope_programmes(user, roles: set[str]) -> frozenset[int] | None:
    """The programme ids the user's assignments of ``roles`` reach (a department stands for its programmes);
    None when one assignment covers the whole institution. The staff pages filter on ``programme_id IN (…)``,
    which the composite indexes serve, instead of joining the programmes. Read afresh on each call (one small
    query): a programme added to a department is in scope at once — except within ``scope_read_once``, where a page
    building several lists of the scope reads it once."""
    from parcours.institutions.models import Programme

    programmes, departments = set(), set()
    result = None
    for a in getattr(user, "_parcours_roles", None) or user.role_assignments.select_related("institution"):
        if a.role not in roles:
            continue
        if a.programme_id:
            programmes.add(a.programme_id)
        elif a.department_id:
            departments.add(a.department_id)
        elif a.institution_id and a.institution.kind != "home":
            continue  # a partner institution's staff gets no HELHa-wide scope
        else:  # the whole HELHa
            break
    else:
        if departments:
            kept = getattr(user, "_parcours_department_programmes", None)
            key = frozenset(departments)
            found = kept.get(key) if kept is not None else None
            if found is None:
                found = frozenset(Programme.objects.filter(department_id__in=key).values_list("pk", flat=True))
                if kept is not None:
                    kept[key] = found
            programmes |= found
        result = frozenset(programmes)
    return result


@contextmanager
def scope_read_once(user):
    """Within the block, ``scope_programmes`` reads the programmes of the user's departments once: for a page that
    builds several lists of the same scope (outside it, a service called again sees a programme added since)."""
    user._parcours_department_programmes = {}
    try:
        yield
    finally:
        del user._parcours_department_programmes


def own_student_pk(user) -> int | None:
    return user.student.pk if is_student(user) else None


def students_visible_to(user) -> QuerySet:
    from parcours.students.models import Registration, Student

    if not user.is_authenticated:
        return Student.objects.none()
    if roles_of(user) & READERS:
        programmes = scope_programmes(user, READERS)
        if programmes is None:
            return Student.objects.all()
        # Registrations of the scope, by their (programme, …) index; the user themself by primary key — both
        # on the same column, so no OR across unrelated columns that would make the planner scan every student.
        in_scope = Q(pk__in=Registration.objects.filter(programme_id__in=programmes).values("student_id"))
        own = own_student_pk(user)
        return Student.objects.filter(in_scope | Q(pk=own) if own else in_scope)
    return Student.objects.filter(user=user)


def can_view_student(user, student) -> bool:
    if not user.is_authenticated:
        return False
    if student.user_id == user.pk:
        return True
    return students_visible_to(user).filter(pk=student.pk).exists()


# Who staffs a department: a request to a department with none of them reaches the domain direction.
STAFF_OF_DEPARTMENT = {Role.SECRETARIAT, Role.ADMISSION, Role.DEPARTMENT_DIRECTION}


def _orphans_q(path: str = "programme") -> Q:
    """Programmes whose department has no staff account (nor any programme of it): nobody there can decide."""
    from parcours.accounts.models import RoleAssignment

    staffed = RoleAssignment.objects.filter(role__in=STAFF_OF_DEPARTMENT)
    departments = {d for d in staffed.values_list("department_id", flat=True) if d}
    departments |= {d for d in staffed.filter(programme__isnull=False)
                    .values_list("programme__department_id", flat=True) if d}
    return Q(**{f"{path}__department__isnull": True}) | ~Q(**{f"{path}__department_id__in": departments})


def orphan_requests(user) -> QuerySet:
    from parcours.admissions.models import AdmissionRequest

    if Role.DOMAIN_DIRECTION not in roles_of(user):
        return AdmissionRequest.objects.none()
    return AdmissionRequest.objects.filter(_orphans_q())


def dossiers_visible_to(user) -> QuerySet:
    from parcours.dossiers.models import Dossier

    if not user.is_authenticated:
        return Dossier.objects.none()
    own_pk = own_student_pk(user)
    own = Q(student_id=own_pk) if own_pk else Q(pk__in=[])
    if Role.DOMAIN_DIRECTION in roles_of(user):
        own |= _orphans_q()
    partners = partner_institutions(user, {Role.RI_COORDINATOR})
    if partners:  # a co-organising institution's coordinator reads the submitted candidatures sent to it
        from parcours.exchanges.models import Candidature

        own |= Q(pk__in=Candidature.objects.filter(call__recipients__in=partners).exclude(status="brouillon")
                 .values("dossier_id"))
    if roles_of(user) & READERS:
        programmes = scope_programmes(user, READERS)
        return Dossier.objects.all() if programmes is None else Dossier.objects.filter(
            Q(programme_id__in=programmes) | own)
    return Dossier.objects.filter(own)


def dossiers_reviewable_by(user) -> QuerySet:
    from parcours.dossiers.models import Dossier

    orphans = Dossier.objects.filter(_orphans_q()) if Role.DOMAIN_DIRECTION in roles_of(user) else Dossier.objects.none()
    if not roles_of(user) & REVIEWERS:
        return orphans
    programmes = scope_programmes(user, REVIEWERS)
    return Dossier.objects.all() if programmes is None else Dossier.objects.filter(programme_id__in=programmes) | orphans


def reviewable_q(user, dossier_path: str = "dossier") -> Q:
    """``dossiers_reviewable_by`` as a filter through ``dossier_path``. When the scope is a set of programmes, on the
    dossier's programme directly: a join the (programme) and (status, dossier) indexes serve, where an IN over the
    dossiers' subquery makes the planner hash every dossier of the institution."""
    programmes = reviewable_programmes(user)
    if programmes is not None:
        return Q(**{f"{dossier_path}__programme_id__in": programmes})
    return Q(**{f"{dossier_path}__in": dossiers_reviewable_by(user)})


def reviewable_programmes(user) -> frozenset[int] | None:
    """The programmes whose dossiers are all the user reviews; None when the scope is not a set of programmes (the
    whole institution, or a domain direction's orphan dossiers): then ``dossiers_reviewable_by`` says."""
    if Role.DOMAIN_DIRECTION not in roles_of(user) and roles_of(user) & REVIEWERS:
        return scope_programmes(user, REVIEWERS)
    return None


def can_view_dossier(user, dossier) -> bool:
    return dossiers_visible_to(user).filter(pk=dossier.pk).exists()


def can_review_dossier(user, dossier) -> bool:
    return dossiers_reviewable_by(user).filter(pk=dossier.pk).exists()


def can_upload_to(user, dossier) -> bool:
    """The student owner, or a reviewer of the dossier's scope uploading on the student's behalf."""
    return dossier.student.user_id == user.pk or can_review_dossier(user, dossier)


def can_act_for_student(user, student, roles: set[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` over a programme the student is registered in."""
    if not roles_of(user) & roles:
        return False
    from parcours.students.models import Student

    by_registration = _scope_q(user, roles, "registrations__programme")
    if by_registration is None:
        return True
    by_dossier = _scope_q(user, roles, "dossiers__programme")  # an applicant has a dossier before a registration
    return Student.objects.filter(by_registration | by_dossier, pk=student.pk).exists()


def can_act_on_programme(user, programme, roles: set[str]) -> bool:
    """Whether one of the user's assignments of ``roles`` covers the programme (itself, its department or HELHa)."""
    if not roles_of(user) & roles:
        return False
    for a in getattr(user, "_parcours_roles", None) or user.role_assignments.select_related("institution"):
        if a.role not in roles:
            continue
        if a.programme_id == programme.pk or (a.department_id and a.department_id == programme.department_id):
            return True
        if not a.programme_id and not a.department_id and (a.institution_id is None or a.institution.kind == "home"):
            return True
    return False


def partner_institutions(user, roles: set[str]) -> set[int]:
    """Partner institutions (HENALLUX, HERS …) for which the user holds one of ``roles``."""
    return {a.institution_id for a in (getattr(user, "_parcours_roles", None) or user.role_assignments.select_related(
        "institution")) if a.role in roles and a.institution_id and a.institution.kind != "home"}
