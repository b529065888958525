"""The two-step sign-in screens: valid, accessible HTML without inline script or style, each
linking to its guide; and what the second step costs in queries (nothing where it need not)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.test_mfa_flow import sign_in, type_code
from tests.kimportal.test_csp import blocked
from tests.support import HostClient, authenticator_code, give_authenticator
from tests.test_html_valid import validate

pytestmark = pytest.mark.django_db

GUIDE_LINK = re.compile(r'href="http://localhost(:\d+)?/panduan/dua-langkah/"')


def screens(client, world) -> dict[str, str]:
    """Every two-step screen, by label, as its person sees it."""
    pages = {}

    def page(label, response, status=200):
        assert response.status_code == status, (label, response.status_code)
        pages[label] = response.content.decode()

    # A staff member without an authenticator: set-up is required.
    sign_in(client, world.surabaya_admin)
    page("set-up (required)", client.get("/dua-langkah/pasang/", kelola=True))
    page("set-up with an error", client.post("/dua-langkah/pasang/", {"code": "1"}, kelola=True))
    client.post("/keluar/", kelola=True)

    # A staff member with one, at the second step, then past it.
    device = give_authenticator(world.jatim_admin)
    sign_in(client, world.jatim_admin)
    page("second step", client.get("/dua-langkah/periksa/?next=/", kelola=True))
    page("second step with an error", type_code(client, "12"))
    type_code(client, authenticator_code(device))
    page("status (staff)", client.get("/dua-langkah/", kelola=True))
    page("refused", client.post("/dua-langkah/matikan/", kelola=True), 403)
    page("replace", client.get("/dua-langkah/pasang/", kelola=True))
    client.post("/dua-langkah/kode-cadangan/", kelola=True)
    page("new recovery codes", client.get("/dua-langkah/kode-cadangan/", kelola=True))
    page("recovery codes", client.get("/dua-langkah/kode-cadangan/", kelola=True))
    client.post("/keluar/", kelola=True)

    # A KIM admin, before and after turning it on.
    client.force_login(world.a_admin)
    page("status (off)", client.get("/dua-langkah/", kelola=True))
    give_authenticator(world.a_admin)
    page("status (on)", client.get("/dua-langkah/", kelola=True))
    return pages


def test_the_screens_are_valid_html_without_inline_script_or_style(client, world, tmp_path):
    pages = screens(client, world)
    assert "<svg" in pages["set-up (required)"] and "<title>" in pages["set-up (required)"]
    assert len(re.findall(r"<li><code>", pages["new recovery codes"])) == 10
    assert "<li><code>" not in pages["recovery codes"]
    assert {label: found for label, html in pages.items() if (found := blocked(html))} == {}
    errors = validate(pages, tmp_path)
    assert errors == [], "\n".join(errors)


def test_each_screen_links_to_the_guide_and_errors_are_linked_to_the_field(client, world):
    pages = screens(client, world)
    for label, html in pages.items():
        assert GUIDE_LINK.search(html), label
    for label in ("set-up with an error", "second step with an error"):
        html = pages[label]
        assert re.search(r'aria-describedby="[^"]*id_code_error[^"]*"', html), label
        assert 'id="id_code_error"' in html and 'aria-invalid="true"' in html, label
    assert '<label for="id_code">Kode' in pages["second step"]
    assert 'autocomplete="one-time-code"' in pages["second step"]
    assert 'inputmode="numeric"' in pages["set-up (required)"]
    assert "Matikan verifikasi dua langkah" in pages["status (on)"]
    assert "Matikan verifikasi dua langkah" not in pages["status (staff)"]


def test_secrets_are_never_stored_by_a_cache(client, world):
    sign_in(client, world.surabaya_admin)
    for path in ("/dua-langkah/pasang/", "/dua-langkah/periksa/"):
        assert "no-store" in client.get(path, kelola=True)["Cache-Control"], path
    client.force_login(world.surabaya_admin)
    give_authenticator(world.surabaya_admin)
    client.post("/dua-langkah/kode-cadangan/", kelola=True)
    response = client.get("/dua-langkah/kode-cadangan/", kelola=True)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


# --- Queries -------------------------------------------------------------------------------------

SECOND_STEP = "accounts.middleware.SecondStepMiddleware"


def queries(settings, *, with_second_step: bool, requests, setup=None) -> list[int]:
    """Queries of each request of `requests` ((path, host) pairs), made by a fresh client with
    or without the second step's middleware, every cache emptied before each request."""
    if not with_second_step:
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != SECOND_STEP]
    client = HostClient()
    if setup:
        setup(client)
    counts = []
    for path, host in requests:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, host=host)
        assert response.status_code == 200, (path, host, response.status_code)
        counts.append(len(captured))
    return counts


def both(settings, **kwargs) -> tuple[list[int], list[int]]:
    with_step = queries(settings, with_second_step=True, **kwargs)
    without = queries(settings, with_second_step=False, **kwargs)
    return with_step, without


def test_anonymous_visitors_pay_nothing(settings, world):
    requests = [
        ("/", "localhost"),
        ("/wilayah/jawa-timur/", "localhost"),
        ("/", "kim-ketabang.localhost"),
        ("/masuk/", "kelola.localhost"),
    ]
    with_step, without = both(settings, requests=requests)
    assert with_step == without


def test_a_session_past_the_second_step_pays_one_query_a_page(settings, world):
    """Whether the device it passed with still exists (accounts.mfa.is_verified)."""
    requests = [("/", "kelola.localhost"), ("/verifikasi/", "kelola.localhost")]
    with_step, without = both(
        settings, requests=requests, setup=lambda c: c.force_login(world.surabaya_admin)
    )
    assert with_step == [n + 1 for n in without]


def test_a_kim_member_without_an_authenticator_pays_one_query_a_minute(settings, world):
    requests = [("/", "kelola.localhost")] * 3
    with_step, without = both(
        settings, requests=requests, setup=lambda c: sign_in(c, world.a_editor)
    )
    # The first page looks for an authenticator, and the session remembers it was found none
    # (one write: a savepoint, the update and its release, in the test's transaction).
    assert with_step[0] <= without[0] + 4
    assert with_step[1:] == without[1:]
