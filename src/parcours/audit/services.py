"""The one audit writer."""

from parcours.audit.models import AuditEvent


def target_key(obj) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def record(*, actor, action: str, target, summary: str, **data) -> AuditEvent:
    target_type, target_id = target_key(target)
    return AuditEvent.objects.create(actor=actor if getattr(actor, "pk", None) else None, action=action,
                                     target_type=target_type, target_id=target_id, summary=summary[:300], data=data)


def events_for(*targets):
    from django.db.models import Q

    query = Q(pk__in=[])
    for t in targets:
        target_type, target_id = target_key(t)
        query |= Q(target_type=target_type, target_id=target_id)
    return AuditEvent.objects.filter(query).select_related("actor")
