"""Publication of UE results to the students (art. 103): the 10 February limit for first-year January results,
and the publication itself — by the jury (the juries app calls it when the president publishes its decisions)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from parcours.audit.services import record
from parcours.evaluations import permissions as perms
from parcours.evaluations.models import EvaluationPeriod, UEResult
from parcours.evaluations.services import EvaluationError, explain
from parcours.notifications.services import bulk_mail, notify_all
from parcours.regulation import exams
from parcours.students.models import Registration
from parcours.web import clock
from parcours.web.clock import today


def check_detail_publication(*, period_number: int, year_label: str, student_ids, publish_on: dt.date) -> None:
    """Art. 103: a publication of January results that includes first-year students of the first cycle is not set
    after 10 February (regulation.exams.detail_publication). Raises EvaluationError with the article."""
    if period_number != 1:
        return
    bloc1 = Registration.objects.filter(student_id__in=student_ids, academic_year__label=year_label, bloc=1,
                                        programme__cycle=1).exists()
    decision = exams.detail_publication(exams.DetailPublicationFacts(
        bloc1=bloc1, period=period_number, publish_on=publish_on, on=today(), year=year_label))
    if not decision.outcome:
        raise EvaluationError(explain(decision))


@transaction.atomic
def publish_results(*, actor, period_id: int, student_ids=None, programme_id: int | None = None,
                    notify_students: bool = True, by_jury_president: bool = False) -> int:
    """Make UE results visible to the students (art. 103); called by the juries app when the president
    publishes (with ``notify_students=False``: the jury's own message carries the decision and the appeal dates,
    one message per student). Already published results keep their date. Returns the number newly published.
    ``by_jury_president``: the juries app has checked that ``actor`` presides the programme's jury (art. 128:
    the department director, who need not hold the jury-president role)."""
    period = EvaluationPeriod.objects.get(pk=period_id)
    qs = UEResult.objects.select_for_update().filter(period=period, published_at__isnull=True)
    if programme_id is not None:
        qs = qs.filter(ue__programme_id=programme_id)
    if student_ids is not None:
        qs = qs.filter(student_id__in=student_ids)
    rows = list(qs.select_related("ue__programme"))
    for programme in {r.ue.programme for r in rows}:
        if not by_jury_president and not perms.may_act(actor, programme, perms.PRESIDENT | perms.JURY_SECRETARY):
            raise EvaluationError(_("Seul le jury publie les résultats (art. 103)."))
    now = clock.now()
    for r in rows:
        r.published_at, r.published_by = now, actor
    bulk_update_with_history(rows, UEResult, ["published_at", "published_by"], batch_size=1000, default_user=actor,
                             default_date=now,
                             default_change_reason="Publication des résultats (art. 103)")
    from parcours.students.models import Student

    students = Student.objects.filter(pk__in={r.student_id for r in rows} if notify_students else ()).select_related("user")
    with bulk_mail():  # a period's publication reaches hundreds of students: one SMTP connection after commit
        notify_all([(s.user, "evaluation_results", {"period": period}, "/evaluations/resultats/") for s in students])
    record(actor=actor, action="evaluations.results.published", target=period,
           summary=f"{len(rows)} résultat(s) d'UE publiés", count=len(rows))
    return len(rows)

