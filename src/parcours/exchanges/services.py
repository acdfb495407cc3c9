"""Outgoing mobility: calls, candidatures sent to both co-organising institutions, and selection
(seed 000 points 1.1-1.4; RGE art. 214-219). Every decision comes from regulation.mobility."""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, Sum

from parcours.accounts import permissions
from parcours.audit.services import record
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.workflow import SlotStatus
from parcours.exchanges.models import Call, Candidature, Choice, Destination, Reception
from parcours.exchanges.workflow import TRANSITIONS, CandidatureStatus
from parcours.institutions.models import AcademicYear, Institution, Programme
from parcours.notifications.services import notify
from parcours.regulation import mobility
from parcours.regulation.explain import Decision, fr_date
from parcours.regulation.params import load_year
from parcours.students.models import AcquiredCredit, Registration, Student
from parcours.web.clock import today

OFFICE = {"bureau_international", "coordinateur_ri"}
STUDY_KINDS = {"SMS", "BELGICA_STUDIES", "FAME"}
COMMITTEE = {"comite_mobilite", "bureau_international", "coordinateur_ri"}


class MobilityError(Exception):
    """A refused action, in French, for the person who asked."""


def _text(decision: Decision) -> str:
    return " ".join(f"{r.text} ({r.article})" for r in decision.reasons)


def candidatures_visible_to(user):
    own = Q(student__user=user)
    partners = permissions.partner_institutions(user, {"coordinateur_ri"})
    query = own | Q(call__recipients__in=partners, status__in=[s for s in CandidatureStatus.values if s != "brouillon"])
    visible_programmes = [p.pk for p in Programme.objects.filter(mobility_calls__isnull=False).distinct()
                          if permissions.can_act_on_programme(user, p, permissions.READERS)]
    query |= Q(call__programme__in=visible_programmes)
    return Candidature.objects.filter(query).distinct()


@transaction.atomic
def open_call(*, actor, programme_id: int, mobility_year: str, title: str, department_min_credits: int,
              destinations: list[tuple[int, str, int | None]]) -> Call:
    """A call per year and programme (seed 000, 1.2): deadlines from the year's parameters, sent to the
    co-organising institutions (HENALLUX and HERS for the social-work bachelor)."""
    programme = Programme.objects.get(pk=programme_id)
    if not permissions.can_act_on_programme(actor, programme, OFFICE):
        raise MobilityError("Seul le Bureau International ou le coordinateur RI du programme ouvre un appel.")
    params = load_year(AcademicYear.objects.order_by("-start").first().label).mobility
    call = Call.objects.create(programme=programme, mobility_year=mobility_year, title=title,
                               deadline=params.candidature.deadline.date,
                               deadline_canada=params.candidature.deadline_canada.date,
                               department_min_credits=department_min_credits, created_by=actor)
    recipients = list(programme.co_organised_with.all()) or [Institution.objects.get(kind=Institution.Kind.HOME)]
    call.recipients.set(recipients)
    for host_id, kind, places in destinations:
        if kind not in params.kinds:
            raise MobilityError(f"Type de mobilité inconnu : {kind}.")
        Destination.objects.create(call=call, host_id=host_id, kind=kind, places=places)
    record(actor=actor, action="exchanges.call.opened", target=call,
           summary=f"Appel « {title} » : date limite {fr_date(call.deadline)} ({fr_date(call.deadline_canada)} pour le Canada)")
    return call


@transaction.atomic
def start_candidature(*, actor, call_id: int, destination_ids: list[int], wants_grant: bool = True,
                      fwb_boursier: bool = False, other_community_language: bool = False) -> Candidature:
    call = Call.objects.select_related("programme").get(pk=call_id)
    student = Student.objects.filter(user=actor).first()
    if student is None:
        raise MobilityError("Seul un étudiant pose sa candidature.")
    registration = Registration.objects.filter(student=student, programme=call.programme,
                                               status=Registration.Status.REGULAR).first()
    if registration is None:
        raise MobilityError("La mobilité est réservée aux étudiants régulièrement inscrits dans ce programme (art. 28, 214).")
    if Candidature.objects.filter(call=call, student=student).exists():
        raise MobilityError("Vous avez déjà une candidature pour cet appel.")
    if len(set(destination_ids)) != len(destination_ids):
        raise MobilityError("Une même destination ne peut être choisie deux fois.")
    destinations = list(Destination.objects.filter(pk__in=destination_ids, call=call))
    if not destinations or len(destinations) != len(destination_ids):
        raise MobilityError("Choisissez une ou plusieurs destinations de cet appel, par ordre de préférence.")
    canada = any(d.canada for d in destinations)
    dossier = Dossier.objects.create(student=student, programme=call.programme, academic_year=registration.academic_year,
                                     kind=Dossier.Kind.MOBILITY, title=f"Candidature mobilité {call.mobility_year}")
    params = load_year(registration.academic_year.label).mobility.candidature
    for doc in params.documents:
        DocumentSlot.objects.create(dossier=dossier, code=doc.code, label=doc.label, article=params.deadline.article,
                                    required=doc.required, due_date=call.deadline_canada if canada else call.deadline)
    candidature = Candidature.objects.create(call=call, student=student, dossier=dossier, wants_grant=wants_grant,
                                             fwb_boursier=fwb_boursier, other_community_language=other_community_language)
    by_id = {d.pk: d for d in destinations}
    for rank, pk in enumerate(destination_ids, start=1):
        Choice.objects.create(candidature=candidature, destination=by_id[pk], rank=rank)
    record(actor=actor, action="exchanges.candidature.started", target=candidature,
           summary=f"Candidature commencée : {', '.join(str(by_id[pk]) for pk in destination_ids)}")
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
            kind=d.kind, department_authorised=True, credits_passed=passed,
            department_min_credits=candidature.call.department_min_credits, fame_already_used=fame_used,
            fame_purpose="stage" if d.kind in ("SMT", "BELGICA_TRAINEESHIP") else "etudes",
            outside_europe=d.outside_europe, bloc1_credits=bloc1,
            other_community_language=candidature.other_community_language,
            section=candidature.call.programme.fee_section)))  # annexe-2 section name, e.g. "AESI Lg" (art. 219)
    return out


def completeness(candidature: Candidature, on: dt.date) -> Decision:
    """Seed 000, 1.2: the four documents, the deadline (8 December for Canada), sent to both institutions."""
    slots = {s.code: s for s in candidature.dossier.slots.all()}
    present = [code for code, s in slots.items() if s.status in (SlotStatus.RECEIVED, SlotStatus.ACCEPTED)]
    return mobility.candidature(mobility.CandidatureFacts(
        submitted_on=on, canada=candidature.choices.filter(destination__host__country="CA").exists(),
        documents=[c for c in present if c in ("formulaire", "lettre_motivation", "cv", "bulletins")],
        letter_signed=candidature.letter_signed,
        sent_to=[i.code for i in candidature.call.recipients.all() if i.code in ("HENALLUX", "HERS")] or
        ["HENALLUX", "HERS"]))


@transaction.atomic
def submit(*, actor, candidature_id: int, letter_signed: bool, on: dt.date | None = None) -> Candidature:
    on = on or today()
    c = Candidature.objects.select_for_update().select_related("call__programme", "student__user").get(pk=candidature_id)
    if c.student.user_id != actor.pk:
        raise MobilityError("Seul l'étudiant soumet sa candidature.")
    if c.status != CandidatureStatus.DRAFT:
        raise MobilityError("Cette candidature est déjà soumise.")
    c.letter_signed = letter_signed
    check = completeness(c, on)
    problems = []
    if not check.outcome["complete"]:
        problems.append("Dossier incomplet : " + "; ".join(check.outcome["missing"]) + ".")
    if not check.outcome["in_time"] and not c.late_exception:
        problems.append(f"Date limite dépassée : {fr_date(check.outcome['deadline'])} (procédure AS, 1.2).")
    refusals = [d for d in eligibility(c) if not d.outcome]
    if refusals:
        problems.append("Conditions non remplies : " + " ".join(_text(d) for d in refusals))
    if problems:
        raise MobilityError(" ".join(problems))
    c.status, c.submitted_on = CandidatureStatus.SUBMITTED, on
    c.decision = {"completeness": check.to_dict()}
    c.save()
    record(actor=actor, action="exchanges.candidature.submitted", target=c,
           summary="Candidature soumise, transmise à : " + ", ".join(i.name for i in c.call.recipients.all()))
    notify(user=actor, template="admission_decision", url=f"/mobilite/candidatures/{c.pk}/", context={
        "request": None, "title": "Candidature de mobilité reçue", "decision": check, "appeal": None})
    return c


@transaction.atomic
def open_exception(*, actor, candidature_id: int, reason: str) -> Candidature:
    c = Candidature.objects.select_for_update().select_related("call__programme").get(pk=candidature_id)
    if not permissions.can_act_on_programme(actor, c.call.programme, OFFICE):
        raise MobilityError("Seul un coordinateur RI ouvre une exception au délai.")
    if not reason.strip():
        raise MobilityError("Motivez l'exception au délai.")
    c.late_exception = reason.strip()
    c.save()
    record(actor=actor, action="exchanges.candidature.exception", target=c, summary=f"Exception au délai : {reason.strip()}")
    return c


@transaction.atomic
def record_reception(*, actor, candidature_id: int, institution_id: int) -> Reception:
    c = Candidature.objects.select_related("call").get(pk=candidature_id)
    if c.status == CandidatureStatus.DRAFT:
        raise MobilityError("La candidature n'est pas encore soumise.")
    if not c.call.recipients.filter(pk=institution_id).exists():
        raise MobilityError("Cet établissement ne reçoit pas les candidatures de cet appel.")
    if institution_id not in permissions.partner_institutions(actor, {"coordinateur_ri"}):
        raise MobilityError("Seul le coordinateur RI de cet établissement en accuse réception.")
    reception, _ = Reception.objects.get_or_create(candidature=c, institution_id=institution_id,
                                                   defaults={"received_by": actor})
    record(actor=actor, action="exchanges.candidature.received", target=c,
           summary=f"Réception enregistrée par {reception.institution.name}")
    return reception


@transaction.atomic
def review(*, actor, candidature_id: int, score: int, comment: str) -> Candidature:
    """Seed 000, 1.3: the committee weighs the relevance and quality of the project."""
    c = Candidature.objects.select_for_update().select_related("call__programme").get(pk=candidature_id)
    if not permissions.can_act_on_programme(actor, c.call.programme, COMMITTEE):
        raise MobilityError("Seul le comité de mobilité évalue les candidatures.")
    if c.status not in (CandidatureStatus.SUBMITTED, CandidatureStatus.WAITLISTED):
        raise MobilityError("Seule une candidature soumise est évaluée.")
    if not 0 <= score <= 20:
        raise MobilityError("La note s'exprime sur 20.")
    c.score, c.committee_comment = score, comment.strip()
    c.save()
    record(actor=actor, action="exchanges.candidature.reviewed", target=c, summary=f"Évaluée par le comité : {score}/20")
    return c


def places_left(destination: Destination) -> int | None:
    if destination.places is None:
        return None  # no quota for a traineeship (art. 215)
    taken = destination.selected.filter(status=CandidatureStatus.SELECTED).count()
    return destination.places - taken


@transaction.atomic
def decide(*, actor, candidature_id: int, status: str, reason: str, destination_id: int | None = None,
           managing_institution_id: int | None = None) -> Candidature:
    """Seed 000, 1.4: selected for a destination within its places (art. 215), waitlisted or not selected;
    the student is told which institution manages the mobility."""
    c = Candidature.objects.select_for_update().select_related("call__programme", "student__user").get(pk=candidature_id)
    if not permissions.can_act_on_programme(actor, c.call.programme, COMMITTEE):
        raise MobilityError("Seul le comité de mobilité décide de la sélection.")
    if (c.status, status) not in TRANSITIONS:
        raise MobilityError(f"Impossible de passer de « {c.get_status_display()} » à « {CandidatureStatus(status).label} ».")
    if not reason.strip():
        raise MobilityError("Motivez la décision : l'étudiant en reçoit les raisons.")
    if status == CandidatureStatus.SELECTED:
        destination = Destination.objects.select_for_update().filter(pk=destination_id, call=c.call).first()
        if destination is None:
            raise MobilityError("Choisissez la destination retenue parmi celles de l'appel.")
        left = places_left(destination)
        if left is not None and left <= 0:
            raise MobilityError(f"Plus de place à {destination.host.name} (quota de l'accord interinstitutionnel, "
                                "art. 215) : proposez une autre destination ou la liste d'attente.")
        if not c.call.recipients.filter(pk=managing_institution_id).exists():
            raise MobilityError("Indiquez l'établissement qui gère la mobilité (HENALLUX ou HERS).")
        c.destination, c.managing_institution_id = destination, managing_institution_id
        if destination.kind in STUDY_KINDS:
            c.nominated_on = today()  # art. 215: retained study mobilities are announced to the host
    c.status, c.decided_on = status, today()
    c.decision = {**c.decision, "selection": {"status": status, "reason": reason.strip()}}
    c.save()
    record(actor=actor, action=f"exchanges.candidature.{status}", target=c,
           summary=f"{CandidatureStatus(status).label} : {reason.strip()}")
    title = {"retenue": "Candidature retenue", "attente": "Candidature sur liste d'attente",
             "refusee": "Candidature non retenue"}[status]
    if status == CandidatureStatus.SELECTED:
        title += f" : {c.destination.host.name}, mobilité gérée par {c.managing_institution.name}"
    notify(user=c.student.user, template="admission_decision", url=f"/mobilite/candidatures/{c.pk}/", context={
        "request": None, "title": title, "decision": {"reasons": [{"article": "Procédure mobilité AS, 1.3-1.4",
                                                                     "text": reason.strip()}]}, "appeal": None})
    return c


def pipeline(call: Call) -> dict:
    counts = dict(call.candidatures.values_list("status").annotate(n=Count("id")).order_by())
    overdue = call.candidatures.filter(status=CandidatureStatus.DRAFT).count() if today() > call.deadline else 0
    return {"counts": [(s, label, counts.get(s, 0)) for s, label in CandidatureStatus.choices],
            "destinations": [(d, places_left(d)) for d in call.destinations.select_related("host")],
            "overdue_drafts": overdue}


def open_calls_for(student: Student):
    """The calls of the programmes the student is regularly registered in."""
    programmes = Registration.objects.filter(student=student, status=Registration.Status.REGULAR).values("programme")
    return Call.objects.filter(programme__in=programmes).select_related("programme")


def message_selection(*, actor, call_id: int, candidature_ids: list[int], subject: str, body: str) -> int:
    """Bulk e-mail from the office to a selection of candidates, each recorded as a notification and a sent mail."""
    call = Call.objects.select_related("programme").get(pk=call_id)
    if not permissions.can_act_on_programme(actor, call.programme, OFFICE):
        raise MobilityError("Seul le Bureau International ou le coordinateur RI écrit aux candidats.")
    if not subject.strip() or not body.strip():
        raise MobilityError("Indiquez l'objet et le message.")
    sent = 0
    for c in Candidature.objects.filter(call=call, pk__in=candidature_ids).select_related("student__user"):
        notify(user=c.student.user, template="office_message", url=f"/mobilite/candidatures/{c.pk}/",
               context={"subject": subject.strip(), "body": body.strip()})
        sent += 1
    record(actor=actor, action="exchanges.call.message", target=call, summary=f"Message « {subject.strip()} » à {sent} candidat(s)")
    return sent


EXPORT_COLUMNS = ["matricule", "nom", "prénom", "statut", "choix 1", "choix 2", "choix 3", "note", "destination retenue",
                  "établissement gestionnaire", "reçue par", "soumise le"]


def export_rows(call: Call, candidatures) -> list[list]:
    rows = []
    for c in candidatures.select_related("student__user", "destination__host", "managing_institution").prefetch_related(
            "choices__destination__host", "receptions__institution"):
        choices = [ch.destination.host.name for ch in c.choices.all()] + ["", "", ""]
        rows.append([c.student.matricule, c.student.user.last_name, c.student.user.first_name, c.get_status_display(),
                     *choices[:3], c.score if c.score is not None else "",
                     c.destination.host.name if c.destination else "",
                     c.managing_institution.name if c.managing_institution else "",
                     ", ".join(r.institution.code for r in c.receptions.all()),
                     c.submitted_on.isoformat() if c.submitted_on else ""])
    return rows


def mobility_reminders(*, on: dt.date) -> int:
    """Remind a candidate with an unsubmitted candidature 7 and 2 days before the deadline (8 December for
    Canada), and the student when the grant contract can be signed (the month before departure) — once each."""
    from dateutil.relativedelta import relativedelta

    from parcours.audit.services import events_for
    from parcours.exchanges.models import MobilityFile

    sent = 0
    for c in Candidature.objects.filter(status=CandidatureStatus.DRAFT).select_related("call", "student__user"):
        deadline = c.call.deadline_canada if c.choices.filter(destination__host__country="CA").exists() else c.call.deadline
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
