from django import template
from django.utils.html import format_html

from parcours.web.formtoken import new_token

register = template.Library()


@register.simple_tag
def form_token():
    """<input type=hidden name=form_token>: see web/formtoken.py."""
    return format_html('<input type="hidden" name="form_token" value="{}">', new_token())


@register.simple_tag
def upload_max_bytes():
    """The upload service's limit, for the browser-side check of static/web/upload-limit.js."""
    from django.conf import settings

    return settings.UPLOAD_MAX_BYTES
