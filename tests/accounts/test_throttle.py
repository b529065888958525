"""Sign-in throttling: a limit per account and another per address, a cool-off, a clear page."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-kim-123"  # tests.factories.make_user's
LOCKED = "Terlalu banyak percobaan masuk yang gagal."


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    settings.LOGIN_COOLOFF_MINUTES = 15


def sign_in(client, email, password, *, address="203.0.113.7", path="/masuk/", **extra):
    return client.post(
        path, {"username": email, "password": password}, kelola=True, REMOTE_ADDR=address, **extra
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and "/masuk/" not in response["Location"]


def fail(client, email, times, **kwargs) -> None:
    for _ in range(times):
        response = sign_in(client, email, "salah-terus", **kwargs)
        assert response.status_code in (200, 429), response.status_code


def test_too_many_wrong_passwords_lock_the_account_from_every_address(client):
    make_user("siti@example.id")
    fail(client, "siti@example.id", 2)
    # Case and spaces do not make another account.
    response = sign_in(client, " SITI@Example.id", "salah-terus")
    assert response.status_code == 429
    response = sign_in(client, "siti@example.id", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED in body and "Coba lagi dalam 15 menit." in body
    assert "<form" in body and 'value="siti@example.id"' in body  # the page, with what was typed
    assert "_auth_user_id" not in client.session
    # Another address gets no further with this account.
    assert sign_in(client, "siti@example.id", PASSWORD, address="198.51.100.1").status_code == 429
    assert sign_in(client, "siti@example.id", PASSWORD, address="2001:db8::1").status_code == 429


def test_another_account_from_the_same_address_works_until_the_address_limit(client):
    make_user("siti@example.id")
    make_user("budi@example.id")
    make_user("ani@example.id")
    fail(client, "siti@example.id", 2)
    fail(client, "budi@example.id", 2)  # 4 failures from this address: limit 5
    assert signed_in(sign_in(client, "ani@example.id", PASSWORD))
    client.logout()
    fail(client, "tidak-ada@example.id", 1)  # the 5th: the address is locked for every email
    assert sign_in(client, "ani@example.id", PASSWORD).status_code == 429
    # ... but only that address.
    assert signed_in(sign_in(client, "ani@example.id", PASSWORD, address="198.51.100.1"))


def test_every_spelling_that_signs_in_counts_against_the_account(client):
    """PostgreSQL's case-insensitive match folds more than lower case: "sıtı" (dotless ı) signs
    in to "siti". Its failures must count against that account, not against what was typed."""
    from django.db import connection

    from tests.support import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("SQLite's case-insensitive match folds ASCII only")
    make_user("siti@example.id")
    assert signed_in(sign_in(client, "sıtı@example.id", PASSWORD))  # why it matters
    client.logout()
    spellings = ("sıti@example.id", "sitı@example.id", "sıtı@example.id")
    for n, spelling in enumerate(spellings):  # from three addresses: the account's limit acts
        fail(client, spelling, 1, address=f"198.51.100.{n + 1}")
    assert sign_in(client, "siti@example.id", PASSWORD, address="192.0.2.1").status_code == 429


def test_addresses_of_one_ipv6_64_share_the_address_limit(client):
    """One household or phone holds a whole /64 and may change address in it at will."""
    make_user("ani@example.id")
    for i in range(5):
        sign_in(client, f"orang{i}@example.id", "salah", address=f"2001:db8:1:2::{i + 1}")
    response = sign_in(client, "ani@example.id", PASSWORD, address="2001:db8:1:2::99")
    assert response.status_code == 429
    # Another /64 is another client.
    assert signed_in(sign_in(client, "ani@example.id", PASSWORD, address="2001:db8:1:3::1"))


def test_the_lock_ends_after_the_cool_off(client):
    make_user("siti@example.id")
    fail(client, "siti@example.id", 3)
    assert sign_in(client, "siti@example.id", PASSWORD).status_code == 429
    # Sixteen minutes later.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert signed_in(sign_in(client, "siti@example.id", PASSWORD))


def test_attempts_during_a_lock_do_not_extend_it(client):
    make_user("siti@example.id")
    fail(client, "siti@example.id", 3)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert sign_in(client, "siti@example.id", "salah-lagi").status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
    assert signed_in(sign_in(client, "siti@example.id", PASSWORD))


def test_success_clears_the_accounts_failures_but_not_the_addresss(client):
    make_user("siti@example.id")
    make_user("budi@example.id")
    fail(client, "budi@example.id", 2)
    fail(client, "siti@example.id", 2)
    assert signed_in(sign_in(client, "siti@example.id", PASSWORD))
    client.logout()
    assert not AccessAttempt.objects.filter(username="siti@example.id").exists()
    # Two more for Siti do not lock her (her count restarted) ...
    fail(client, "siti@example.id", 2, address="198.51.100.1")
    assert signed_in(sign_in(client, "siti@example.id", PASSWORD, address="198.51.100.1"))
    client.logout()
    # ... and Budi's failures still count against the first address: 2 + 3 = 5.
    fail(client, "tidak-ada@example.id", 3)
    assert sign_in(client, "siti@example.id", PASSWORD).status_code == 429


def test_a_lockout_is_logged_with_the_account_and_the_address(client, caplog):
    make_user("siti@example.id")
    with caplog.at_level(logging.WARNING, logger="accounts.throttle"):
        fail(client, "siti@example.id", 2)
        assert sign_in(client, "siti@example.id", "salah-terus").status_code == 429
    lines = [r.getMessage() for r in caplog.records if r.name == "accounts.throttle"]
    assert lines == ["Sign-in locked out: account=siti@example.id address=203.0.113.7 path=/masuk/"]


def test_the_address_behind_a_trusted_proxy_is_the_one_throttled(client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    make_user("ani@example.id")
    for i in range(5):
        # Spoofed left-hand entries change every time; our proxy's entry does not.
        forwarded = f"10.9.9.{i}, 198.51.100.77"
        sign_in(client, f"orang{i}@example.id", "salah", HTTP_X_FORWARDED_FOR=forwarded)
    response = sign_in(
        client, "ani@example.id", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.77"
    )
    assert response.status_code == 429
    response = sign_in(client, "ani@example.id", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.78")
    assert signed_in(response)


def test_the_admin_sign_in_is_throttled_too(client):
    make_user("ops@example.id", is_staff=True, is_superuser=True)
    for _ in range(3):
        response = sign_in(client, "ops@example.id", "salah", path="/admin/login/")
        assert response.status_code in (200, 429)
    response = sign_in(client, "ops@example.id", PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert client.get("/admin/", kelola=True).status_code == 302  # still signed out


def test_demo_and_shell_sign_ins_without_a_request_still_work(client):
    make_user("siti@example.id")
    assert client.login(email="siti@example.id", password=PASSWORD)
