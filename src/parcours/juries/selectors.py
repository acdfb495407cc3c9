"""Reads: the juries a person sits on, the grid of a session (in bulk), a student's published results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from django.db.models import Q

from parcours.institutions.models import UE
from parcours.juries import grid as engine
from parcours.juries.models import (
    Attendance,
    Decision,
    DeliberationSession,
    Grant,
    Jury,
    JuryMember,
    MentionRaise,
    MentionSetting,
    Relationship,
)
from parcours.juries.results import sessions_ouvertes, ue_outcomes
from parcours.regulation import deliberation
from parcours.regulation.explain import RuleError, gettext_noop
from parcours.regulation.params import load_year
from parcours.students.models import AcquiredCredit, PaeEntry, Registration
from parcours.students.selectors import financabilite_for
from parcours.web.clock import today


def juries_of(user):
    """Juries where the person is president, secretary or member (art. 128)."""
    if not user.is_authenticated:
        return Jury.objects.none()
    # The membership as a subquery, not a join: no DISTINCT over every selected column, and each branch an index
    # lookup (this runs on every home page, a student's included).
    return (Jury.objects.filter(Q(president=user) | Q(secretary=user)
                                | Q(pk__in=JuryMember.objects.filter(user=user).values("jury_id")))
            .select_related("programme", "academic_year", "president", "secretary"))


def is_member(user, jury: Jury) -> bool:
    return user.is_authenticated and (user.pk in (jury.president_id, jury.secretary_id)
                                      or jury.members.filter(user=user).exists())


def registrations_of(jury: Jury):
    """The students the jury deliberates: regular registrations of its programme and year (the first-year
    sub-jury takes bloc 1 only; the cycle jury the others when a sub-jury exists)."""
    regs = Registration.objects.filter(programme=jury.programme, academic_year=jury.academic_year,
                                       status=Registration.Status.REGULAR)
    if jury.first_year_subjury:
        return regs.filter(bloc=1)
    if Jury.objects.filter(programme=jury.programme, academic_year=jury.academic_year, first_year_subjury=True).exists():
        return regs.exclude(bloc=1)
    return regs


def weighting(jury):
    """The annexe-6 weighting the jury's mentions use (its heading and blocs), None when the annexe has none."""
    return deliberation.weighting(jury.academic_year.label, jury.mention_domain, jury.mention_kind)


def mention_thresholds(year) -> dict | None:
    setting = MentionSetting.objects.filter(academic_year=year).first()
    return setting.thresholds() if setting else None


def quorum_for(session: DeliberationSession, barred_user_ids=()) -> deliberation.Decision:
    """Art. 128 for the session, or for one student when members are barred for them (art. 131)."""
    jury = session.jury
    members = list(jury.members.all())
    present = set(Attendance.objects.filter(session=session, present=True).values_list("member__user_id", flat=True))
    examined = [m for m in members if m.examined]
    teachers_present = sum(1 for m in examined if m.user_id in present and m.user_id not in barred_user_ids)
    return deliberation.quorum(deliberation.QuorumFacts(
        members=len({m.user_id for m in members}), teachers_who_examined=max(1, len(examined)),
        teachers_present=teachers_present, president_present=jury.president_id in present,
        secretary_present=jury.secretary_id in present))


def barred_by_student(jury: Jury) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    for student_id, user_id in Relationship.objects.filter(member__jury=jury, barred=True).values_list(
            "student_id", "member__user_id"):
        out[student_id].add(user_id)
    return out


def inputs_for(registrations, *, year_label: str, period: int, session=None,
               with_reasons: bool = False) -> list[engine.StudentInput]:
    """Everything the rules need for these registrations, in a constant number of queries (plain rows, no model
    instances: the grid of a whole institution stays close to the cost of reading it)."""
    with engine.bulk_objects():
        return _inputs_for(registrations, year_label=year_label, period=period, session=session,
                           with_reasons=with_reasons)


def _inputs_for(registrations, *, year_label: str, period: int, session, with_reasons: bool) -> list[engine.StudentInput]:
    regs = [_Reg(*row) for row in registrations.order_by("student__matricule").values_list(
        "pk", "student_id", "student__matricule", "student__user__first_name", "student__user__last_name", "bloc",
        "stage", "programme_id", "programme__cycle", "programme__min_credits", "access_suspended_on")]
    if not regs:
        return []
    # Sub-queries rather than id lists: the database joins, Python does not ship thousands of parameters.
    reg_ids = registrations.order_by().values("pk")
    student_ids = registrations.order_by().values("student_id")
    # The UEs of the programmes once (a few hundred), then the PAE as bare pairs of ids.
    ue_info = {pk: engine.PaeUE(pk, code, title, credits, bloc, weight) for pk, code, title, credits, bloc, weight in
               UE.objects.filter(programme_id__in={r.programme_id for r in regs}).values_list(
                   "pk", "code", "title", "credits", "bloc", "weight")}
    pae: dict[int, list[engine.PaeUE]] = defaultdict(list)
    for reg_id, ue_id in PaeEntry.objects.filter(registration_id__in=reg_ids).values_list("registration_id", "ue_id"):
        pae[reg_id].append(ue_info.get(ue_id) or _outside_ue(ue_id))
    for entries in pae.values():
        entries.sort(key=_BLOC_CODE)
    outcomes = ue_outcomes(student_ids, year=year_label, period=period, with_reasons=with_reasons)
    extended = sessions_ouvertes(student_ids, year=year_label, period=period)
    granted: dict[int, set[int]] = defaultdict(set)
    raises: dict[int, str] = {}
    if session is not None:
        for student_id, ue_id in Grant.objects.filter(session__jury=session.jury, session__period__lte=period).values_list(
                "student_id", "ue_id"):
            granted[student_id].add(ue_id)
        raises = dict(MentionRaise.objects.filter(session=session).values_list("student_id", "motivation"))
    prior: dict[tuple[int, int], list[engine.PriorCredit]] = defaultdict(list)
    valorised: dict[tuple[int, int], int] = defaultdict(int)
    pae_ues = None  # built only if a valorised credit is met (rare)
    for student_id, ue_id, programme_id, year, code, credits, bloc, note, is_valorised in AcquiredCredit.objects.filter(
            student_id__in=student_ids).values_list("student_id", "ue_id", "ue__programme_id", "academic_year", "ue__code",
                                                    "ue__credits", "ue__bloc", "note", "valorised"):
        if is_valorised and bloc == 1:
            if pae_ues is None:
                pae_ues = {(r.student_id, u.id) for r in regs for u in pae.get(r.pk, [])}
            if (student_id, ue_id) not in pae_ues:
                valorised[(student_id, programme_id)] += credits
        if year != year_label:
            prior[(student_id, programme_id)].append(engine.PriorCredit(code, credits, bloc, note, is_valorised))
    out = []
    for r in regs:
        out.append(engine.StudentInput(
            student_id=r.student_id, registration_id=r.pk, matricule=r.matricule,
            name=f"{r.first_name} {r.last_name}".strip(), bloc=r.bloc, cycle=r.cycle,
            end_of_cycle=r.bloc >= max(1, (r.min_credits or 180) // 60) or r.stage == Registration.Stage.AD,
            pae=pae.get(r.pk, []), outcomes=outcomes.get(r.student_id, {}), granted=granted.get(r.student_id, set()),
            prior=prior.get((r.student_id, r.programme_id), []),
            valorised_bloc1=valorised.get((r.student_id, r.programme_id), 0), mention_raise=raises.get(r.student_id, ""),
            session_ouverte_until=extended.get(r.student_id), access_suspended_on=r.access_suspended_on))
    return out


def _outside_ue(ue_id: int) -> engine.PaeUE:
    """A UE of another programme in the PAE (rare): read on its own."""
    u = UE.objects.get(pk=ue_id)
    return engine.PaeUE(u.pk, u.code, u.title, u.credits, u.bloc, u.weight)


_BLOC_CODE = attrgetter("bloc", "code")


class _Reg(NamedTuple):  # a tuple: built for each of thousands of registrations
    pk: int
    student_id: int
    matricule: str
    first_name: str
    last_name: str
    bloc: int
    stage: str
    programme_id: int
    cycle: int
    min_credits: int | None
    access_suspended_on: object  # a date or None (art. 49)


def context_for(session: DeliberationSession) -> engine.Context:
    jury = session.jury
    return engine.Context(year=jury.academic_year.label, period=session.period, mention_domain=jury.mention_domain,
                          mention_kind=jury.mention_kind, thresholds=mention_thresholds(jury.academic_year),
                          today=today())


def grid(session: DeliberationSession, *, student_id: int | None = None) -> list[engine.Proposal]:
    """One proposal per student of the session (or one student's)."""
    regs = registrations_of(session.jury)
    if student_id is not None:
        regs = regs.filter(student_id=student_id)
    ctx = context_for(session)
    return engine.propose_all(inputs_for(regs, year_label=ctx.year, period=session.period, session=session,
                                         with_reasons=student_id is not None), ctx)


def frozen_decisions(session: DeliberationSession):
    return Decision.objects.filter(session=session).select_related("student__user").order_by("student__matricule")


def published_decisions_of(student):
    """The student's own decisions, only once published (art. 103)."""
    return (Decision.objects.filter(student=student, session__published=True)
            .select_related("session__jury__programme", "session__jury__academic_year").order_by("-session__period"))


def ue_titles(ids) -> dict[int, str]:
    return dict(UE.objects.filter(pk__in=ids).values_list("pk", "title"))


def annexe6_schemes(year: str) -> list[tuple[str, str]]:
    try:
        return [(w.domain, w.kind) for w in load_year(year).mentions.weights]
    except RuleError:
        return []


def member_of(jury: Jury, user) -> JuryMember | None:
    return jury.members.filter(user=user).first()


@dataclass(frozen=True)
class Outlook:
    """What the closed year means for the next one: finançabilité (art. 35) read from the written history, and
    whether the next year's regulation parameters exist."""

    year: str
    financabilite: object  # a Decision, or None when the rules cannot decide
    error: str
    missing_parameters: str  # French, shown with |localized


def next_year_outlook(student, programme, year: str) -> Outlook:
    start = int(year[:4]) + 1
    following = f"{start}-{start + 1}"
    missing = ""
    try:
        load_year(following)
    except (RuleError, ValueError):
        missing = gettext_noop("Le dossier de règlement {year} (regulation/years/{year}/) n'existe pas : les droits, le "
                               "calendrier et les règles de PAE de {year} ne peuvent pas encore être calculés.",
                               year=following)
    decision = financabilite_for(student, programme, following)
    if isinstance(decision, str):
        return Outlook(following, None, decision, missing)
    return Outlook(following, decision, "", missing)
