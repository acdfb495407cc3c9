from parcours.accounts import permissions


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_is_student": permissions.is_student(user),
        "nav_is_staff": permissions.is_staff_member(user),
        "nav_is_direction": bool(permissions.roles_of(user) & {"college_direction", "direction_departement"}),
        "nav_unread": user.notifications.filter(read_at__isnull=True).count(),
    }
