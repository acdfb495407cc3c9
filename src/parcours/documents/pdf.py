"""The one document service: an HTML template rendered to PDF by WeasyPrint."""

from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, base_url=None).write_pdf()
