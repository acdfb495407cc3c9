"""Reads of the student record, and the regulation decisions shown on it."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from parcours.institutions.models import Programme
from parcours.regulation import fees, financabilite
from parcours.regulation.explain import Decision, RuleError
from parcours.regulation.params import load_year
from parcours.students.models import AcquiredCredit, PastRegistration, Registration, Student


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


def fee_facts(student: Student, registration: Registration | None) -> fees.FeeFacts | None:
    """What the annexe-2 fees of the registration depend on; None when its programme has no fee row."""
    if registration is None or not registration.programme.fee_section:
        return None
    status = {"boursier": "boursier", "presume_boursier": "presume_boursier", "bourse_refusee": "bourse_refusee"}.get(
        student.grant_status, "condition_modeste" if student.condition_modeste else "non_boursier")
    return fees.FeeFacts(year=settings.ACADEMIC_YEAR, section=registration.programme.fee_section,
                         site=registration.programme.fee_site, stage=registration.stage, status=status,
                         non_eu_specific=student.non_eu, cycle=registration.programme.cycle)


# Fee decisions of the pages, by their facts: the rules are pure and the year's parameters fixed for a process.
FEES_MEMO: dict = {}


def fees_decision(student: Student, registration: Registration | None, memo: dict | None = None) -> Decision | None:
    """The fees of the registration. ``memo`` (a batch's dict) shares one decision between students with the
    same facts: the rules are pure, so equal facts give equal decisions."""
    facts = fee_facts(student, registration)
    if facts is None:
        return None
    key = tuple(facts.model_dump().values()) if memo is not None else None
    if key is not None and key in memo:
        return memo[key]
    try:
        decision = fees.compute(facts)
    except RuleError:
        decision = None
    if key is not None:
        memo[key] = decision
    return decision


def financabilite_decision(student: Student, registration: Registration | None) -> Decision | str | None:
    """The finançabilité of the student for the current registration, or the reason it cannot be decided."""
    if registration is None:
        return None
    return financabilite_for(student, registration.programme)


def financabilite_for(student: Student, programme) -> Decision | str:
    """The finançabilité of the student for a programme (art. 35), or why the rules cannot decide it.
    The same code as the batch: the student's rule inputs are read as a population of one."""
    return RuleInputs.load(Student.objects.filter(pk=student.pk)).financabilite(student.pk, programme)


@dataclass
class RuleInputs:
    """What finançabilité needs for a set of students, read in bulk: one query per table, whatever the number
    of students, then evaluated by the pure rules (``regulation.financabilite``)."""

    histories: dict[int, list]
    credits: dict[int, list[tuple[int, int, int]]]  # student → (programme id, bloc, credits) of each acquired UE

    @classmethod
    def load(cls, students) -> "RuleInputs":
        histories: dict[int, list] = defaultdict(list)
        for row in (PastRegistration.objects.filter(student__in=students).order_by("student_id", "academic_year")
                    .values_list("student_id", *HISTORY_FIELDS)):
            histories[row[0]].append(financabilite.PastRegistration.model_construct(**dict(zip(HISTORY_FIELDS, row[1:],
                                                                                                strict=True))))
        credits: dict[int, list] = defaultdict(list)
        for sid, programme_id, bloc, n in (AcquiredCredit.objects.filter(student__in=students)
                                           .values_list("student_id", "ue__programme_id", "ue__bloc", "ue__credits")):
            credits[sid].append((programme_id, bloc, n))
        return cls(histories, credits)

    def financabilite(self, student_id: int, programme) -> Decision | str:
        mine = [(bloc, n) for pid, bloc, n in self.credits.get(student_id, ()) if pid == programme.pk]
        try:
            return financabilite.evaluate(financabilite.FinancabiliteFacts(
                academic_year=settings.ACADEMIC_YEAR, cycle=programme.cycle, cursus=programme.name,
                cursus_credits=programme.min_credits or 120, specialisation=programme.kind == "bachelier_specialisation",
                history=self.histories.get(student_id, []), credits_in_cursus=sum(n for _, n in mine),
                bloc1_credits=min(sum(n for bloc, n in mine if bloc == 1), 60)))
        except (RuleError, ValueError) as exc:
            return str(exc)


HISTORY_FIELDS = ("academic_year", "cycle", "cursus", "pae_credits", "credits_acquired", "cancelled", "led_to_degree",
                  "allegement", "reorientation", "new_rules")


@dataclass(frozen=True)
class StudentDecisions:
    registration: Registration
    financabilite: Decision | str
    fees: Decision | None


def population_decisions(students=None) -> Iterator[StudentDecisions]:
    """Finançabilité and fees of every student of ``students`` (a queryset; all by default) for their current
    registration: the registrations with their student and programme in one query, the histories and the credits
    in one query each, then the pure rules — the pages' code path, for a population."""
    students = Student.objects.all() if students is None else students
    registrations = list(Registration.objects.filter(student__in=students, academic_year__label=settings.ACADEMIC_YEAR)
                         .select_related("student").order_by("student_id", "pk")
                         .only("student_id", "programme_id", "stage", "bloc", "status", "student__grant_status",
                               "student__condition_modeste", "student__non_eu"))
    programmes = {p.pk: p for p in Programme.objects.filter(pk__in={r.programme_id for r in registrations})}
    inputs = RuleInputs.load(students)
    seen, memo = set(), {}
    for reg in registrations:
        if reg.student_id in seen:  # one current registration per student, as ``current_registration``
            continue
        seen.add(reg.student_id)
        reg.programme = programmes[reg.programme_id]  # a few dozen programmes, shared by the population
        yield StudentDecisions(reg, inputs.financabilite(reg.student_id, reg.programme),
                               fees_decision(reg.student, reg, memo))
