"""The jury's PDFs through the one PDF service: PV, valves list, relevé de notes, attestation de réussite,
diploma and diploma supplement (art. 29, 103, 130, 136)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from parcours.documents.pdf import render_pdf
from parcours.juries import selectors
from parcours.juries.grid import MENTION_LABELS
from parcours.juries.models import Decision
from parcours.juries.publication import diploma_due, publication_day
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


def student_releve(student, *, year: str | None = None, upto_period: int | None = None,
                   published_only: bool = True) -> bytes | None:
    """THE relevé de notes (art. 103), for the student's results page, the secretariat printing it for a
    procuration holder and the jury's documents: period by period, each UE with its activity notes from the
    evaluation side and, where the jury has deliberated, its decision (credits granted by art. 134 marked).
    Only published results and decisions unless a jury member asks before publication. None when empty."""
    from parcours.evaluations.models import EvaluationPeriod
    from parcours.evaluations.selectors import results_for_students

    periods = EvaluationPeriod.objects.filter(ue_results__student=student).select_related("academic_year")
    decisions = Decision.objects.filter(student=student).select_related("session__jury__programme",
                                                                         "session__jury__academic_year", "registration")
    if published_only:
        periods = periods.filter(ue_results__published_at__isnull=False)
        decisions = decisions.filter(session__published=True)
    if year is not None:
        periods, decisions = (periods.filter(academic_year__label=year),
                              decisions.filter(session__jury__academic_year__label=year))
    if upto_period is not None:
        periods, decisions = periods.filter(number__lte=upto_period), decisions.filter(session__period__lte=upto_period)
    by_period = {(d.session.jury.academic_year.label, d.session.period): d for d in decisions}
    sections = []
    for period in periods.distinct().order_by("academic_year__label", "number"):
        decision = by_period.get((period.academic_year.label, period.number))
        granted = {r["ue"] for r in decision.detail.get("rows", []) if r.get("granted")} if decision else set()
        rows = results_for_students([student.pk], period, published_only=published_only)[student.pk]
        sections.append({"period": period, "rows": [(r, r.ue_id in granted) for r in rows], "decision": decision,
                         "mention_label": MENTION_LABELS.get(decision.mention, decision.detail.get("mention_label", ""))
                         if decision else ""})
    if not sections:
        return None
    latest = next((s["decision"] for s in reversed(sections) if s["decision"]), None)
    return render_pdf("juries/pdf/releve.html", {
        "student": student, "sections": sections, "issued_on": today(),
        "programme": latest.session.jury.programme if latest else None,
        "reference": f"REL-{student.matricule}-{today():%Y%m%d}"})


def releve(decision) -> bytes | None:
    """The relevé as a jury document: the decision's year up to its period. Before publication only the jury's
    members reach it (``permissions.can_see_decision``) and read the unpublished notes; after, what the student reads."""
    session = decision.session
    return student_releve(decision.student, year=session.jury.academic_year.label, upto_period=session.period,
                          published_only=session.published)


def attestation(decision) -> bytes:
    return render_pdf("juries/pdf/attestation.html", _decision_context(decision))


def proclamation_day(decision) -> dt.date:
    """The publication's day (a session ouverte's student's own, art. 85); before it, the closing's (a draft)."""
    session = decision.session
    if session.published:
        return publication_day(session, decision)
    return timezone.localtime(session.closed_at or now()).date()


def diploma(decision) -> bytes:
    """Issued within three months of the proclamation; signed by the Directeur-Président, the jury president
    and secretary (art. 136)."""
    proclaimed = proclamation_day(decision)
    return render_pdf("juries/pdf/diploma.html", {**_decision_context(decision), "proclaimed_on": proclaimed,
                                                  "issue_by": diploma_due(proclaimed, decision.session.jury.academic_year.label),
                                                  "diploma_issued_on": decision.diploma_issued_on})


def supplement(decision) -> bytes:
    """The diploma supplement on the European model, its eight sections, signed by the jury secretary (art. 136)."""
    credits = (decision.student.credits.filter(ue__programme=decision.session.jury.programme)
               .select_related("ue").order_by("ue__bloc", "ue__code"))
    return render_pdf("juries/pdf/supplement.html", {**_decision_context(decision), "credits": credits,
                                                     "proclaimed_on": proclamation_day(decision)})
