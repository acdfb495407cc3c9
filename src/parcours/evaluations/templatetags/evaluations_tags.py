"""Small pieces other apps' pages include: the navigation link and the teacher's sheets on their home."""

from django import template

from parcours.accounts import permissions
from parcours.evaluations import permissions as perms
from parcours.evaluations import selectors

register = template.Library()


@register.inclusion_tag("evaluations/_nav.html", takes_context=True)
def evaluations_nav(context):
    user = context["request"].user
    show = user.is_authenticated and (bool(permissions.roles_of(user) & (perms.FOLLOWERS | {"enseignant"}))
                                      or permissions.is_student(user))
    return {"show": show}


@register.inclusion_tag("evaluations/_teacher_home.html", takes_context=True)
def teacher_sheets(context):
    sheets = list(selectors.sheets_of_evaluator(context["request"].user).filter(status="ouverte")[:10])
    return {"sheets": sheets}
