"""Password reset by email: the email (three templates, through the outbox), the same answer for
any address, the throttle per address and per network, and every session ended by a reset."""

import re

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import AccountSession
from kimportal.models import OutboxTask
from tests.factories import make_user
from tests.support import HostClient

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://kelola\.localhost:8000/lupa-kata-sandi/[\w-]+/[\w-]+/")


@pytest.fixture
def siti(db):
    return make_user("siti@example.id", full_name="Siti Aminah")


def ask(client, email: str, *, address: str = "203.0.113.7"):
    return client.post("/lupa-kata-sandi/", {"email": email}, kelola=True, REMOTE_ADDR=address)


def test_the_sign_in_page_offers_a_reset(client):
    assert 'href="/lupa-kata-sandi/"' in client.get("/masuk/", kelola=True).content.decode()


def test_a_reset_email_goes_through_the_outbox_with_a_kelola_link(
    client, siti, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "Siti@Example.id")
    assert response.status_code == 302
    assert response["Location"] == "/lupa-kata-sandi/terkirim/"
    # Written as an outbox row in the request, sent after commit, then emptied of the address.
    row = OutboxTask.objects.get(task="kimportal.tasks.send_email")
    assert row.sent_at is not None and row.kwargs == {} and row.args == []
    [message] = mail.outbox
    assert message.to == ["siti@example.id"]
    assert message.subject == "Atur ulang kata sandi akun kim.id Anda"
    assert "Halo Siti Aminah," in message.body
    html = message.alternatives[0][0]
    link = LINK.search(message.body).group(0)
    assert link in html and "1 jam" in message.body


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    client, siti, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, "siti@example.id")
        unknown = ask(client, "tidak.ada@example.id")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["siti@example.id"]]
    page = client.get("/lupa-kata-sandi/terkirim/", kelola=True).content.decode()
    assert "Bila alamat yang Anda tulis terdaftar" in page


def test_following_the_link_sets_a_new_password_and_ends_every_session(
    client, siti, django_capture_on_commit_callbacks
):
    phone = HostClient()
    phone.force_login(siti)
    laptop = HostClient()
    laptop.force_login(siti)
    assert AccountSession.objects.filter(user=siti).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "siti@example.id")
    link = LINK.search(mail.outbox[0].body).group(0).replace("http://kelola.localhost:8000", "")
    form = client.get(link, kelola=True)
    assert form.status_code == 302  # Django hides the token from the page's address
    page = client.get(form["Location"], kelola=True).content.decode()
    assert "Buat kata sandi baru" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            form["Location"],
            {"new_password1": "kabar-baru-2026", "new_password2": "kabar-baru-2026"},
            kelola=True,
        )
    assert done["Location"] == "/lupa-kata-sandi/selesai/"
    siti.refresh_from_db()
    assert siti.check_password("kabar-baru-2026")
    assert not AccountSession.objects.filter(user=siti).exists()
    for browser in (phone, laptop):
        assert browser.get("/akun/", kelola=True).status_code == 302
    # The link works once.
    assert "Tautan tidak berlaku" in client.get(link, kelola=True).content.decode()


def test_a_forged_link_says_so(client):
    page = client.get("/lupa-kata-sandi/MQ/palsu-token/", kelola=True).content.decode()
    assert "Tautan tidak berlaku" in page


def test_requests_for_one_address_are_throttled_whoever_asks(client, siti, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    for n in range(2):
        assert ask(client, "siti@example.id", address=f"198.51.{n}.9").status_code == 302
    # Any spelling that finds the account counts as it: PostgreSQL folds dotless ı to I.
    refused = ask(client, "SıTI@example.id", address="192.0.2.50")
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan atur ulang kata sandi" in page
    assert 'value="SıTI@example.id"' in page  # what was typed stays
    # An address without an account is counted the same way: the refusal tells nothing.
    for _ in range(2):
        ask(client, "tidak.ada@example.id", address="198.51.100.1")
    assert ask(client, "tidak.ada@example.id", address="192.0.2.51").status_code == 429
    # Another address is not affected.
    assert ask(client, "budi@example.id", address="192.0.2.52").status_code == 302


def test_requests_from_one_network_are_throttled_whatever_the_address(client, settings):
    settings.PASSWORD_RESETS_PER_HOUR_NETWORK = 3
    for n in range(3):
        assert ask(client, f"orang{n}@example.id", address=f"203.0.113.{n + 1}").status_code == 302
    # Same /24: refused; another network: allowed.
    assert ask(client, "orang9@example.id", address="203.0.113.200").status_code == 429
    assert ask(client, "orang9@example.id", address="198.51.100.7").status_code == 302


def cache_keys() -> list[str]:
    from django.core.cache import cache

    if settings.REDIS_URL:
        from django_redis import get_redis_connection

        return [k.decode() for k in get_redis_connection("default").scan_iter("*")]
    return [str(k) for k in cache._cache]


def test_the_throttle_keeps_no_address_or_email_in_the_cache(client, siti):
    ask(client, "siti@example.id", address="203.0.113.7")
    keys = [k for k in cache_keys() if "pwreset" in k]
    assert len(keys) == 2
    for key in keys:
        assert "siti" not in key and "203.0.113" not in key


def test_the_throttle_lets_requests_through_when_the_cache_is_down(client, siti, monkeypatch):
    from kimportal.lib import keyed

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(keyed.cache, "add", broken)
    assert ask(client, "siti@example.id").status_code == 302
