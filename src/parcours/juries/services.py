"""Every write of the juries: composition (art. 128, 131), sessions and quorum (art. 128, 133), grants
(art. 134-135, annexe 3), mentions (art. 136), closing and reopening, publication (art. 103) and the year
closing into the student record (art. 35, 67, 100, 134). Keyword-only, one transaction, French errors."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcours.audit.services import record
from parcours.evaluations.publication import check_detail_publication
from parcours.evaluations.services import EvaluationError
from parcours.institutions.models import UE
from parcours.juries import selectors
from parcours.juries.models import (
    Attendance,
    Decision,
    DeliberationSession,
    Grant,
    Jury,
    JuryMember,
    MentionRaise,
    Relationship,
)
from parcours.juries.results import mark_published
from parcours.juries.workflow import SessionStatus, allowed
from parcours.regulation import deliberation, grades
from parcours.regulation.explain import RuleError
from parcours.students.models import AcquiredCredit, PaeEntry, PastRegistration
from parcours.web.clock import DateRefused, check_day, now
from parcours.web.i18n import localized, reasons_sentence


class JuryError(Exception):
    """A refused action, with the message shown to the person in their language (French first)."""


def _text(decision) -> str:
    """The reasons in French, for the audit log: a legal record, never translated."""
    return " ".join(f"{r.text} ({r.article})" for r in decision.reasons)


def _lock(session_id: int) -> DeliberationSession:
    try:
        return (DeliberationSession.objects.select_for_update().select_related("jury__programme", "jury__academic_year")
                .get(pk=session_id))
    except DeliberationSession.DoesNotExist as exc:
        raise JuryError(_("Séance de délibération inconnue.")) from exc


def _require(actor, user_id: int, what: str) -> None:
    if actor.pk != user_id:
        raise JuryError(what)


def _require_officer(actor, jury: Jury) -> None:
    if actor.pk not in (jury.president_id, jury.secretary_id):
        raise JuryError(_("Seuls le président et le secrétaire du jury enregistrent ses décisions."))


def _move(session: DeliberationSession, target: str) -> None:
    if not allowed(session.status, target):
        raise JuryError(_("La séance est « {status} » : action impossible.").format(
            status=session.get_status_display()))
    session.status = target


# --- composition (art. 128, 131) -----------------------------------------------------------------
def teachers_of(jury: Jury) -> set[int]:
    """Teachers responsible for a UE in the PAE of a student the jury deliberates (art. 128)."""
    regs = selectors.registrations_of(jury)
    ue_ids = PaeEntry.objects.filter(registration__in=regs).values("ue_id")
    return set(UE.teachers.through.objects.filter(ue_id__in=ue_ids).values_list("user_id", flat=True))


MIN_MEMBERS = 5  # art. 128: "minimum 5 personnes"


@transaction.atomic
def compose_jury(*, actor, programme, academic_year, president, secretary, first_year_subjury: bool = False,
                 replaces=None, designated_by=None, mention_domain: str = "", mention_kind: str = "",
                 member_ids=None) -> Jury:
    """The jury of a programme's cycle: president, secretary and the UE responsibles (art. 127-128). ``member_ids``
    is the composition as edited by the person constituting it (the computed one when None)."""
    if replaces is not None and designated_by is None:
        raise JuryError(_("Le remplaçant du directeur de département est désigné par le directeur de domaine "
                          "(art. 128) : indiquez qui l'a désigné."))
    if Jury.objects.filter(programme=programme, academic_year=academic_year, first_year_subjury=first_year_subjury).exists():
        raise JuryError(_("Ce jury existe déjà pour ce programme et cette année."))
    if president.pk == secretary.pk:
        raise JuryError(_("Le président et le secrétaire du jury sont deux personnes distinctes (art. 128)."))
    jury = Jury.objects.create(programme=programme, academic_year=academic_year, first_year_subjury=first_year_subjury,
                               president=president, secretary=secretary, president_replaces=replaces,
                               president_designated_by=designated_by, mention_domain=mention_domain,
                               mention_kind=mention_kind)
    if member_ids is None:
        add_responsibles(actor=actor, jury_id=jury.pk)
    else:
        teachers = teachers_of(jury)
        chosen = {int(pk) for pk in member_ids} | {president.pk, secretary.pk}
        JuryMember.objects.bulk_create([JuryMember(jury=jury, user_id=pk, from_responsibilities=pk in teachers,
                                                   examined=pk in teachers) for pk in sorted(chosen)])
        record(actor=actor, action="juries.jury.composed", target=jury,
               summary=f"{jury} constitué — membres : {len(chosen)}.")
    count = jury.members.count()
    if count < MIN_MEMBERS:  # the transaction rolls back: no jury is half-created
        raise JuryError(ngettext("Le jury compterait {count} membre : il en faut au moins {minimum}, dont le président "
                                 "et le secrétaire (art. 128). Ajoutez des membres.",
                                 "Le jury compterait {count} membres : il en faut au moins {minimum}, dont le président "
                                 "et le secrétaire (art. 128). Ajoutez des membres.", count).format(
            count=count, minimum=MIN_MEMBERS))
    return jury


def directors_of(programme) -> list:
    """The department director(s) of the programme: the jury's president by right (art. 128)."""
    from parcours.accounts.models import Role, User

    return list(User.objects.filter(Q(role_assignments__department_id=programme.department_id)
                                    | Q(role_assignments__programme_id=programme.pk),
                                    role_assignments__role=Role.DEPARTMENT_DIRECTION, is_active=True)
                .distinct().order_by("last_name", "first_name", "pk"))


def domain_directors() -> list:
    from parcours.accounts.models import Role, User

    return list(User.objects.filter(role_assignments__role=Role.DOMAIN_DIRECTION, is_active=True).distinct()
                .order_by("last_name", "first_name", "pk"))


def constitute_jury(*, actor, programme, academic_year, secretary, member_ids, first_year_subjury: bool = False,
                    replacement=None, designated_by=None, mention_domain: str = "", mention_kind: str = "") -> Jury:
    """The department's secretariat (or direction) constitutes the jury of a cycle (art. 127): the department
    director presides; when unavailable, the replacement the domain director designated, recorded (art. 128)."""
    from parcours.accounts.models import Role
    from parcours.accounts.permissions import roles_of
    from parcours.juries.permissions import can_compose

    if not can_compose(actor, programme):
        raise JuryError(_("Seuls le secrétariat et la direction du département constituent le jury de ses cursus "
                          "(art. 127)."))
    directors = directors_of(programme)
    if replacement is None:
        if not directors:
            raise JuryError(_("Aucun directeur de département n'est connu pour ce cursus : indiquez le membre du "
                              "collège de direction désigné par le directeur de domaine pour présider (art. 128)."))
        president, replaces = directors[0], None
    else:
        if designated_by is None or Role.DOMAIN_DIRECTION not in roles_of(designated_by):
            raise JuryError(_("Le remplaçant du directeur de département est désigné par le directeur de domaine "
                              "(art. 128) : choisissez le directeur de domaine qui l'a désigné."))
        president, replaces = replacement, (directors[0] if directors else None)
    return compose_jury(actor=actor, programme=programme, academic_year=academic_year, president=president,
                        secretary=secretary, first_year_subjury=first_year_subjury, replaces=replaces,
                        designated_by=designated_by if replacement is not None else None,
                        mention_domain=mention_domain, mention_kind=mention_kind, member_ids=member_ids)


@transaction.atomic
def add_responsibles(*, actor, jury_id: int) -> int:
    """Add the president, the secretary and every UE responsible of the students' PAE not yet a member (art. 128)."""
    jury = Jury.objects.select_for_update().get(pk=jury_id)
    teachers = teachers_of(jury)
    present = set(jury.members.values_list("user_id", flat=True))
    added = [JuryMember(jury=jury, user_id=user_id, from_responsibilities=user_id in teachers,
                        examined=user_id in teachers)
             for user_id in (teachers | {jury.president_id, jury.secretary_id}) - present]
    JuryMember.objects.bulk_create(added)
    record(actor=actor, action="juries.jury.composed", target=jury,
           summary=f"{jury} — membres ajoutés d'après les responsabilités d'UE : {len(added)}.")
    return len(added)


@transaction.atomic
def set_member(*, actor, jury_id: int, user, present_in_jury: bool, examined: bool = True) -> None:
    """Add or remove a member by hand (the computed composition is editable), never below 5 (art. 128)."""
    from parcours.juries.permissions import can_edit_composition

    jury = Jury.objects.select_for_update().select_related("programme").get(pk=jury_id)
    if not can_edit_composition(actor, jury):
        raise JuryError(_("Seuls le secrétariat du département, le président et le secrétaire du jury modifient sa "
                          "composition."))
    if present_in_jury:
        JuryMember.objects.update_or_create(jury=jury, user=user, defaults={"from_responsibilities": user.pk in teachers_of(jury),
                                                                            "examined": examined})
    else:
        if user.pk in (jury.president_id, jury.secretary_id):
            raise JuryError(_("Le président et le secrétaire font partie du jury (art. 128)."))
        if not jury.members.filter(user=user).exists():
            return  # double submission
        if jury.members.count() <= MIN_MEMBERS:
            raise JuryError(_("Le jury compte {minimum} membres : il ne peut en compter moins (art. 128).").format(
                minimum=MIN_MEMBERS))
        JuryMember.objects.filter(jury=jury, user=user).delete()
    record(actor=actor, action="juries.jury.member", target=jury,
           summary=f"{'Ajout' if present_in_jury else 'Retrait'} de {user} du jury.")


@transaction.atomic
def declare_relationship(*, actor, jury_id: int, student_id: int, kind: str, degree: int | None) -> Relationship:
    """A member declares a link with a student; may_sit decides whether they are barred (art. 131)."""
    member = JuryMember.objects.select_related("jury").filter(jury_id=jury_id, user=actor).first()
    if member is None:
        raise JuryError(_("Seul un membre du jury déclare ses liens avec un étudiant."))
    if not selectors.registrations_of(member.jury).filter(student_id=student_id).exists():
        raise JuryError(_("Cet étudiant n'est pas délibéré par ce jury."))
    try:
        decision = deliberation.may_sit(deliberation.ConflictFacts(relationship=kind, degree=degree))
    except (RuleError, ValueError) as exc:
        raise JuryError(localized(exc) if isinstance(exc, RuleError) else _("Lien ou degré invalide (art. 131).")) \
            from exc
    rel, _created = Relationship.objects.update_or_create(member=member, student_id=student_id,
                                                   defaults={"kind": kind, "degree": degree, "barred": not decision.outcome})
    record(actor=actor, action="juries.relationship.declared", target=member.jury,
           summary=f"Lien déclaré par {actor} : {_text(decision)}", student=student_id)
    return rel


# --- sessions and quorum (art. 128, 133) ---------------------------------------------------------
@transaction.atomic
def create_session(*, actor, jury_id: int, period: int) -> DeliberationSession:
    jury = Jury.objects.select_for_update().get(pk=jury_id)
    _require(actor, jury.secretary_id, _("Seul le secrétaire du jury prépare une séance de délibération."))
    if period not in (1, 2, 3):
        raise JuryError(_("La période d'évaluation est 1, 2 ou 3 (art. 79)."))
    session, created = DeliberationSession.objects.get_or_create(jury=jury, period=period)
    if created:
        record(actor=actor, action="juries.session.created", target=session, summary=f"Séance préparée : {session}.")
    return session


@transaction.atomic
def open_session(*, actor, session_id: int) -> DeliberationSession:
    session = _lock(session_id)
    _require(actor, session.jury.secretary_id, _("Seul le secrétaire du jury ouvre la séance."))
    if session.status == SessionStatus.OPEN:
        return session  # double submission
    _move(session, SessionStatus.OPEN)
    session.opened_at = now()
    session.save()
    for member in session.jury.members.all():
        Attendance.objects.get_or_create(session=session, member=member)
    record(actor=actor, action="juries.session.opened", target=session, summary=f"Séance ouverte : {session}.")
    return session


@transaction.atomic
def record_attendance(*, actor, session_id: int, present_user_ids) -> deliberation.Decision:
    """Who is present; the quorum of art. 128 is decided and stored with its reasons."""
    session = _lock(session_id)
    _require(actor, session.jury.secretary_id, _("Seul le secrétaire du jury enregistre les présences."))
    if session.status != SessionStatus.OPEN:
        raise JuryError(_("La séance n'est pas ouverte : les présences ne peuvent être modifiées."))
    present = {int(u) for u in present_user_ids}
    members = {m.user_id: m for m in session.jury.members.all()}
    unknown = present - set(members)
    if unknown:
        raise JuryError(_("Une personne cochée n'est pas membre du jury."))
    for user_id, member in members.items():
        Attendance.objects.update_or_create(session=session, member=member, defaults={"present": user_id in present})
    decision = selectors.quorum_for(session)
    session.quorum_valid = decision.outcome["valid"]
    session.quorum = decision.to_dict()
    session.save()
    record(actor=actor, action="juries.session.attendance", target=session,
           summary=f"Présences : {len(present)} ; {_text(decision)}"[:300])
    return decision


def _require_quorum(session: DeliberationSession, student_id: int | None = None) -> None:
    if not session.quorum_valid:
        # The stored quorum's reasons, in the reader's language (their template is kept beside the French).
        raise JuryError(_("Le quorum n'est pas atteint (art. 128) : aucune décision ne peut être enregistrée. {reasons}")
                        .format(reasons=reasons_sentence(session.quorum.get("reasons", []), articles=False)))
    if student_id is not None:
        barred = selectors.barred_by_student(session.jury).get(student_id, set())
        if barred:
            decision = selectors.quorum_for(session, barred)
            if not decision.outcome["valid"]:
                raise JuryError(_("Sans les membres qui ne peuvent délibérer sur cet étudiant (art. 131), le quorum "
                                  "n'est pas atteint (art. 128). {reasons}").format(
                    reasons=reasons_sentence(decision.reasons)))


def _require_open(session: DeliberationSession) -> None:
    if session.status == SessionStatus.CLOSED:
        raise JuryError(_("La séance est clôturée : les décisions sont arrêtées. Seul le président peut la rouvrir, "
                          "motif à l'appui."))
    if session.status != SessionStatus.OPEN:
        raise JuryError(_("La séance n'est pas encore ouverte."))


# --- grants and mentions (art. 130, 134-136, annexes 3 and 6) -------------------------------------
def _require_deliberable(proposal) -> None:
    """No grant nor mention for a student the jury does not deliberate now: in session ouverte (art. 85) or whose
    access is suspended for an unpaid balance (art. 49: "il ne peut être délibéré")."""
    if proposal.outcome == "session_ouverte":
        raise JuryError(_("{outcome} : le jury le délibère à la clôture de sa période.").format(
            outcome=localized(proposal.outcome_label)))
    if proposal.outcome == "acces_suspendu":
        raise JuryError(_("Accès suspendu pour solde des droits impayé (art. 49) : l'étudiant ne peut être délibéré, "
                          "aucun octroi ni aucune mention n'est enregistré pour lui."))


@transaction.atomic
def grant_credits(*, actor, session_id: int, student_id: int, ue_id: int, criteria: list[str], motivation: str) -> Grant:
    """The jury grants the credits of a failed UE (art. 134), motivated (art. 130) by annexe-3 criteria (art. 135)."""
    session = _lock(session_id)
    _require_officer(actor, session.jury)
    _require_open(session)
    existing = Grant.objects.filter(session=session, student_id=student_id, ue_id=ue_id).first()
    if existing:
        return existing  # double submission
    _require_quorum(session, student_id)
    try:
        labels = deliberation.criteria_labels(list(criteria))
    except RuleError as exc:
        raise JuryError(localized(exc)) from exc
    if not labels:
        raise JuryError(_("Retenez au moins un critère de délibération de l'annexe 3 (art. 135)."))
    if not motivation.strip():
        raise JuryError(_("Les décisions du jury sont motivées (art. 130) : ajoutez une explication."))
    proposals = selectors.grid(session, student_id=student_id)
    if not proposals:
        raise JuryError(_("Cet étudiant n'est pas délibéré par ce jury."))
    _require_deliberable(proposals[0])
    row = next((r for r in proposals[0].rows if r.ue.id == ue_id), None)
    if row is None:
        raise JuryError(_("Cette UE n'est pas au PAE de l'étudiant."))
    if row.acquired:
        raise JuryError(_("Les crédits de cette UE sont déjà acquis."))
    try:
        decision = grades.jury_grant(grades.JuryGrantFacts(period=session.period, note=row.note, special=row.special,
                                                           jury_judges_failure_acceptable=True))
    except RuleError as exc:
        raise JuryError(localized(exc)) from exc
    if not decision.outcome["granted"]:
        raise JuryError(_("Octroi refusé : {reasons}").format(reasons=reasons_sentence(decision.reasons)))
    grant = Grant.objects.create(session=session, student_id=student_id, ue_id=ue_id, note_before=row.display,
                                 criteria=list(criteria), motivation=motivation.strip(), granted_by=actor)
    record(actor=actor, action="juries.grant.created", target=session,
           summary=f"Crédits de {row.ue.code} octroyés à {proposals[0].student.matricule} ({row.display}/20 → 10/20) : "
                   f"{'; '.join(labels)}. {motivation.strip()}", student=student_id, ue=ue_id)
    return grant


@transaction.atomic
def withdraw_grant(*, actor, grant_id: int, reason: str) -> None:
    grant = Grant.objects.select_related("session__jury", "ue", "student").get(pk=grant_id)
    session = _lock(grant.session_id)
    _require_officer(actor, session.jury)
    _require_open(session)
    if not reason.strip():
        raise JuryError(_("Indiquez pourquoi l'octroi est retiré."))
    record(actor=actor, action="juries.grant.withdrawn", target=session,
           summary=f"Octroi de l'UE {grant.ue.code} à {grant.student.matricule} retiré : {reason.strip()}",
           student=grant.student_id)
    grant.delete()


@transaction.atomic
def raise_mention(*, actor, session_id: int, student_id: int, motivation: str) -> MentionRaise:
    """A higher mention than the percentage gives, after motivation (art. 136)."""
    session = _lock(session_id)
    _require_officer(actor, session.jury)
    _require_open(session)
    _require_quorum(session, student_id)
    if not motivation.strip():
        raise JuryError(_("Une mention supérieure au critère de pourcentage doit être motivée (art. 136)."))
    proposals = selectors.grid(session, student_id=student_id)
    if proposals:
        _require_deliberable(proposals[0])
    if not proposals or not proposals[0].degree:
        raise JuryError(_("Une mention n'est attribuée qu'à l'étudiant à qui le jury confère le grade (art. 129, 136)."))
    if proposals[0].mention_percentage is None:
        raise JuryError(_("La mention au pourcentage n'est pas encore calculable (seuils de l'établissement ou "
                          "pondération de l'annexe 6 manquants) : aucune mention supérieure ne peut être attribuée."))
    if proposals[0].mention == "plus_grande_distinction":
        raise JuryError(_("La plus grande distinction est déjà atteinte : aucune mention supérieure n'existe."))
    existing = MentionRaise.objects.filter(session=session, student_id=student_id).first()
    if existing and existing.motivation == motivation.strip():
        return existing  # double submission
    raised, _created = MentionRaise.objects.update_or_create(session=session, student_id=student_id,
                                                       defaults={"motivation": motivation.strip(), "decided_by": actor})
    before = proposals[0].mention_label
    after = selectors.grid(session, student_id=student_id)[0].mention_label
    record(actor=actor, action="juries.mention.raised", target=session,
           summary=f"Mention supérieure attribuée à {proposals[0].student.matricule} ({before} → {after}) : "
                   f"{motivation.strip()}", student=student_id)
    return raised


@transaction.atomic
def withdraw_mention(*, actor, session_id: int, student_id: int, reason: str) -> None:
    """The jury takes back a higher mention while the session is open: the percentage's mention stands again
    (art. 136), the reason kept in the history."""
    session = _lock(session_id)
    _require_officer(actor, session.jury)
    _require_open(session)
    if not reason.strip():
        raise JuryError(_("Indiquez pourquoi la mention supérieure est retirée."))
    raised = MentionRaise.objects.filter(session=session, student_id=student_id).select_related("student").first()
    if raised is None:
        return  # double submission
    record(actor=actor, action="juries.mention.withdrawn", target=session,
           summary=f"Mention supérieure de {raised.student.matricule} retirée : {reason.strip()}", student=student_id)
    raised.delete()


# --- closing, reopening (art. 130) and the year closing into the next -----------------------------
def check_closable(*, actor, session: DeliberationSession) -> None:
    """What closing requires, said before the work is queued (the job checks again under lock)."""
    _require(actor, session.jury.secretary_id, _("Seul le secrétaire du jury clôture la séance."))
    if session.status != SessionStatus.CLOSED:
        _require_open(session)
        _require_quorum(session)


@transaction.atomic
def close_session(*, actor, session_id: int, progress=None) -> list[Decision]:
    """The secretary closes: decisions are frozen and written to the student record."""
    session = _lock(session_id)
    check_closable(actor=actor, session=session)
    if session.status == SessionStatus.CLOSED:
        return list(session.decisions.all())  # double submission
    proposals = selectors.grid(session)
    decisions, late = [], []
    year = session.jury.academic_year.label
    for p in proposals:
        if not p.deliberated:
            continue
        detail = {"rows": [{"ue": r.ue.id, "code": r.ue.code, "title": r.ue.title, "credits": r.ue.credits,
                            "bloc": r.ue.bloc, "display": r.display, "acquired": r.acquired, "granted": r.granted}
                           for r in p.rows],
                  "reasons": p.reasons, "outcome_label": p.outcome_label, "first_year_passed": p.first_year_passed,
                  "mention_label": p.mention_label}
        decision, created = Decision.objects.update_or_create(session=session, student_id=p.student.student_id, defaults={
            "registration_id": p.student.registration_id, "outcome": p.outcome, "credits_acquired": p.credits_acquired,
            "pae_credits": p.pae_credits, "average": p.average, "mention": p.mention or "",
            "mention_percentage": p.mention_percentage, "mention_raised": bool(p.student.mention_raise),
            "mention_motivation": p.student.mention_raise, "degree_conferred": p.degree, "detail": detail})
        decisions.append(decision)
        if created:
            late.append(decision)
        if p.outcome != "incomplet":
            _into_record(p, year, session.jury)

    if progress is not None:
        progress(len(proposals), len(proposals))
    session.closed_at = now()
    _move(session, SessionStatus.CLOSED)
    session.save()
    record(actor=actor, action="juries.session.closed", target=session,
           summary=f"Séance clôturée — décisions arrêtées : {len(decisions)}.")
    if session.published and late:
        # Art. 85: students deliberated after their session ouverte, the session's results already proclaimed:
        # theirs are published at this closing, and they alone are told.
        _publish(session, actor, late)
    return decisions


def _into_record(p, year: str, jury: Jury) -> None:
    """Credits acquired for good (art. 100, 134) and the year in the student's history (art. 35, 67)."""
    for r in p.rows:
        if r.acquired:
            note = grades.THRESHOLD if r.granted else r.note
            AcquiredCredit.objects.update_or_create(student_id=p.student.student_id, ue_id=r.ue.id,
                                                    defaults={"academic_year": year, "note": note, "valorised": False})
    # After a reopening, a UE no longer acquired loses the credit an earlier closing wrote this year.
    AcquiredCredit.objects.filter(student_id=p.student.student_id, academic_year=year, valorised=False,
                                  ue_id__in=[r.ue.id for r in p.rows if not r.acquired]).delete()
    valorised = AcquiredCredit.objects.filter(student_id=p.student.student_id, academic_year=year, valorised=True)
    extra = sum(c.ue.credits for c in valorised.select_related("ue"))
    programme = jury.programme
    PastRegistration.objects.update_or_create(
        student_id=p.student.student_id, academic_year=year, cursus=programme.name,
        defaults={"cycle": programme.cycle, "institution": "HELHa", "pae_credits": p.pae_credits,
                  "credits_acquired": p.credits_acquired + extra, "led_to_degree": p.degree, "new_rules": True})


@transaction.atomic
def reopen_session(*, actor, session_id: int, reason: str) -> DeliberationSession:
    """The president reopens a closed session, with a reason kept in the history."""
    session = _lock(session_id)
    _require(actor, session.jury.president_id, _("Seul le président du jury peut rouvrir une séance clôturée."))
    if not reason.strip():
        raise JuryError(_("La réouverture d'une séance se motive : indiquez la raison."))
    if session.status != SessionStatus.CLOSED:
        raise JuryError(_("Seule une séance clôturée peut être rouverte."))
    _move(session, SessionStatus.OPEN)
    session.reopen_reason = reason.strip()
    summary = f"Séance rouverte : {reason.strip()}"
    if session.publish_at and not session.published:
        # The publication was fixed for the decisions as they stood: the president fixes it again after the
        # new closing, instead of the revised decisions leaving at a time chosen before they existed.
        summary += (f" La publication prévue le {timezone.localtime(session.publish_at):%d/%m/%Y %H:%M} est annulée :"
                    " elle se fixe de nouveau après la clôture.")
        session.publish_at = None
    session.save()
    record(actor=actor, action="juries.session.reopened", target=session, summary=summary)
    return session


# --- publication (art. 103) ----------------------------------------------------------------------
@transaction.atomic
def schedule_publication(*, actor, session_id: int, publish_at: dt.datetime) -> DeliberationSession:
    """The president sets when the results become visible; at that time students are told (art. 103)."""
    session = _lock(session_id)
    _require(actor, session.jury.president_id, _("Seul le président du jury fixe la publication des résultats."))
    if session.status != SessionStatus.CLOSED:
        raise JuryError(_("Les résultats se publient après la clôture de la séance."))
    if session.published:
        raise JuryError(_("Les résultats de cette séance sont déjà publiés."))
    try:  # a typing error (2099) is caught like every other date of Parcours
        check_day(timezone.localtime(publish_at).date(), "La date de publication")
    except DateRefused as exc:
        raise JuryError(str(exc)) from exc
    try:  # art. 103: January results of first-year students by 10 February (the evaluation side's rule)
        check_detail_publication(period_number=session.period, year_label=session.jury.academic_year.label,
                                 student_ids=session.jury.programme.registrations.filter(
                                     academic_year=session.jury.academic_year).values_list("student_id", flat=True),
                                 publish_on=timezone.localtime(publish_at).date())
    except EvaluationError as exc:
        raise JuryError(str(exc)) from exc
    session.publish_at = publish_at
    session.save()
    record(actor=actor, action="juries.session.publication_scheduled", target=session,
           summary=f"Publication fixée au {timezone.localtime(publish_at):%d/%m/%Y %H:%M}.")
    if publish_at <= now():
        _publish(session, actor)
    return session


def publish_due(*, at: dt.datetime | None = None) -> int:
    """Publish every closed session whose publication time has come (run by the daily/periodic command)."""
    now_ = at or now()
    done = 0
    for pk in DeliberationSession.objects.filter(status=SessionStatus.CLOSED, published=False,
                                                 publish_at__lte=now_).values_list("pk", flat=True):
        with transaction.atomic():
            session = _lock(pk)
            if not session.published:
                _publish(session, None)
                done += 1
    return done


def _publish(session: DeliberationSession, actor, decisions=None) -> None:
    from parcours.juries.publication import notify_students

    session.published = True
    session.save()
    if decisions is None:
        decisions = list(session.decisions.select_related("student__user"))
    Decision.objects.filter(pk__in=[d.pk for d in decisions]).update(published_at=now())
    # The evaluation side makes the UE notes visible; the president is the one who published (art. 103).
    try:
        mark_published(student_ids=[d.student_id for d in decisions], year=session.jury.academic_year.label,
                       period=session.period, actor=actor or session.jury.president,
                       programme_id=session.jury.programme_id)
    except PermissionError as exc:
        raise JuryError(_("Publication refusée par le service des évaluations : {error}").format(error=exc)) from exc
    record(actor=actor, action="juries.session.published", target=session,
           summary=f"Résultats publiés — étudiants : {len(decisions)}.")
    notify_students(session, decisions)
