"""accounts.mfa's writes check who may make them themselves, whatever view calls them; and a
KIM admin turns two-step sign-in on and off through the screens."""

import re

import django_otp
import pytest
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from tests.accounts.test_mfa_flow import setup_code, sign_in
from tests.factories import make_user
from tests.support import authenticator_code, give_authenticator

pytestmark = pytest.mark.django_db


def request_for(user, *, verified: bool):
    request = RequestFactory().post("/")
    request.user = user
    request.session = SessionStore()
    if verified:  # passed with the person's authenticator (without one: a device since gone)
        device = TOTPDevice.objects.filter(user=user).first()
        pid = device.persistent_id if device else "otp_totp.totpdevice/0"
        request.session[DEVICE_ID_SESSION_KEY] = pid
    return request


def devices(user) -> tuple[int, int]:
    return (
        TOTPDevice.objects.filter(user=user).count(),
        StaticToken.objects.filter(device__user=user).count(),
    )


def test_confirming_a_set_up_needs_the_second_step_when_there_is_an_authenticator(world):
    existing = give_authenticator(world.a_admin)
    request = request_for(world.a_admin, verified=False)
    secret = mfa.setup_secret(request)
    code = authenticator_code(TOTPDevice(user=world.a_admin, key=secret))
    with pytest.raises(PermissionDenied):
        mfa.authenticator_confirm(request=request, code=code)
    assert list(TOTPDevice.objects.filter(user=world.a_admin)) == [existing]
    assert not mfa.is_verified(request)

    request.session[DEVICE_ID_SESSION_KEY] = existing.persistent_id  # past the second step
    assert mfa.authenticator_confirm(request=request, code=code)  # first codes: ten new ones
    assert TOTPDevice.objects.get(user=world.a_admin).key == secret  # replaced


def test_the_code_that_confirmed_a_set_up_cannot_sign_in(world):
    request = request_for(world.outsider, verified=False)
    secret = mfa.setup_secret(request)
    code = authenticator_code(TOTPDevice(user=world.outsider, key=secret))
    mfa.authenticator_confirm(request=request, code=code)
    device = TOTPDevice.objects.get(user=world.outsider)
    assert not django_otp.verify_token(world.outsider, device.persistent_id, code)


def test_a_set_up_never_started_in_this_session_confirms_nothing(world):
    request = request_for(world.outsider, verified=False)
    with pytest.raises(ValidationError):
        mfa.authenticator_confirm(request=request, code="123456")
    assert devices(world.outsider) == (0, 0)


def test_a_replaced_authenticator_keeps_the_recovery_codes(world):
    give_authenticator(world.a_admin)
    StaticDevice.objects.create(user=world.a_admin).token_set.create(token="abcdefgh")
    request = request_for(world.a_admin, verified=True)
    secret = mfa.setup_secret(request)
    code = authenticator_code(TOTPDevice(user=world.a_admin, key=secret))
    assert mfa.authenticator_confirm(request=request, code=code) == []
    assert devices(world.a_admin) == (1, 1)


def test_recovery_codes_are_renewed_only_in_a_session_past_the_second_step(world):
    give_authenticator(world.a_admin)
    with pytest.raises(PermissionDenied):
        mfa.recovery_codes_renew(request=request_for(world.a_admin, verified=False))
    with pytest.raises(PermissionDenied):  # nobody to renew them for without an authenticator
        mfa.recovery_codes_renew(request=request_for(world.outsider, verified=True))
    assert devices(world.a_admin) == (1, 0)
    codes = mfa.recovery_codes_renew(request=request_for(world.a_admin, verified=True))
    assert len(set(codes)) == mfa.RECOVERY_CODE_COUNT
    assert devices(world.a_admin) == (1, 10)


@pytest.mark.parametrize("who", ["surabaya_admin", "jatim_admin", "national_admin", "operator"])
def test_staff_operators_and_superusers_cannot_turn_it_off(world, who):
    user = make_user("ops@example.id", is_staff=True) if who == "operator" else getattr(world, who)
    give_authenticator(user)
    with pytest.raises(PermissionDenied):
        mfa.second_step_disable(request=request_for(user, verified=True))
    assert devices(user) == (1, 0)
    assert mfa.is_required(make_user("root@example.id", is_superuser=True))


def test_turning_it_off_needs_the_second_step(world):
    give_authenticator(world.a_admin)
    with pytest.raises(PermissionDenied):
        mfa.second_step_disable(request=request_for(world.a_admin, verified=False))
    assert devices(world.a_admin) == (1, 0)
    mfa.second_step_disable(request=request_for(world.a_admin, verified=True))
    assert devices(world.a_admin) == (0, 0)


def test_a_kim_admin_turns_it_on_and_off(client, world):
    sign_in(client, world.a_admin)
    page = client.get("/dua-langkah/", kelola=True).content.decode()
    assert "Belum aktif" in page
    page = client.get("/dua-langkah/pasang/", kelola=True).content.decode()
    assert "wajib" not in page
    response = client.post("/dua-langkah/pasang/", {"code": setup_code(page)}, kelola=True)
    assert response["Location"] == "/dua-langkah/kode-cadangan/?next=%2F"
    page = client.get(response["Location"], kelola=True).content.decode()
    assert len(re.findall(r"<li><code>", page)) == 10
    page = client.get("/dua-langkah/", kelola=True).content.decode()
    assert "Aktif" in page and "10 kode cadangan belum dipakai." in page

    # From now on the second step is asked at every sign-in.
    client.post("/keluar/", kelola=True)
    sign_in(client, world.a_admin)
    assert client.get("/", kelola=True)["Location"] == "/dua-langkah/periksa/?next=%2F"
    device = TOTPDevice.objects.get(user=world.a_admin)
    client.post("/dua-langkah/periksa/", {"code": authenticator_code(device)}, kelola=True)

    response = client.post("/dua-langkah/matikan/", kelola=True)
    assert response["Location"] == "/dua-langkah/"
    assert devices(world.a_admin) == (0, 0)
    client.post("/keluar/", kelola=True)
    sign_in(client, world.a_admin)
    assert client.get("/", kelola=True).status_code == 200


def test_a_session_that_never_passed_the_step_cannot_change_the_authenticator(
    client, world, monkeypatch
):
    """A session signed in before its person turned two-step sign-in on elsewhere."""
    sign_in(client, world.a_admin)
    assert client.get("/", kelola=True).status_code == 200
    give_authenticator(world.a_admin)
    StaticDevice.objects.create(user=world.a_admin).token_set.create(token="abcdefgh")
    for path in ("/dua-langkah/pasang/", "/dua-langkah/kode-cadangan/"):
        assert client.get(path, kelola=True)["Location"].startswith("/dua-langkah/periksa/")
    for path in ("/dua-langkah/kode-cadangan/", "/dua-langkah/matikan/"):
        response = client.post(path, kelola=True)
        assert response["Location"].startswith("/dua-langkah/periksa/"), path
    assert devices(world.a_admin) == (1, 1)
    assert StaticToken.objects.filter(token="abcdefgh").exists()


def test_a_session_is_verified_only_while_its_device_exists(world):
    """The stolen-phone case: an operator deletes a staff member's authenticator; a session
    that passed the second step with it must pass it again."""
    device = give_authenticator(world.surabaya_admin)
    request = request_for(world.surabaya_admin, verified=True)
    assert mfa.is_verified(request) and not mfa.lost_second_step(request)
    device.delete()
    request = next_request(request)
    assert not mfa.is_verified(request)
    assert mfa.lost_second_step(request)  # accounts.middleware signs it out
    # Someone else's device never verifies this person's session.
    other = give_authenticator(world.jatim_admin)
    request.session[DEVICE_ID_SESSION_KEY] = other.persistent_id
    assert not mfa.is_verified(request)
    # A session that never passed the step has lost nothing.
    assert not mfa.lost_second_step(request_for(world.surabaya_admin, verified=False))


def test_an_unconfirmed_device_verifies_no_session(world):
    """An authenticator whose set-up was begun but never confirmed proves nothing: a session
    naming it has not passed the second step."""
    pending = TOTPDevice.objects.create(user=world.surabaya_admin, name="baru", confirmed=False)
    request = request_for(world.surabaya_admin, verified=False)
    request.session[DEVICE_ID_SESSION_KEY] = pending.persistent_id
    assert not mfa.is_verified(request)
    pending.confirmed = True
    pending.save(update_fields=["confirmed"])
    assert mfa.is_verified(next_request(request))


def next_request(request):
    """The same session's next request (the device check is remembered per request)."""
    following = RequestFactory().get("/")
    following.user, following.session = request.user, request.session
    return following


def test_renewed_recovery_codes_keep_the_session_that_renewed_them(world):
    give_authenticator(world.a_admin)
    old_codes = StaticDevice.objects.create(user=world.a_admin, name="recovery codes")
    renewing = request_for(world.a_admin, verified=False)
    renewing.session[DEVICE_ID_SESSION_KEY] = old_codes.persistent_id  # passed with a code
    elsewhere = request_for(world.a_admin, verified=False)
    elsewhere.session[DEVICE_ID_SESSION_KEY] = old_codes.persistent_id
    mfa.recovery_codes_renew(request=renewing)
    assert mfa.is_verified(next_request(renewing))
    assert mfa.lost_second_step(next_request(elsewhere))  # the old codes are gone: signed out
