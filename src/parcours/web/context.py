from parcours.accounts import permissions


def navigation(request):
    """The menu's facts, computed once per request (a page rendering several templates reuses them)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    nav = getattr(request, "_parcours_nav", None)
    if nav is None:
        roles = permissions.roles_of(user)  # one query, kept on the user for the views' permission checks
        nav = request._parcours_nav = {
            "nav_is_student": permissions.is_student(user),
            "nav_is_staff": bool(roles & permissions.READERS),
            "nav_is_direction": bool(roles & {"college_direction", "direction_departement"}),
            "nav_unread": user.notifications.filter(read_at__isnull=True).count(),
        }
    return nav
