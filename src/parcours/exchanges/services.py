"""Outgoing mobility: calls, candidatures sent to both co-organising institutions, and selection
(seed 000 points 1.1-1.4; RGE art. 214-219). Every decision comes from regulation.mobility."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext, override

from parcours.accounts import permissions
from parcours.audit.services import record
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.workflow import SlotStatus
from parcours.exchanges import permissions as exchange_permissions
from parcours.exchanges.models import Call, Candidature, Choice, Destination, Evaluation, Reception
from parcours.exchanges.workflow import TRANSITIONS, CandidatureStatus
from parcours.institutions.models import AcademicYear, Institution, Programme
from parcours.notifications.services import bulk_mail, notify
from parcours.regulation import mobility
from parcours.regulation.explain import Decision, fr_date
from parcours.regulation.params import load_year
from parcours.students.models import AcquiredCredit, Registration, Student
from parcours.web.clock import now, today
from parcours.web.i18n import reasons_sentence

OFFICE = {"bureau_international", "coordinateur_ri"}
STUDY_KINDS = {"SMS", "BELGICA_STUDIES", "FAME", "INTERCOMMUNAUTAIRE"}
COMMITTEE = exchange_permissions.HELHA_COMMITTEE
MOBILITY_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


class MobilityError(Exception):
    """A refused action, in French, for the person who asked."""


def _text(decision: Decision) -> str:
    return reasons_sentence(decision.reasons)  # in the language of the person who asked


def parse_score(raw) -> Decimal:
    """A committee score out of 20; the decimal comma of a French keyboard is accepted ("15,5")."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise MobilityError(gettext("La note s'exprime sur 20, par exemple 15,5.")) from None
    if not value.is_finite() or not 0 <= value <= 20 or value != value.quantize(Decimal("0.01")):
        raise MobilityError(gettext("La note s'exprime sur 20 (entre 0 et 20, deux décimales au plus)."))
    return value


def candidatures_visible_to(user):
    own = Q(student__user=user)
    partners = permissions.partner_institutions(user, {"coordinateur_ri"})
    query = own | Q(call__recipients__in=partners, status__in=[s for s in CandidatureStatus.values if s != "brouillon"])
    visible_programmes = [p.pk for p in Programme.objects.filter(mobility_calls__isnull=False).distinct()
                          if permissions.can_act_on_programme(user, p, permissions.READERS)]
    query |= Q(call__programme__in=visible_programmes)
    return Candidature.objects.filter(query).distinct()


def _destination_fields(spec) -> dict:
    if isinstance(spec, tuple | list):  # (host id, kind, places)
        host_id, kind, places = spec
        return {"host_id": host_id, "kind": kind, "places": places}
    allowed = {"host_id", "kind", "places", "language", "language_level", "period", "host_contact_name",
               "host_contact_email", "info_url"}
    return {k: v for k, v in spec.items() if k in allowed}


@transaction.atomic
def open_call(*, actor, programme_id: int, mobility_year: str, title: str, department_min_credits: int,
              destinations: list, selection_criteria: str = "", isced_f_code: str = "") -> Call:
    """A call per year and programme (seed 000, 1.2): deadlines from the year's parameters, sent to the
    co-organising institutions (HENALLUX and HERS for the social-work bachelor)."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise MobilityError(gettext("Programme inconnu."))
    if not permissions.can_act_on_programme(actor, programme, OFFICE):
        raise MobilityError(gettext("Seul le Bureau International ou le coordinateur RI du programme ouvre un appel."))
    match = MOBILITY_YEAR.match(mobility_year.strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        raise MobilityError(gettext("Année de la mobilité au format 2024-2025."))
    if not title.strip():
        raise MobilityError(gettext("Donnez un intitulé à l'appel."))
    if not destinations:
        raise MobilityError(gettext("Un appel propose au moins une destination."))
    params = load_year(AcademicYear.objects.order_by("-start").first().label).mobility
    call = Call.objects.create(programme=programme, mobility_year=mobility_year.strip(), title=title.strip(),
                               deadline=params.candidature.deadline.date,
                               deadline_canada=params.candidature.deadline_canada.date,
                               department_min_credits=department_min_credits, created_by=actor,
                               selection_criteria=selection_criteria.strip(), isced_f_code=isced_f_code.strip())
    recipients = list(programme.co_organised_with.all()) or [Institution.objects.get(kind=Institution.Kind.HOME)]
    call.recipients.set(recipients)
    for spec in destinations:
        fields = _destination_fields(spec)
        if fields.get("kind") not in params.kinds:
            raise MobilityError(gettext("Type de mobilité inconnu : %(kind)s.") % {"kind": fields.get("kind")})
        if not Institution.objects.filter(pk=fields.get("host_id")).exists():
            raise MobilityError(gettext("Établissement d'accueil inconnu."))
        if fields.get("places") is not None and fields["places"] < 0:
            raise MobilityError(gettext("Le nombre de places ne peut être négatif."))
        Destination.objects.create(call=call, **fields)
    record(actor=actor, action="exchanges.call.opened", target=call,
           summary=f"Appel « {title} » : date limite {fr_date(call.deadline)} ({fr_date(call.deadline_canada)} pour les "
           "mobilités d'études au Canada)")
    return call


def canada_study(destinations) -> bool:
    """Point 1.2: the 8 December deadline concerns course (study) mobilities to Canada, not traineeships."""
    return any(d.canada and d.kind in STUDY_KINDS for d in destinations)


def deadline_for(candidature: Candidature) -> dt.date:
    destinations = [ch.destination for ch in candidature.choices.select_related("destination__host")]
    return candidature.call.deadline_canada if canada_study(destinations) else candidature.call.deadline


@transaction.atomic
def start_candidature(*, actor, call_id: int, destination_ids: list[int], wants_grant: bool = True,
                      fwb_boursier: bool = False, other_community_language: bool = False,
                      bloc2_available: bool = False) -> Candidature:
    call = Call.objects.select_related("programme").filter(pk=call_id).first()
    if call is None:
        raise MobilityError(gettext("Appel inconnu."))
    student = Student.objects.select_for_update().filter(user=actor).first()  # serialises a double click
    if student is None:
        raise MobilityError(gettext("Seul un étudiant pose sa candidature."))
    registration = Registration.objects.filter(student=student, programme=call.programme,
                                               status=Registration.Status.REGULAR).first()
    if registration is None:
        raise MobilityError(gettext("La mobilité est réservée aux étudiants régulièrement inscrits dans ce programme (art. 28, 214)."))
    if Candidature.objects.filter(call=call, student=student).exists():
        raise MobilityError(gettext("Vous avez déjà une candidature pour cet appel."))
    if len(set(destination_ids)) != len(destination_ids):
        raise MobilityError(gettext("Une même destination ne peut être choisie deux fois."))
    destinations = list(Destination.objects.filter(pk__in=destination_ids, call=call).select_related("host"))
    if not destinations or len(destinations) != len(destination_ids):
        raise MobilityError(gettext("Choisissez une ou plusieurs destinations de cet appel, par ordre de préférence."))
    due_date = call.deadline_canada if canada_study(destinations) else call.deadline
    dossier = Dossier.objects.create(student=student, programme=call.programme, academic_year=registration.academic_year,
                                     kind=Dossier.Kind.MOBILITY, title=f"Candidature mobilité {call.mobility_year}")
    params = load_year(registration.academic_year.label).mobility.candidature
    for doc in params.documents:
        DocumentSlot.objects.create(dossier=dossier, code=doc.code, label=doc.label, article=params.deadline.article,
                                    required=doc.required, due_date=due_date)
    if bloc2_available:  # "si disponible": asked, then required
        DocumentSlot.objects.create(dossier=dossier, code="bulletin_bloc2", label="Bulletin de bloc 2 (disponible)",
                                    article=params.deadline.article, due_date=due_date)
    try:
        with transaction.atomic():
            candidature = Candidature.objects.create(call=call, student=student, dossier=dossier, wants_grant=wants_grant,
                                                     fwb_boursier=fwb_boursier, bloc2_available=bloc2_available,
                                                     other_community_language=other_community_language)
    except IntegrityError:
        raise MobilityError(gettext("Vous avez déjà une candidature pour cet appel.")) from None
    by_id = {d.pk: d for d in destinations}
    for rank, pk in enumerate(destination_ids, start=1):
        Choice.objects.create(candidature=candidature, destination=by_id[pk], rank=rank)
    with override("fr"):  # the audit log is the French record, whatever the student reads (the mobility kinds)
        chosen = ", ".join(str(by_id[pk]) for pk in destination_ids)
    record(actor=actor, action="exchanges.candidature.started", target=candidature,
           summary=f"Candidature commencée : {chosen}")
    return candidature


def eligibility(candidature: Candidature) -> list[Decision]:
    """Art. 214-219 for each chosen destination, from regulation.mobility."""
    student = candidature.student
    passed = AcquiredCredit.objects.filter(student=student).aggregate(n=Sum("ue__credits"))["n"] or 0
    bloc1 = AcquiredCredit.objects.filter(student=student, ue__bloc=1).aggregate(n=Sum("ue__credits"))["n"] or 0
    fame_used = Candidature.objects.filter(student=student, status=CandidatureStatus.SELECTED,
                                           destination__kind="FAME").exclude(pk=candidature.pk).exists()
    out = []
    for choice in candidature.choices.select_related("destination__host"):
        d = choice.destination
        out.append(mobility.eligibility(mobility.EligibilityFacts(
            kind=d.kind, department_authorised=candidature.department_authorised, credits_passed=passed,
            department_min_credits=candidature.call.department_min_credits, fame_already_used=fame_used,
            fame_purpose="stage" if d.kind in ("SMT", "BELGICA_TRAINEESHIP") else "etudes",
            outside_europe=d.outside_europe, bloc1_credits=bloc1,
            other_community_language=candidature.other_community_language,
            section=candidature.call.programme.fee_section)))  # annexe-2 section name, e.g. "AESI Lg" (art. 219)
    return out


def completeness(candidature: Candidature, on: dt.date) -> Decision:
    """Seed 000, 1.2: the four documents (and the bloc-2 bulletin when available), the deadline (8 December for
    course mobilities to Canada), and what the candidature has actually been sent to each institution."""
    slots = {s.code: s for s in candidature.dossier.slots.all()}
    present = [code for code, s in slots.items() if s.status in (SlotStatus.RECEIVED, SlotStatus.ACCEPTED)]
    destinations = [ch.destination for ch in candidature.choices.select_related("destination__host")]
    sent = [r.institution.code for r in candidature.receptions.select_related("institution")
            if r.sent_on or r.received_at]
    return mobility.candidature(mobility.CandidatureFacts(
        submitted_on=candidature.submitted_on or on, canada=canada_study(destinations),
        documents=[c for c in present if c in ("formulaire", "lettre_motivation", "cv", "bulletins")],
        letter_signed=candidature.letter_signed, bloc2_bulletin_available=candidature.bloc2_available,
        bloc2_bulletin_attached="bulletin_bloc2" in present,
        sent_to=[c for c in sent if c in ("HENALLUX", "HERS")]))


def _recipient(candidature: Candidature, institution_id) -> Institution:
    institution = candidature.call.recipients.filter(pk=institution_id).first()
    if institution is None:
        raise MobilityError(gettext("Cet établissement ne reçoit pas les candidatures de cet appel."))
    return institution


@transaction.atomic
def submit(*, actor, candidature_id: int, letter_signed: bool, sent_to: list[int] | None = None,
           on: dt.date | None = None) -> Candidature:
    """The student submits and says where they sent it: each institution is recorded separately (point 1.2)."""
    on = on or today()
    c = Candidature.objects.select_for_update().select_related("call__programme", "student__user").filter(
        pk=candidature_id).first()
    if c is None:
        raise MobilityError(gettext("Candidature inconnue."))
    if c.student.user_id != actor.pk:
        raise MobilityError(gettext("Seul l'étudiant soumet sa candidature."))
    if c.status != CandidatureStatus.DRAFT:
        raise MobilityError(gettext("Cette candidature est déjà soumise."))
    if sent_to is None:
        sent_to = list(c.call.recipients.values_list("pk", flat=True))
    institutions = [_recipient(c, pk) for pk in dict.fromkeys(sent_to)]
    if not institutions:
        raise MobilityError(gettext("Indiquez à quel(s) établissement(s) vous avez envoyé votre candidature (HENALLUX, HERS)."))
    c.letter_signed = letter_signed
    c.submitted_on = on
    check = completeness(c, on)
    problems = []
    if check.outcome["missing"]:
        problems.append("Dossier incomplet : " + "; ".join(check.outcome["missing"]) + ".")
    if not check.outcome["in_time"] and not c.late_exception:
        problems.append(f"Date limite dépassée : {fr_date(check.outcome['deadline'])} (procédure AS, 1.2).")
    refusals = [d for d in eligibility(c) if not d.outcome]
    if refusals:
        problems.append(gettext("Conditions non remplies : %(reasons)s") % {"reasons": " ".join(_text(d) for d in refusals)})
    if problems:
        raise MobilityError(" ".join(problems))
    for inst in institutions:
        Reception.objects.update_or_create(candidature=c, institution=inst, defaults={"sent_on": on})
    check = completeness(c, on)
    c.status = CandidatureStatus.SUBMITTED
    c.decision = {"completeness": check.to_dict()}
    c.save()
    record(actor=actor, action="exchanges.candidature.submitted", target=c,
           summary="Candidature soumise, envoyée à : " + ", ".join(i.name for i in institutions))
    notify(user=actor, template="admission_decision", url=f"/mobilite/candidatures/{c.pk}/", context={
        "request": None, "title": "Candidature de mobilité reçue", "decision": check, "appeal": None})
    return c


@transaction.atomic
def declare_sent(*, actor, candidature_id: int, institution_id: int, on: dt.date | None = None) -> Reception:
    """The student records a later sending to the institution still missing."""
    c = Candidature.objects.select_for_update().select_related("call", "student").filter(pk=candidature_id).first()
    if c is None or c.student.user_id != actor.pk:
        raise MobilityError(gettext("Seul l'étudiant déclare l'envoi de sa candidature."))
    if c.status == CandidatureStatus.DRAFT:
        raise MobilityError(gettext("Soumettez d'abord la candidature."))
    inst = _recipient(c, institution_id)
    reception, _ = Reception.objects.update_or_create(candidature=c, institution=inst,
                                                      defaults={"sent_on": on or today()})
    record(actor=actor, action="exchanges.candidature.sent", target=c, summary=f"Candidature envoyée à {inst.name}")
    return reception


@transaction.atomic
def open_exception(*, actor, candidature_id: int, reason: str) -> Candidature:
    c = Candidature.objects.select_for_update().select_related("call__programme").filter(pk=candidature_id).first()
    if c is None:
        raise MobilityError(gettext("Candidature inconnue."))
    if not permissions.can_act_on_programme(actor, c.call.programme, OFFICE):
        raise MobilityError(gettext("Seul un coordinateur RI ouvre une exception au délai."))
    if not reason.strip():
        raise MobilityError(gettext("Motivez l'exception au délai."))
    c.late_exception = reason.strip()
    c.save()
    record(actor=actor, action="exchanges.candidature.exception", target=c, summary=f"Exception au délai : {reason.strip()}")
    return c


@transaction.atomic
def record_reception(*, actor, candidature_id: int, institution_id: int) -> Reception:
    """An institution's coordinator confirms the candidature reached them."""
    c = Candidature.objects.select_for_update().select_related("call").filter(pk=candidature_id).first()
    if c is None:
        raise MobilityError(gettext("Candidature inconnue."))
    if c.status == CandidatureStatus.DRAFT:
        raise MobilityError(gettext("La candidature n'est pas encore soumise."))
    inst = _recipient(c, institution_id)
    if inst.pk not in permissions.partner_institutions(actor, {"coordinateur_ri"}):
        raise MobilityError(gettext("Seul le coordinateur RI de cet établissement en accuse réception."))
    reception, _ = Reception.objects.get_or_create(candidature=c, institution=inst)
    if reception.received_at is None:
        reception.received_at, reception.received_by = now(), actor
        reception.sent_on = reception.sent_on or today()
        reception.save()
    record(actor=actor, action="exchanges.candidature.received", target=c,
           summary=f"Réception enregistrée par {inst.name}")
    return reception


def _candidature_for_committee(actor, candidature_id: int) -> tuple[Candidature, int | None]:
    c = Candidature.objects.select_for_update().select_related("call__programme", "student__user").filter(
        pk=candidature_id).first()
    if c is None:
        raise MobilityError(gettext("Candidature inconnue."))
    member, institution = exchange_permissions.committee_institution(actor, c.call)
    if not member:
        raise MobilityError(gettext("Seuls les membres du comité (responsables RI, coordinateurs de section et responsables "
                                    "d'année, HENALLUX et HERS compris) évaluent et décident."))
    return c, institution


@transaction.atomic
def evaluate(*, actor, candidature_id: int, score, comment: str) -> Evaluation:
    """Seed 000, 1.3: each committee member weighs the relevance and quality of the project."""
    c, institution = _candidature_for_committee(actor, candidature_id)
    if c.status not in (CandidatureStatus.SUBMITTED, CandidatureStatus.WAITLISTED):
        raise MobilityError(gettext("Seule une candidature soumise, pas encore décidée, est évaluée."))
    value = parse_score(score)
    evaluation, _ = Evaluation.objects.update_or_create(
        candidature=c, member=actor, defaults={"score": value, "comment": comment.strip(), "institution_id": institution})
    c.score = c.evaluations.aggregate(m=Avg("score"))["m"].quantize(Decimal("0.01"))
    c.save(update_fields=["score"])
    record(actor=actor, action="exchanges.candidature.reviewed", target=c,
           summary=f"Évaluée par {actor.get_full_name()} : {str(value).replace('.', ',')}/20")
    return evaluation


def places_left(destination: Destination) -> int | None:
    if destination.places is None:
        return None  # no quota for a traineeship (art. 215)
    taken = destination.selected.filter(status=CandidatureStatus.SELECTED).count()
    return destination.places - taken


@transaction.atomic
def decide(*, actor, candidature_id: int, status: str, reason: str, destination_id: int | None = None,
           managing_institution_id: int | None = None, criteria: list[str] | None = None) -> Candidature:
    """Seed 000, 1.3-1.4: after evaluation, with the selection criteria applied: selected for a destination within its
    places (art. 215), waitlisted or not selected; the student is told which institution manages the mobility."""
    c, _ = _candidature_for_committee(actor, candidature_id)
    if status not in CandidatureStatus.values or (c.status, status) not in TRANSITIONS:
        raise MobilityError(gettext("Impossible de passer de « %(current)s » à ce statut.") % {"current": c.get_status_display()})
    if not c.evaluations.exists():
        raise MobilityError(gettext("Le comité évalue la candidature avant de décider (point 1.3)."))
    applied = [x for x in (criteria or []) if x in c.call.criteria]
    if c.call.criteria and not applied:
        raise MobilityError(gettext("Cochez les critères de sélection appliqués (point 1.4)."))
    if not reason.strip():
        raise MobilityError(gettext("Motivez la décision : l'étudiant en reçoit les raisons."))
    if status == CandidatureStatus.SELECTED:
        check = completeness(c, today())
        if check.outcome["not_sent_to"]:
            raise MobilityError("Candidature incomplète : pas encore envoyée à " + ", ".join(check.outcome["not_sent_to"])
                                + " (point 1.2).")
        destination = Destination.objects.select_for_update().filter(pk=destination_id, call=c.call).first()
        if destination is None:
            raise MobilityError(gettext("Choisissez la destination retenue parmi celles de l'appel."))
        left = places_left(destination)
        if left is not None and left <= 0:
            raise MobilityError(gettext("Plus de place à %(host)s (quota de l'accord interinstitutionnel, art. 215) : "
                                        "proposez une autre destination ou la liste d'attente.")
                                % {"host": destination.host.name})
        if not c.call.recipients.filter(pk=managing_institution_id).exists():
            raise MobilityError(gettext("Indiquez l'établissement qui gère la mobilité (HENALLUX ou HERS)."))
        c.destination, c.managing_institution_id = destination, managing_institution_id
        if destination.kind in STUDY_KINDS:
            c.nominated_on = today()  # art. 215: retained study mobilities are announced to the host
    c.status, c.decided_on = status, today()
    c.decision = {**c.decision, "selection": {
        "status": status, "reason": reason.strip(), "criteria": applied, "evaluations": c.evaluations.count(),
        "score": str(c.score)}}
    c.save()
    record(actor=actor, action=f"exchanges.candidature.{status}", target=c,
           summary=f"{CandidatureStatus(status).label} : {reason.strip()}")
    title = {"retenue": "Candidature retenue", "attente": "Candidature sur liste d'attente",
             "refusee": "Candidature non retenue"}[status]
    with bulk_mail():  # the directions' and the student's e-mails: together, after the decision's commit
        if status == CandidatureStatus.SELECTED:
            title += f" : {c.destination.host.name}, mobilité gérée par {c.managing_institution.name}"
            from parcours.accounts.models import RoleAssignment

            for a in RoleAssignment.objects.filter(role="direction_departement").filter(
                    Q(department=c.call.programme.department) | Q(programme=c.call.programme)).select_related("user"):
                notify(user=a.user, template="office_message", url=f"/mobilite/candidatures/{c.pk}/", context={
                    "subject": f"Séjour à autoriser (art. 214) : {c.student.user.get_full_name()}",
                    "body": f"{c.destination} — candidature retenue par le comité."})
        notify(user=c.student.user, template="admission_decision", url=f"/mobilite/candidatures/{c.pk}/", context={
            "request": None, "title": title, "decision": {"reasons": [{"article": "Procédure mobilité AS, 1.3-1.4",
                                                                         "text": reason.strip()}]}, "appeal": None})
    return c


@transaction.atomic
def authorise(*, actor, candidature_id: int, authorised: bool, reason: str = "") -> Candidature:
    """Art. 214: the stay abroad is subject to the authorisation of the department director or their representative."""
    c = Candidature.objects.select_for_update().select_related("call__programme", "student__user").filter(
        pk=candidature_id).first()
    if c is None:
        raise MobilityError(gettext("Candidature inconnue."))
    if not exchange_permissions.authorises(actor, c):
        raise MobilityError(gettext("Seul le directeur de département ou son représentant autorise le séjour (art. 214)."))
    if c.status != CandidatureStatus.SELECTED:
        raise MobilityError(gettext("L'autorisation porte sur une candidature retenue."))
    if c.department_authorised is not None:
        raise MobilityError(gettext("Le département a déjà décidé."))
    if not authorised and not reason.strip():
        raise MobilityError(gettext("Motivez le refus d'autorisation."))
    c.department_authorised, c.authorised_by, c.authorised_on = authorised, actor, today()
    c.authorisation_reason = reason.strip()
    c.save()
    verdict = "autorisé" if authorised else "refusé"
    record(actor=actor, action="exchanges.candidature.authorised" if authorised else "exchanges.candidature.not_authorised",
           target=c, summary=f"Séjour {verdict} par le département (art. 214)" + (f" : {reason.strip()}" if reason else ""))
    notify(user=c.student.user, template="office_message", url=f"/mobilite/candidatures/{c.pk}/", context={
        "subject": f"Mobilité : séjour {verdict} par le département (art. 214)", "body": reason.strip() or verdict})
    return c


def pipeline(call: Call) -> dict:
    counts = dict(call.candidatures.values_list("status").annotate(n=Count("id")).order_by())
    overdue = call.candidatures.filter(status=CandidatureStatus.DRAFT).count() if today() > call.deadline else 0
    return {"counts": [(s, label, counts.get(s, 0)) for s, label in CandidatureStatus.choices],
            "destinations": [(d, places_left(d)) for d in call.destinations.select_related("host")],
            "overdue_drafts": overdue}


def open_calls_for(student: Student):
    """The calls of the programmes the student is regularly registered in, still open (its later deadline not
    passed), or where the student already has a candidature."""
    programmes = Registration.objects.filter(student=student, status=Registration.Status.REGULAR).values("programme")
    now = today()
    return Call.objects.filter(programme__in=programmes).filter(
        Q(deadline__gte=now) | Q(deadline_canada__gte=now) | Q(candidatures__student=student)).distinct() \
        .select_related("programme")


def message_selection(*, actor, call_id: int, candidature_ids: list[int], subject: str, body: str) -> int:
    """Bulk e-mail from the office to a selection of candidates, each recorded as a notification and a sent mail."""
    call = Call.objects.select_related("programme").get(pk=call_id)
    if not permissions.can_act_on_programme(actor, call.programme, OFFICE):
        raise MobilityError(gettext("Seul le Bureau International ou le coordinateur RI écrit aux candidats."))
    if not subject.strip() or not body.strip():
        raise MobilityError(gettext("Indiquez l'objet et le message."))
    sent = 0
    # One transaction, one SMTP session: the e-mails leave together once the notifications are committed.
    with transaction.atomic(), bulk_mail():
        for c in Candidature.objects.filter(call=call, pk__in=candidature_ids).select_related("student__user"):
            notify(user=c.student.user, template="office_message", url=f"/mobilite/candidatures/{c.pk}/",
                   context={"subject": subject.strip(), "body": body.strip()})
            sent += 1
        record(actor=actor, action="exchanges.call.message", target=call,
               summary=f"Message « {subject.strip()} » à {sent} candidat(s)")
    return sent


EXPORT_COLUMNS = ["matricule", "nom", "prénom", "statut", "choix 1", "choix 2", "choix 3", "note", "destination retenue",
                  "établissement gestionnaire", "reçue par", "soumise le"]


def export_rows(call: Call, candidatures) -> list[list]:
    rows = []
    for c in candidatures.select_related("student__user", "destination__host", "managing_institution").prefetch_related(
            "choices__destination__host", "receptions__institution"):
        choices = [ch.destination.host.name for ch in c.choices.all()] + ["", "", ""]
        rows.append([c.student.matricule, c.student.user.last_name, c.student.user.first_name, c.get_status_display(),
                     *choices[:3], str(c.score).replace(".", ",") if c.score is not None else "",
                     c.destination.host.name if c.destination else "",
                     c.managing_institution.name if c.managing_institution else "",
                     ", ".join(r.institution.code for r in c.receptions.all() if r.received_at),
                     c.submitted_on.isoformat() if c.submitted_on else ""])
    return rows


def mobility_reminders(*, on: dt.date) -> int:
    """Remind a candidate with an unsubmitted candidature 7 and 2 days before the deadline (8 December for
    Canada), and the student when the grant contract can be signed (the month before departure) — once each."""
    with transaction.atomic(), bulk_mail():  # the reminders leave together after their commit, one SMTP session
        return _mobility_reminders(on)


def _mobility_reminders(on: dt.date) -> int:
    from dateutil.relativedelta import relativedelta

    from parcours.audit.services import events_for
    from parcours.exchanges.models import MobilityFile

    sent = 0
    for c in Candidature.objects.filter(status=CandidatureStatus.DRAFT).select_related("call", "student__user"):
        deadline = deadline_for(c)
        days = (deadline - on).days
        if days in (7, 2) and not events_for(c).filter(action="exchanges.candidature.reminder", data__days=days).exists():
            record(actor=None, action="exchanges.candidature.reminder", target=c, summary=f"Rappel : J-{days}", days=days)
            notify(user=c.student.user, template="office_message", url=f"/mobilite/candidatures/{c.pk}/", context={
                "subject": f"Candidature de mobilité : plus que {days} jours",
                "body": f"Votre candidature n'est pas encore soumise. Date limite : {fr_date(deadline)}."})
            sent += 1
    for f in MobilityFile.objects.filter(grant_contract_signed_on__isnull=True, candidature__wants_grant=True) \
            .select_related("candidature__student__user"):
        if on == f.planned_start - relativedelta(months=1):
            notify(user=f.candidature.student.user, template="office_message", url=f"/mobilite/dossiers/{f.pk}/",
                   context={"subject": "Contrat de bourse : signature possible dès aujourd'hui",
                            "body": f"Le contrat de bourse se signe avant le départ du {fr_date(f.planned_start)}."})
            sent += 1
    return sent
