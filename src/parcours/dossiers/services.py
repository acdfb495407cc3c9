"""Every write on dossiers: keyword-only, an actor, one transaction, audit, notification after commit."""

from django.conf import settings
from django.db import transaction

from parcours.accounts import permissions
from parcours.audit.services import record
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.signals import dossier_completed
from parcours.dossiers.uploads import store_upload
from parcours.dossiers.workflow import DossierStatus, SlotStatus, slot_transition_allowed
from parcours.notifications.services import notify
from parcours.web.clock import now as clock_now


class DossierError(Exception):
    """A refused action; the message is French and meant for the user."""


def _move(slot: DocumentSlot, target: str, actor, *, as_role: str) -> None:
    allowed = slot_transition_allowed(slot.status, target)
    if allowed is None:
        raise DossierError(f"Impossible de passer de « {slot.get_status_display()} » à "
                           f"« {SlotStatus(target).label} ».")
    if allowed != as_role:
        raise DossierError("Vous n'êtes pas autorisé à effectuer cette action.")
    slot.status = target


@transaction.atomic
def upload_document(*, actor, slot_id: int, uploaded) -> DocumentSlot:
    slot = DocumentSlot.objects.select_for_update().select_related("dossier__student__user").get(pk=slot_id)
    if not permissions.can_upload_to(actor, slot.dossier):
        raise DossierError("Vous n'êtes pas autorisé à déposer un document dans ce dossier.")
    if slot.dossier.status == DossierStatus.CLOSED:
        raise DossierError("Ce dossier est clos.")
    _move(slot, SlotStatus.RECEIVED, actor, as_role="owner")
    stored = store_upload(uploaded, actor=actor)
    slot.file = stored
    slot.refusal_reason = ""
    slot.save()
    record(actor=actor, action="dossiers.document.received", target=slot.dossier,
           summary=f"Document déposé : {slot.label} ({stored.original_name})", slot=slot.pk, file=str(stored.pk))
    return slot


@transaction.atomic
def review_document(*, actor, slot_id: int, accept: bool, reason: str = "") -> DocumentSlot:
    slot = DocumentSlot.objects.select_for_update().select_related("dossier__student__user").get(pk=slot_id)
    if not permissions.can_review_dossier(actor, slot.dossier):
        raise DossierError("Vous n'êtes pas autorisé à vérifier les documents de ce dossier.")
    reason = reason.strip()
    if not accept and not reason:
        raise DossierError("Indiquez le motif du refus : l'étudiant doit savoir pourquoi.")
    _move(slot, SlotStatus.ACCEPTED if accept else SlotStatus.REFUSED, actor, as_role="reviewer")
    slot.refusal_reason = "" if accept else reason
    slot.reviewed_by = actor
    slot.reviewed_at = clock_now()
    slot.save()
    dossier = slot.dossier
    verb = "accepté" if accept else "refusé"
    record(actor=actor, action=f"dossiers.document.{'accepted' if accept else 'refused'}", target=dossier,
           summary=f"Document {verb} : {slot.label}" + ("" if accept else f" — {reason}"), slot=slot.pk)
    # In the application at once; by e-mail in the day's digest, one per dossier (send_review_digests).
    notify(user=dossier.student.user, template="document_reviewed",
           context={"slot": slot, "dossier": dossier, "accepted": accept, "reason": reason},
           url=f"/dossiers/{dossier.pk}/", email=False)
    _complete_if_ready(dossier, actor)
    return slot


def _complete_if_ready(dossier: Dossier, actor) -> None:
    required = dossier.slots.filter(required=True)
    if dossier.status == DossierStatus.OPEN and not required.exclude(status=SlotStatus.ACCEPTED).exists():
        dossier.status = DossierStatus.COMPLETE
        dossier.save(update_fields=["status", "updated_at"])
        record(actor=actor, action="dossiers.dossier.complete", target=dossier,
               summary="Toutes les pièces obligatoires sont acceptées : dossier complet.")
        notify(user=dossier.student.user, template="dossier_complete", context={"dossier": dossier},
               url=f"/dossiers/{dossier.pk}/")
        dossier_completed.send(sender=Dossier, dossier=dossier, actor=actor)


def send_review_digests(*, on) -> int:
    """One e-mail per dossier for the documents reviewed on ``on`` (instead of one per document); once."""
    import datetime as dt

    from django.utils import timezone

    from parcours.audit.models import AuditEvent
    from parcours.audit.services import events_for
    from parcours.notifications.services import send_email

    start = timezone.make_aware(dt.datetime.combine(on, dt.time.min))
    events = AuditEvent.objects.filter(action__in=["dossiers.document.accepted", "dossiers.document.refused"],
                                       target_type="dossiers.dossier", created_at__gte=start,
                                       created_at__lt=start + dt.timedelta(days=1)).order_by("created_at")
    by_dossier: dict[str, list] = {}
    for event in events:
        by_dossier.setdefault(event.target_id, []).append(event)
    sent = 0
    for dossier_id, reviewed in by_dossier.items():
        dossier = Dossier.objects.select_related("student__user").filter(pk=int(dossier_id)).first()
        if dossier is None or events_for(dossier).filter(action="dossiers.document.digest",
                                                         data__day=on.isoformat()).exists():
            continue
        slots = DocumentSlot.objects.filter(pk__in=[e.data.get("slot") for e in reviewed]).order_by("pk")
        user = dossier.student.user
        with transaction.atomic():
            record(actor=None, action="dossiers.document.digest", target=dossier,
                   summary=f"Récapitulatif des {len(slots)} document(s) vérifié(s) le {on:%d/%m/%Y}", day=on.isoformat())
            send_email(to=user.email, template="documents_reviewed_digest", language=user.language,
                       context={"user": user, "dossier": dossier, "slots": slots, "day": on,
                                "url": f"/dossiers/{dossier.pk}/", "site_url": settings.PARCOURS_SITE_URL})
        sent += 1
    return sent
