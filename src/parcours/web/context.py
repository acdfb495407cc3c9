from django.db.models import Count, Window

from parcours.accounts import permissions


def unread(request) -> tuple[int, list]:
    """The person's unread notifications: how many, and the five latest — one query (the count rides along as a
    window), once per request, shared by the menu's badge and the student home."""
    cached = getattr(request, "_parcours_unread", None)
    if cached is None:
        latest = list(request.user.notifications.filter(read_at__isnull=True).order_by("-created_at", "-pk")
                      .annotate(total=Window(Count("id")))[:5])
        cached = request._parcours_unread = (latest[0].total if latest else 0, latest)
    return cached


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
            "nav_unread": unread(request)[0],
        }
    return nav
