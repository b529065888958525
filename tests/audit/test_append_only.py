"""The audit log is append-only: the model refuses in Python, and on PostgreSQL a trigger
refuses UPDATE, DELETE and TRUNCATE from any client. Only `manage.py flush` (and so the test
suite's reset between transactional tests) may empty the table."""

import pytest
from django.core.management import call_command, get_commands
from django.db import DatabaseError, IntegrityError, connection, transaction

from audit.management.commands.flush import ERASE_SETTING
from audit.models import Action, AppendOnlyError, AuditEvent
from tests.support import require_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> AuditEvent:
    return AuditEvent.objects.create(
        actor_id=7, actor_role="admin nasional", action=Action.KIM_VERIFIED, target_kind="kim",
        target_id=1, target_label="KIM Ketabang Maju", province_code="35", regency_code="35.78",
    )  # fmt: skip


def unchanged(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.target_label, stored.actor_id) == ("KIM Ketabang Maju", 7)


# --- In Python -----------------------------------------------------------------------------------


def test_a_saved_event_cannot_be_saved_again(event):
    event.target_label = "Diubah"
    with pytest.raises(AppendOnlyError):
        event.save()
    unchanged(event)


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    unchanged(event)


@pytest.mark.parametrize(
    "change",
    [
        lambda qs, e: qs.update(target_label="Diubah"),
        lambda qs, e: qs.delete(),
        lambda qs, e: qs.bulk_update([e], ["target_label"]),
        lambda qs, e: qs.update_or_create(pk=e.pk, defaults={"target_label": "Diubah"}),
    ],
    ids=["update", "delete", "bulk_update", "update_or_create"],
)
def test_querysets_refuse_changes(event, change):
    event.target_label = "Diubah"
    for queryset in (AuditEvent.objects, AuditEvent.objects.filter(pk=event.pk)):
        with pytest.raises(AppendOnlyError):
            change(queryset, event)
    unchanged(event)


def test_a_new_event_is_always_an_insert(event):
    """A copy given the pk of an existing event fails as a duplicate instead of overwriting it
    (on any database: it never even tries an UPDATE)."""
    copy = AuditEvent(pk=event.pk, action=Action.KIM_REJECTED, target_kind="kim")
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    unchanged(event)


# --- On PostgreSQL, from any client --------------------------------------------------------------


def raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET target_label = 'Diubah'",
        "UPDATE audit_auditevent SET actor_id = NULL WHERE actor_id = 7",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "TRUNCATE audit_auditevent, accounts_user CASCADE",
    ],
)
def test_the_database_refuses_every_change(event, sql):
    require_services(postgresql=True)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    unchanged(event)


def test_the_database_still_takes_new_events(event):
    require_services(postgresql=True)
    raw(
        "INSERT INTO audit_auditevent (occurred_at, actor_role, action, target_kind, "
        "target_label, province_code, regency_code, detail) "
        "VALUES (now(), '', 'auth.signed_in', 'account', '', '', '', '{}')"
    )
    assert AuditEvent.objects.count() == 2


def test_only_an_erasing_session_may_truncate(event):
    """The trigger lets TRUNCATE (and nothing else) through when kim.audit_erase is on."""
    require_services(postgresql=True)
    with transaction.atomic():
        raw(f"SET LOCAL {ERASE_SETTING} = 'on'")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw("DELETE FROM audit_auditevent")
        raw("TRUNCATE audit_auditevent")
        assert not AuditEvent.objects.exists()
        transaction.set_rollback(True)
    unchanged(event)


def test_flush_is_the_audit_apps_and_may_erase_the_log(event):
    assert get_commands()["flush"] == "audit"
    call_command(
        "flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True
    )
    assert not AuditEvent.objects.exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the session is not left able to erase
            cursor.execute("SELECT current_setting(%s, true)", [ERASE_SETTING])
            assert cursor.fetchone()[0] in ("", None)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw("TRUNCATE audit_auditevent")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_with_events_is_reset_after_it():
    """The suite empties the database after each transactional test with `flush`; an event
    left behind must not make that teardown fail (it would, with Django's own flush)."""
    AuditEvent.objects.create(action=Action.SIGNED_IN, target_kind="account")
    assert AuditEvent.objects.count() == 1
