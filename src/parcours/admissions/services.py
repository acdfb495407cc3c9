"""Admission and registration (art. 22-46): the request, its documents and the decisions on it.

Every write: keyword-only arguments, an actor, one transaction, `select_for_update` before a status
change, a domain error in French, audit, notification after commit. Every decision comes from the
regulation layer and is stored with its articles. Fees and payments are in payments.py, the PAE in
programme.py, registration fraud in fraud.py.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from parcours.accounts import permissions
from parcours.admissions.models import AdmissionRequest, FraudCase
from parcours.admissions.workflow import RequestStatus, allowed
from parcours.audit.services import record
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.workflow import SlotStatus
from parcours.institutions.models import AcademicYear, Programme
from parcours.notifications.services import notify
from parcours.regulation import appeals, calendar, registration
from parcours.regulation.explain import Decision, RuleError
from parcours.regulation.params import load_year
from parcours.students import selectors
from parcours.students.models import Registration, Student
from parcours.web.clock import now as clock_now
from parcours.web.clock import today
from parcours.web.i18n import reasons_sentence


class AdmissionError(Exception):
    """A refused action; the message is French and meant for the person who asked."""


WINDOW_KIND = {
    "inscription": "inscription",
    "tardive": "tardive",
    "modification": "modification",
    "reorientation": "reorientation",
    "libre": None,
}  # art. 38 sets no date for a free student

ART25_CODES = {
    "infirmier": "infirmier",
    "sage-femme": "sage_femme",
    "kinésithérapie": "kinesitherapie",
    "ergothérapie": "ergotherapie",
    "imagerie médicale": "imagerie_medicale",
}


def programme_code(programme: Programme) -> str:
    """What the rules take as ``programme``: the name, when the year's programmes.yaml knows it (the rules then decide
    art. 25 and 161 from it); otherwise the art. 25 code found in the name."""
    try:
        registration.programme_profile(programme.name)
        return programme.name
    except RuleError:
        name = programme.name.lower()
        return next((code for key, code in ART25_CODES.items() if key in name), "")


def _year() -> AcademicYear:
    return AcademicYear.objects.get(label=settings.ACADEMIC_YEAR)


def _reasons_text(decision: Decision) -> str:
    return reasons_sentence(decision.reasons)  # in the language of the person who asked


def _lock(request_id: int) -> AdmissionRequest:
    return (
        AdmissionRequest.objects.select_for_update()
        .select_related("student__user", "programme", "dossier")
        .get(pk=request_id)
    )


def _move(req: AdmissionRequest, target: str) -> None:
    if not allowed(req.status, target):
        raise AdmissionError(
            gettext("Impossible de passer de « %(current)s » à « %(target)s ».")
            % {"current": req.get_status_display(), "target": RequestStatus(target).label}
        )
    req.status = target


def lock_registration_for_review(actor, registration_id: int, forbidden: str) -> Registration:
    """The registration, locked, if the actor may review the student's dossier; else `forbidden` (French)."""
    reg = (
        Registration.objects.select_for_update()
        .select_related("student__user", "programme", "academic_year")
        .get(pk=registration_id)
    )
    dossier = Dossier.objects.filter(student=reg.student, programme=reg.programme).first()
    if dossier is None or not permissions.can_review_dossier(actor, dossier):
        raise AdmissionError(forbidden)
    return reg


def _require_reviewer(actor, req: AdmissionRequest) -> None:
    if not permissions.can_review_dossier(actor, req.dossier):
        raise AdmissionError(gettext("Vous n'êtes pas autorisé à décider de cette demande."))


DIRECTION = {"direction_departement"}


def _is_direction(actor, req: AdmissionRequest) -> bool:
    return permissions.can_act_for_student(actor, req.student, DIRECTION) or permissions.can_act_on_programme(
        actor, req.programme, DIRECTION)


def _documents(req: AdmissionRequest) -> tuple[bool, list[dt.date]]:
    """Whether required documents are still missing, and the dates set for them (art. 24)."""
    missing = list(req.dossier.slots.filter(required=True).exclude(status=SlotStatus.ACCEPTED)
                   .values_list("due_date", flat=True))
    return bool(missing), [d for d in missing if d]


def non_financable(req: AdmissionRequest) -> bool:
    fin = req.decision.get("financabilite")
    return isinstance(fin, dict) and fin.get("outcome", {}).get("financable") is False


def other_regular_registration(req: AdmissionRequest) -> Registration | None:
    """Art. 34: another regular registration of the student for the same year."""
    return (Registration.objects.filter(student=req.student, academic_year=req.academic_year,
                                        status=Registration.Status.REGULAR)
            .exclude(programme=req.programme).select_related("programme").first())


def registration_stage(programme: Programme, bloc: int) -> str:
    """Annexe 2's row: début de cycle, poursuite d'études or année diplômante. A bachelier de spécialisation
    is one year (60 credits, art. 7): its only row is the année diplômante; so is the last bloc of a bachelier."""
    last_bloc = (programme.min_credits or 0) // 60
    if programme.kind == Programme.Kind.SPECIALISATION or (last_bloc and bloc >= last_bloc):
        return "AD"
    return "DC" if bloc == 1 else "PE"


def decision_options(actor, req: AdmissionRequest) -> dict[str, str | None]:
    """Each decision and, when this person cannot take it now, why not (French, from the regulation layer).
    Only what is open is offered."""
    if req.status not in (RequestStatus.SUBMITTED, RequestStatus.FINAL) or not permissions.can_review_dossier(
            actor, req.dossier):
        return {}
    missing, due = _documents(req)
    other = other_regular_registration(req)
    fin = req.decision.get("financabilite")
    options: dict[str, str | None] = {}
    for action in ("accepter", "irrecevable", "refuser"):
        decision = registration.decision_open(registration.DecisionOpenFacts(
            year=req.academic_year.label, action=action, today=today(), by_department_direction=_is_direction(actor, req),
            kind=req.kind if req.kind != AdmissionRequest.Kind.FREE else "libre", documents_missing=missing,
            documents_due=due, other_regular_registration=other.programme.name if other else None,
            financable=fin.get("outcome", {}).get("financable") if isinstance(fin, dict) else None))
        options[action] = None if decision.outcome["open"] else _reasons_text(decision)
    return options


def _check_option(actor, req: AdmissionRequest, action: str) -> None:
    why = decision_options(actor, req).get(action, "Vous n'êtes pas autorisé à décider de cette demande.")
    if why:
        raise AdmissionError(why)


CONSEQUENCES = {
    "accepter": "L'étudiant est inscrit régulièrement : il reçoit la lettre avec le montant dû, la communication "
                "structurée et le code QR de paiement ; l'acompte de 50 € est dû pour le 31 octobre (art. 24, 48).",
    "irrecevable": "La demande est close : l'étudiant reçoit la lettre motivée et peut introduire un recours auprès "
                   "du Commissaire ou Délégué du Gouvernement (art. 39, 180).",
    "refuser": "L'inscription est refusée : l'étudiant reçoit la décision motivée de la direction et peut introduire "
               "un recours interne (art. 40, 41, 178).",
}


@transaction.atomic
def submit_request(
    *,
    actor,
    programme_id: int,
    kind: str = "inscription",
    bloc: int = 1,
    motivation: str = "",
    other_registrations: str = "",
    foreign_secondary: bool = False,
    previous_fwb_institution: bool = False,
    non_resident: bool = False,
    non_eu_present: bool | None = None,
    diploma_year: int | None = None,
    on: dt.date | None = None,
) -> AdmissionRequest:
    """The online admission request (art. 23), in its window (art. 22, 31-33), with its documents (art. 24-25)."""
    on = on or today()
    # Locked: two simultaneous submissions (double click, retried POST) wait for each other, and the second
    # finds the first below instead of filing a duplicate (the unique constraint is the last guard).
    student = Student.objects.select_for_update().filter(user=actor).first()
    if student is None:
        raise AdmissionError(gettext("Seul un étudiant peut introduire sa propre demande d'admission."))
    programme = Programme.objects.get(pk=programme_id)
    year = _year()
    if non_resident and registration.programme_profile(programme_code(programme)).code == "kinesitherapie":
        # Art. 30: non-residents apply through the procedure of the decree of 16 June 2006, not this form.
        window = registration.window(
            registration.WindowFacts(year=year.label, request="kine_non_resident", filed_on=on)
        )
        raise AdmissionError(gettext("Demande irrecevable par ce formulaire : %(reasons)s") % {"reasons": _reasons_text(window)})
    if WINDOW_KIND[kind] is None:
        window = None
    else:
        window = registration.window(
            registration.WindowFacts(
                year=year.label,
                request=WINDOW_KIND[kind],
                filed_on=on,
                first_year_first_cycle=bloc == 1,
                motivation_letter=bool(motivation.strip()),
            )
        )
        if not window.outcome:
            raise AdmissionError(gettext("Demande hors délai : %(reasons)s") % {"reasons": _reasons_text(window)})
    non_eu = None
    if student.non_eu:
        if non_eu_present is None or diploma_year is None:
            raise AdmissionError(
                gettext("Candidat hors UE : indiquez si vous êtes présent en Belgique ou en Europe et l'année "
                        "de votre diplôme (annexe 7).")
            )
        taken = (
            AdmissionRequest.objects.filter(academic_year=year, non_eu_present=non_eu_present)
            .exclude(status=RequestStatus.IRRECEVABLE)
            .count()
        )
        non_eu = registration.non_eu_admission(
            registration.NonEuFacts(
                year=year.label,
                present_in_belgium_or_europe=non_eu_present,
                level="master" if programme.kind == "master" else "bachelier",
                diploma_year=diploma_year,
                dossiers_already_accepted=taken,
                dossier_complete=True,
                dossier_fee_paid=True,
            )
        )
        if not non_eu.outcome["recevable"]:
            raise AdmissionError(gettext("Demande irrecevable : %(reasons)s") % {"reasons": _reasons_text(non_eu)})
    for case in student.fraud_cases.filter(status=FraudCase.Status.PROVEN):
        ban = registration.fraud_ban(
            registration.FraudBanFacts(
                sanctioned_year=case.academic_year, kind="inscription", requested_year=year.label
            )
        )
        if ban.outcome["banned"]:
            raise AdmissionError(gettext("Inscription impossible : %(reasons)s") % {"reasons": _reasons_text(ban)})
    if (
        AdmissionRequest.objects.filter(student=student, academic_year=year, programme=programme)
        .exclude(status__in=[RequestStatus.IRRECEVABLE, RequestStatus.REFUSED])
        .exists()
    ):
        raise AdmissionError(gettext("Une demande pour ce programme est déjà en cours."))
    dossier = Dossier.objects.create(
        student=student,
        programme=programme,
        academic_year=year,
        kind=Dossier.Kind.REGISTRATION,
        title=f"Inscription {year.label} — {programme.name}",
    )
    due = load_year(year.label).deadlines.dates["registration_regular"].date
    for code in registration.required_documents(
        programme_code(programme), bloc == 1, foreign_secondary, previous_fwb_institution
    ):
        article = registration.DOCUMENT_ARTICLES.get(code, "Art. 24")
        DocumentSlot.objects.create(
            dossier=dossier,
            code=code,
            label=registration.DOCUMENT_LABELS[code].capitalize(),
            article=article,
            due_date=due if on <= due else None,
            # Art. 161: the hepatitis-B proof is asked for with the request, but art. 39 does not make its absence
            # a ground of irrecevabilité: the slot does not hold the dossier back.
            required=article != "Art. 161",
        )
    if kind == "modification":
        DocumentSlot.objects.create(
            dossier=dossier,
            code="preuve_inscription",
            article="Art. 31",
            due_date=None,
            label="Preuve de l'inscription régulière dans le département ou l'établissement quitté",
        )
    elif kind == "reorientation":
        DocumentSlot.objects.create(
            dossier=dossier,
            code="formulaire_reorientation",
            article="Art. 33",
            due_date=None,
            label="Formulaire de demande de réorientation (changement d'établissement)",
            required=False,
        )
    fin = selectors.financabilite_for(student, programme, reorientation=kind == "reorientation")
    if isinstance(fin, Decision) and not fin.outcome["financable"]:
        # Art. 36: the non-finançable student files a motivation letter covering four points.
        DocumentSlot.objects.create(
            dossier=dossier,
            code="lettre_art36",
            article="Art. 36",
            due_date=due if on <= due else None,
            label="Lettre de motivation (art. 36) : le cursus visé, votre parcours, les raisons des "
            "échecs précédents et pourquoi la HELHa peut accepter votre inscription",
        )
    req = AdmissionRequest.objects.create(
        student=student,
        programme=programme,
        academic_year=year,
        dossier=dossier,
        kind=kind,
        bloc=bloc,
        submitted_on=on,
        motivation=motivation.strip(),
        other_registrations=other_registrations.strip(),
        non_eu_present=non_eu_present if student.non_eu else None,
        diploma_year=diploma_year if student.non_eu else None,
        decision={
            "window": window.to_dict() if window else None,
            "non_eu": non_eu.to_dict() if non_eu else None,
            "financabilite": (fin.to_dict() if isinstance(fin, Decision) else str(fin)),
        },
    )
    record(
        actor=actor,
        action="admissions.request.submitted",
        target=req,
        summary=f"Demande d'admission introduite : {programme.name} ({req.get_kind_display()})",
    )
    notify(
        user=actor,
        template="admission_received",
        context={"request": req, "dossier": dossier},
        url=f"/demandes/{req.pk}/",
    )
    return req


@transaction.atomic
def acknowledge_decision(*, actor, request_id: int) -> None:
    """The student opened the decision: the acknowledgment of receipt the RGE asks for (art. 40)."""

    req = _lock(request_id)
    if req.student.user_id != actor.pk or req.acknowledged_at is not None:
        return
    req.acknowledged_at = clock_now()
    req.save(update_fields=["acknowledged_at"])
    record(actor=actor, action="admissions.decision.acknowledged", target=req, summary="Décision lue par l'étudiant.")


def mark_final(*, dossier: Dossier, actor) -> AdmissionRequest | None:
    """Art. 26: a complete dossier is the final registration request, at the earliest on the first day of the year."""
    req = AdmissionRequest.objects.select_for_update().filter(dossier=dossier).first()
    if req is None or req.status != RequestStatus.SUBMITTED:
        return None
    _move(req, RequestStatus.FINAL)
    req.final_request_on = max(today(), req.academic_year.start)
    req.save()
    record(
        actor=actor,
        action="admissions.request.final",
        target=req,
        summary=f"Dossier complet : demande finale d'inscription au {req.final_request_on:%d/%m/%Y} (art. 26).",
    )
    notify(user=req.student.user, template="admission_final", context={"request": req}, url=f"/demandes/{req.pk}/")
    return req


def decision_letter(req: AdmissionRequest) -> tuple[str, bytes]:
    from parcours.admissions.letters import decision_letter as letter

    return letter(req)


def _letter(req: AdmissionRequest) -> list[tuple[str, bytes, str]]:
    name, pdf = decision_letter(req)
    return [(name, pdf, "application/pdf")]


def _store(req: AdmissionRequest, actor, key: str, decision: Decision, **extra) -> None:
    req.decided_on = today()
    req.decided_by = actor
    req.decision = {**req.decision, key: decision.to_dict(), **extra}
    req.save()


def _irrecevable(*, actor, request_id: int, access_conditions_met: bool = True):
    req = _lock(request_id)
    _require_reviewer(actor, req)
    _check_option(actor, req, "irrecevable")
    decision = _admissibility(req, access_conditions_met)
    if decision.outcome["recevable"]:
        raise AdmissionError(gettext("Le règlement tient cette demande pour recevable : %(reasons)s")
                             % {"reasons": _reasons_text(decision)})
    _move(req, RequestStatus.IRRECEVABLE)
    route = appeals.route(
        appeals.AppealFacts(year=req.academic_year.label, decision="irrecevabilite", notified_on=today())
    )
    _store(req, actor, "irrecevabilite", decision, appeal=route.to_dict())
    return req, decision, route


@transaction.atomic
def declare_irrecevable(*, actor, request_id: int, access_conditions_met: bool = True) -> AdmissionRequest:
    """Art. 26, 39: the request fails the access conditions or the procedure."""
    req, decision, route = _irrecevable(actor=actor, request_id=request_id, access_conditions_met=access_conditions_met)
    record(
        actor=actor,
        action="admissions.request.irrecevable",
        target=req,
        summary="Demande déclarée irrecevable : " + ", ".join(decision.outcome["grounds"]),
    )
    notify(
        user=req.student.user,
        template="admission_decision",
        context={"request": req, "title": "Demande d'admission irrecevable", "decision": decision, "appeal": route},
        url=f"/demandes/{req.pk}/",
        attachments=_letter(req),
    )
    return req


def _refuse(*, actor, request_id: int, motivation: str = "", **grounds):
    req = _lock(request_id)
    _require_reviewer(actor, req)
    _check_option(actor, req, "refuser")
    if len(motivation.strip()) < 20:
        raise AdmissionError(gettext("Rédigez la motivation du refus (au moins une phrase) : la décision doit être motivée "
                                     "(art. 40)."))
    decision = registration.refusal(
        registration.RefusalFacts(year=req.academic_year.label, request_received_on=req.final_request_on, **grounds)
    )
    if decision.outcome["decision"] == "aucun_motif":
        raise AdmissionError(gettext("Aucun motif de refus prévu par l'art. 40 n'a été retenu."))
    _move(req, RequestStatus.REFUSED)
    route = appeals.route(
        appeals.AppealFacts(year=req.academic_year.label, decision="refus_inscription", notified_on=today())
    )
    _store(req, actor, "refus", decision, appeal=route.to_dict(), motivation=motivation.strip()[:4000])
    return req, decision, route


@transaction.atomic
def refuse(*, actor, request_id: int, motivation: str = "", **grounds) -> AdmissionRequest:
    """Art. 40: refusal by the department direction, on the grounds the RGE lists, with its own motivation."""
    req, decision, route = _refuse(actor=actor, request_id=request_id, motivation=motivation, **grounds)
    record(
        actor=actor,
        action="admissions.request.refused",
        target=req,
        summary="Inscription refusée : " + ", ".join(decision.outcome["mandatory"] + decision.outcome["optional"]),
    )
    notify(
        user=req.student.user,
        template="admission_decision",
        context={"request": req, "title": "Inscription refusée", "decision": decision, "appeal": route},
        url=f"/demandes/{req.pk}/",
        attachments=_letter(req),
    )
    return req


def _accept(*, actor, request_id: int, motivation: str = ""):
    req = _lock(request_id)
    _require_reviewer(actor, req)
    Student.objects.select_for_update().filter(pk=req.student_id).first()  # one acceptance at a time (art. 34)
    _check_option(actor, req, "accepter")
    if non_financable(req) and len(motivation.strip()) < 20:
        raise AdmissionError(gettext("Étudiant non finançable : rédigez la motivation de la direction (art. 36)."))
    _move(req, RequestStatus.REGULAR)
    stage = registration_stage(req.programme, req.bloc)
    reg, _ = Registration.objects.update_or_create(
        student=req.student,
        academic_year=req.academic_year,
        programme=req.programme,
        defaults={
            "bloc": req.bloc,
            "stage": stage,
            "status": Registration.Status.REGULAR,
            "registered_on": today(),
            "requested_on": req.submitted_on,
            "free_student": req.kind == AdmissionRequest.Kind.FREE,
        },
    )
    req.registration = reg
    attest = calendar.deadline(
        calendar.DeadlineFacts(year=req.academic_year.label, time_limit="registration_attestations", event_date=today())
    )
    fin = selectors.financabilite_decision(req.student, reg)
    extra = {"financabilite": fin.to_dict() if isinstance(fin, Decision) else str(fin)}
    if motivation.strip():
        extra["motivation"] = motivation.strip()[:4000]
    if req.student.non_eu:
        pay_by = calendar.deadline(
            calendar.DeadlineFacts(year=req.academic_year.label, time_limit="non_eu_payment", event_date=today())
        )
        extra["non_eu_payment"] = pay_by.to_dict()
    _store(req, actor, "inscription", attest, **extra)
    return req, attest


@transaction.atomic
def accept(*, actor, request_id: int, motivation: str = "") -> AdmissionRequest:
    """Art. 28-29: the student is regularly registered; attestations within 15 working days. A second regular
    registration the same year is refused (art. 34); a non-finançable student is accepted by the direction,
    with its motivation (art. 36)."""
    req, attest = _accept(actor=actor, request_id=request_id, motivation=motivation)
    record(
        actor=actor,
        action="admissions.request.accepted",
        target=req,
        summary=f"Inscription régulière ; attestations au plus tard le {attest.outcome:%d/%m/%Y} (art. 29).",
    )
    notify(
        user=req.student.user,
        template="admission_accepted",
        context={"request": req, "registration": req.registration},
        url=f"/demandes/{req.pk}/",
        attachments=_letter(req),
    )
    return req


_DECIDE = {"accepter": _accept, "irrecevable": _irrecevable, "refuser": _refuse}


class _Previewed(Exception):  # noqa: N818 — not an error: carries the letter out of the rolled-back savepoint
    def __init__(self, context: dict):
        self.context = context


def letter_preview(*, actor, request_id: int, action: str, **params) -> dict:
    """The decision letter exactly as it will be recorded (art. 39-41), nothing saved and nobody told.

    The decision is taken by the very code that records it, on the real rows, inside a savepoint: its letter is
    read (amount due, structured communication, QR, documents still expected) and everything is rolled back.
    A decision the person may not take fails here as it would on confirmation (AdmissionError)."""
    from parcours.admissions.letters import letter_context

    try:
        with transaction.atomic():
            req = _DECIDE[action](actor=actor, request_id=request_id, **params)[0]
            raise _Previewed(letter_context(req))
    except _Previewed as done:
        return done.context


def _require(actor, student, roles: set[str], what: str) -> None:
    if not permissions.can_act_for_student(actor, student, roles):
        raise AdmissionError(f"Vous n'êtes pas autorisé à {what}.")


def _admissibility(req: AdmissionRequest, access_conditions_met: bool, *, preview: bool = False) -> Decision:
    codes = dict(req.dossier.slots.values_list("code", "status"))
    accepted = [c for c, status in codes.items() if status == SlotStatus.ACCEPTED]
    # A preview names what was received but not yet verified; a decision counts verified documents only (art. 24).
    received = [c for c, status in codes.items() if preview and status == SlotStatus.RECEIVED]
    return registration.admissibility(
        registration.AdmissibilityFacts(
            year=req.academic_year.label,
            access_conditions_met=access_conditions_met,
            programme=programme_code(req.programme),
            first_year=req.bloc == 1,
            documents=[c for c in accepted if c in registration.DOCUMENT_LABELS],
            awaiting_review=[c for c in received if c in registration.DOCUMENT_LABELS],
            complete_on=req.final_request_on,
            late_registration_accepted=req.kind == "tardive",
        )
    )


def recevability_preview(req: AdmissionRequest) -> Decision | None:
    """What the regulation says of the request as it stands (shown to staff before they decide)."""
    try:
        return _admissibility(req, True, preview=True)
    except RuleError:
        return None
