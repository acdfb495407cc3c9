"""The jury's PDFs through the one PDF service: PV, valves list, relevé de notes, attestation de réussite,
diploma and diploma supplement (art. 29, 103, 130, 136)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from parcours.documents.pdf import render_pdf
from parcours.juries import selectors
from parcours.juries.grid import MENTION_LABELS
from parcours.regulation.deliberation import ANNEXE3_CRITERIA
from parcours.web.clock import now, today


def _base(session) -> dict:
    jury = session.jury
    return {"session": session, "jury": jury, "programme": jury.programme, "year": jury.academic_year.label,
            "issued_on": today(), "department": jury.programme.department}


def pv(session) -> bytes:
    """The procès-verbal: jury, attendance and quorum, each decision with grants, criteria and mention."""
    grants: dict[int, list] = {}
    for g in session.grants.select_related("ue"):
        grants.setdefault(g.student_id, []).append(
            {"ue": g.ue.code, "before": g.note_before, "criteria": [ANNEXE3_CRITERIA.get(c, c) for c in g.criteria],
             "motivation": g.motivation})
    raises = dict(session.mention_raises.values_list("student_id", "motivation"))
    decisions = [(d, grants.get(d.student_id, []), raises.get(d.student_id, ""))
                 for d in selectors.frozen_decisions(session)]
    attendance = session.attendance.select_related("member__user").order_by("member__user__last_name")
    return render_pdf("juries/pdf/pv.html", {**_base(session), "decisions": decisions, "attendance": attendance,
                                             "quorum": session.quorum})


def valves(session) -> bytes:
    """The list for the valves: matricules and decisions only — never names or notes (art. 103)."""
    rows = [(d.student.matricule, d.detail.get("outcome_label", d.outcome))
            for d in selectors.frozen_decisions(session)]
    return render_pdf("juries/pdf/valves.html", {**_base(session), "rows": rows})


def _decision_context(decision) -> dict:
    session = decision.session
    return {**_base(session), "decision": decision, "student": decision.student, "rows": decision.detail.get("rows", []),
            "mention_label": MENTION_LABELS.get(decision.mention, decision.detail.get("mention_label", "")),
            "reference": f"JUR-{session.pk}-{decision.pk}"}


def releve(decision) -> bytes:
    return render_pdf("juries/pdf/releve.html", _decision_context(decision))


def attestation(decision) -> bytes:
    return render_pdf("juries/pdf/attestation.html", _decision_context(decision))


def proclamation_day(decision) -> dt.date:
    session = decision.session
    moment = session.publish_at or session.closed_at or now()
    return timezone.localtime(moment).date()


def diploma(decision) -> bytes:
    """Issued within three months of the proclamation; signed by the Directeur-Président, the jury president
    and secretary (art. 136)."""
    proclaimed = proclamation_day(decision)
    return render_pdf("juries/pdf/diploma.html", {**_decision_context(decision), "proclaimed_on": proclaimed,
                                                  "issue_by": proclaimed + relativedelta(months=3)})


def supplement(decision) -> bytes:
    """The diploma supplement on the European model, its eight sections, signed by the jury secretary (art. 136)."""
    credits = (decision.student.credits.filter(ue__programme=decision.session.jury.programme)
               .select_related("ue").order_by("ue__bloc", "ue__code"))
    return render_pdf("juries/pdf/supplement.html", {**_decision_context(decision), "credits": credits,
                                                     "proclaimed_on": proclamation_day(decision)})
