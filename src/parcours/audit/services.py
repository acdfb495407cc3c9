"""The one audit writer."""

from parcours.audit.models import AuditEvent


def target_key(obj) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def event(*, actor, action: str, target, summary: str, **data) -> AuditEvent:
    """The event ``record`` writes, not saved yet: a bulk job gathers a chunk's events for ``record_all``."""
    target_type, target_id = target_key(target)
    return AuditEvent(actor=actor if getattr(actor, "pk", None) else None, action=action, target_type=target_type,
                      target_id=target_id, summary=summary[:300], data=data)


def record(*, actor, action: str, target, summary: str, **data) -> AuditEvent:
    written = event(actor=actor, action=action, target=target, summary=summary, **data)
    written.save()
    return written


def record_all(events: list[AuditEvent]) -> list[AuditEvent]:
    """Events gathered with ``event``, written in one insert (a bulk job's chunk)."""
    return AuditEvent.objects.bulk_create(events) if events else []


def set_status_each(queryset, status, *, actor, action: str, summary: str, field: str = "status") -> int:
    """A status change on several rows, made row by row (locked) so each writes its history row (when the model
    keeps one) and its audit event — never a bare queryset.update(), which writes neither."""
    changed = 0
    for obj in queryset.select_for_update().exclude(**{field: status}):
        setattr(obj, field, status)
        obj.save(update_fields=[field])
        record(actor=actor, action=action, target=obj, summary=summary, status=str(status))
        changed += 1
    return changed


def set_status_all(queryset, status, *, actor, action: str, summary: str, field: str = "status",
                   reason: str = "") -> int:
    """``set_status_each`` for a bulk job's chunk: the same rows locked (only them, ``of=("self",)``), the same row
    history and audit events, written in a constant number of queries (no ``save()``)."""
    from simple_history.utils import bulk_update_with_history

    model = queryset.model
    objs = list(queryset.select_for_update(of=("self",)).exclude(**{field: status}))
    for obj in objs:
        setattr(obj, field, status)
    if not objs:
        return 0
    if hasattr(model, "history"):
        bulk_update_with_history(objs, model, [field], default_user=actor if getattr(actor, "pk", None) else None,
                                 default_change_reason=reason or summary[:100])
    else:
        model.objects.bulk_update(objs, [field])
    record_all([event(actor=actor, action=action, target=obj, summary=summary, status=str(status)) for obj in objs])
    return len(objs)


def events_for(*targets):
    from django.db.models import Q

    query = Q(pk__in=[])
    for t in targets:
        target_type, target_id = target_key(t)
        query |= Q(target_type=target_type, target_id=target_id)
    return AuditEvent.objects.filter(query).select_related("actor")
