"""Isolation of the two-step sign-in screens (accounts:mfa_*): everyone acts on their own
authenticator and recovery codes only.

Every actor of the shared world has an authenticator and recovery codes, and so has someone who
is no actor (the stranger). No URL names a device; the rows try what is left: typing the
stranger's codes, confirming a set-up with the stranger's secret, and renewing or deleting
codes and authenticators, which must touch the actor's own only. Expected answers are written
by hand; tests/isolation.py says how to read them ("err" here: 200 with the form's error).
"""

from base64 import b32encode
from binascii import unhexlify
from types import SimpleNamespace

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import make_user
from tests.isolation import (
    ACTORS,
    assert_every_route_in_matrix,
    assert_every_row_requests_its_route,
    assert_refused,
    cases,
    content_of,
    kelola_route_names,
    sign_in,
)
from tests.support import authenticator_code, give_authenticator

pytestmark = pytest.mark.django_db

# fmt: off
# Columns:         a_con a_edi a_adm b_adm  sby   mlg   bdg   jtm   jbr   nat   out   anon
SIGNED_IN        = "200   200   200   200   200   200   200   200   200   200   200   302"
POST_OWN         = "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    302"
POST_FORM_ERROR  = "err   err   err   err   err   err   err   err   err   err   err   302"
# Staff may not turn two-step sign-in off (a page says why).
POST_NOT_STAFF   = "ok    ok    ok    ok    403   403   403   403   403   403   ok    302"
# fmt: on

STRANGER_CODE = "zzzz2345"  # one of the stranger's recovery codes

GET_PAGES = {
    "accounts:mfa_status": (lambda w: "/dua-langkah/", SIGNED_IN),
    "accounts:mfa_verify": (lambda w: "/dua-langkah/periksa/", SIGNED_IN),
    "accounts:mfa_setup": (lambda w: "/dua-langkah/pasang/", SIGNED_IN),
    "accounts:mfa_codes": (lambda w: "/dua-langkah/kode-cadangan/", SIGNED_IN),
}
POST_ACTIONS = {
    "accounts:mfa_verify-strangers_code": (
        lambda w: "/dua-langkah/periksa/", lambda w: {"code": authenticator_code(w.stranger_app)},
        POST_FORM_ERROR,
    ),
    "accounts:mfa_verify-strangers_recovery_code": (
        lambda w: "/dua-langkah/periksa/", lambda w: {"code": STRANGER_CODE}, POST_FORM_ERROR,
    ),
    # The secret being set up lives in the actor's session: another person's cannot be confirmed.
    "accounts:mfa_setup-strangers_secret": (
        lambda w: "/dua-langkah/pasang/", lambda w: {"code": authenticator_code(w.stranger_app)},
        POST_FORM_ERROR,
    ),
    "accounts:mfa_codes-renew": (lambda w: "/dua-langkah/kode-cadangan/", lambda w: {}, POST_OWN),
    "accounts:mfa_disable": (lambda w: "/dua-langkah/matikan/", lambda w: {}, POST_NOT_STAFF),
}  # fmt: skip


@pytest.fixture
def w(world) -> SimpleNamespace:
    for actor in ACTORS:
        if actor != "anonymous":
            user = getattr(world, actor)
            give_authenticator(user)
            codes = StaticDevice.objects.create(user=user, name="recovery codes")
            codes.token_set.create(token=f"own{user.pk:05d}"[:8])
    world.stranger = make_user("orang-lain@example.id", full_name="Orang Lain")
    world.stranger_app = give_authenticator(world.stranger)
    StaticDevice.objects.create(user=world.stranger, name="recovery codes").token_set.create(
        token=STRANGER_CODE
    )
    return world


def stranger_secrets(w) -> list[str]:
    """What no page shown to anyone else may carry: the stranger's address, secret and codes."""
    secret = b32encode(unhexlify(w.stranger_app.key)).decode()
    return ["orang-lain@example.id", secret, secret[:4] + " " + secret[4:8], STRANGER_CODE,
            "zzzz 2345"]  # fmt: skip


def devices_of(user) -> dict:
    return {
        "apps": list(
            TOTPDevice.objects.filter(user=user)
            .order_by("pk")
            .values_list("pk", "key", "confirmed", "last_t")
        ),
        "codes": sorted(
            StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
        ),
    }


def snapshot() -> dict:
    return {user.pk: devices_of(user) for user in User.objects.order_by("pk")}


@pytest.mark.parametrize(("name", "actor", "expected"), cases(GET_PAGES))
def test_get(client, w, name, actor, expected):
    build, _spec = GET_PAGES[name]
    sign_in(client, w, actor)
    before = snapshot()
    response = client.get(build(w), kelola=True)
    if expected != "200":
        assert_refused(response, expected, hidden=stranger_secrets(w))
        return
    assert response.status_code == 200
    page = content_of(response)
    for text in stranger_secrets(w):
        assert text not in page, text
    assert snapshot() == before  # pages only read (set-up keeps its secret in the session)


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e != "ok")
)
def test_post_is_refused_and_changes_nothing(client, w, name, actor, expected):
    build, data, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    if "setup" in name and actor != "anonymous":
        client.get("/dua-langkah/pasang/", kelola=True)  # a set-up of the actor's own begins
    before = snapshot()
    typed = data(w)
    response = client.post(build(w), typed, kelola=True)
    if expected == "err":
        assert response.status_code == 200
        page = content_of(response)
        assert 'aria-invalid="true"' in page
        for text in stranger_secrets(w):
            assert text in typed.values() or text not in page, text
    else:
        assert_refused(response, expected, hidden=stranger_secrets(w))
        if expected == "403":
            assert "tidak dapat dimatikan" in content_of(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e == "ok")
)
def test_post_changes_the_actors_own_only(client, w, name, actor, expected):
    build, data, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    user = getattr(w, actor)
    before = snapshot()
    response = client.post(build(w), data(w), kelola=True)
    assert response.status_code == 302
    after = snapshot()
    assert after[user.pk] != before[user.pk]
    del before[user.pk], after[user.pk]
    assert after == before


def test_every_mfa_route_is_in_the_matrix():
    mfa_routes = {name for name in kelola_route_names("accounts") if ":mfa_" in name}
    assert len(mfa_routes) == 5
    assert_every_route_in_matrix((GET_PAGES, POST_ACTIONS), namespaces=(), also=mfa_routes)


def test_every_row_requests_the_route_it_names(w):
    assert_every_row_requests_its_route(w, (GET_PAGES, POST_ACTIONS))
