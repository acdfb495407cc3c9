"""Fees and payments (art. 47-60, annexe 7): what is due, what was paid, reminders and consequences,
grants and refunds, withdrawal."""

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext
from simple_history.utils import bulk_update_with_history

from parcours.accounts import permissions
from parcours.admissions.models import AdmissionRequest, Payment
from parcours.admissions.services import AdmissionError, _reasons_text, lock_registration_for_review  # noqa: F401
from parcours.admissions.workflow import RequestStatus
from parcours.audit.services import event, record, record_all, set_status_all, set_status_each
from parcours.notifications.services import bulk_mail, notify, notify_all
from parcours.regulation import appeals, fees
from parcours.regulation.explain import Decision, RuleError
from parcours.students import selectors
from parcours.students.models import Registration, Student
from parcours.web.clock import DateRefused, check_day, today
from parcours.web.clock import now as clock_now


def fee_facts(reg: Registration) -> fees.FeeFacts:
    facts = selectors.fee_facts(reg)
    if facts is None:
        raise AdmissionError(gettext("Le programme « %(programme)s » n'est relié à aucune ligne de l'annexe 2.") % {"programme": reg.programme.name})
    return facts


def due_total(reg: Registration) -> Decimal:
    """What the registration owes (art. 47-56); a refusal of the rules (art. 38) is said, not computed."""
    decision = fees.compute(fee_facts(reg))
    if decision.outcome.get("refused"):
        raise AdmissionError(_reasons_text(decision))
    return decision.outcome["total"]


def payment_status(reg: Registration, on: dt.date | None = None) -> Decision:
    fee_facts(reg)  # a clear message when the programme has no annexe-2 row
    return fees.payment_status(selectors.payment_status_facts(reg, on or today()))


def payment_statuses(regs: list[Registration], on: dt.date) -> dict[int, Decision | RuleError]:
    """``payment_status`` of many registrations (with their student and programme read) in three queries, whatever
    their number: the réorientations, the PAE credits and the payments, read in bulk for the same pure rules. A
    registration the rules cannot decide (no annexe-2 row for its stage…) gets the rules' error instead, so that one
    such registration does not stop a job for all the others."""
    ids = [r.pk for r in regs]
    reoriented, pae_totals = selectors.fee_inputs(ids)
    paid: dict[int, list[fees.Payment]] = {i: [] for i in ids}
    for reg_id, paid_on, amount in (Payment.objects.filter(registration_id__in=ids, amount__gt=0).order_by("pk")
                                    .values_list("registration_id", "paid_on", "amount")):
        paid[reg_id].append(fees.Payment(date=paid_on, amount=amount))
    out = {}
    for reg in regs:
        facts = selectors.fee_facts_from(reg, reorientation=reg.pk in reoriented, credits=pae_totals.get(reg.pk, 0))
        if facts is None:
            raise AdmissionError(gettext("Le programme « %(programme)s » n'est relié à aucune ligne de l'annexe 2.") % {"programme": reg.programme.name})
        if facts.registered_on is not None and facts.registered_on > on:
            facts = facts.model_copy(update={"registered_on": None})  # as ``payment_status_facts``
        try:
            out[reg.pk] = fees.payment_status(fees.PaymentStatusFacts(fees=facts, payments=paid[reg.pk], on=on))
        except RuleError as exc:
            out[reg.pk] = exc
    return out


@transaction.atomic
def record_payment(
    *,
    actor,
    registration_id: int,
    amount: Decimal,
    paid_on: dt.date,
    method: str = Payment.Method.TRANSFER,
    reference: str = "",
) -> Payment:
    reg = lock_registration_for_review(
        actor, registration_id, "Vous n'êtes pas autorisé à enregistrer un paiement pour cet étudiant."
    )
    if amount == 0 or (amount < 0) != (method == Payment.Method.REFUND):
        raise AdmissionError(gettext("Un paiement est positif ; seul un remboursement est négatif."))
    if abs(amount) > Decimal(settings.PARCOURS_PAYMENT_MAX) or amount != amount.quantize(Decimal("0.01")):
        raise AdmissionError(gettext("Montant hors bornes : deux décimales, au plus %(max)s €.") % {"max": settings.PARCOURS_PAYMENT_MAX})
    try:  # a payment dated 0001-01-01 or 9999-12-31 is a typing error, not a payment of this year's fees
        check_day(paid_on, "La date du paiement")
    except DateRefused as exc:
        raise AdmissionError(str(exc)) from None
    # The registration is locked: a second click (or a second tab) on the same payment waits here and then sees
    # the first one. A genuine second identical payment the same minute has a reference (receipt, bank line).
    recent = clock_now() - dt.timedelta(minutes=2)  # recorded_at is stamped on the one clock
    if not reference.strip() and reg.payments.filter(amount=amount, paid_on=paid_on, method=method, reference="",
                                                     recorded_at__gte=recent).exists():
        raise AdmissionError(gettext("Ce paiement vient d'être enregistré ; indiquez une référence s'il s'agit d'un "
                                     "second paiement identique."))
    return create_payment(reg, actor=actor, amount=amount, paid_on=paid_on, method=method, reference=reference)


def create_payment(reg: Registration, *, actor, amount: Decimal, paid_on: dt.date, method: str,
                   reference: str) -> Payment:
    """The payment row, its audit event and the student's notice; the caller holds the lock and the checks."""
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                registration=reg,
                amount=amount,
                paid_on=paid_on,
                method=method,
                reference=reference.strip(),
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise AdmissionError(gettext("La référence « %(reference)s » est déjà enregistrée.") % {"reference": reference}) from exc
    record(
        actor=actor,
        action="admissions.payment.recorded",
        target=reg,
        summary=f"Paiement de {amount} € du {paid_on:%d/%m/%Y} ({payment.get_method_display()})",
        reference=reference,
    )
    notify(
        user=reg.student.user, template="payment_recorded", context={"payment": payment, "registration": reg},
        url="/droits/",
    )
    return payment


def paid_total(reg: Registration) -> Decimal:
    return reg.payments.aggregate(t=Sum("amount"))["t"] or Decimal(0)


log = logging.getLogger("parcours.admissions")

DEADLINE_CHUNK = 500


def apply_payment_deadlines(*, on: dt.date, actor=None, chunk: int = DEADLINE_CHUNK, progress=None) -> dict[str, int]:
    """After 31 October and 1 February, apply art. 48 and 49 (and annexe 7) to every regular registration;
    before them, remind.

    Never blocks people: the registrations are taken ``chunk`` at a time, each chunk in its own transaction;
    decisions are made on plain reads and only the registrations whose status changes are locked
    (``select_for_update(of=("self",))``), never the students' accounts or the programmes. Idempotent and
    resumable: a cancelled registration is no longer regular, a suspension is dated once, a reminder is in the
    audit trail — after a crash, run it again. The e-mails of a chunk leave after its commit, over one
    connection. ``progress(done, total)`` is called after each chunk (the task queue shows it)."""
    counts = {"annulees": 0, "suspendues": 0, "rappels": 0, "non_decidees": 0}
    ids = list(Registration.objects.filter(status=Registration.Status.REGULAR, academic_year__label=settings.ACADEMIC_YEAR)
               .exclude(programme__fee_section="").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        with transaction.atomic(), bulk_mail():
            _deadline_chunk(ids[start:start + chunk], on, actor, counts)
        if progress:
            progress(min(start + chunk, len(ids)), len(ids))
    return counts


def _deadline_chunk(ids: list[int], on: dt.date, actor, counts: dict[str, int]) -> None:
    """One chunk in a constant number of queries: the registrations and what their payment status needs read in
    bulk, the reminders already sent read at once, then only the registrations that change locked and re-read;
    the audit events, notifications and history rows written in one insert each."""
    regs = list(Registration.objects.filter(pk__in=ids, status=Registration.Status.REGULAR)
                .select_related("student__user", "programme", "academic_year"))
    requests = {r.registration_id: r for r in AdmissionRequest.objects.filter(registration_id__in=ids)
                .only("registration_id", "decision")}
    statuses = payment_statuses(regs, on)
    changes: dict[int, tuple[str, str, str]] = {}  # registration → (new state, action, title)
    due_reminders: dict[int, tuple[Registration, dict, int]] = {}
    undecided: list[str] = []
    for reg in regs:
        decision = statuses[reg.pk]
        if isinstance(decision, RuleError):  # said in the job's counts and log, decided by a person
            undecided.append(f"{reg.pk} ({decision})")
            continue
        state = decision.outcome["state"]
        req = requests.get(reg.pk)
        pay_by = (req.decision.get("non_eu_payment") or {}).get("outcome") if req else None
        if pay_by and on > dt.date.fromisoformat(pay_by) and decision.outcome["balance"] > 0:
            # Annexe 7: the whole amount within 10 working days of the admission, or the admission lapses.
            changes[reg.pk] = ("cancel", "admissions.payment.non_eu_lapsed",
                               "Admission annulée : droits non payés dans les 10 jours ouvrables (annexe 7)")
        elif state == "inscription_annulee":
            changes[reg.pk] = ("cancel", "admissions.payment.cancelled", "Inscription annulée (art. 48)")
        elif state == "acces_suspendu" and reg.access_suspended_on is None:
            changes[reg.pk] = ("suspend", "admissions.payment.suspended",
                               "Solde impayé : accès aux activités suspendu (art. 49)")
        elif state == "en_ordre" and decision.outcome["next"]:
            step = decision.outcome["next"]
            days = (step["date"] - on).days
            if days in (14, 3):
                due_reminders[reg.pk] = (reg, step, days)
    if undecided:
        counts["non_decidees"] += len(undecided)
        log.warning("Échéances de paiement : %d inscription(s) que les règles ne décident pas : %s", len(undecided),
                    "; ".join(undecided))
    events, notices = [], []
    reminded = _reminded(due_reminders)
    for reg_id, (reg, step, days) in due_reminders.items():
        if (reg_id, step["date"].isoformat(), days) in reminded:
            continue
        events.append(event(actor=actor, action="admissions.payment.reminder", target=reg,
                            summary=f"Rappel : {step['amount']} € au plus tard le {step['date']:%d/%m/%Y}",
                            due=step["date"].isoformat(), days=days))
        notices.append((reg.student.user, "payment_reminder", {"step": step, "registration": reg}, "/"))
        counts["rappels"] += 1
    if changes:
        # Lock only the rows that change, and re-read them: a payment recorded meanwhile is seen, not overwritten.
        locked = list(Registration.objects.select_for_update(of=("self",))
                      .filter(pk__in=list(changes), status=Registration.Status.REGULAR)
                      .select_related("student__user", "programme", "academic_year"))
        statuses = payment_statuses(locked, on)  # the decisions under the lock
        changed, cancelled = [], []
        for reg in locked:
            kind, action, title = changes[reg.pk]
            decision = statuses[reg.pk]
            if isinstance(decision, RuleError):
                continue
            if kind == "cancel" and decision.outcome["balance"] > 0:
                reg.status = Registration.Status.CANCELLED
                cancelled.append(reg.pk)
                counts["annulees"] += 1
            elif kind == "suspend" and decision.outcome["state"] == "acces_suspendu" and reg.access_suspended_on is None:
                reg.access_suspended_on = on
                counts["suspendues"] += 1
            else:
                continue
            changed.append(reg)
            _consequence(reg, actor, decision, action, title, on, events, notices)
        bulk_update_with_history(changed, Registration, ["status", "access_suspended_on"], default_user=actor,
                                 default_change_reason="échéance de paiement (art. 48-49)")
        set_status_all(AdmissionRequest.objects.filter(registration_id__in=cancelled), RequestStatus.CANCELLED,
                       actor=actor, action="admissions.request.cancelled",
                       summary="Demande close : inscription annulée faute de paiement (art. 48, annexe 7)")
    record_all(events)
    notify_all(notices)


def _reminded(due: dict[int, tuple[Registration, dict, int]]) -> set[tuple[int, str, int]]:
    """The (registration, due date, days) reminders already in the audit trail, for a chunk at once."""
    if not due:
        return set()
    from parcours.audit.models import AuditEvent

    rows = AuditEvent.objects.filter(action="admissions.payment.reminder", target_type=Registration._meta.label_lower,
                                     target_id__in=[str(pk) for pk in due]).values_list("target_id", "data")
    return {(int(target), data.get("due"), data.get("days")) for target, data in rows if isinstance(data, dict)}


def _consequence(reg, actor, decision: Decision, action: str, title: str, on: dt.date, events: list,
                 notices: list) -> None:
    route = appeals.route(appeals.AppealFacts(year=reg.academic_year.label, decision="defaut_paiement", notified_on=on))
    events.append(event(actor=actor, action=action, target=reg, summary=title))
    notices.append((reg.student.user, "admission_decision",
                    {"request": None, "title": title, "decision": decision, "appeal": route}, "/"))


@transaction.atomic
def withdraw(*, actor, registration_id: int, on: dt.date) -> Decision:
    """Art. 57-59: the date of the signed withdrawal document decides annulation (refund beyond the acompte)
    or abandon (everything due, the year counts)."""
    reg = lock_registration_for_review(
        actor, registration_id, "Vous n'êtes pas autorisé à enregistrer l'arrêt des études de cet étudiant."
    )
    if reg.status != Registration.Status.REGULAR:
        raise AdmissionError(gettext("Seule une inscription régulière peut être annulée ou abandonnée."))
    try:  # a withdrawal dated 1900 would be an annulation with refund (art. 57): refuse dates outside the year
        check_day(on, "La date du document d'arrêt")
    except DateRefused as exc:
        raise AdmissionError(str(exc)) from exc
    paid = sum((p.amount for p in reg.payments.all()), Decimal(0))
    decision = fees.withdrawal(
        fees.WithdrawalFacts(fees=fee_facts(reg), withdrawal_date=on, paid=max(paid, Decimal(0)))
    )
    kind = decision.outcome["kind"]
    reg.status = Registration.Status.CANCELLED if kind == "annulation" else Registration.Status.ABANDONED
    reg.save()
    target = RequestStatus.CANCELLED if kind == "annulation" else RequestStatus.ABANDONED
    set_status_each(AdmissionRequest.objects.filter(registration=reg), target, actor=actor,
                    action=f"admissions.request.{kind}", summary=f"Demande close : {kind} au {on:%d/%m/%Y}")
    refund = decision.outcome["refund"]
    if refund > 0:
        _record_refund(reg, actor, refund, on, f"REMB-{reg.pk}-{on:%Y%m%d}")
    record(
        actor=actor,
        action=f"admissions.registration.{kind}",
        target=reg,
        summary=f"{'Annulation' if kind == 'annulation' else 'Abandon'} au {on:%d/%m/%Y} ; remboursement {refund} €",
    )
    notify(
        user=reg.student.user,
        template="admission_decision",
        context={
            "request": None,
            "title": "Annulation de l'inscription" if kind == "annulation" else "Abandon des études",
            "decision": decision,
            "appeal": None,
        },
        url="/",
    )
    return decision


GRANT_ROLES = {"secretariat", "direction_departement", "assistant_social"}


def _refund_excess(reg: Registration, actor, on: dt.date, why: str) -> Decimal:
    """Refund what was paid beyond what is now due, as a negative payment."""
    due = due_total(reg)
    excess = paid_total(reg) - due
    if excess > 0:
        _record_refund(reg, actor, excess, on, f"REMB-{reg.pk}-{on:%Y%m%d}-{why}")
        return excess
    return Decimal(0)


def _record_refund(reg: Registration, actor, amount: Decimal, on: dt.date, reference: str) -> Payment:
    """A refund is a negative payment, so the balance and the receipts stay one list."""
    return Payment.objects.create(
        registration=reg,
        amount=-amount,
        paid_on=on,
        method=Payment.Method.REFUND,
        reference=reference,
        recorded_by=actor,
    )


@transaction.atomic
def set_grant_status(*, actor, student_id: int, status: str, notified_on: dt.date) -> Decimal:
    """Art. 53-55: the study-allowance service's answer. A boursier is refunded everything, acompte included;
    a refused grant makes every fee due within 30 calendar days of the refusal."""
    student = Student.objects.select_for_update().select_related("user").get(pk=student_id)
    if not permissions.can_act_for_student(actor, student, GRANT_ROLES):
        raise AdmissionError(gettext("Vous n'êtes pas autorisé à modifier le statut de bourse de cet étudiant."))
    if status not in Student.Grant.values:
        raise AdmissionError(gettext("Statut de bourse inconnu."))
    student.grant_status = status
    student.grant_refusal_notified_on = notified_on if status == Student.Grant.REFUSED else None
    student.save()
    refunded = Decimal(0)
    reg = selectors.current_registration(student)
    if reg is not None and reg.programme.fee_section:
        refunded = _refund_excess(reg, actor, notified_on, "bourse")
        state = fees.compute(fee_facts(reg))
        record(
            actor=actor,
            action="admissions.grant.changed",
            target=student,
            summary=f"Statut de bourse : {student.get_grant_status_display()} ; remboursement {refunded} €",
        )
        notify(
            user=student.user,
            template="admission_decision",
            context={
                "request": None,
                "title": f"Statut de bourse : {student.get_grant_status_display()}",
                "decision": state,
                "appeal": None,
            },
            url="/",
        )
    return refunded


@transaction.atomic
def recognise_condition_modeste(*, actor, student_id: int, on: dt.date) -> Decimal:
    """Art. 56: the social worker recognises the modest-income status; the difference is refunded."""
    student = Student.objects.select_for_update().select_related("user").get(pk=student_id)
    if not permissions.can_act_for_student(actor, student, {"assistant_social"}):
        raise AdmissionError(gettext("Seul le travailleur social du département reconnaît la condition modeste (art. 56)."))
    student.condition_modeste = True
    student.save()
    reg = selectors.current_registration(student)
    refunded = (
        _refund_excess(reg, actor, on, "modeste") if reg is not None and reg.programme.fee_section else Decimal(0)
    )
    record(
        actor=actor,
        action="admissions.modeste.recognised",
        target=student,
        summary=f"Condition modeste reconnue ; remboursement {refunded} €",
    )
    notify(
        user=student.user,
        template="admission_decision",
        context={"request": None, "title": "Condition modeste reconnue", "decision": None, "appeal": None},
        url="/",
    )
    return refunded
