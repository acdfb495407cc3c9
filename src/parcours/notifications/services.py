"""The one e-mail sender: a template set per message (subject, text, html), sent after commit, recorded."""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
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


_batch = threading.local()


@contextmanager
def bulk_mail():
    """Inside this block, e-mails are gathered and, after the enclosing transaction commits, sent together
    over one connection to the mail server (a bulk job's chunk: hundreds of reminders, one SMTP session)."""
    outer = getattr(_batch, "messages", None)
    if outer is not None:  # nested: the outer block sends
        yield
        return
    _batch.messages = []
    try:
        yield
        messages = _batch.messages
        if messages:
            transaction.on_commit(lambda: _deliver(messages))
    finally:
        _batch.messages = None


def _deliver(messages: list[tuple[EmailMultiAlternatives, str, str]]) -> None:
    """Send, and keep a trace of each message; a mail server that is down never loses the decision."""
    sent: list[SentMail] = []
    try:
        with get_connection() as connection:
            for message, template, text in messages:
                try:
                    connection.send_messages([message])
                    sent.append(SentMail(to=message.to[0], template=template, subject=message.subject, body=text))
                except Exception as exc:  # noqa: BLE001
                    log.exception("envoi de courriel échoué")
                    sent.append(SentMail(to=message.to[0], template=template, subject=message.subject, body=text,
                                         success=False, error=str(exc)))
    except Exception as exc:  # the connection itself failed: every remaining message is recorded as failed
        log.exception("serveur de courriel injoignable")
        sent += [SentMail(to=m.to[0], template=t, subject=m.subject, body=x, success=False, error=str(exc))
                 for m, t, x in messages[len(sent):]]
    SentMail.objects.bulk_create(sent)


def send_email(*, to: str, template: str, context: dict, language: str = "fr",
               attachments: list[tuple[str, bytes, str]] | None = None) -> None:
    subject, text, html = render_message(template, context, language)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    batch = getattr(_batch, "messages", None)
    if batch is not None:
        batch.append((message, template, text))
        return
    transaction.on_commit(lambda: _deliver([(message, template, text)]))


def _notice(user, template: str, context: dict, url: str, attachments, email: bool) -> Notification:
    context = {**context, "user": user, "url": url, "site_url": getattr(settings, "PARCOURS_SITE_URL", "")}
    subject, text, _ = render_message(template, context, user.language)
    if email:
        send_email(to=user.email, template=template, context=context, language=user.language,
                   attachments=attachments)
    return Notification(user=user, title=subject, body=text.strip(), url=url)


def notify(*, user, template: str, context: dict, url: str = "",
           attachments: list[tuple[str, bytes, str]] | None = None, email: bool = True) -> Notification:
    """Tell a person their dossier changed: in the application and (unless ``email`` is False, for what a daily
    digest groups) by e-mail."""
    note = _notice(user, template, context, url, attachments, email)
    note.save()
    return note


def notify_all(notices: list[tuple]) -> list[Notification]:
    """``notify`` for a bulk job's chunk: each ``(user, template, context, url)`` gets the same message, the
    notifications written in one insert, the e-mails sent after commit (in one connection inside ``bulk_mail``)."""
    notes = [_notice(user, template, context, url, None, True) for user, template, context, url in notices]
    return Notification.objects.bulk_create(notes) if notes else []
