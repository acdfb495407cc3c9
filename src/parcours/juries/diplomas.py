"""Diplomas (art. 136): issued within three months of the proclamation; the jury president records the day."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit.services import record
from parcours.juries.models import Decision
from parcours.juries.publication import diploma_due, notify_diploma_issued, publication_day
from parcours.juries.services import JuryError
from parcours.web.clock import today


@transaction.atomic
def record_diploma_issued(*, actor, decision_id: int, issued_on: dt.date) -> Decision:
    """The jury president records the day the signed diploma was handed over: art. 136 gives three months from
    the proclamation; the diploma then leaves their list of work and the student is told."""
    decision = (Decision.objects.select_for_update(of=("self",))
                .select_related("session__jury__academic_year", "student__user")
                .filter(pk=decision_id).first())
    if decision is None:
        raise JuryError(_("Décision du jury inconnue."))
    if actor.pk != decision.session.jury.president_id:
        raise JuryError(_("Seul le président du jury enregistre la délivrance d'un diplôme."))
    if not (decision.degree_conferred and decision.session.published):
        raise JuryError(_("Pas de diplôme à délivrer : le grade n'est pas conféré ou le résultat n'est pas publié."))
    if decision.diploma_issued_on:
        raise JuryError(_("Diplôme déjà délivré le {date}.").format(date=f"{decision.diploma_issued_on:%d/%m/%Y}"))
    proclaimed = publication_day(decision.session, decision)
    if not proclaimed <= issued_on <= today():
        raise JuryError(_("La délivrance se date entre la proclamation ({proclaimed}) et aujourd'hui ({today}).").format(
            proclaimed=f"{proclaimed:%d/%m/%Y}", today=f"{today():%d/%m/%Y}"))
    decision.diploma_issued_on, decision.diploma_issued_by = issued_on, actor
    decision._history_user = actor
    decision.save(update_fields=["diploma_issued_on", "diploma_issued_by"])
    due = diploma_due(proclaimed, decision.session.jury.academic_year.label)
    late = due is not None and issued_on > due
    record(actor=actor, action="juries.diploma.issued", target=decision,
           summary=f"Diplôme de {decision.student.matricule} délivré le {issued_on:%d/%m/%Y}"
                   + (" (au-delà des trois mois de l'art. 136)" if late else ""))
    notify_diploma_issued(decision)
    return decision

