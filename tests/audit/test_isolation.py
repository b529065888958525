"""Isolation of every kelola page of audit:* (the log and its CSV): national admins only.

The log holds events about KIM A (Kota Surabaya, Jawa Timur) and KIM B (Kota Bandung, Jawa
Barat). Every actor of the shared world (tests.isolation.ACTORS) requests each page; anyone but a
national admin gets the 404 every staff screen gives for what it does not cover (a regency or
province admin too: the log covers every region and every staff member), without a line of it.
Expected answers are written by hand; tests/isolation.py says how to read them.
"""

from types import SimpleNamespace

import pytest

from communities import services as community_services
from tests.isolation import assert_refused, cases, content_of, sign_in

pytestmark = pytest.mark.django_db

# fmt: off
# Columns:      a_con a_edi a_adm b_adm  sby   mlg   bdg   jtm   jbr   nat   out   anon
NATIONAL      = "404   404   404   404   404   404   404   404   404   200   404   302"
# fmt: on

# What a refusal must not show: the names of the KIMs the log's events are about, and the reasons.
SECRETS = ("KIM Ketabang Maju", "KIM Gegerkalong Sejahtera", "Alasan rahasia")

GET_PAGES = {
    "audit:log-all": (lambda w: "/audit/", NATIONAL),
    "audit:log-province_of_a": (lambda w: "/audit/?provinsi=35", NATIONAL),
    "audit:log-regency_of_b": (lambda w: "/audit/?provinsi=32&kabupaten=32.73", NATIONAL),
    "audit:log-an_actor": (lambda w: f"/audit/?pelaku={w.surabaya_admin.pk}", NATIONAL),
    "audit:download-all": (lambda w: "/audit/unduh.csv", NATIONAL),
    "audit:download-province_of_b": (lambda w: "/audit/unduh.csv?provinsi=32", NATIONAL),
}
POST_ACTIONS: dict = {}  # both routes are read-only (GET): see test_no_route_takes_a_post

# The KIMs each allowed page shows (A, B).
SHOWS = {
    "all": "AB",
    "province_of_a": "A",
    "regency_of_b": "B",
    "an_actor": "A",
    "province_of_b": "B",
}
NAMES = {"A": "KIM Ketabang Maju", "B": "KIM Gegerkalong Sejahtera"}


@pytest.fixture
def w(world) -> SimpleNamespace:
    community_services.community_suspend(
        community=world.kim_a, actor=world.surabaya_admin, reason="Alasan rahasia A"
    )
    community_services.community_suspend(
        community=world.kim_b, actor=world.bandung_admin, reason="Alasan rahasia B"
    )
    return world


@pytest.mark.parametrize(("name", "actor", "expected"), cases(GET_PAGES))
def test_get(client, w, name, actor, expected):
    build, _spec = GET_PAGES[name]
    sign_in(client, w, actor)
    response = client.get(build(w), kelola=True)
    if expected != "200":
        assert_refused(response, expected, hidden=SECRETS)
        return
    assert response.status_code == 200
    page = content_of(response)
    shows = SHOWS[name.split("-", 1)[1]]
    for letter, kim in NAMES.items():
        assert (kim in page) == (letter in shows), (name, kim)
        assert (f"Alasan rahasia {letter}" in page) == (letter in shows), (name, letter)


@pytest.mark.parametrize("path", ["/audit/", "/audit/unduh.csv"])
def test_no_route_takes_a_post(client, w, path):
    assert client.post(path, kelola=True).status_code == 302  # anonymous: sign in first
    client.force_login(w.national_admin)
    assert client.post(path, kelola=True).status_code == 405
