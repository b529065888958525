"""Two-step sign-in (accounts.mfa) through the real forms: who is sent where, and the ways around
it that must not work."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import StaffScope
from tests.factories import make_user
from tests.support import authenticator_code, give_authenticator

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-kim-123"  # tests.factories.make_user's
VERIFY = "/dua-langkah/periksa/"
SETUP = "/dua-langkah/pasang/"
CODES = "/dua-langkah/kode-cadangan/"
LOCKED = "Terlalu banyak kode yang salah."


def sign_in(client, user, *, address="203.0.113.7"):
    """The password step, as a person does it on /masuk/."""
    response = client.post(
        "/masuk/",
        {"username": user.email, "password": PASSWORD},
        kelola=True,
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def type_code(client, code, *, next_url="", address="203.0.113.7"):
    return client.post(VERIFY, {"code": code, "next": next_url}, kelola=True, REMOTE_ADDR=address)


def get(client, path):
    return client.get(path, kelola=True)


def with_recovery_codes(user, *codes):
    device = StaticDevice.objects.create(user=user, name="recovery codes")
    for code in codes:
        device.token_set.create(token=code)
    return device


def setup_code(page: str) -> str:
    """The code an app would show for the secret the set-up page prints."""
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    return f"{TOTP(b32decode(secret)).token():06d}"


# --- Who is sent where ---------------------------------------------------------------------------


def test_staff_without_an_authenticator_set_one_up_before_anything_else(client, world):
    sign_in(client, world.surabaya_admin)
    for path in ("/", "/verifikasi/", "/moderasi/", "/statistik/", "/dua-langkah/", "/akun/"):
        response = get(client, path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}", path
    # A form posted meanwhile goes nowhere either.
    response = client.post("/staf/", {"email": "x@example.id", "level": "national"}, kelola=True)
    assert response.status_code == 302 and response["Location"] == SETUP
    assert get(client, VERIFY)["Location"] == f"{SETUP}?next=%2F"  # nothing to type yet

    page = get(client, f"{SETUP}?next=/moderasi/").content.decode()
    assert "wajib memakai verifikasi dua langkah" in page
    assert "<svg" in page and "otpauth://totp/" in page
    response = client.post(SETUP, {"code": "000000", "next": "/moderasi/"}, kelola=True)
    assert response.status_code == 200
    assert "Kode tidak cocok" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert get(client, "/").status_code == 302  # still not through

    response = client.post(SETUP, {"code": setup_code(page), "next": "/moderasi/"}, kelola=True)
    assert response.status_code == 302
    assert response["Location"] == f"{CODES}?next=%2Fmoderasi%2F"
    page = get(client, response["Location"]).content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", page)
    assert len(shown) == 10
    assert 'href="/moderasi/"' in page  # onwards to where they were going
    assert sorted(c.replace(" ", "") for c in shown) == sorted(
        StaticToken.objects.filter(device__user=world.surabaya_admin).values_list(
            "token", flat=True
        )
    )
    assert "<code>" not in get(client, CODES).content.decode()  # shown once
    assert get(client, "/moderasi/").status_code == 200
    assert TOTPDevice.objects.get(user=world.surabaya_admin).confirmed


def test_staff_with_an_authenticator_type_a_code_first(client, world):
    device = give_authenticator(world.jatim_admin)
    sign_in(client, world.jatim_admin)
    response = get(client, "/verifikasi/?urut=lama")
    assert response["Location"] == f"{VERIFY}?next=%2Fverifikasi%2F%3Furut%3Dlama"
    assert get(client, SETUP)["Location"].startswith(VERIFY)  # no new authenticator instead

    response = type_code(client, "123 456", next_url="/verifikasi/?urut=lama")
    page = response.content.decode()
    assert response.status_code == 200 and "Kode salah" in page
    assert 'value="123 456"' in page  # what was typed stays
    response = type_code(client, "12345", next_url="/verifikasi/")
    assert "terdiri dari 6 angka" in response.content.decode()

    response = type_code(client, authenticator_code(device), next_url="/verifikasi/?urut=lama")
    assert response.status_code == 302 and response["Location"] == "/verifikasi/?urut=lama"
    assert get(client, "/verifikasi/").status_code == 200


def test_someone_at_the_second_step_can_still_sign_out(client, world):
    give_authenticator(world.jatim_admin)
    sign_in(client, world.jatim_admin)
    response = client.post("/keluar/", kelola=True)
    assert response.status_code == 302 and response["Location"] == "/masuk/"
    assert "_auth_user_id" not in client.session


def test_operators_and_superusers_must_use_it_too(client, regions):
    operator = make_user("ops@example.id", is_staff=True, is_superuser=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": operator.email, "password": PASSWORD, "next": "/admin/"},
        kelola=True,
    )
    assert response.status_code == 302
    response = get(client, "/admin/")
    assert response["Location"] == f"{SETUP}?next=%2Fadmin%2F"


def test_a_kim_member_without_an_authenticator_is_not_asked(client, world):
    sign_in(client, world.a_editor)
    assert get(client, "/").status_code == 200
    assert get(client, "/kim/kim-ketabang/tulisan/").status_code == 200


def test_a_scope_granted_to_someone_signed_in_counts_at_their_next_request(client, world):
    sign_in(client, world.outsider)
    assert get(client, "/").status_code == 200
    StaffScope.objects.create(user=world.outsider, level="regency", regency=world.regions.surabaya)
    assert get(client, "/")["Location"] == f"{SETUP}?next=%2F"


def test_an_authenticator_set_up_in_another_session_counts_here_within_a_minute(
    client, world, monkeypatch
):
    sign_in(client, world.a_admin)
    assert get(client, "/").status_code == 200
    give_authenticator(world.a_admin)  # on another phone, in another session
    now = mfa._now()
    monkeypatch.setattr(mfa, "_now", lambda: now + mfa.WITHOUT_RECHECK_SECONDS)
    assert get(client, "/")["Location"] == f"{VERIFY}?next=%2F"


def test_the_sign_in_cookie_stays_on_kelola(client, world):
    """The second step is enforced on kelola only (accounts.middleware): a session that other
    hosts could read would need it there too."""
    from kimportal import settings as production_settings

    assert getattr(production_settings, "SESSION_COOKIE_DOMAIN", None) is None
    response = sign_in(client, world.a_editor)
    assert response.cookies["sessionid"]["domain"] == ""


# --- Nothing lasts longer than the session ------------------------------------------------------


def test_signing_out_ends_the_second_step_too(client, world):
    device = give_authenticator(world.national_admin)
    sign_in(client, world.national_admin)
    type_code(client, authenticator_code(device))
    assert get(client, "/staf/").status_code == 200
    client.post("/keluar/", kelola=True)
    sign_in(client, world.national_admin)
    assert get(client, "/staf/")["Location"] == f"{VERIFY}?next=%2Fstaf%2F"


def test_a_session_whose_authenticator_is_deleted_is_signed_out(client, world):
    """A staff member's phone is stolen and an operator deletes its authenticator: the session
    that passed with it (the thief's, say) is signed out at its next kelola request, whatever
    page it asks for; set-up in particular would let it enrol an authenticator of its own."""
    device = give_authenticator(world.national_admin)
    sign_in(client, world.national_admin)
    type_code(client, authenticator_code(device))
    assert get(client, "/staf/").status_code == 200
    device.delete()
    response = get(client, SETUP)
    assert response["Location"] == f"/masuk/?next={SETUP}"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"], kelola=True).content.decode()
    assert "sudah dihapus" in page
    # Signing in again from the start: with no authenticator left, set-up is the way on.
    sign_in(client, world.national_admin)
    assert get(client, "/staf/")["Location"] == f"{SETUP}?next=%2Fstaf%2F"


def test_a_session_that_passed_with_recovery_codes_is_signed_out_when_they_go(client, world):
    give_authenticator(world.national_admin)
    codes = with_recovery_codes(world.national_admin, "abcdefgh", "ijklmnop")
    sign_in(client, world.national_admin)
    assert type_code(client, "abcdefgh").status_code == 302
    assert get(client, "/staf/").status_code == 200
    codes.delete()
    assert get(client, "/staf/")["Location"] == "/masuk/?next=/staf/"
    assert "_auth_user_id" not in client.session


def test_an_expired_session_asks_for_both_steps_again(client, world):
    device = give_authenticator(world.national_admin)
    sign_in(client, world.national_admin)
    type_code(client, authenticator_code(device))
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert get(client, "/staf/")["Location"].startswith("/masuk/?next=")
    sign_in(client, world.national_admin)
    assert get(client, "/staf/")["Location"] == f"{VERIFY}?next=%2Fstaf%2F"


def test_an_authenticator_code_is_accepted_once(client, world):
    device = give_authenticator(world.bandung_admin)
    code = authenticator_code(device)
    sign_in(client, world.bandung_admin)
    assert type_code(client, code).status_code == 302
    client.post("/keluar/", kelola=True)
    sign_in(client, world.bandung_admin)
    response = type_code(client, code)
    assert response.status_code == 200 and "Kode salah atau sudah pernah dipakai" in (
        response.content.decode()
    )


def test_a_recovery_code_works_once(client, world):
    give_authenticator(world.malang_admin)
    with_recovery_codes(world.malang_admin, "abcdefgh", "ijklmnop")
    sign_in(client, world.malang_admin)
    # Typed as shown, in capitals, or with a dash: all the same code.
    assert type_code(client, "ABCD-EFGH").status_code == 302
    assert get(client, "/").status_code == 200
    client.post("/keluar/", kelola=True)

    sign_in(client, world.malang_admin)
    response = type_code(client, "abcd efgh")
    assert response.status_code == 200 and "Kode salah" in response.content.decode()
    assert type_code(client, "ijkl mnop").status_code == 302
    assert not StaticToken.objects.filter(device__user=world.malang_admin).exists()


def test_someone_elses_code_does_not_pass(client, world):
    give_authenticator(world.surabaya_admin)
    theirs = give_authenticator(world.malang_admin)
    with_recovery_codes(world.malang_admin, "abcdefgh")
    sign_in(client, world.surabaya_admin)
    for code in (authenticator_code(theirs), "abcdefgh"):
        response = type_code(client, code)
        assert response.status_code == 200, code
    assert get(client, "/").status_code == 302
    assert StaticToken.objects.filter(token="abcdefgh").exists()  # not used up either


def test_the_next_address_stays_on_kelola(client, world):
    device = give_authenticator(world.jabar_admin)
    sign_in(client, world.jabar_admin)
    response = type_code(client, authenticator_code(device), next_url="https://contoh.id/")
    assert response["Location"] == "/"


# --- Throttling, like the password ---------------------------------------------------------------


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    settings.LOGIN_COOLOFF_MINUTES = 15


def test_wrong_codes_lock_the_second_step_and_a_password_does_not_unlock_it(client, world, limits):
    device = give_authenticator(world.jatim_admin)
    sign_in(client, world.jatim_admin)
    assert type_code(client, "111111").status_code == 200
    assert type_code(client, "222222").status_code == 200
    response = type_code(client, "333333")
    assert response.status_code == 429
    assert LOCKED in response.content.decode() and "Coba lagi dalam 15 menit." in (
        response.content.decode()
    )
    response = type_code(client, authenticator_code(device))
    assert response.status_code == 429  # the right code too, while locked

    # Signing in again with the (right) password wipes password failures, not these.
    client.post("/keluar/", kelola=True)
    sign_in(client, world.jatim_admin, address="198.51.100.9")
    response = type_code(client, authenticator_code(device), address="198.51.100.9")
    assert response.status_code == 429
    assert get(client, "/").status_code == 302

    # After the cool-off the right code works, and the count starts again.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = type_code(client, authenticator_code(device), address="198.51.100.9")
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username__startswith="2fa:").exists()


def test_wrong_codes_count_against_the_address_with_wrong_passwords(client, world, limits):
    device = give_authenticator(world.jabar_admin)
    for _ in range(3):  # wrong passwords for someone else, from the same address
        client.post(
            "/masuk/",
            {"username": "a-admin@example.id", "password": "salah"},
            kelola=True,
            REMOTE_ADDR="203.0.113.7",
        )
    sign_in(client, world.jabar_admin)
    assert type_code(client, "111111").status_code == 200
    # 3 wrong passwords and 2 wrong codes from 203.0.113.7 reach its limit of 5.
    assert type_code(client, "222222").status_code == 429
    assert type_code(client, authenticator_code(device)).status_code == 429
    # The account's own limit (3) is not reached: from another address the code works.
    response = type_code(client, authenticator_code(device), address="192.0.2.1")
    assert response.status_code == 302


def test_a_wrong_code_keeps_the_code_out_of_the_failure_record(client, world, limits):
    give_authenticator(world.jatim_admin)
    sign_in(client, world.jatim_admin)
    type_code(client, "987654")
    attempt = AccessAttempt.objects.get(username="2fa:diskominfo-jatim@example.id")
    assert "987654" not in attempt.post_data
