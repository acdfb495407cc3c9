"""Reads of the student record, and the regulation decisions shown on it."""

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from parcours.regulation import fees, financabilite, pae
from parcours.regulation.explain import Decision, RuleError
from parcours.regulation.params import load_year
from parcours.students.models import AcquiredCredit, PaeEntry, PastRegistration, Registration, Student


@dataclass(frozen=True)
class Deadline:
    label: str
    date: dt.date
    article: str
    days_left: int


def current_registration(student: Student) -> Registration | None:
    return (student.registrations.select_related("programme__department", "academic_year")
            .filter(academic_year__label=settings.ACADEMIC_YEAR).first())


def current_registration_for_page(student: Student) -> Registration | None:
    """``current_registration`` for a page that shows its fees and deadlines: the réorientation (art. 33) and the
    PAE credits that ``fee_facts`` needs ride along in the same query, instead of being read again by each
    computation of the page (the student home is the most visited page). Read-only: services that change a
    registration read it themselves."""
    from parcours.admissions.models import AdmissionRequest

    # The admission request it came from rides along too: the payment communication is derived from it.
    return (student.registrations.select_related("programme__department", "academic_year",
                                                 "admission_request__academic_year")
            .filter(academic_year__label=settings.ACADEMIC_YEAR)
            .annotate(fee_reorientation=Exists(AdmissionRequest.objects.filter(
                registration=OuterRef("pk"), kind=AdmissionRequest.Kind.REORIENTATION)),
                fee_pae_credits=Coalesce(Subquery(
                    PaeEntry.objects.filter(registration=OuterRef("pk")).values("registration")
                    .annotate(n=Sum("ue__credits")).values("n")), 0)).first())


def deadlines_for(student: Student, today: dt.date, registration: Registration | None = None,
                  settled: frozenset[str] | set[str] = frozenset()) -> list[Deadline]:
    """The RGE dates that concern this student and have not passed yet, soonest first; ``settled`` names the
    ones already met (a paid instalment leaves the list of things to do)."""
    params = load_year(settings.ACADEMIC_YEAR)
    dates = params.deadlines.dates
    names = ["registration_regular", "pae_validation", "allegement_at_registration", "annulation_until",
             "inclusive_request", "inclusive_request_q2", "solde"]
    # Art. 48 does not apply to a registration taken after 31 October (art. 22, 32, 33).
    later = registration is not None and (
        (registration.registered_on is not None and registration.registered_on > dates["acompte"].date)
        or is_reorientation(registration))
    if student.grant_status not in (Student.Grant.BOURSIER, Student.Grant.PRESUME) and not later:
        names.append("acompte")
    if registration and registration.bloc == 1:
        names += ["bloc1_q1_results", "allegement_after_q1", "registration_late"]
    if registration is not None and registration.is_regular:  # registered: the dates to register are behind them
        settled = {*settled, "registration_regular", "registration_late"}
    out = []
    for name in names:
        if name in settled:
            continue
        fd = dates[name]
        last_day = fd.date if fd.inclusive else fd.date - dt.timedelta(days=1)
        if last_day >= today:
            out.append(Deadline(fd.label, last_day, fd.article, (last_day - today).days))
    slots = list(student_slots_due(student, today))
    several = len({slot.dossier_id for slot in slots}) > 1  # name the dossier only when there is a choice
    for slot in slots:
        out.append(Deadline(f"{slot.label} ({slot.dossier.title})" if several else slot.label, slot.due_date,
                            slot.article or "", (slot.due_date - today).days))
    return sorted(out, key=lambda d: d.date)


def student_slots_due(student: Student, today: dt.date):
    from parcours.dossiers.models import DocumentSlot
    from parcours.dossiers.workflow import SlotStatus

    return (DocumentSlot.objects.select_related("dossier")
            .filter(dossier__student=student, due_date__gte=today,
                    status__in=[SlotStatus.REQUESTED, SlotStatus.REFUSED]))


# --- the facts the rules need, read once for every screen and service -------------------------------------
# Each screen that shows a finançabilité, fee or PAE decision builds its facts here, so it gives the CLI's answer
# for the same facts (``parcours rule`` with the JSON of these facts).


def _grant_status(student: Student) -> str:
    return {"boursier": "boursier", "presume_boursier": "presume_boursier", "bourse_refusee": "bourse_refusee"}.get(
        student.grant_status, "condition_modeste" if student.condition_modeste else "non_boursier")


def is_reorientation(registration: Registration) -> bool:
    """Art. 33 (art. 102 §3 of the decree): the registration results from a réorientation request."""
    # Imported here: the admissions app reads this one, not the reverse.
    from parcours.admissions.models import AdmissionRequest

    read = getattr(registration, "fee_reorientation", None)  # read with the page's registration
    if read is not None:
        return read
    return AdmissionRequest.objects.filter(registration=registration,
                                           kind=AdmissionRequest.Kind.REORIENTATION).exists()


def pae_credits(registration: Registration) -> int:
    read = getattr(registration, "fee_pae_credits", None)  # read with the page's registration
    if read is not None:
        return read
    return sum(e.ue.credits for e in registration.pae.select_related("ue"))


def fee_facts(reg: Registration) -> fees.FeeFacts | None:
    """What art. 33, 38, 47-60 need about a registration; None when the programme has no annexe-2 row."""
    if not reg.programme.fee_section:
        return None
    return fee_facts_from(reg, reorientation=is_reorientation(reg), credits=pae_credits(reg))


def fee_facts_from(reg: Registration, *, reorientation: bool, credits: int) -> fees.FeeFacts | None:
    """``fee_facts`` from what was read already (the batch reads it for a whole population at once)."""
    student, programme = reg.student, reg.programme
    if not programme.fee_section:
        return None
    credits = credits or 60  # no PAE yet: a full programme (art. 67 §2)
    if reg.free_student:  # art. 38: 50 € and 5 € per credit followed
        return _fee_facts(year=reg.academic_year.label, section=programme.fee_section, site=programme.fee_site,
                          stage=reg.stage, registration="libre", pae_credits=min(credits, 75))
    # Art. 51 al. 2: the année diplômante is the end of the cycle; the rule grants the reduction with 15 credits or
    # fewer (the placements/TFE-only case needs a UE category the programme catalogue does not hold yet).
    end_of_cycle = reg.stage == Registration.Stage.AD and not reorientation
    allegement = reg.allegement and not reorientation and credits < 60 and not (end_of_cycle and credits <= 15)
    prorata = reorientation or allegement or end_of_cycle
    return _fee_facts(
        year=reg.academic_year.label, section=programme.fee_section, site=programme.fee_site, stage=reg.stage,
        status=_grant_status(student), non_eu_specific=student.non_eu, cycle=programme.cycle,
        grant_refusal_notified=student.grant_refusal_notified_on, reorientation=reorientation,
        registered_on=reg.registered_on,
        end_of_cycle=end_of_cycle and not allegement, allegement=allegement,
        pae_credits=min(credits, 75) if prorata else 60,
    )


@functools.lru_cache(maxsize=4096)
def _facts_of(items: tuple) -> fees.FeeFacts:
    return fees.FeeFacts(**dict(items))


def _fee_facts(**values) -> fees.FeeFacts:
    """The validated facts, shared by equal inputs: the facts are frozen, and a population has a few hundred
    distinct ones (programme, stage, status…), so a batch validates each once instead of once per student."""
    return _facts_of(tuple(sorted(values.items())))


def fees_decision(student: Student, registration: Registration | None) -> Decision | None:
    """The fees of the current registration (art. 47-56), from the same facts as the payments service."""
    if registration is None:
        return None
    facts = fee_facts(registration)
    if facts is None:
        return None
    try:
        return fees.compute(facts)
    except RuleError:
        return None


def payment_status_facts(reg: Registration, on: dt.date, facts: fees.FeeFacts | None = None) -> fees.PaymentStatusFacts:
    """Art. 48-49 on ``on``: the payments received and the date of the registration (a due date before it does
    not apply, art. 22, 32). ``facts``: the registration's fee facts when the caller has them already."""
    facts = facts or fee_facts(reg)
    if facts is not None and facts.registered_on is not None and facts.registered_on > on:
        facts = facts.model_copy(update={"registered_on": None})  # a status asked before the registration date
    payments = [fees.Payment(date=p.paid_on, amount=p.amount) for p in reg.payments.filter(amount__gt=0)]
    return fees.PaymentStatusFacts(fees=facts, payments=payments, on=on)


def financabilite_decision(student: Student, registration: Registration | None) -> Decision | str | None:
    """The finançabilité of the student for the current registration, or the reason it cannot be decided."""
    if registration is None:
        return None
    return financabilite_for(student, registration.programme, reorientation=is_reorientation(registration),
                             allegement=registration.allegement)


def financabilite_for(student: Student, programme, year: str | None = None, *, reorientation: bool = False,
                      allegement: bool = False) -> Decision | str:
    """The finançabilité of the student for a programme (art. 35) in ``year`` (the current one by default), or why
    the rules cannot decide it. The réorientation of §5 is also derived by the rule from the history."""
    # The same code as the batch (``population_decisions``): the student's inputs read as a population of one.
    return RuleInputs.load(Student.objects.filter(pk=student.pk)).financabilite(
        student.pk, programme, year, reorientation=reorientation, allegement=allegement)


HISTORY_FIELDS = ("academic_year", "cycle", "cursus", "pae_credits", "credits_acquired", "cancelled", "led_to_degree",
                  "allegement", "reorientation", "new_rules")


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
            # Typed columns, validated when stored: constructed without re-validation (the facts model checks
            # the chronology and the years).
            histories[row[0]].append(financabilite.PastRegistration.model_construct(
                **dict(zip(HISTORY_FIELDS, row[1:], strict=True))))
        credits: dict[int, list] = defaultdict(list)
        for sid, programme_id, bloc, n in (AcquiredCredit.objects.filter(student__in=students)
                                           .values_list("student_id", "ue__programme_id", "ue__bloc", "ue__credits")):
            credits[sid].append((programme_id, bloc, n))
        return cls(histories, credits)

    def financabilite(self, student_id: int, programme, year: str | None = None, *, reorientation: bool = False,
                      allegement: bool = False) -> Decision | str:
        mine = [(bloc, n) for pid, bloc, n in self.credits.get(student_id, ()) if pid == programme.pk]
        try:
            facts = financabilite.FinancabiliteFacts(
                academic_year=year or settings.ACADEMIC_YEAR, cycle=programme.cycle, cursus=programme.name,
                cursus_credits=programme.min_credits or 120,
                specialisation=programme.kind == "bachelier_specialisation",
                credits_in_cursus=sum(n for _, n in mine),
                bloc1_credits=min(sum(n for bloc, n in mine if bloc == 1), 60), reorientation=reorientation,
                allegement=allegement)
            history = self.histories.get(student_id)
            if history:
                # The history rows are typed columns read in chronological order (``load`` orders them by year):
                # validating them again for every student was half of a whole population's batch. What is
                # computed here is validated above; ``evaluate`` still parses every year of the history.
                facts = facts.model_copy(update={"history": history})
            return financabilite.evaluate(facts)
        except (RuleError, ValueError) as exc:
            return str(exc)


def fee_inputs(registration_ids: list[int]) -> tuple[set[int], dict[int, int]]:
    """What ``fee_facts`` reads besides the registration, for many registrations at once (one query each): the
    ones that are réorientations (art. 33), and the PAE credits of each."""
    from parcours.admissions.models import AdmissionRequest

    reoriented = set(AdmissionRequest.objects.filter(registration_id__in=registration_ids,
                                                     kind=AdmissionRequest.Kind.REORIENTATION)
                     .values_list("registration_id", flat=True))
    pae_totals = dict(PaeEntry.objects.filter(registration_id__in=registration_ids).values("registration_id")
                      .annotate(n=Sum("ue__credits")).values_list("registration_id", "n"))
    return reoriented, pae_totals


@dataclass(frozen=True)
class StudentDecisions:
    registration: Registration
    financabilite: Decision | str
    fees: Decision | None


def population_decisions(students=None) -> Iterator[StudentDecisions]:
    """Finançabilité and fees of every student of ``students`` (a queryset; all by default) for their current
    registration, through the pages' code (``fee_facts_from``, ``RuleInputs``): the registrations with their
    student, the histories, the credits, the réorientations and the PAE credits in one query each, then the pure
    rules; equal fee facts share one decision (the rules are pure)."""
    from parcours.institutions.models import Programme

    students = Student.objects.all() if students is None else students
    registrations = list(Registration.objects.filter(student__in=students, academic_year__label=settings.ACADEMIC_YEAR)
                         .select_related("student", "academic_year").order_by("student_id", "pk"))
    programmes = {p.pk: p for p in Programme.objects.filter(pk__in={r.programme_id for r in registrations})}
    reoriented, pae_totals = fee_inputs([r.pk for r in registrations])
    inputs = RuleInputs.load(students)
    seen, memo = set(), {}
    for reg in registrations:
        if reg.student_id in seen:  # one current registration per student, as ``current_registration``
            continue
        seen.add(reg.student_id)
        reg.programme = programmes[reg.programme_id]  # a few dozen programmes, shared by the population
        reorientation = reg.pk in reoriented
        facts = fee_facts_from(reg, reorientation=reorientation, credits=pae_totals.get(reg.pk, 0))
        decision = None
        if facts is not None:
            key = facts  # frozen and hashable: equal facts, one decision
            if key not in memo:
                try:
                    memo[key] = fees.compute(facts)
                except RuleError:
                    memo[key] = None
            decision = memo[key]
        yield StudentDecisions(reg, inputs.financabilite(reg.student_id, reg.programme, reorientation=reorientation,
                                                         allegement=reg.allegement), decision)


def pae_facts(reg: Registration, ues, derogation: str = "", jury_agreement: bool = False) -> pae.PaeFacts:
    """What art. 38, 67-68, 71, 77 need to check a proposed PAE: acquired and valorised credits, the UEs of later
    blocs already registered, the end of the cycle and the jury's agreement."""
    from parcours.institutions.models import UE

    programme = reg.programme
    programme_ues = list(UE.objects.filter(programme=programme))
    acquired_rows = AcquiredCredit.objects.filter(student=reg.student, ue__programme=programme).select_related("ue")
    acquired = {a.ue.code for a in acquired_rows}
    bloc1 = [u for u in programme_ues if u.bloc == 1]
    first = reg.bloc == 1 and not reg.student.past_registrations.exclude(cancelled=True).exists()
    situation = "premiere_inscription" if first else ("bloc1_non_reussi" if reg.bloc == 1 else "poursuite")
    if reg.free_student:
        situation = "libre"
    # §2, 1°: UEs of the rest of the cycle the student was registered to in an earlier year and has not acquired.
    earlier = (PaeEntry.objects.filter(registration__student=reg.student, ue__programme=programme, ue__bloc__gt=1)
               .exclude(registration=reg).values_list("ue__code", flat=True))
    acquired_credits = sum(a.ue.credits for a in acquired_rows)
    end_of_cycle = reg.stage == Registration.Stage.AD
    return pae.PaeFacts(
        year=reg.academic_year.label,
        situation=situation,
        programme="master" if programme.kind == "master"
        else ("specialisation" if programme.kind == "bachelier_specialisation" else "bachelier"),
        ues=[pae.ProposedUE(code=u.code, credits=u.credits, bloc=u.bloc, cycle=programme.cycle,
                            prerequisites=[p.code for p in u.prerequisites.all()],
                            corequisites=[c.code for c in u.corequisites.all()], language=u.language)
             for u in ues],
        acquired=sorted(acquired),
        bloc1_codes=[u.code for u in bloc1],
        bloc1_credits_acquired=min(60, sum(u.credits for u in bloc1 if u.code in acquired)),
        previously_registered=sorted(set(earlier) - acquired),
        jury_agreement=jury_agreement,
        derogation=derogation or None,
        allegement=reg.allegement,
        end_of_cycle=end_of_cycle,
        remaining_first_cycle_credits=(max(0, programme.min_credits - acquired_credits)
                                       if end_of_cycle and programme.cycle == 1 and programme.min_credits else None),
    )
