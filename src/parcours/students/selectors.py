"""Reads of the student record, and the regulation decisions shown on it."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum

from parcours.regulation import fees, financabilite
from parcours.regulation.explain import Decision, RuleError
from parcours.regulation.params import load_year
from parcours.students.models import AcquiredCredit, Registration, Student


@dataclass(frozen=True)
class Deadline:
    label: str
    date: dt.date
    article: str
    days_left: int


def current_registration(student: Student) -> Registration | None:
    return (student.registrations.select_related("programme__department", "academic_year")
            .filter(academic_year__label=settings.ACADEMIC_YEAR).first())


def deadlines_for(student: Student, today: dt.date, registration: Registration | None = None) -> list[Deadline]:
    """The RGE dates that concern this student and have not passed yet, soonest first."""
    params = load_year(settings.ACADEMIC_YEAR)
    dates = params.deadlines.dates
    names = ["registration_regular", "pae_validation", "allegement_at_registration", "annulation_until",
             "inclusive_request", "inclusive_request_q2", "solde"]
    if student.grant_status not in (Student.Grant.BOURSIER, Student.Grant.PRESUME):
        names.append("acompte")
    if registration and registration.bloc == 1:
        names += ["bloc1_q1_results", "allegement_after_q1", "registration_late"]
    out = []
    for name in names:
        fd = dates[name]
        last_day = fd.date if fd.inclusive else fd.date - dt.timedelta(days=1)
        if last_day >= today:
            out.append(Deadline(fd.label, last_day, fd.article, (last_day - today).days))
    for slot in student_slots_due(student, today):
        out.append(Deadline(f"{slot.label} ({slot.dossier.title})", slot.due_date, slot.article or "",
                            (slot.due_date - today).days))
    return sorted(out, key=lambda d: d.date)


def student_slots_due(student: Student, today: dt.date):
    from parcours.dossiers.models import DocumentSlot
    from parcours.dossiers.workflow import SlotStatus

    return (DocumentSlot.objects.select_related("dossier")
            .filter(dossier__student=student, due_date__gte=today,
                    status__in=[SlotStatus.REQUESTED, SlotStatus.REFUSED]))


def fees_decision(student: Student, registration: Registration | None) -> Decision | None:
    if registration is None or not registration.programme.fee_section:
        return None
    status = {"boursier": "boursier", "presume_boursier": "presume_boursier", "bourse_refusee": "bourse_refusee"}.get(
        student.grant_status, "condition_modeste" if student.condition_modeste else "non_boursier")
    try:
        return fees.compute(fees.FeeFacts(year=settings.ACADEMIC_YEAR, section=registration.programme.fee_section,
                                          site=registration.programme.fee_site, stage=registration.stage, status=status,
                                          non_eu_specific=student.non_eu, cycle=registration.programme.cycle))
    except RuleError:
        return None


def financabilite_decision(student: Student, registration: Registration | None) -> Decision | str | None:
    """The finançabilité of the student for the current registration, or the reason it cannot be decided."""
    if registration is None:
        return None
    return financabilite_for(student, registration.programme)


def financabilite_for(student: Student, programme, year: str | None = None) -> Decision | str:
    """The finançabilité of the student for a programme (art. 35) in ``year`` (the current one by default), or why
    the rules cannot decide it."""
    history = [financabilite.PastRegistration(
        academic_year=p.academic_year, cycle=p.cycle, cursus=p.cursus, pae_credits=p.pae_credits,
        credits_acquired=p.credits_acquired, cancelled=p.cancelled, led_to_degree=p.led_to_degree,
        allegement=p.allegement, reorientation=p.reorientation, new_rules=p.new_rules)
        for p in student.past_registrations.order_by("academic_year")]
    credits = AcquiredCredit.objects.filter(student=student, ue__programme=programme)
    total = credits.aggregate(n=Sum("ue__credits"))["n"] or 0
    bloc1 = credits.filter(ue__bloc=1).aggregate(n=Sum("ue__credits"))["n"] or 0
    try:
        return financabilite.evaluate(financabilite.FinancabiliteFacts(
            academic_year=year or settings.ACADEMIC_YEAR, cycle=programme.cycle, cursus=programme.name,
            cursus_credits=programme.min_credits or 120, specialisation=programme.kind == "bachelier_specialisation",
            history=history, credits_in_cursus=total, bloc1_credits=min(bloc1, 60)))
    except (RuleError, ValueError) as exc:
        return str(exc)
