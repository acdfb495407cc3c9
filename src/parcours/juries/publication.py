"""What a student is told when the jury's results are published (art. 103), with the routes open to them
and their deadlines from the one deadline calculator (art. 105, 177)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from parcours.notifications.services import bulk_mail, notify, notify_all
from parcours.regulation import calendar
from parcours.regulation.explain import RuleError, gettext_noop
from parcours.web.clock import today
from parcours.web.i18n import localized, reasons_sentence

# (time limit, label, how and to whom — the article's own terms)
ROUTES = [("exam_complaint", gettext_noop("Plainte relative au déroulement des évaluations"),
           gettext_noop("Adressée au secrétaire du jury de délibération, sous pli recommandé avec copie et preuve du "
                        "recommandé par courriel, ou par remise d'un écrit au secrétaire du jury (sa signature sur le "
                        "double vaut accusé de réception) ; signée par l'étudiant. Une plainte sous une autre forme "
                        "(courrier ordinaire, courriel seul…), collective ou adressée à une autre personne est "
                        "irrecevable (art. 105).")),
          ("internal_appeal", gettext_noop("Recours interne contre la décision du jury"),
           gettext_noop("Recours motivé, envoyé par recommandé avec copie et preuve du recommandé par courriel ; "
                        "l'instance saisie rend un avis motivé et notifie sa décision dans les 7 jours ouvrables de "
                        "la réception (art. 177)."))]


@dataclass(frozen=True)
class Route:
    label: str  # French, shown with |localized
    article: str
    deadline: dt.date | None
    how: str = ""  # how and to whom (French, shown with |localized)
    reasons: tuple = ()  # the deadline's reasons
    error: RuleError | None = None  # or why the rules could not count it

    @property
    def explanation(self) -> str:
        """Read when shown, so in the reader's language (the e-mail is rendered in the student's)."""
        return localized(self.error) if self.error else reasons_sentence(self.reasons, articles=False)


def routes_after(published_on: dt.date, year: str) -> list[Route]:
    """The complaint (art. 105) and internal appeal (art. 177) deadlines counted from the publication."""
    out = []
    for name, label, how in ROUTES:
        try:
            d = calendar.deadline(calendar.DeadlineFacts(time_limit=name, event_date=published_on, year=year))
        except RuleError as exc:
            out.append(Route(label, "", None, how, error=exc))
            continue
        out.append(Route(label, d.details.get("article", ""), d.outcome, how, tuple(d.reasons)))
    return out


def publication_day(session, decision=None) -> dt.date:
    """The day the student's result was published: the session's, or later for a session ouverte (art. 85)."""
    if decision is not None and decision.published_at and (
            session.publish_at is None or decision.published_at > session.publish_at):
        return timezone.localtime(decision.published_at).date()
    return timezone.localtime(session.publish_at).date() if session.publish_at else today()


def notify_students(session, decisions) -> None:
    year, url = session.jury.academic_year.label, reverse("juries:my_results")
    with bulk_mail():  # a whole session's students: one insert, one SMTP connection after commit
        notify_all([(decision.student.user, "jury_results",
                     {"decision": decision, "session": session, "programme": session.jury.programme.name,
                      "routes": routes_after(publication_day(session, decision), year)}, url)
                    for decision in decisions])


def diploma_due(proclaimed: dt.date, year: str) -> dt.date | None:
    """Art. 136: the diploma is issued at the latest three months after the proclamation — the year's
    ``diploma_delivery`` time limit, through the one deadline calculator; None when the rules cannot count it."""
    try:
        return calendar.deadline(calendar.DeadlineFacts(time_limit="diploma_delivery", event_date=proclaimed,
                                                        year=year)).outcome
    except RuleError:
        return None


def notify_diploma_issued(decision) -> None:
    """The student learns that their diploma has been issued (art. 136), with the day."""
    notify(user=decision.student.user, template="jury_diploma_issued", url=reverse("juries:my_results"),
           context={"decision": decision, "programme": decision.session.jury.programme.name})
