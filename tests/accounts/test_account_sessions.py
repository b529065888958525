"""A person's sessions: recorded at sign-in, listed on /akun/, ended for real (database and
cache), ended on a password change except the current one, and only ever the person's own."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import session_records
from accounts.models import AccountSession
from accounts.session_records import SEEN, device_label
from tests.factories import make_user
from tests.support import HostClient

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-kim-123"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def sign_in(email: str, agent: str = ANDROID_CHROME, password: str = PASSWORD) -> HostClient:
    """A new browser that signs in through the form, as a person does."""
    browser = HostClient(HTTP_USER_AGENT=agent)
    response = browser.post("/masuk/", {"username": email, "password": password}, kelola=True)
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def new_password(password: str) -> dict:
    return {"new_password1": password, "new_password2": password}


def signed_in(browser: HostClient) -> bool:
    return browser.get("/akun/", kelola=True).status_code == 200


def session_alive_anywhere(key: str) -> bool:
    """The session is in the database or still in the cache (cached_db keeps both)."""
    cached = caches["default"].get(SessionStore(session_key=key).cache_key)
    return Session.objects.filter(session_key=key).exists() or cached is not None


@pytest.fixture
def siti(db):
    return make_user("siti@example.id", full_name="Siti Aminah")


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (ANDROID_CHROME, "Chrome di Android"),
        (IPHONE_SAFARI, "Safari di iPhone"),
        (WINDOWS_FIREFOX, "Firefox di Windows"),
        ("Mozilla/5.0 (Linux; Android 13) SamsungBrowser/23.0 Chrome/115.0 Mobile Safari/537.36",
         "Samsung Internet di Android"),
        ("Mozilla/5.0 (Windows NT 10.0) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge di Windows"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) CriOS/131.0 Mobile Safari/604.1",
         "Chrome di iPhone"),
        ("", "Perangkat tak dikenal"),
        ("curl/8.5.0", "Program"),
    ],
)  # fmt: skip
def test_device_labels_are_short_and_readable(agent, label):
    assert device_label(agent) == label


def test_each_sign_in_is_listed_with_its_device_and_no_address(siti):
    phone = sign_in("siti@example.id", ANDROID_CHROME)
    sign_in("siti@example.id", WINDOWS_FIREFOX)
    rows = AccountSession.objects.filter(user=siti)
    assert sorted(rows.values_list("device", flat=True)) == [
        "Chrome di Android",
        "Firefox di Windows",
    ]
    # No column could hold an address.
    assert {f.name for f in AccountSession._meta.get_fields()} == {
        "id", "user", "session_key", "device", "created_at", "last_seen_at",
    }  # fmt: skip
    page = phone.get("/akun/", kelola=True).content.decode()
    assert "Chrome di Android" in page and "Firefox di Windows" in page
    assert page.count("Perangkat ini") == 1
    assert "127.0.0.1" not in page


def test_signing_out_removes_the_session_from_the_list(siti):
    phone = sign_in("siti@example.id")
    laptop = sign_in("siti@example.id", WINDOWS_FIREFOX)
    laptop.post("/keluar/", kelola=True)
    assert list(AccountSession.objects.values_list("device", flat=True)) == ["Chrome di Android"]
    assert "Firefox di Windows" not in phone.get("/akun/", kelola=True).content.decode()


def test_an_expired_session_is_not_listed_and_is_swept(siti):
    phone = sign_in("siti@example.id")
    laptop = sign_in("siti@example.id", WINDOWS_FIREFOX)
    Session.objects.filter(session_key=laptop.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert "Firefox di Windows" not in phone.get("/akun/", kelola=True).content.decode()
    assert session_records.sessions_sweep() == 1
    assert list(AccountSession.objects.values_list("device", flat=True)) == ["Chrome di Android"]


def test_one_session_can_be_ended_for_real(siti, django_capture_on_commit_callbacks):
    phone = sign_in("siti@example.id")
    laptop = sign_in("siti@example.id", WINDOWS_FIREFOX)
    laptop_key = laptop.session.session_key
    laptop.get("/akun/", kelola=True)  # now in the cache too
    assert caches["default"].get(SessionStore(session_key=laptop_key).cache_key) is not None
    row = AccountSession.objects.get(session_key=laptop_key)
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(f"/akun/sesi/{row.pk}/keluar/", kelola=True)
    assert response.status_code == 302 and response["Location"] == "/akun/"
    assert not session_alive_anywhere(laptop_key)
    assert not signed_in(laptop)
    assert signed_in(phone)


def test_ending_ones_current_session_signs_out(siti):
    phone = sign_in("siti@example.id")
    row = AccountSession.objects.get(user=siti)
    response = phone.post(f"/akun/sesi/{row.pk}/keluar/", kelola=True)
    assert response["Location"] == "/masuk/"
    assert not signed_in(phone)


def test_sign_out_everywhere_else_keeps_this_device(siti, django_capture_on_commit_callbacks):
    phone = sign_in("siti@example.id")
    laptop = sign_in("siti@example.id", WINDOWS_FIREFOX)
    tablet = sign_in("siti@example.id", IPHONE_SAFARI)
    keys = [laptop.session.session_key, tablet.session.session_key]
    for browser in (laptop, tablet):
        browser.get("/akun/", kelola=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post("/akun/sesi/keluar-lainnya/", kelola=True)
    assert response.status_code == 302
    assert "2 perangkat lain dikeluarkan" in phone.get("/akun/", kelola=True).content.decode()
    assert not any(session_alive_anywhere(key) for key in keys)
    assert not signed_in(laptop) and not signed_in(tablet)
    assert signed_in(phone)
    assert list(AccountSession.objects.values_list("device", flat=True)) == ["Chrome di Android"]


def test_a_password_change_ends_every_other_session_and_keeps_this_one(
    siti, django_capture_on_commit_callbacks
):
    phone = sign_in("siti@example.id")
    laptop = sign_in("siti@example.id", WINDOWS_FIREFOX)
    laptop_key = laptop.session.session_key
    laptop.get("/akun/", kelola=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(
            "/akun/kata-sandi/",
            {
                "old_password": PASSWORD,
                "new_password1": "kabar-baru-dari-desa-2026",
                "new_password2": "kabar-baru-dari-desa-2026",
            },
            kelola=True,
        )
    assert response.status_code == 302 and response["Location"] == "/akun/"
    assert not session_alive_anywhere(laptop_key)
    assert not signed_in(laptop)
    page = phone.get("/akun/", kelola=True).content.decode()
    assert "Kata sandi Anda sudah diganti. 1 perangkat lain dikeluarkan" in page
    # This session got a new key (Django cycles it); its row followed, so it can still be ended.
    row = AccountSession.objects.get(user=siti)
    assert row.session_key == phone.session.session_key
    assert row.device == "Chrome di Android"


def test_a_wrong_old_password_is_refused_in_bahasa_indonesia(siti):
    phone = sign_in("siti@example.id")
    other = sign_in("siti@example.id", WINDOWS_FIREFOX)
    response = phone.post(
        "/akun/kata-sandi/",
        {"old_password": "salah", "new_password1": "x-baru-2026", "new_password2": "x-baru-2026"},
        kelola=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kata sandi lama salah" in page
    assert 'aria-describedby="id_old_password_error"' in page
    assert signed_in(other)
    # A wrong password here counts as a failed sign-in (the sign-in throttle sees the guess).
    assert AccessAttempt.objects.filter(username="siti@example.id").exists()


def _row_updates(queries) -> int:
    return sum(
        1
        for q in queries
        if q["sql"].startswith("UPDATE") and "accounts_accountsession" in q["sql"]
    )


def test_last_seen_is_written_at_most_once_a_minute(siti):
    phone = sign_in("siti@example.id")
    row = AccountSession.objects.get(user=siti)
    phone.get("/akun/", kelola=True)
    with CaptureQueriesContext(connection) as within_a_minute:
        phone.get("/akun/", kelola=True)
    session = phone.session
    session[SEEN] -= 61
    session.save()
    with CaptureQueriesContext(connection) as after_a_minute:
        phone.get("/akun/", kelola=True)
    assert _row_updates(within_a_minute.captured_queries) == 0
    assert _row_updates(after_a_minute.captured_queries) == 1
    # The row's update and the session's own save (an UPDATE in a savepoint), nothing else.
    assert len(after_a_minute.captured_queries) == len(within_a_minute.captured_queries) + 4
    row.refresh_from_db()
    assert timezone.now() - row.last_seen_at < timedelta(seconds=5)


def test_an_anonymous_reader_costs_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/robots.txt", kelola=True)
    assert not AccountSession.objects.exists()


def test_a_session_whose_row_was_deleted_is_signed_out_at_its_next_minute(siti):
    """Even if a session somehow survived its row (a lost cache deletion), it ends."""
    phone = sign_in("siti@example.id")
    AccountSession.objects.filter(user=siti).delete()
    assert signed_in(phone)  # within the minute: nothing is read
    session = phone.session
    session[SEEN] -= 61
    session.save()
    assert not signed_in(phone)


def test_a_session_from_before_the_list_is_adopted(siti):
    browser = HostClient(HTTP_USER_AGENT=IPHONE_SAFARI)
    browser.force_login(siti)
    AccountSession.objects.all().delete()
    session = browser.session
    for key in (session_records.ROW, SEEN):
        session.pop(key)
    session.save()
    assert signed_in(browser)
    assert list(AccountSession.objects.values_list("device", flat=True)) == ["Safari di iPhone"]


def test_nobody_can_end_another_persons_session_by_its_id(siti):
    budi = make_user("budi@example.id", full_name="Budi Santoso")
    siti_phone = sign_in("siti@example.id")
    budi_phone = sign_in("budi@example.id", WINDOWS_FIREFOX)
    budi_row = AccountSession.objects.get(user=budi)
    for path in (f"/akun/sesi/{budi_row.pk}/keluar/", "/akun/sesi/999999/keluar/"):
        assert siti_phone.post(path, kelola=True).status_code == 404
    assert siti_phone.get(f"/akun/sesi/{budi_row.pk}/keluar/", kelola=True).status_code == 405
    assert session_alive_anywhere(budi_row.session_key) and signed_in(budi_phone)
    siti_phone.post("/akun/sesi/keluar-lainnya/", kelola=True)
    assert signed_in(budi_phone)
    assert "Firefox di Windows" not in siti_phone.get("/akun/", kelola=True).content.decode()
    with pytest.raises(AccountSession.DoesNotExist):
        AccountSession.objects.get(user=siti, pk=budi_row.pk)
    assert not session_records.session_end(actor=siti, session_id=budi_row.pk)
    assert AccountSession.objects.filter(pk=budi_row.pk).exists()


def test_the_account_page_links_its_guide_and_is_in_the_menu(siti):
    phone = sign_in("siti@example.id")
    page = phone.get("/", kelola=True).content.decode()
    assert 'href="/akun/"' in page
    page = phone.get("/akun/", kelola=True).content.decode()
    assert re.search(r'href="http://localhost(:\d+)?/panduan/akun/"', page)
    assert 'href="/akun/data.json"' in page and 'href="/akun/hapus/"' in page


def test_the_account_page_has_a_bounded_query_count(siti, django_assert_max_num_queries):
    phone = sign_in("siti@example.id")
    for agent in (WINDOWS_FIREFOX, IPHONE_SAFARI, ANDROID_CHROME):
        sign_in("siti@example.id", agent)
    phone.get("/akun/", kelola=True)
    with django_assert_max_num_queries(8):
        response = phone.get("/akun/", kelola=True)
    assert len(re.findall(r'action="/akun/sesi/\d+/keluar/"', response.content.decode())) == 3


def test_the_list_adds_no_query_to_a_signed_in_request(siti, settings):
    """Between its once-a-minute writes, the session list costs a request nothing."""
    phone = sign_in("siti@example.id")
    phone.get("/", kelola=True)
    with CaptureQueriesContext(connection) as with_list:
        phone.get("/", kelola=True)
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "accounts.session_records.SessionActivityMiddleware"
    ]
    with CaptureQueriesContext(connection) as without_list:
        phone.get("/", kelola=True)
    assert [q["sql"] for q in with_list.captured_queries] == [
        q["sql"] for q in without_list.captured_queries
    ]


def test_ending_the_others_keeps_the_current_session_by_its_row_or_its_key(siti):
    """The current session is kept by its row even while the row still holds an old key (a
    password change has just cycled it), and by its key when it has no row yet."""
    phone = sign_in("siti@example.id")
    laptop = sign_in("siti@example.id", WINDOWS_FIREFOX)
    phone_row = AccountSession.objects.get(session_key=phone.session.session_key)
    session_records.sessions_end_others(actor=siti, keep_row=phone_row.pk, keep_key="baru-x")
    assert list(AccountSession.objects.values_list("pk", flat=True)) == [phone_row.pk]
    assert not signed_in(laptop)
    laptop = sign_in("siti@example.id", WINDOWS_FIREFOX)
    session_records.sessions_end_others(
        actor=siti, keep_row=None, keep_key=phone.session.session_key
    )
    assert list(AccountSession.objects.values_list("pk", flat=True)) == [phone_row.pk]


def test_a_key_changed_by_any_view_is_followed_by_the_row(world):
    """Django's own admin changes an operator's password and cycles the session key: the row
    follows (the middleware, after the view), so the session can still be ended."""
    operator = make_user("operator@example.id", is_staff=True, is_superuser=True)
    browser = HostClient()
    browser.force_login(operator)
    old_key = browser.session.session_key
    response = browser.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, **new_password("ops-baru-2026-x")},
        kelola=True,
    )
    assert response.status_code == 302
    new_key = browser.session.session_key
    assert new_key != old_key
    assert AccountSession.objects.get(user=operator).session_key == new_key


def test_the_password_change_view_itself_follows_the_new_key(siti, settings):
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "accounts.session_records.SessionActivityMiddleware"
    ]
    phone = sign_in("siti@example.id")
    phone.post(
        "/akun/kata-sandi/",
        {"old_password": PASSWORD, **new_password("kabar-2026-baru")},
        kelola=True,
    )
    assert AccountSession.objects.get(user=siti).session_key == phone.session.session_key
