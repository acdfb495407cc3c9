"""The one e-mail sender: a template set per message (subject, text, html), sent after commit, recorded."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from parcours.notifications.models import Notification, SentMail

log = logging.getLogger("parcours.notifications")


def render_message(template: str, context: dict, language: str = "fr") -> tuple[str, str, str]:
    with translation.override(language):
        base = f"notifications/emails/{template}"
        subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
        text = render_to_string(f"{base}/body.txt", context)
        html = render_to_string(f"{base}/body.html", context)
    return subject, text, html


def send_email(*, to: str, template: str, context: dict, language: str = "fr",
               attachments: list[tuple[str, bytes, str]] | None = None) -> None:
    subject, text, html = render_message(template, context, language)

    def _send():
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
        message.attach_alternative(html, "text/html")
        for name, content, mimetype in attachments or []:
            message.attach(name, content, mimetype)
        try:
            message.send()
            SentMail.objects.create(to=to, template=template, subject=subject, body=text)
        except Exception as exc:  # the mail server is down: keep a trace, never lose the decision
            log.exception("envoi de courriel échoué")
            SentMail.objects.create(to=to, template=template, subject=subject, body=text, success=False, error=str(exc))

    transaction.on_commit(_send)


def notify(*, user, template: str, context: dict, url: str = "",
           attachments: list[tuple[str, bytes, str]] | None = None, email: bool = True) -> Notification:
    """Tell a person their dossier changed: in the application and (unless ``email`` is False, for what a daily
    digest groups) by e-mail."""
    context = {**context, "user": user, "url": url, "site_url": getattr(settings, "PARCOURS_SITE_URL", "")}
    subject, text, _ = render_message(template, context, user.language)
    note = Notification.objects.create(user=user, title=subject, body=text.strip(), url=url)
    if email:
        send_email(to=user.email, template=template, context=context, language=user.language,
                   attachments=attachments)
    return note
