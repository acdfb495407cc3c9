"""The jury's long work, run on the task queue through the one task facade (``parcours.jobs.services``): closing a
session (every student's decision computed, frozen and written to the record, art. 100, 130, 134) and the
session's documents in one archive (PV, valves list, relevés de notes, attestations de réussite; art. 103, 130,
136). The starter follows it on /travaux/<id>/."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from parcours.jobs import services as jobs
from parcours.juries import documents, permissions
from parcours.juries.models import DeliberationSession
from parcours.juries.services import JuryError
from parcours.juries.workflow import SessionStatus


def _actor(actor_id: int):
    from parcours.accounts.models import User

    return User.objects.get(pk=actor_id)


NOT_YET = gettext_noop("Les documents d'une séance se produisent après sa clôture, pour les membres du jury.")
BACK = gettext_noop("Retour à la séance")  # stored in the job's result; the job page translates it


def _label(session: DeliberationSession, what: str) -> str:
    return f"{what} — {session.jury}, période {session.period}"


def start_close(*, actor, session: DeliberationSession):
    """One closing at a time per session: a second click follows the one already under way."""
    from parcours.juries.services import check_closable

    check_closable(actor=actor, session=session)
    running = (jobs.Job.objects.filter(kind=jobs.kind_of(close), params__session_id=session.pk, started_by=actor)
               .exclude(status__in=[jobs.Job.Status.DONE, jobs.Job.Status.FAILED]).first())
    return running or jobs.start(close, actor=actor, label=_label(session, "Clôture de la séance"),
                                 session_id=session.pk, actor_id=actor.pk)


@jobs.job
def close(progress: jobs.Progress, *, session_id: int, actor_id: int) -> dict:
    from parcours.juries.services import close_session

    decisions = close_session(actor=_actor(actor_id), session_id=session_id, progress=progress)
    deliberated = sum(d.outcome != "incomplet" for d in decisions)
    summary = ngettext("Séance clôturée : {n} décision arrêtée", "Séance clôturée : {n} décisions arrêtées",
                       len(decisions)).format(n=len(decisions))
    summary += ngettext(", dont {n} inscrite au dossier des étudiants (crédits acquis, parcours).",
                        ", dont {n} inscrites au dossier des étudiants (crédits acquis, parcours).",
                        deliberated).format(n=deliberated)
    return {"summary": summary, "count": len(decisions),
            "link": {"url": reverse("juries:session", args=[session_id]), "label": BACK}}


def start_documents(*, actor, session: DeliberationSession):
    if not permissions.session_actions(actor, session)["pv"]:
        raise JuryError(_(NOT_YET))
    return jobs.start(session_documents, actor=actor, label=_label(session, "Documents de la séance"),
                      session_id=session.pk, actor_id=actor.pk)


@jobs.job
def session_documents(progress: jobs.Progress, *, session_id: int, actor_id: int) -> dict:
    """PV, valves, every relevé and every attestation de réussite of the session, in one zip."""
    session = DeliberationSession.objects.select_related("jury__programme__department", "jury__academic_year").get(
        pk=session_id)
    if session.status != SessionStatus.CLOSED or not permissions.can_see_jury(_actor(actor_id), session.jury):
        raise JuryError(_(NOT_YET))
    decisions = list(session.decisions.select_related("student__user", "registration", "session__jury__programme",
                                                      "session__jury__academic_year").order_by("student__matricule"))
    total, done = 2 + len(decisions), 0
    buffer = io.BytesIO()
    attestations = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pv.pdf", documents.pv(session))
        archive.writestr("valves.pdf", documents.valves(session))
        done = 2
        progress(done, total)
        for d in decisions:
            releve = documents.releve(d)
            if releve:
                archive.writestr(f"releves/releve-{d.student.matricule}.pdf", releve)
            if d.outcome in ("reussite", "grade"):
                archive.writestr(f"attestations/attestation-{d.student.matricule}.pdf", documents.attestation(d))
                attestations += 1
            done += 1
            progress(done, total)
    progress.attach(f"seance-{session.pk}-periode-{session.period}.zip", buffer.getvalue())
    summary = ngettext("PV, liste pour les valves, {n} relevé de notes", "PV, liste pour les valves, {n} relevés de "
                       "notes", len(decisions)).format(n=len(decisions))
    summary += ngettext(" et {n} attestation de réussite.", " et {n} attestations de réussite.",
                        attestations).format(n=attestations)
    return {"summary": summary, "count": len(decisions),
            "link": {"url": reverse("juries:session", args=[session_id]), "label": BACK}}
