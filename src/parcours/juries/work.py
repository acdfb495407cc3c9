"""What waits for a jury's president or secretary, by date (their home): sessions to open and close (art. 128,
133), publications to schedule (art. 103), score sheets late or to complete (art. 80), third presentations to
authorise (art. 83), absences referred to the president (art. 91), students back from a session ouverte (art. 85),
diplomas to issue within three months of the proclamation (art. 136). A constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcours.juries.models import Decision, DeliberationSession, Jury
from parcours.juries.publication import diploma_due, publication_day
from parcours.juries.workflow import SessionStatus
from parcours.web.clock import today


@dataclass(frozen=True)
class Task:
    on: dt.date | None  # the date it is due (or since when it waits); None: no date, listed last
    kind: str  # a short heading, in the reader's language
    text: str
    article: str
    url: str
    late: bool = False


def _officer_juries(user, year_label: str):
    return Jury.objects.filter(Q(president=user) | Q(secretary=user), academic_year__label=year_label)


def _period_ends(year_label: str) -> dict[int, dt.date]:
    from parcours.evaluations.models import EvaluationPeriod

    return dict(EvaluationPeriod.objects.filter(academic_year__label=year_label).values_list("number", "end"))


def tasks_for(user, year_label: str) -> list[Task]:
    from parcours.evaluations.models import (
        Absence,
        ActivityNote,
        DepartmentPeriod,
        ScoreSheet,
        SessionOuverte,
    )
    from parcours.evaluations.workflow import AbsenceStatus, SheetStatus

    on = today()
    juries = list(_officer_juries(user, year_label).select_related("programme__department"))
    if not juries:
        return []
    presides = [j for j in juries if j.president_id == user.pk]
    writes = [j for j in juries if j.secretary_id == user.pk]
    programmes = {j.programme_id for j in juries}
    ends = _period_ends(year_label)
    out: list[Task] = []
    sessions = list(DeliberationSession.objects.filter(jury__in=juries).select_related("jury__programme",
                                                                                            "jury__academic_year"))
    for s in sessions:
        url = reverse("juries:session", args=[s.pk])
        after = ends.get(s.period)
        name = _("{jury} — période {period}").format(jury=s.jury, period=s.period)
        if s.status == SessionStatus.PREPARED and s.jury in writes:
            out.append(Task(after, _("Séance à ouvrir"), name, "Art. 133", url, late=bool(after and after < on)))
        elif s.status == SessionStatus.OPEN and s.jury in writes:
            what = _("Séance à clôturer") if s.quorum_valid else _("Présences à enregistrer (quorum)")
            out.append(Task(timezone.localtime(s.opened_at).date() if s.opened_at else after, what, name,
                            "Art. 128, 130", url))
        elif s.status == SessionStatus.CLOSED and not s.published and s.jury in presides:
            if s.publish_at:
                out.append(Task(timezone.localtime(s.publish_at).date(), _("Publication programmée"), name, "Art. 103",
                                url))
            else:
                out.append(Task(timezone.localtime(s.closed_at).date() if s.closed_at else None,
                                _("Publication à fixer"), name, "Art. 103", url))
    # Art. 85: a student whose session ouverte has ended waits for the jury (the session reopened, or the next).
    decided = set(Decision.objects.filter(session__in=sessions).values_list("student_id", "session__period"))
    for so in (SessionOuverte.objects.filter(period__academic_year__label=year_label, until__lt=on,
                                             student__registrations__programme_id__in=programmes,
                                             student__registrations__academic_year__label=year_label)
               .select_related("student__user", "period").distinct()):
        if (so.student_id, so.period.number) in decided:
            continue
        session = next((s for s in sessions if s.period == so.period.number), None)
        out.append(Task(so.until, _("Fin de session ouverte : à délibérer"),
                        _("{matricule} {name} — période {period}").format(
                            matricule=so.student.matricule, name=so.student.user.get_full_name(),
                            period=so.period.number),
                        "Art. 85", reverse("juries:session", args=[session.pk]) if session else reverse("juries:list"),
                        late=True))
    if writes:
        deadlines = {(d["period_id"], d["department_id"]): d["encoding_deadline"] for d in DepartmentPeriod.objects.filter(
            period__academic_year__label=year_label,
            department_id__in={j.programme.department_id for j in writes}).values("period_id", "department_id",
                                                                                   "encoding_deadline")}
        sheets = (ScoreSheet.objects.filter(period__academic_year__label=year_label,
                                            activity__ue__programme_id__in={j.programme_id for j in writes})
                  .annotate(missing=Count("notes", filter=Q(notes__may_sit=True, notes__note__isnull=True,
                                                            notes__code=""))).filter(missing__gt=0)
                  .select_related("activity", "period__academic_year").annotate(department_id=F("activity__ue__programme__department_id")))
        for sheet in sheets:
            deadline = deadlines.get((sheet.period_id, sheet.department_id))
            missing = ngettext("{activity} — {period} : {n} note manquante", "{activity} — {period} : {n} notes "
                               "manquantes", sheet.missing).format(activity=sheet.activity.code, period=sheet.period,
                                                                   n=sheet.missing)
            if sheet.status == SheetStatus.SUBMITTED:
                out.append(Task(deadline, _("Feuille soumise incomplète : à corriger"), missing, "Art. 80",
                                reverse("evaluation_sheet", args=[sheet.pk])))
            elif deadline and deadline < on:
                out.append(Task(deadline, _("Feuille en retard"), missing, "Art. 80",
                                reverse("evaluation_sheet", args=[sheet.pk]), late=True))
    if presides:
        mine = {j.programme_id for j in presides}
        for line in (ActivityNote.objects.filter(sheet__period__academic_year__label=year_label, may_sit=False,
                                                 excluded_article="Art. 83", sheet__activity__ue__programme_id__in=mine)
                     .select_related("student", "sheet__activity", "sheet__period__academic_year")):
            out.append(Task(line.sheet.period.start, _("Troisième présentation à autoriser ou non"),
                            f"{line.student.matricule} — {line.sheet.activity.code} ({line.sheet.period})", "Art. 83",
                            reverse("evaluation_sheet", args=[line.sheet_id])))
        for absence in (Absence.objects.filter(status=AbsenceStatus.REFERRED,
                                               evaluation__activity__ue__programme_id__in=mine)
                        .select_related("student", "evaluation__activity")):
            out.append(Task(absence.declared_on, _("Absence transmise au président"),
                            f"{absence.student.matricule} — {absence.evaluation.activity.code}", "Art. 91",
                            reverse("absence_detail", args=[absence.pk])))
        for d in (Decision.objects.filter(session__jury__in=presides, degree_conferred=True, session__published=True,
                                          diploma_issued_on__isnull=True)
                  .select_related("student__user", "session")):
            proclaimed = publication_day(d.session, d)
            issue_by = diploma_due(proclaimed, year_label)
            who = _("{matricule} {name} (proclamé le {date})").format(
                matricule=d.student.matricule, name=d.student.user.get_full_name(), date=f"{proclaimed:%d/%m/%Y}")
            out.append(Task(issue_by, _("Diplôme à délivrer"), who, "Art. 136",
                            reverse("juries:session", args=[d.session_id]), late=bool(issue_by and issue_by < on)))
    return sorted(out, key=lambda t: (t.on is None, t.on or dt.date.max, t.kind))
