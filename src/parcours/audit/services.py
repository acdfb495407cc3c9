"""The one audit writer."""

from parcours.audit.models import AuditEvent


def target_key(obj) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def record(*, actor, action: str, target, summary: str, **data) -> AuditEvent:
    target_type, target_id = target_key(target)
    return AuditEvent.objects.create(actor=actor if getattr(actor, "pk", None) else None, action=action,
                                     target_type=target_type, target_id=target_id, summary=summary[:300], data=data)


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


def events_for(*targets):
    from django.db.models import Q

    query = Q(pk__in=[])
    for t in targets:
        target_type, target_id = target_key(t)
        query |= Q(target_type=target_type, target_id=target_id)
    return AuditEvent.objects.filter(query).select_related("actor")
