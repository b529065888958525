"""Shared helpers of the audit log's tests."""

from contextlib import contextmanager

from audit.models import AuditEvent


@contextmanager
def one_new_event():
    """Yields a list that holds, after the block, the one event the block recorded (and fails
    when it recorded none or several)."""
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    found: list[AuditEvent] = []
    yield found
    new = list(AuditEvent.objects.exclude(pk__in=before).order_by("pk"))
    assert len(new) == 1, [(e.action, e.target_label) for e in new]
    found.append(new[0])


@contextmanager
def no_new_event():
    before = AuditEvent.objects.count()
    yield
    assert AuditEvent.objects.count() == before


def fields(event: AuditEvent) -> dict:
    """The event's columns that the tests compare (its time and id aside)."""
    return {
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "action": event.action,
        "target_kind": event.target_kind,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "province_code": event.province_code,
        "regency_code": event.regency_code,
        "detail": event.detail,
    }
