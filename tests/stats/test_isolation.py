"""Tenant isolation of every kelola page of stats_kelola:* (the staff dashboard and its CSV).

Summary rows exist for every area of the shared world, each with a member count no other area
shows, and activity rows for KIM A (Kota Surabaya, Jawa Timur) and KIM B (Kota Bandung, Jawa
Barat). Each URL names an area with ?wilayah= (or none: the user's widest) and is requested by
every actor (tests.isolation.ACTORS). Expected answers are written by hand; tests/isolation.py
says how to read them (404 here: refused exactly as for a missing region).
Answers that are allowed show exactly the KIMs and the figures of their area, nothing else.
"""

from types import SimpleNamespace

import pytest

from tests.isolation import assert_refused, cases, content_of, sign_in
from tests.stats.helpers_dashboards import make_world_summaries

pytestmark = pytest.mark.django_db

# fmt: off
# Columns:          a_con a_edi a_adm b_adm  sby   mlg   bdg   jtm   jbr   nat   out   anon
STAFF_ANY         = "404   404   404   404   200   200   200   200   200   200   404   302"
COVERS_SURABAYA   = "404   404   404   404   200   404   404   200   404   200   404   302"
COVERS_MALANG     = "404   404   404   404   404   200   404   200   404   200   404   302"
COVERS_BANDUNG    = "404   404   404   404   404   404   200   404   200   200   404   302"
COVERS_JATIM      = "404   404   404   404   404   404   404   200   404   200   404   302"
COVERS_JABAR      = "404   404   404   404   404   404   404   404   200   200   404   302"
COVERS_NATION     = "404   404   404   404   404   404   404   404   404   200   404   302"
NOBODY            = "404   404   404   404   404   404   404   404   404   404   404   302"
# fmt: on

# ?wilayah= of each row, and what an allowed answer shows: the KIMs (A, B) and the area's
# member count (make_world_summaries). "" is the user's widest area: see WIDEST.
AREAS = {
    "widest": ("", STAFF_ANY),
    "surabaya": ("35.78", COVERS_SURABAYA),
    "malang": ("35.07", COVERS_MALANG),
    "bandung": ("32.73", COVERS_BANDUNG),
    "jatim": ("35", COVERS_JATIM),
    "jabar": ("32", COVERS_JABAR),
    "national": ("ID", COVERS_NATION),
    # A regency of another province through a province filter: the area is the province only.
    "jatim_with_bandung": ("35&kabupaten=32.73", COVERS_JATIM),
    "missing_regency": ("35.99", NOBODY),
    "missing_province": ("99", NOBODY),
    "district": ("35.78.09", NOBODY),
    "garbage": ("35'%20OR%201=1", NOBODY),
}
SHOWS = {
    "surabaya": ("A", 378),
    "malang": ("", 307),
    "bandung": ("B", 273),
    "jatim": ("A", 351),
    "jatim_with_bandung": ("A", 351),
    "jabar": ("B", 321),
    "national": ("AB", 901),
}
WIDEST = {
    "surabaya_admin": "surabaya",
    "malang_admin": "malang",
    "bandung_admin": "bandung",
    "jatim_admin": "jatim",
    "jabar_admin": "jabar",
    "national_admin": "national",
}
KIM_NAMES = {"A": "KIM Ketabang Maju", "B": "KIM Gegerkalong Sejahtera"}
FIGURES = (378, 307, 273, 351, 321, 901)

GET_PAGES = {
    **{
        f"stats_kelola:dashboard-{name}": (
            lambda w, q=query: f"/statistik/?wilayah={q}" if q else "/statistik/",
            spec,
        )
        for name, (query, spec) in AREAS.items()
    },
    **{
        f"stats_kelola:download-{name}": (
            lambda w, q=query: f"/statistik/unduh.csv?wilayah={q}" if q else "/statistik/unduh.csv",
            spec,
        )
        for name, (query, spec) in AREAS.items()
    },
}
POST_ACTIONS: dict = {}  # both routes are read-only (GET): see test_no_route_takes_a_post


@pytest.fixture
def w(world) -> SimpleNamespace:
    make_world_summaries(world)
    return world


def _assert_shows_exactly(page: str, area: str, *, csv: bool) -> None:
    kims, members = SHOWS[area]
    for letter, name in KIM_NAMES.items():
        assert (name in page) == (letter in kims), (area, name)
    if csv:
        return
    for figure in FIGURES:  # the area's own figures, never another area's
        assert (f"<dd>{figure}</dd>" in page) == (figure == members), (area, figure)


@pytest.mark.parametrize(("name", "actor", "expected"), cases(GET_PAGES))
def test_get(client, w, name, actor, expected):
    build, _spec = GET_PAGES[name]
    sign_in(client, w, actor)
    response = client.get(build(w), kelola=True)
    if expected != "200":
        assert_refused(response, expected, hidden=KIM_NAMES.values())
        return
    assert response.status_code == 200
    area = name.split("-", 1)[1]
    _assert_shows_exactly(
        content_of(response), WIDEST[actor] if area == "widest" else area, csv="download" in name
    )


@pytest.mark.parametrize("path", ["/statistik/", "/statistik/unduh.csv"])
def test_no_route_takes_a_post(client, w, path):
    assert client.post(path, kelola=True).status_code == 302  # anonymous: sign in first
    client.force_login(w.national_admin)
    assert client.post(path, kelola=True).status_code == 405


@pytest.mark.parametrize("actor", ["surabaya_admin", "malang_admin", "jatim_admin"])
def test_a_regency_admin_never_sees_another_regencys_kims(client, w, actor):
    """Whatever filter or sort they add, staff of Jawa Timur never see KIM B (Kota Bandung)."""
    sign_in(client, w, actor)
    for query in ("", "?provinsi=32", "?kabupaten=32.73", "?urut=-anggota&dorman=on",
                  "?wilayah=&kabupaten=32.73", "?page=2"):  # fmt: skip
        for path in ("/statistik/", "/statistik/unduh.csv"):
            response = client.get(path + query, kelola=True)
            assert response.status_code == 200, (path, query)
            page = content_of(response)
            assert "KIM Gegerkalong" not in page and "<dd>273</dd>" not in page, (path, query)
