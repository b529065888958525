"""Sign-ins and failed sign-ins of staff accounts are audit events; nobody else's are, and
nothing typed (the email, the password) or the client's address is ever stored."""

import pytest

from audit.models import AuditEvent
from tests.accounts.test_mfa_flow import sign_in as password_step
from tests.accounts.test_mfa_flow import type_code
from tests.audit.helpers import fields, no_new_event, one_new_event
from tests.factories import make_user
from tests.support import give_authenticator

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-kim-123"  # tests.factories.make_user's


def sign_in(client, email: str, password: str = PASSWORD, path: str = "/masuk/"):
    return client.post(
        path, {"username": email, "password": password}, kelola=True, REMOTE_ADDR="203.0.113.7"
    )


def test_a_staff_sign_in(client, world):
    with one_new_event() as event:
        response = sign_in(client, "Diskominfo-Jatim@Example.id")
    assert response.status_code == 302
    assert fields(event[0]) == {
        "actor_id": world.jatim_admin.pk, "actor_role": "admin provinsi Jawa Timur",
        "action": "auth.signed_in", "target_kind": "account", "target_id": world.jatim_admin.pk,
        "target_label": "", "province_code": "", "regency_code": "", "detail": {},
    }  # fmt: skip


def test_a_sign_in_through_the_operators_admin_is_recorded_too(client, world):
    operator = make_user("ops@example.id", is_staff=True, is_superuser=True)
    with one_new_event() as event:
        response = sign_in(client, "ops@example.id", path="/admin/login/")
    assert response.status_code == 302
    assert (event[0].action, event[0].actor_id, event[0].actor_role) == (
        "auth.signed_in",
        operator.pk,
        "operator",
    )


def test_a_failed_sign_in_to_a_staff_account(client, world):
    with one_new_event() as event:
        response = sign_in(client, " diskominfo-surabaya@example.id", "tebakan-salah-99")
    assert response.status_code == 200
    assert fields(event[0]) == {
        "actor_id": world.surabaya_admin.pk, "actor_role": "admin Kota Surabaya",
        "action": "auth.sign_in_failed", "target_kind": "account",
        "target_id": world.surabaya_admin.pk, "target_label": "", "province_code": "",
        "regency_code": "", "detail": {},
    }  # fmt: skip
    stored = str(fields(event[0]))
    assert "tebakan" not in stored and "@" not in stored and "203.0.113" not in stored


@pytest.mark.parametrize(
    "email",
    ["a-admin@example.id", "warga@example.id", "tidak-ada@example.id", "", "kemkomdigi"],
)
def test_failures_on_other_accounts_are_not_recorded(client, world, email):
    with no_new_event():
        assert sign_in(client, email, "salah").status_code == 200


def test_sign_ins_of_kim_people_and_citizens_are_not_recorded(client, world):
    with no_new_event():
        assert sign_in(client, "a-admin@example.id").status_code == 302
        client.post("/keluar/", kelola=True)
        assert sign_in(client, "warga@example.id").status_code == 302


def test_a_lockout_keeps_recording_failures_without_what_was_typed(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for attempt in range(4):
        sign_in(client, "kemkomdigi@example.id", f"salah-{attempt}")
    events = AuditEvent.objects.filter(action="auth.sign_in_failed")
    assert events.count() == 4
    assert set(events.values_list("actor_id", flat=True)) == {world.national_admin.pk}


def test_a_wrong_second_step_code_of_a_staff_account_is_a_failed_sign_in(client, world):
    give_authenticator(world.jatim_admin)
    password_step(client, world.jatim_admin)
    with one_new_event() as event:
        type_code(client, "987654")
    assert (event[0].action, event[0].actor_id, event[0].detail) == (
        "auth.sign_in_failed",
        world.jatim_admin.pk,
        {"step": "kode"},
    )
    assert "987654" not in str(fields(event[0]))


def test_a_wrong_second_step_code_of_a_kim_member_is_not_recorded(client, world):
    give_authenticator(world.a_editor)
    password_step(client, world.a_editor)
    with no_new_event():
        type_code(client, "987654")


def test_a_staff_session_signed_out_because_its_authenticator_is_gone(client, world):
    """An operator deleted the authenticator a staff session passed with (accounts.middleware):
    the sign-out is an event; a KIM account's is not."""
    from tests.support import authenticator_code

    device = give_authenticator(world.national_admin)
    password_step(client, world.national_admin)
    type_code(client, authenticator_code(device))
    device.delete()
    with one_new_event() as event:
        response = client.get("/staf/", kelola=True)
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    assert fields(event[0]) == {
        "actor_id": world.national_admin.pk, "actor_role": "admin nasional",
        "action": "auth.device_gone", "target_kind": "account",
        "target_id": world.national_admin.pk, "target_label": "", "province_code": "",
        "regency_code": "", "detail": {},
    }  # fmt: skip

    client.logout()
    device = give_authenticator(world.a_admin)
    password_step(client, world.a_admin)
    type_code(client, authenticator_code(device))
    device.delete()
    with no_new_event():
        response = client.get("/", kelola=True)
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
