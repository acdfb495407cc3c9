"""The juries' small sections on the home pages, read from the app's own selectors."""

from django import template

from parcours.juries import selectors

register = template.Library()


@register.inclusion_tag("juries/_home.html", takes_context=True)
def jury_home(context):
    user = context["request"].user
    student = getattr(user, "student", None) if user.is_authenticated else None
    from parcours.juries.permissions import may_compose

    # Only links the person may open: the juries they sit on (art. 130, huis clos: a department director presides
    # theirs, art. 128), their department's list and the constitution when their scope holds a programme (art. 127).
    # The section names each jury (programme and year): the president and the secretary are not read here.
    juries = selectors.juries_of(user).select_related(None).select_related("programme", "academic_year")
    return {"juries": list(juries[:10]), "user": user, "may_compose": may_compose(user),
            "has_results": bool(student and selectors.published_decisions_of(student).exists())}
