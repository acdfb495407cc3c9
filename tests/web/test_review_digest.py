"""Writing to people: one e-mail per dossier per day for the documents reviewed, with an absolute link."""

import datetime as dt

from django.core import mail

from parcours.dossiers.services import send_review_digests
from parcours.web.clock import today
from tests.web.admissions_support import complete, submit


def test_document_reviews_are_grouped_in_one_email_per_dossier_per_day(world, applicant, on, settings,
                                                                       django_capture_on_commit_callbacks):
    settings.PARCOURS_SITE_URL = "https://parcours.helha.be"
    on("2023-09-20")
    with django_capture_on_commit_callbacks(execute=True):
        req = complete(submit(applicant, world), world)
    reviewed = [m for m in mail.outbox if "vérifié" in m.subject or "accepté" in m.body]
    assert not [m for m in reviewed if "a été accepté" in m.body]  # no e-mail per document
    mail.outbox.clear()
    day = today()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_digests(on=day) == 1
        assert send_review_digests(on=day) == 0  # once
        assert send_review_digests(on=day - dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"https://parcours.helha.be/dossiers/{req.dossier.pk}/" in body
    assert body.count(" : accepté") == req.dossier.slots.count()
