"""Admission and registration (art. 22-46), payments (art. 47-60) and the PAE (art. 67-68).

Every write: keyword-only arguments, an actor, one transaction, `select_for_update` before a status
change, a domain error in French, audit, notification after commit. Every decision comes from the
regulation layer and is stored with its articles.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum

from parcours.accounts import permissions
from parcours.admissions.models import AdmissionRequest, FraudCase, PaeProposal, Payment
from parcours.admissions.workflow import ProposalStatus, RequestStatus, allowed
from parcours.audit.services import record
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.workflow import SlotStatus
from parcours.institutions.models import UE, AcademicYear, Programme
from parcours.notifications.services import notify
from parcours.regulation import appeals, calendar, fees, pae, registration
from parcours.regulation.explain import Decision, RuleError
from parcours.regulation.params import load_year
from parcours.students import selectors
from parcours.students.models import AcquiredCredit, PaeEntry, Registration, Student
from parcours.web.clock import today


class AdmissionError(Exception):
    """A refused action; the message is French and meant for the person who asked."""


WINDOW_KIND = {"inscription": "inscription", "tardive": "tardive", "modification": "modification",
               "reorientation": "reorientation", "libre": None}  # art. 38 sets no date for a free student
# Programmes for which art. 25 asks more documents.
ART25_CODES = {"infirmier": "infirmier", "sage-femme": "sage_femme", "kinésithérapie": "kinesitherapie",
               "ergothérapie": "ergotherapie", "imagerie médicale": "imagerie_medicale"}


def programme_code(programme: Programme) -> str:
    name = programme.name.lower()
    return next((code for key, code in ART25_CODES.items() if key in name), "")


def _year() -> AcademicYear:
    return AcademicYear.objects.get(label=settings.ACADEMIC_YEAR)


def _reasons_text(decision: Decision) -> str:
    return " ".join(f"{r.text} ({r.article})" for r in decision.reasons)


def _lock(request_id: int) -> AdmissionRequest:
    return (AdmissionRequest.objects.select_for_update().select_related("student__user", "programme", "dossier")
            .get(pk=request_id))


def _move(req: AdmissionRequest, target: str) -> None:
    if not allowed(req.status, target):
        raise AdmissionError(f"Impossible de passer de « {req.get_status_display()} » à "
                             f"« {RequestStatus(target).label} ».")
    req.status = target


def _require_reviewer(actor, req: AdmissionRequest) -> None:
    if not permissions.can_review_dossier(actor, req.dossier):
        raise AdmissionError("Vous n'êtes pas autorisé à décider de cette demande.")


# --- the request -----------------------------------------------------------------------------
@transaction.atomic
def submit_request(*, actor, programme_id: int, kind: str = "inscription", bloc: int = 1, motivation: str = "",
                   other_registrations: str = "", foreign_secondary: bool = False,
                   previous_fwb_institution: bool = False, non_resident: bool = False,
                   non_eu_present: bool | None = None, diploma_year: int | None = None,
                   on: dt.date | None = None) -> AdmissionRequest:
    """The online admission request (art. 23), in its window (art. 22, 31-33), with its documents (art. 24-25)."""
    on = on or today()
    student = Student.objects.filter(user=actor).first()
    if student is None:
        raise AdmissionError("Seul un étudiant peut introduire sa propre demande d'admission.")
    programme = Programme.objects.get(pk=programme_id)
    year = _year()
    if non_resident and programme_code(programme) == "kinesitherapie":
        # Art. 30: non-residents apply through the procedure of the decree of 16 June 2006, not this form.
        window = registration.window(registration.WindowFacts(year=year.label, request="kine_non_resident", filed_on=on))
        raise AdmissionError("Demande irrecevable par ce formulaire : " + _reasons_text(window))
    if WINDOW_KIND[kind] is None:
        window = None
    else:
        window = registration.window(registration.WindowFacts(
            year=year.label, request=WINDOW_KIND[kind], filed_on=on, first_year_first_cycle=bloc == 1,
            motivation_letter=bool(motivation.strip())))
        if not window.outcome:
            raise AdmissionError("Demande hors délai : " + _reasons_text(window))
    non_eu = None
    if student.non_eu:
        if non_eu_present is None or diploma_year is None:
            raise AdmissionError("Candidat hors UE : indiquez si vous êtes présent en Belgique ou en Europe et l'année "
                                 "de votre diplôme (annexe 7).")
        taken = AdmissionRequest.objects.filter(academic_year=year, non_eu_present=non_eu_present).exclude(
            status=RequestStatus.IRRECEVABLE).count()
        non_eu = registration.non_eu_admission(registration.NonEuFacts(
            year=year.label, present_in_belgium_or_europe=non_eu_present,
            level="master" if programme.kind == "master" else "bachelier", diploma_year=diploma_year,
            dossiers_already_accepted=taken, dossier_complete=True, dossier_fee_paid=True))
        if not non_eu.outcome["recevable"]:
            raise AdmissionError("Demande irrecevable : " + _reasons_text(non_eu))
    for case in student.fraud_cases.filter(status=FraudCase.Status.PROVEN):
        ban = registration.fraud_ban(registration.FraudBanFacts(sanctioned_year=case.academic_year, kind="inscription",
                                                                requested_year=year.label))
        if ban.outcome["banned"]:
            raise AdmissionError("Inscription impossible : " + _reasons_text(ban))
    if AdmissionRequest.objects.filter(student=student, academic_year=year, programme=programme).exclude(
            status__in=[RequestStatus.IRRECEVABLE, RequestStatus.REFUSED]).exists():
        raise AdmissionError("Une demande pour ce programme est déjà en cours.")
    dossier = Dossier.objects.create(student=student, programme=programme, academic_year=year,
                                     kind=Dossier.Kind.REGISTRATION, title=f"Inscription {year.label} — {programme.name}")
    due = load_year(year.label).deadlines.dates["registration_regular"].date
    for code in registration.required_documents(programme_code(programme), bloc == 1, foreign_secondary,
                                                previous_fwb_institution):
        article = "Art. 25" if code in ("casier_judiciaire", "certificat_aptitude") else "Art. 24"
        DocumentSlot.objects.create(dossier=dossier, code=code, label=registration.DOCUMENT_LABELS[code].capitalize(),
                                    article=article, due_date=due if on <= due else None)
    if kind == "modification":
        DocumentSlot.objects.create(dossier=dossier, code="preuve_inscription", article="Art. 31", due_date=None,
                                    label="Preuve de l'inscription régulière dans le département ou l'établissement quitté")
    elif kind == "reorientation":
        DocumentSlot.objects.create(dossier=dossier, code="formulaire_reorientation", article="Art. 33", due_date=None,
                                    label="Formulaire de demande de réorientation (changement d'établissement)",
                                    required=False)
    fin = selectors.financabilite_for(student, programme)
    if isinstance(fin, Decision) and not fin.outcome["financable"]:
        # Art. 36: the non-finançable student files a motivation letter covering four points.
        DocumentSlot.objects.create(dossier=dossier, code="lettre_art36", article="Art. 36", due_date=due if on <= due else None,
                                    label="Lettre de motivation (art. 36) : le cursus visé, votre parcours, les raisons des "
                                          "échecs précédents et pourquoi la HELHa peut accepter votre inscription")
    req = AdmissionRequest.objects.create(student=student, programme=programme, academic_year=year, dossier=dossier,
                                          kind=kind, bloc=bloc, submitted_on=on, motivation=motivation.strip(),
                                          other_registrations=other_registrations.strip(),
                                          non_eu_present=non_eu_present if student.non_eu else None,
                                          diploma_year=diploma_year if student.non_eu else None,
                                          decision={"window": window.to_dict() if window else None,
                                                    "non_eu": non_eu.to_dict() if non_eu else None,
                                                    "financabilite": (fin.to_dict() if isinstance(fin, Decision)
                                                                      else str(fin))})
    record(actor=actor, action="admissions.request.submitted", target=req,
           summary=f"Demande d'admission introduite : {programme.name} ({req.get_kind_display()})")
    notify(user=actor, template="admission_received", context={"request": req, "dossier": dossier},
           url=f"/demandes/{req.pk}/")
    return req


@transaction.atomic
def acknowledge_decision(*, actor, request_id: int) -> None:
    """The student opened the decision: the acknowledgment of receipt the RGE asks for (art. 40)."""
    from django.utils import timezone

    req = _lock(request_id)
    if req.student.user_id != actor.pk or req.acknowledged_at is not None:
        return
    req.acknowledged_at = timezone.now()
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
    record(actor=actor, action="admissions.request.final", target=req,
           summary=f"Dossier complet : demande finale d'inscription au {req.final_request_on:%d/%m/%Y} (art. 26).")
    notify(user=req.student.user, template="admission_final", context={"request": req}, url=f"/demandes/{req.pk}/")
    return req


def decision_letter(req: AdmissionRequest) -> tuple[str, bytes]:
    """The decision letter (PDF) of a request: its motivation article by article and the appeal route."""
    from parcours.documents.pdf import render_pdf

    key = next((k for k in ("irrecevabilite", "refus", "inscription") if k in req.decision), None)
    if key is None:
        raise AdmissionError("Aucune décision n'a encore été prise sur cette demande.")
    title = {"irrecevabilite": "Demande d'admission irrecevable", "refus": "Refus d'inscription",
             "inscription": "Inscription régulière"}[key]
    pdf = render_pdf("documents/decision_letter.html", {"req": req, "title": title, "decision": req.decision[key],
                                                        "appeal": req.decision.get("appeal"), "issued_on": req.decided_on})
    return f"decision-{req.student.matricule}-{req.pk}.pdf", pdf


def _letter(req: AdmissionRequest) -> list[tuple[str, bytes, str]]:
    name, pdf = decision_letter(req)
    return [(name, pdf, "application/pdf")]


def _store(req: AdmissionRequest, actor, key: str, decision: Decision, **extra) -> None:
    req.decided_on = today()
    req.decided_by = actor
    req.decision = {**req.decision, key: decision.to_dict(), **extra}
    req.save()


@transaction.atomic
def declare_irrecevable(*, actor, request_id: int, access_conditions_met: bool = True) -> AdmissionRequest:
    """Art. 26, 39: the request fails the access conditions or the procedure."""
    req = _lock(request_id)
    _require_reviewer(actor, req)
    accepted = list(req.dossier.slots.filter(status=SlotStatus.ACCEPTED).values_list("code", flat=True))
    decision = registration.admissibility(registration.AdmissibilityFacts(
        year=req.academic_year.label, access_conditions_met=access_conditions_met, programme=programme_code(req.programme),
        first_year=req.bloc == 1, documents=[c for c in accepted if c in registration.DOCUMENT_LABELS],
        complete_on=req.final_request_on, late_registration_accepted=req.kind == "tardive"))
    if decision.outcome["recevable"]:
        raise AdmissionError("Le règlement tient cette demande pour recevable : " + _reasons_text(decision))
    _move(req, RequestStatus.IRRECEVABLE)
    route = appeals.route(appeals.AppealFacts(year=req.academic_year.label, decision="irrecevabilite", notified_on=today()))
    _store(req, actor, "irrecevabilite", decision, appeal=route.to_dict())
    record(actor=actor, action="admissions.request.irrecevable", target=req,
           summary="Demande déclarée irrecevable : " + ", ".join(decision.outcome["grounds"]))
    notify(user=req.student.user, template="admission_decision",
           context={"request": req, "title": "Demande d'admission irrecevable", "decision": decision, "appeal": route},
           url=f"/demandes/{req.pk}/", attachments=_letter(req))
    return req


@transaction.atomic
def refuse(*, actor, request_id: int, **grounds) -> AdmissionRequest:
    """Art. 40: refusal by the department direction, on the grounds the RGE lists."""
    req = _lock(request_id)
    _require_reviewer(actor, req)
    decision = registration.refusal(registration.RefusalFacts(year=req.academic_year.label,
                                                              request_received_on=req.final_request_on, **grounds))
    if decision.outcome["decision"] == "aucun_motif":
        raise AdmissionError("Aucun motif de refus prévu par l'art. 40 n'a été retenu.")
    _move(req, RequestStatus.REFUSED)
    route = appeals.route(appeals.AppealFacts(year=req.academic_year.label, decision="refus_inscription",
                                              notified_on=today()))
    _store(req, actor, "refus", decision, appeal=route.to_dict())
    record(actor=actor, action="admissions.request.refused", target=req,
           summary="Inscription refusée : " + ", ".join(decision.outcome["mandatory"] + decision.outcome["optional"]))
    notify(user=req.student.user, template="admission_decision",
           context={"request": req, "title": "Inscription refusée", "decision": decision, "appeal": route},
           url=f"/demandes/{req.pk}/", attachments=_letter(req))
    return req


@transaction.atomic
def accept(*, actor, request_id: int) -> AdmissionRequest:
    """Art. 28-29: the student is regularly registered; attestations within 15 working days."""
    req = _lock(request_id)
    _require_reviewer(actor, req)
    _move(req, RequestStatus.REGULAR)
    stage = "DC" if req.bloc == 1 else "PE"
    reg, _ = Registration.objects.update_or_create(
        student=req.student, academic_year=req.academic_year, programme=req.programme,
        defaults={"bloc": req.bloc, "stage": stage, "status": Registration.Status.REGULAR, "registered_on": today(),
                  "requested_on": req.submitted_on, "free_student": req.kind == AdmissionRequest.Kind.FREE})
    req.registration = reg
    attest = calendar.deadline(calendar.DeadlineFacts(year=req.academic_year.label, time_limit="registration_attestations",
                                                      event_date=today()))
    fin = selectors.financabilite_decision(req.student, reg)
    extra = {"financabilite": fin.to_dict() if isinstance(fin, Decision) else str(fin)}
    if req.student.non_eu:
        pay_by = calendar.deadline(calendar.DeadlineFacts(year=req.academic_year.label, time_limit="non_eu_payment",
                                                          event_date=today()))
        extra["non_eu_payment"] = pay_by.to_dict()
    _store(req, actor, "inscription", attest, **extra)
    record(actor=actor, action="admissions.request.accepted", target=req,
           summary=f"Inscription régulière ; attestations au plus tard le {attest.outcome:%d/%m/%Y} (art. 29).")
    notify(user=req.student.user, template="admission_accepted", context={"request": req, "registration": reg},
           url=f"/demandes/{req.pk}/", attachments=_letter(req))
    return req


# --- fees and payments -------------------------------------------------------------------------
def fee_facts(reg: Registration) -> fees.FeeFacts:
    student, programme = reg.student, reg.programme
    if not programme.fee_section:
        raise AdmissionError(f"Le programme « {programme.name} » n'est relié à aucune ligne de l'annexe 2.")
    status = {"boursier": "boursier", "presume_boursier": "presume_boursier", "bourse_refusee": "bourse_refusee"}.get(
        student.grant_status, "condition_modeste" if student.condition_modeste else "non_boursier")
    req = AdmissionRequest.objects.filter(registration=reg).only("kind").first()
    reorientation = req is not None and req.kind == AdmissionRequest.Kind.REORIENTATION
    pae_credits = sum(e.ue.credits for e in reg.pae.select_related("ue")) or 60
    prorata = reorientation or (reg.allegement and pae_credits < 60)
    if reg.free_student:  # art. 38: 50 € and 5 € per credit followed
        return fees.FeeFacts(year=reg.academic_year.label, section=programme.fee_section, site=programme.fee_site,
                             stage=reg.stage, registration="libre", pae_credits=min(pae_credits, 75))
    # Art. 51 al. 2: at the end of the cycle with 15 credits or fewer, half the admissible fees.
    end_of_cycle = reg.stage == "AD" and 0 < pae_credits <= 15 and not reorientation
    return fees.FeeFacts(year=reg.academic_year.label, section=programme.fee_section, site=programme.fee_site,
                         stage=reg.stage, status=status, non_eu_specific=student.non_eu, cycle=programme.cycle,
                         grant_refusal_notified=student.grant_refusal_notified_on, reorientation=reorientation,
                         end_of_cycle=end_of_cycle,
                         allegement=reg.allegement and not reorientation and not end_of_cycle and pae_credits < 60,
                         pae_credits=min(pae_credits, 75) if prorata else 60)


def payment_status(reg: Registration, on: dt.date | None = None) -> Decision:
    payments = [fees.Payment(date=p.paid_on, amount=p.amount) for p in reg.payments.filter(amount__gt=0)]
    return fees.payment_status(fees.PaymentStatusFacts(fees=fee_facts(reg), payments=payments, on=on or today()))


@transaction.atomic
def record_payment(*, actor, registration_id: int, amount: Decimal, paid_on: dt.date,
                   method: str = Payment.Method.TRANSFER, reference: str = "") -> Payment:
    reg = Registration.objects.select_for_update().select_related("student__user", "programme").get(pk=registration_id)
    dossier = Dossier.objects.filter(student=reg.student, programme=reg.programme).first()
    if dossier is None or not permissions.can_review_dossier(actor, dossier):
        raise AdmissionError("Vous n'êtes pas autorisé à enregistrer un paiement pour cet étudiant.")
    if amount == 0 or (amount < 0) != (method == Payment.Method.REFUND):
        raise AdmissionError("Un paiement est positif ; seul un remboursement est négatif.")
    try:
        with transaction.atomic():
            payment = Payment.objects.create(registration=reg, amount=amount, paid_on=paid_on, method=method,
                                             reference=reference.strip(), recorded_by=actor)
    except IntegrityError as exc:
        raise AdmissionError(f"La référence « {reference} » est déjà enregistrée.") from exc
    record(actor=actor, action="admissions.payment.recorded", target=reg,
           summary=f"Paiement de {amount} € du {paid_on:%d/%m/%Y} ({payment.get_method_display()})", reference=reference)
    notify(user=reg.student.user, template="payment_recorded", context={"payment": payment, "registration": reg},
           url="/")
    return payment


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


MATRICULE = re.compile(r"\b([A-Z]{1,2}\d{6,7})\b")


def import_bank_statement(*, actor, text: str) -> ImportReport:
    """A bank statement as CSV (date;montant;communication[;reference]): each line whose communication names a
    matricule becomes a payment of that student's registration; the others are reported, never guessed."""
    report = ImportReport()
    reader = csv.reader(io.StringIO(text), delimiter=";")
    for n, row in enumerate(reader, start=1):
        if not row or (n == 1 and row[0].strip().lower() == "date"):
            continue
        line = f"ligne {n}"
        try:
            paid_on = dt.date.fromisoformat(row[0].strip())
            amount = Decimal(row[1].strip().replace(",", "."))
            communication = row[2].strip()
        except (IndexError, ValueError, InvalidOperation):
            report.unmatched.append(f"{line} : format illisible (attendu : date;montant;communication)")
            continue
        reference = row[3].strip() if len(row) > 3 and row[3].strip() else f"{paid_on}-{amount}-{communication}"[:140]
        found = MATRICULE.search(communication.upper())
        reg = (Registration.objects.filter(student__matricule=found.group(1), academic_year__label=settings.ACADEMIC_YEAR)
               .first() if found else None)
        if reg is None:
            report.unmatched.append(f"{line} : aucun matricule reconnu dans « {communication} »")
            continue
        try:
            record_payment(actor=actor, registration_id=reg.pk, amount=amount, paid_on=paid_on,
                           method=Payment.Method.IMPORT, reference=reference)
            report.imported.append(f"{line} : {amount} € pour {reg.student.matricule}")
        except AdmissionError as exc:
            (report.duplicates if "déjà enregistrée" in str(exc) else report.unmatched).append(f"{line} : {exc}")
    return report


def paid_total(reg: Registration) -> Decimal:
    return reg.payments.aggregate(t=Sum("amount"))["t"] or Decimal(0)


@transaction.atomic
def apply_payment_deadlines(*, on: dt.date, actor=None) -> dict[str, int]:
    """After 31 October and 1 February, apply art. 48 and 49 to every regular registration; before them, remind."""
    counts = {"annulees": 0, "suspendues": 0, "rappels": 0}
    regs = (Registration.objects.select_for_update().select_related("student__user", "programme", "academic_year")
            .filter(status=Registration.Status.REGULAR, academic_year__label=settings.ACADEMIC_YEAR)
            .exclude(programme__fee_section=""))
    for reg in regs:
        decision = payment_status(reg, on)
        state = decision.outcome["state"]
        req = AdmissionRequest.objects.filter(registration=reg).only("decision").first()
        pay_by = (req.decision.get("non_eu_payment") or {}).get("outcome") if req else None
        if pay_by and on > dt.date.fromisoformat(pay_by) and decision.outcome["balance"] > 0:
            # Annexe 7: the whole amount within 10 working days of the admission, or the admission lapses.
            reg.status = Registration.Status.CANCELLED
            reg.save()
            AdmissionRequest.objects.filter(registration=reg).update(status=RequestStatus.CANCELLED)
            _consequence(reg, actor, decision, "admissions.payment.non_eu_lapsed",
                         "Admission annulée : droits non payés dans les 10 jours ouvrables (annexe 7)", on)
            counts["annulees"] += 1
            continue
        if state == "inscription_annulee":
            reg.status = Registration.Status.CANCELLED
            reg.save()
            AdmissionRequest.objects.filter(registration=reg).update(status=RequestStatus.CANCELLED)
            _consequence(reg, actor, decision, "admissions.payment.cancelled", "Inscription annulée (art. 48)", on)
            counts["annulees"] += 1
        elif state == "acces_suspendu" and reg.access_suspended_on is None:
            reg.access_suspended_on = on
            reg.save()
            _consequence(reg, actor, decision, "admissions.payment.suspended",
                         "Solde impayé : accès aux activités suspendu (art. 49)", on)
            counts["suspendues"] += 1
        elif state == "en_ordre" and decision.outcome["next"]:
            step = decision.outcome["next"]
            days = (step["date"] - on).days
            if days in (14, 3) and not _reminded(reg, step["date"], days):
                record(actor=actor, action="admissions.payment.reminder", target=reg,
                       summary=f"Rappel : {step['amount']} € au plus tard le {step['date']:%d/%m/%Y}",
                       due=step["date"].isoformat(), days=days)
                notify(user=reg.student.user, template="payment_reminder", context={"step": step, "registration": reg},
                       url="/")
                counts["rappels"] += 1
    return counts


def remind_documents(*, on: dt.date) -> int:
    """Remind students of a requested or refused document 7 and 2 days before its due date — once each."""
    from parcours.audit.services import events_for

    sent = 0
    slots = (DocumentSlot.objects.select_related("dossier__student__user")
             .filter(status__in=[SlotStatus.REQUESTED, SlotStatus.REFUSED], required=True,
                     due_date__in=[on + dt.timedelta(days=7), on + dt.timedelta(days=2)]))
    for slot in slots:
        days = (slot.due_date - on).days
        if events_for(slot.dossier).filter(action="dossiers.document.reminder", data__slot=slot.pk, data__days=days).exists():
            continue
        record(actor=None, action="dossiers.document.reminder", target=slot.dossier,
               summary=f"Rappel : « {slot.label} » au plus tard le {slot.due_date:%d/%m/%Y}", slot=slot.pk, days=days)
        notify(user=slot.dossier.student.user, template="document_reminder", context={"slot": slot, "days": days},
               url=f"/dossiers/{slot.dossier_id}/")
        sent += 1
    return sent


def _reminded(reg, due: dt.date, days: int) -> bool:
    from parcours.audit.services import events_for

    return events_for(reg).filter(action="admissions.payment.reminder", data__due=due.isoformat(),
                                  data__days=days).exists()


def _consequence(reg, actor, decision: Decision, action: str, title: str, on: dt.date) -> None:
    route = appeals.route(appeals.AppealFacts(year=reg.academic_year.label, decision="defaut_paiement", notified_on=on))
    record(actor=actor, action=action, target=reg, summary=title)
    notify(user=reg.student.user, template="admission_decision",
           context={"request": None, "title": title, "decision": decision, "appeal": route}, url="/")


@transaction.atomic
def withdraw(*, actor, registration_id: int, on: dt.date) -> Decision:
    """Art. 57-59: the date of the signed withdrawal document decides annulation (refund beyond the acompte)
    or abandon (everything due, the year counts)."""
    reg = Registration.objects.select_for_update().select_related("student__user", "programme", "academic_year").get(
        pk=registration_id)
    dossier = Dossier.objects.filter(student=reg.student, programme=reg.programme).first()
    if dossier is None or not permissions.can_review_dossier(actor, dossier):
        raise AdmissionError("Vous n'êtes pas autorisé à enregistrer l'arrêt des études de cet étudiant.")
    if reg.status != Registration.Status.REGULAR:
        raise AdmissionError("Seule une inscription régulière peut être annulée ou abandonnée.")
    paid = sum((p.amount for p in reg.payments.all()), Decimal(0))
    decision = fees.withdrawal(fees.WithdrawalFacts(fees=fee_facts(reg), withdrawal_date=on, paid=max(paid, Decimal(0))))
    kind = decision.outcome["kind"]
    reg.status = Registration.Status.CANCELLED if kind == "annulation" else Registration.Status.ABANDONED
    reg.save()
    target = RequestStatus.CANCELLED if kind == "annulation" else RequestStatus.ABANDONED
    AdmissionRequest.objects.filter(registration=reg).update(status=target)
    refund = decision.outcome["refund"]
    if refund > 0:
        Payment.objects.create(registration=reg, amount=-refund, paid_on=on, method=Payment.Method.REFUND,
                               reference=f"REMB-{reg.pk}-{on:%Y%m%d}", recorded_by=actor)
    record(actor=actor, action=f"admissions.registration.{kind}", target=reg,
           summary=f"{'Annulation' if kind == 'annulation' else 'Abandon'} au {on:%d/%m/%Y} ; remboursement {refund} €")
    notify(user=reg.student.user, template="admission_decision",
           context={"request": None, "title": "Annulation de l'inscription" if kind == "annulation" else
                    "Abandon des études", "decision": decision, "appeal": None}, url="/")
    return decision


GRANT_ROLES = {"secretariat", "direction_departement", "assistant_social"}


def _refund_excess(reg: Registration, actor, on: dt.date, why: str) -> Decimal:
    """Refund what was paid beyond what is now due, as a negative payment."""
    due = fees.compute(fee_facts(reg)).outcome["total"]
    excess = paid_total(reg) - due
    if excess > 0:
        Payment.objects.create(registration=reg, amount=-excess, paid_on=on, method=Payment.Method.REFUND,
                               reference=f"REMB-{reg.pk}-{on:%Y%m%d}-{why}", recorded_by=actor)
        return excess
    return Decimal(0)


@transaction.atomic
def set_grant_status(*, actor, student_id: int, status: str, notified_on: dt.date) -> Decimal:
    """Art. 53-55: the study-allowance service's answer. A boursier is refunded everything, acompte included;
    a refused grant makes every fee due within 30 calendar days of the refusal."""
    student = Student.objects.select_for_update().select_related("user").get(pk=student_id)
    if not permissions.can_act_for_student(actor, student, GRANT_ROLES):
        raise AdmissionError("Vous n'êtes pas autorisé à modifier le statut de bourse de cet étudiant.")
    if status not in Student.Grant.values:
        raise AdmissionError("Statut de bourse inconnu.")
    student.grant_status = status
    student.grant_refusal_notified_on = notified_on if status == Student.Grant.REFUSED else None
    student.save()
    refunded = Decimal(0)
    reg = selectors.current_registration(student)
    if reg is not None and reg.programme.fee_section:
        refunded = _refund_excess(reg, actor, notified_on, "bourse")
        state = fees.compute(fee_facts(reg))
        record(actor=actor, action="admissions.grant.changed", target=student,
               summary=f"Statut de bourse : {student.get_grant_status_display()} ; remboursement {refunded} €")
        notify(user=student.user, template="admission_decision",
               context={"request": None, "title": f"Statut de bourse : {student.get_grant_status_display()}",
                        "decision": state, "appeal": None}, url="/")
    return refunded


@transaction.atomic
def recognise_condition_modeste(*, actor, student_id: int, on: dt.date) -> Decimal:
    """Art. 56: the social worker recognises the modest-income status; the difference is refunded."""
    student = Student.objects.select_for_update().select_related("user").get(pk=student_id)
    if not permissions.can_act_for_student(actor, student, {"assistant_social"}):
        raise AdmissionError("Seul le travailleur social du département reconnaît la condition modeste (art. 56).")
    student.condition_modeste = True
    student.save()
    reg = selectors.current_registration(student)
    refunded = _refund_excess(reg, actor, on, "modeste") if reg is not None and reg.programme.fee_section else Decimal(0)
    record(actor=actor, action="admissions.modeste.recognised", target=student,
           summary=f"Condition modeste reconnue ; remboursement {refunded} €")
    notify(user=student.user, template="admission_decision",
           context={"request": None, "title": "Condition modeste reconnue", "decision": None, "appeal": None}, url="/")
    return refunded


# --- registration fraud (art. 42-46) -------------------------------------------------------------
def _require(actor, student, roles: set[str], what: str) -> None:
    if not permissions.can_act_for_student(actor, student, roles):
        raise AdmissionError(f"Vous n'êtes pas autorisé à {what}.")


@transaction.atomic
def report_fraud(*, actor, student_id: int, facts: str, on: dt.date) -> FraudCase:
    """Art. 43: the department direction records a presumed fraud and sends it to the Collège de direction."""
    student = Student.objects.get(pk=student_id)
    _require(actor, student, {"direction_departement"}, "signaler une fraude à l'inscription")
    if not facts.strip():
        raise AdmissionError("Décrivez les faits reprochés (art. 43).")
    case = FraudCase.objects.create(student=student, academic_year=settings.ACADEMIC_YEAR, facts=facts.strip(),
                                    reported_on=on)
    record(actor=actor, action="admissions.fraud.reported", target=case, summary="Fraude à l'inscription supposée : "
           "procès-verbal transmis au Collège de direction (art. 43).")
    return case


@transaction.atomic
def convene_fraud_hearing(*, actor, case_id: int, notified_on: dt.date, hearing_on: dt.date | None,
                          lives_abroad: bool = False) -> FraudCase:
    """Art. 43: the hearing is set at the earliest 15 days after the facts are notified; a student living
    abroad answers in writing instead."""
    case = FraudCase.objects.select_for_update().select_related("student__user").get(pk=case_id)
    _require(actor, case.student, {"college_direction"}, "instruire une fraude à l'inscription")
    earliest = calendar.deadline(calendar.DeadlineFacts(time_limit="registration_fraud_hearing", event_date=notified_on))
    if not lives_abroad and (hearing_on is None or hearing_on < earliest.outcome):
        raise AdmissionError(f"L'audition ne peut avoir lieu avant le {earliest.outcome:%d/%m/%Y} (art. 43 : au plus tôt "
                             "15 jours après la notification des faits).")
    case.status, case.notified_on, case.hearing_on, case.lives_abroad = (FraudCase.Status.CONVENED, notified_on,
                                                                         None if lives_abroad else hearing_on, lives_abroad)
    case.save()
    record(actor=actor, action="admissions.fraud.convened", target=case,
           summary="Réponse écrite demandée (étudiant à l'étranger)" if lives_abroad else
           f"Audition fixée au {hearing_on:%d/%m/%Y}")
    notify(user=case.student.user, template="admission_decision", url="/", context={
        "request": None, "title": "Fraude à l'inscription supposée : convocation", "decision": earliest, "appeal": None})
    return case


@transaction.atomic
def decide_fraud(*, actor, case_id: int, proven: bool, on: dt.date) -> FraudCase:
    """Art. 44-46: a proven fraud refuses the registration (not yet regular) or excludes the student until the end
    of the year (already regular), and bars any registration for the three following years."""
    case = FraudCase.objects.select_for_update().select_related("student__user").get(pk=case_id)
    _require(actor, case.student, {"college_direction"}, "décider d'une fraude à l'inscription")
    if case.status != FraudCase.Status.CONVENED:
        raise AdmissionError("Le Collège décide après l'audition ou la réponse écrite de l'étudiant (art. 43-44).")
    case.status = FraudCase.Status.PROVEN if proven else FraudCase.Status.DISMISSED
    case.decided_on = on
    case.save()
    if proven:
        for req in AdmissionRequest.objects.select_for_update().filter(student=case.student,
                                                                        academic_year__label=case.academic_year):
            if req.status in (RequestStatus.SUBMITTED, RequestStatus.FINAL):
                req.status = RequestStatus.REFUSED
                req.decision = {**req.decision, "refus": registration.refusal(registration.RefusalFacts(
                    other_registration_undeclared=True)).to_dict()}
                req.decided_on, req.decided_by = on, actor
                req.save()
            elif req.status == RequestStatus.REGULAR and req.registration:
                req.registration.status = Registration.Status.ABANDONED
                req.registration.save()
        ban = registration.fraud_ban(registration.FraudBanFacts(sanctioned_year=case.academic_year, kind="inscription",
                                                                requested_year=case.academic_year))
        notify(user=case.student.user, template="admission_decision", url="/", context={
            "request": None, "title": "Fraude à l'inscription avérée", "decision": ban,
            "appeal": appeals.route(appeals.AppealFacts(decision="exclusion_fraude", notified_on=on))})
    record(actor=actor, action=f"admissions.fraud.{'proven' if proven else 'dismissed'}", target=case,
           summary="Fraude avérée : refus ou exclusion, interdiction d'inscription trois ans (art. 45-46)" if proven
           else "Fraude non établie : classée sans suite")
    return case


# --- the programme annuel ---
ADMISSION_ROLES = {"commission_admission", "secretariat", "direction_departement"}


@transaction.atomic
def valorise_credits(*, actor, registration_id: int, ue_ids: list[int], basis: str, reason: str) -> int:
    """Art. 69-70: the admission commission valorises credits from earlier studies or from experience."""
    reg = Registration.objects.select_related("student", "programme", "academic_year").get(pk=registration_id)
    _require(actor, reg.student, ADMISSION_ROLES, "valoriser des crédits")
    if basis not in ("etudes", "experience") or not reason.strip():
        raise AdmissionError("Précisez la base (études antérieures, art. 69, ou expérience, art. 70) et le motif.")
    ues = UE.objects.filter(pk__in=ue_ids, programme=reg.programme)
    created = 0
    for ue in ues:
        _, made = AcquiredCredit.objects.get_or_create(student=reg.student, ue=ue, defaults={
            "academic_year": reg.academic_year.label, "valorised": True})
        created += made
    record(actor=actor, action="admissions.credits.valorised", target=reg,
           summary=f"{created} UE valorisée(s) ({'art. 69' if basis == 'etudes' else 'art. 70'}) : {reason.strip()}")
    return created


@transaction.atomic
def grant_allegement(*, actor, registration_id: int, requested_on: dt.date, grave: bool = False) -> Registration:
    """Art. 71-73: an allègement requested at registration before 31 October, or at any time for serious
    social or medical reasons; the fees become pro rata (art. 51)."""
    reg = Registration.objects.select_for_update().select_related("student__user", "academic_year").get(pk=registration_id)
    _require(actor, reg.student, ADMISSION_ROLES, "accorder un allègement")
    if not grave:
        window = calendar.fixed_date(calendar.FixedDateFacts(year=reg.academic_year.label,
                                                             name="allegement_at_registration", on=requested_on))
        if not window.outcome["in_time"]:
            raise AdmissionError("La demande d'allègement à l'inscription s'introduit avant le 31 octobre (art. 72) ; "
                                 "après, seuls des motifs sociaux ou médicaux graves la permettent (art. 73).")
    reg.allegement = True
    reg.save()
    record(actor=actor, action="admissions.allegement.granted", target=reg,
           summary=f"Allègement accordé (demande du {requested_on:%d/%m/%Y}, art. {'73' if grave else '72'})")
    notify(user=reg.student.user, template="admission_decision", url="/", context={
        "request": None, "title": "Allègement accordé", "decision": None, "appeal": None})
    return reg

def pae_facts(reg: Registration, ues: list[UE], derogation: str = "") -> pae.PaeFacts:
    programme_ues = list(UE.objects.filter(programme=reg.programme).prefetch_related("prerequisites", "corequisites"))
    acquired = set(AcquiredCredit.objects.filter(student=reg.student, ue__programme=reg.programme)
                   .values_list("ue__code", flat=True))
    bloc1 = [u for u in programme_ues if u.bloc == 1]
    first = reg.bloc == 1 and not reg.student.past_registrations.exclude(cancelled=True).exists()
    situation = "premiere_inscription" if first else ("bloc1_non_reussi" if reg.bloc == 1 else "poursuite")
    if reg.free_student:
        situation = "libre"
    return pae.PaeFacts(
        year=reg.academic_year.label, situation=situation,
        programme="master" if reg.programme.kind == "master" else (
            "specialisation" if reg.programme.kind == "bachelier_specialisation" else "bachelier"),
        ues=[pae.ProposedUE(code=u.code, credits=u.credits, bloc=u.bloc, cycle=reg.programme.cycle,
                            prerequisites=[p.code for p in u.prerequisites.all()],
                            corequisites=[c.code for c in u.corequisites.all()], language=u.language) for u in ues],
        acquired=sorted(acquired), bloc1_codes=[u.code for u in bloc1],
        bloc1_credits_acquired=min(60, sum(u.credits for u in bloc1 if u.code in acquired)),
        derogation=derogation or None, allegement=reg.allegement)


@transaction.atomic
def propose_pae(*, actor, registration_id: int, ue_ids: list[int], derogation: str = "") -> PaeProposal:
    """Art. 68: the admission commission proposes the PAE; the regulation lists every rule it breaks."""
    reg = Registration.objects.select_for_update().select_related("student__user", "programme", "academic_year").get(
        pk=registration_id)
    dossier = Dossier.objects.filter(student=reg.student, programme=reg.programme).first()
    if dossier is None or not permissions.can_review_dossier(actor, dossier):
        raise AdmissionError("Vous n'êtes pas autorisé à proposer le programme annuel de cet étudiant.")
    ues = list(UE.objects.filter(pk__in=ue_ids, programme=reg.programme).prefetch_related("prerequisites", "corequisites"))
    if not ues:
        raise AdmissionError("Choisissez au moins une unité d'enseignement du programme.")
    decision = pae.check(pae_facts(reg, ues, derogation))
    reg.pae_proposals.filter(status=ProposalStatus.PROPOSED).update(status=ProposalStatus.WITHDRAWN)
    proposal = PaeProposal.objects.create(registration=reg, proposed_by=actor, verification=decision.to_dict(),
                                          derogation=derogation)
    proposal.ues.set(ues)
    record(actor=actor, action="admissions.pae.proposed", target=reg,
           summary=f"PAE proposé : {decision.outcome['total_credits']} crédits — "
                   f"{'admissible' if decision.outcome['admissible'] else 'non admissible'}")
    if decision.outcome["admissible"]:
        notify(user=reg.student.user, template="pae_proposed", context={"proposal": proposal, "registration": reg},
               url="/")
    return proposal


@transaction.atomic
def validate_pae(*, actor, proposal_id: int, on: dt.date | None = None) -> PaeProposal:
    """Art. 68: the student validates the proposed PAE, at the latest on 31 October."""
    on = on or today()
    proposal = PaeProposal.objects.select_for_update().select_related("registration__student__user",
                                                                      "registration__academic_year").get(pk=proposal_id)
    reg = proposal.registration
    if reg.student.user_id != actor.pk:
        raise AdmissionError("Seul l'étudiant valide son programme annuel.")
    if proposal.status != ProposalStatus.PROPOSED:
        raise AdmissionError("Cette proposition n'est plus à valider.")
    if not proposal.verification.get("outcome", {}).get("admissible"):
        raise AdmissionError("Ce programme enfreint le règlement ; la commission doit le corriger.")
    limit = calendar.fixed_date(calendar.FixedDateFacts(year=reg.academic_year.label, name="pae_validation", on=on))
    if not limit.outcome["in_time"]:
        raise AdmissionError(f"Le programme annuel se valide au plus tard le {limit.outcome['date']:%d/%m/%Y} (art. 68).")
    proposal.status = ProposalStatus.VALIDATED
    proposal.validated_on = on
    proposal.save()
    PaeEntry.objects.filter(registration=reg).delete()
    PaeEntry.objects.bulk_create([PaeEntry(registration=reg, ue=ue) for ue in proposal.ues.all()])
    record(actor=actor, action="admissions.pae.validated", target=reg, summary=f"PAE validé par l'étudiant le {on:%d/%m/%Y}")
    return proposal


def recevability_preview(req: AdmissionRequest) -> Decision | None:
    """What the regulation says of the request as it stands (shown to staff before they decide)."""
    accepted = list(req.dossier.slots.filter(status=SlotStatus.ACCEPTED).values_list("code", flat=True))
    try:
        return registration.admissibility(registration.AdmissibilityFacts(
            year=req.academic_year.label, access_conditions_met=True, programme=programme_code(req.programme),
            first_year=req.bloc == 1, documents=[c for c in accepted if c in registration.DOCUMENT_LABELS],
            complete_on=req.final_request_on, late_registration_accepted=req.kind == "tardive"))
    except RuleError:
        return None
