"""Isolation of a person's own account screens (accounts:account, password change, sessions,
data download, deletion): everyone acts on their own account and sessions only.

No URL names an account; the only id in a URL is a session's. Besides the shared world's actors
there is a stranger (no actor) signed in on a Windows laptop: the rows try to end the stranger's
session by its id, and check that nothing of the stranger (address, name, device, session key)
shows on any actor's page or download, and that nothing of theirs changes. Expected answers are
written by hand; tests/isolation.py says how to read them ("err" here: 200 with the form's error
or, for the only admin of a KIM and the last national admin, with the reason deletion waits).
"""

from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session

from accounts.models import AccountSession, User
from tests.factories import make_user
from tests.isolation import (
    assert_every_route_in_matrix,
    assert_every_row_requests_its_route,
    assert_refused,
    cases,
    content_of,
    sign_in,
)
from tests.support import HostClient

pytestmark = pytest.mark.django_db

# fmt: off
# Columns:         a_con a_edi a_adm b_adm  sby   mlg   bdg   jtm   jbr   nat   out   anon
SIGNED_IN        = "200   200   200   200   200   200   200   200   200   200   200   302"
POST_OWN         = "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    302"
POST_FORM_ERROR  = "err   err   err   err   err   err   err   err   err   err   err   302"
NOBODY           = "404   404   404   404   404   404   404   404   404   404   404   302"
# fmt: on

# The only admin of KIM A, of KIM B, and the only national admin: deletion explains why it waits.
MUST_HAND_OVER = {"a_admin", "b_admin", "national_admin"}
WRONG = {"old_password": "salah", "new_password1": "x-baru-2026", "new_password2": "x-baru-2026"}

GET_PAGES = {
    "accounts:account": (lambda w: "/akun/", SIGNED_IN),
    "accounts:password_change": (lambda w: "/akun/kata-sandi/", SIGNED_IN),
    "accounts:data_download": (lambda w: "/akun/data.json", SIGNED_IN),
    "accounts:delete": (lambda w: "/akun/hapus/", SIGNED_IN),
}
POST_ACTIONS = {
    "accounts:session_end-strangers_session": (
        lambda w: f"/akun/sesi/{w.stranger_row.pk}/keluar/", lambda w: {}, NOBODY,
    ),
    "accounts:session_end-missing": (lambda w: "/akun/sesi/999999/keluar/", lambda w: {}, NOBODY),
    "accounts:sessions_end_others": (
        lambda w: "/akun/sesi/keluar-lainnya/", lambda w: {}, POST_OWN,
    ),
    "accounts:password_change-wrong_old_password": (
        lambda w: "/akun/kata-sandi/", lambda w: WRONG, POST_FORM_ERROR,
    ),
    "accounts:delete-wrong_password": (
        lambda w: "/akun/hapus/", lambda w: {"password": "salah", "confirmation": "HAPUS"},
        POST_FORM_ERROR,
    ),
}  # fmt: skip
ROUTES = {
    "accounts:account", "accounts:password_change", "accounts:session_end",
    "accounts:sessions_end_others", "accounts:data_download", "accounts:delete",
}  # fmt: skip


@pytest.fixture
def w(world) -> SimpleNamespace:
    world.stranger = make_user("orang-asing@example.id", full_name="Orang Asing Sekali")
    laptop = HostClient(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Firefox/133.0")
    laptop.force_login(world.stranger)
    world.stranger_browser = laptop
    world.stranger_row = AccountSession.objects.get(user=world.stranger)
    return world


def stranger_secrets(w) -> list[str]:
    return ["orang-asing@example.id", "Orang Asing Sekali", "Firefox di Windows",
            w.stranger_row.session_key]  # fmt: skip


def snapshot(w) -> dict:
    """Every account and every session of anyone (a refused request changes none of them)."""
    return {
        "users": list(User.objects.order_by("pk").values_list("pk", "email", "password")),
        "rows": list(AccountSession.objects.order_by("pk").values_list("pk", "session_key")),
        "sessions": sorted(Session.objects.values_list("session_key", flat=True)),
    }


def stranger_still_signed_in(w) -> bool:
    return w.stranger_browser.get("/akun/", kelola=True).status_code == 200


@pytest.mark.parametrize(("name", "actor", "expected"), cases(GET_PAGES))
def test_get(client, w, name, actor, expected):
    build, _spec = GET_PAGES[name]
    sign_in(client, w, actor)
    before = snapshot(w)
    response = client.get(build(w), kelola=True)
    if expected != "200":
        assert_refused(response, expected, hidden=stranger_secrets(w))
        return
    assert response.status_code == 200
    page = content_of(response)
    for text in stranger_secrets(w):
        assert text not in page, text
    if name in ("accounts:account", "accounts:data_download"):
        assert getattr(w, actor).email in page
    assert snapshot(w) == before


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e != "ok")
)
def test_post_is_refused_and_changes_nothing(client, w, name, actor, expected):
    build, data, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    before = snapshot(w)
    response = client.post(build(w), data(w), kelola=True)
    if expected == "err":
        assert response.status_code == 200
        page = content_of(response)
        if "delete" in name and actor in MUST_HAND_OVER:
            assert "satu-satunya admin" in page
        else:
            assert 'aria-invalid="true"' in page
        for text in stranger_secrets(w):
            assert text not in page, text
    else:
        assert_refused(response, expected, hidden=stranger_secrets(w))
    assert snapshot(w) == before
    assert stranger_still_signed_in(w)


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e == "ok")
)
def test_post_changes_the_actors_own_only(
    client, w, name, actor, expected, django_capture_on_commit_callbacks
):
    build, data, _spec = POST_ACTIONS[name]
    user = getattr(w, actor)
    other_device = HostClient()
    other_device.force_login(user)
    sign_in(client, w, actor)
    theirs = set(AccountSession.objects.exclude(user=user).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):  # the cached copies go on commit
        response = client.post(build(w), data(w), kelola=True)
    assert response.status_code == 302
    assert set(AccountSession.objects.exclude(user=user).values_list("pk", flat=True)) == theirs
    assert AccountSession.objects.filter(user=user).count() == 1  # this device only
    assert other_device.get("/akun/", kelola=True).status_code == 302
    assert stranger_still_signed_in(w)


def test_every_account_route_is_in_the_matrix():
    assert_every_route_in_matrix((GET_PAGES, POST_ACTIONS), namespaces=(), also=ROUTES)


def test_every_row_requests_the_route_it_names(w):
    assert_every_row_requests_its_route(w, (GET_PAGES, POST_ACTIONS))
