"""Visitors report a post from its page: the form, rate limit, duplicates, hiding, CSRF."""

import re

import pytest
from django.utils import timezone

from posts import services
from posts.models import ModerationEvent, Post, Report
from tests.factories import make_post
from tests.support import HostClient

pytestmark = pytest.mark.django_db

HOST = "kim-ketabang.localhost"
PAGE = "/kabar/kerja-bakti/"
REPORT = "/kabar/kerja-bakti/laporkan/"


@pytest.fixture
def post(world) -> Post:
    return make_post(world.kim_a, title="Kerja bakti", status="published", body="Isi.")


def report(client, data=None, *, address: str = "10.0.0.1", agent: str = "Firefox", path=REPORT):
    data = {"reason": "hoaks", "details": "Foto ini foto lama."} if data is None else data
    response = client.post(path, data, host=HOST, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    return response, response.content.decode()


def test_post_page_links_to_a_report_form_that_works_without_js(client, post):
    page = client.get(PAGE, host=HOST)
    assert f'<a href="{REPORT}">Laporkan tulisan ini</a>' in page.content.decode()
    assert not page.cookies  # the post's page stays cacheable: no form, no CSRF cookie
    body = client.get(REPORT, host=HOST).content.decode()
    assert '<meta name="robots" content="noindex">' in body
    form = re.search(r'<form class="form" action="([^"]+)" method="post">(.*?)</form>', body, re.S)
    assert form and form.group(1) == REPORT
    fields = form.group(2)
    assert 'name="csrfmiddlewaretoken"' in fields
    assert '<label for="lapor-reason">Alasan' in fields
    assert '<select name="reason"' in fields and 'id="lapor-reason"' in fields
    for value, label in Report.Reason.choices:
        assert f'<option value="{value}">{label}</option>' in fields
    assert '<label for="lapor-details">Keterangan</label>' in fields
    assert '<textarea name="details"' in fields
    assert '<button type="submit">Kirim laporan</button>' in fields


def test_a_report_is_recorded_and_the_visitor_thanked(client, post):
    response, _ = report(client)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    stored = Report.objects.get()
    assert (stored.post, stored.community, stored.reason) == (post, post.community, "hoaks")
    assert stored.details == "Foto ini foto lama."
    assert len(stored.reporter_key) == 64 and "10.0.0.1" not in stored.reporter_key
    assert ModerationEvent.objects.filter(post=post, action="reported").count() == 1
    post.refresh_from_db()
    assert post.open_reports == 1 and not post.hidden_by_reports
    page = client.get(PAGE, host=HOST)
    assert page.status_code == 200
    assert "Terima kasih. Laporan Anda sudah kami terima" in page.content.decode()


def test_get_on_the_report_address_only_shows_the_form(client, post):
    response = client.get(REPORT, host=HOST)
    assert response.status_code == 200
    assert "Kirim laporan" in response.content.decode()
    assert Report.objects.count() == 0


def test_an_invalid_report_is_shown_again_with_what_was_typed(client, post):
    response, body = report(client, {"reason": "", "details": "Tolong periksa <b>ini</b>."})
    assert response.status_code == 200
    assert "<h1>Laporkan tulisan ini</h1>" in body
    assert "Pilih alasan laporan." in body
    assert "Tolong periksa &lt;b&gt;ini&lt;/b&gt;.</textarea>" in body
    response, body = report(client, {"reason": "bukan-alasan", "details": "x"})
    assert response.status_code == 200 and "Pilih alasan dari daftar." in body
    response, body = report(client, {"reason": "spam", "details": "x" * 2001})
    assert response.status_code == 200 and "paling panjang 2000 karakter" in body
    assert Report.objects.count() == 0


def test_the_same_visitor_cannot_report_a_post_twice(client, post):
    assert report(client)[0].status_code == 302
    response, body = report(client, {"reason": "sara", "details": "Masih ada."})
    assert response.status_code == 200
    assert "Anda sudah melaporkan tulisan ini. Terima kasih." in body
    assert '<option value="sara" selected>' in body
    assert "Masih ada.</textarea>" in body
    assert Report.objects.count() == 1
    # Another browser on the same address is the same visitor.
    response, body = report(client, agent="Chrome")
    assert response.status_code == 200
    assert "Anda sudah melaporkan tulisan ini. Terima kasih." in body
    assert Report.objects.count() == 1


def test_reports_are_rate_limited_per_visitor(client, world, settings):
    settings.REPORTS_PER_HOUR = 2
    settings.REPORTS_TO_HIDE = 99
    for i in range(3):
        make_post(world.kim_a, title=f"Tulisan {i}", status="published")
    for i in range(2):
        assert report(client, path=f"/kabar/tulisan-{i}/laporkan/")[0].status_code == 302
    response, body = report(
        client, {"reason": "spam", "details": "Iklan judi."}, path="/kabar/tulisan-2/laporkan/"
    )
    assert response.status_code == 429
    assert "Anda sudah mengirim banyak laporan. Coba lagi dalam satu jam." in body
    assert "Iklan judi.</textarea>" in body
    assert Report.objects.count() == 2
    # Another visitor is not held back.
    assert (
        report(client, address="10.0.0.2", path="/kabar/tulisan-2/laporkan/")[0].status_code == 302
    )


def test_enough_distinct_visitors_hide_the_post_everywhere(client, world, post, settings):
    settings.REPORTS_TO_HIDE = 3
    make_post(world.kim_a, title="Tulisan lain", status="published")
    for address in ("10.0.1.1", "10.0.2.1"):
        response, _ = report(client, address=address)
        assert response.status_code == 302 and response["Location"] == PAGE
    assert client.get(PAGE, host=HOST).status_code == 200
    response, _ = report(client, address="10.0.3.1")
    # The third report hid it: its page is gone, so the visitor lands on the list.
    assert response.status_code == 302 and response["Location"] == "/kabar/"
    post.refresh_from_db()
    assert post.hidden_by_reports and post.open_reports == 3
    assert ModerationEvent.objects.filter(post=post, action="hidden").count() == 1
    listing = client.get("/kabar/", host=HOST).content.decode()
    assert "Terima kasih. Laporan Anda sudah kami terima" in listing
    assert client.get(PAGE, host=HOST).status_code == 404
    for path, host in (("/kabar/", HOST), ("/", HOST), ("/", None)):
        body = client.get(path, host=host).content.decode()
        assert "Tulisan lain" in body and "Kerja bakti" not in body, path
    assert report(client, address="10.0.4.1")[0].status_code == 404


def test_a_post_of_another_kim_cannot_be_reported_here(client, world):
    make_post(world.kim_b, title="Kabar Bandung", status="published")
    response, _ = report(client, path="/kabar/kabar-bandung/laporkan/")
    assert response.status_code == 404
    assert Report.objects.count() == 0


def test_report_form_needs_the_csrf_token_of_the_subsite(world, post):
    client = HostClient(enforce_csrf_checks=True)
    data = {"reason": "spam", "details": ""}
    assert client.post(REPORT, data, host=HOST).status_code == 403
    page = client.get(REPORT, host=HOST)
    cookie = page.cookies["csrftoken"]
    assert not cookie["domain"]  # host-only: the subsite's own cookie
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    # As a browser sends it: the form's token and the page's own origin.
    response = client.post(
        REPORT,
        {**data, "csrfmiddlewaretoken": token},
        host=HOST,
        HTTP_ORIGIN="http://kim-ketabang.localhost",
    )
    assert response.status_code == 302
    assert Report.objects.filter(post=post).count() == 1
    # A form posted from another KIM's site is refused.
    response = client.post(
        REPORT,
        {**data, "csrfmiddlewaretoken": token},
        host=HOST,
        HTTP_ORIGIN="http://evil.example",
        HTTP_USER_AGENT="Lain",
    )
    assert response.status_code == 403


def test_reporting_takes_a_bounded_number_of_queries(client, post, django_assert_max_num_queries):
    client.get(PAGE, host=HOST)  # warm the host cache
    # Rate-limit count, duplicate check, insert, distinct count, two updates, events; savepoints.
    with django_assert_max_num_queries(12):
        response, _ = report(client)
    assert response.status_code == 302
    assert Report.objects.get().created_at <= timezone.now()


def test_the_report_page_takes_a_bounded_number_of_queries(
    client, post, django_assert_max_num_queries
):
    client.get(PAGE, host=HOST)  # warm the host cache
    with django_assert_max_num_queries(1):  # the post (the KIM comes from the host)
        response = client.get(REPORT, host=HOST)
    assert response.status_code == 200


# --- One person is one reporter: keyed on the address and its network, never the browser -------


def test_three_browsers_on_one_address_are_one_reporter(client, post, settings):
    settings.REPORTS_TO_HIDE = 2
    for agent in ("Firefox", "Chrome", "Safari"):
        report(client, agent=agent)
    assert Report.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    assert post.open_reports == 1 and not post.hidden_by_reports
    assert client.get(PAGE, host=HOST).status_code == 200


def test_a_new_browser_does_not_reset_the_hourly_limit(client, world, settings):
    settings.REPORTS_PER_HOUR = 2
    settings.REPORTS_TO_HIDE = 99
    for i in range(3):
        make_post(world.kim_a, title=f"Tulisan {i}", status="published")
    for i, agent in enumerate(("Firefox", "Chrome")):
        path = f"/kabar/tulisan-{i}/laporkan/"
        assert report(client, agent=agent, path=path)[0].status_code == 302
    response, body = report(client, agent="Safari", path="/kabar/tulisan-2/laporkan/")
    assert response.status_code == 429
    assert "Anda sudah mengirim banyak laporan. Coba lagi dalam satu jam." in body
    assert Report.objects.count() == 2


def test_the_stored_keys_are_keyed_hashes_of_address_and_network(client, post):
    report(client, address="198.51.100.7")
    stored = Report.objects.get()
    assert stored.reporter_key == services.reporter_key(address="198.51.100.7")
    assert stored.network_key == services.reporter_network_key(address="198.51.100.200")
    assert stored.network_key != services.reporter_network_key(address="198.51.101.7")
    assert "198.51.100" not in stored.reporter_key + stored.network_key


def test_three_addresses_in_one_ipv4_24_do_not_hide_a_post(client, post, settings):
    settings.REPORTS_TO_HIDE = 3
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        assert report(client, address=address)[0]["Location"] == PAGE
    post.refresh_from_db()
    # Three reports for the moderators, but one network: the post stays up.
    assert post.open_reports == 3 and not post.hidden_by_reports
    assert client.get(PAGE, host=HOST).status_code == 200


def test_three_addresses_in_three_ipv4_24s_hide_a_post(client, post, settings):
    settings.REPORTS_TO_HIDE = 3
    for address in ("198.51.100.1", "198.51.101.1"):
        assert report(client, address=address)[0]["Location"] == PAGE
    assert report(client, address="203.0.113.1")[0]["Location"] == "/kabar/"
    post.refresh_from_db()
    assert post.hidden_by_reports and post.open_reports == 3


def test_reports_are_rate_limited_per_network(client, world, settings):
    """One IPv6 subscriber holds a whole /64: new addresses in it do not buy new reports."""
    settings.REPORTS_PER_HOUR_NETWORK = 3
    settings.REPORTS_TO_HIDE = 99
    for i in range(4):
        make_post(world.kim_a, title=f"Tulisan {i}", status="published")
    for i in range(3):
        path = f"/kabar/tulisan-{i}/laporkan/"
        assert report(client, address=f"2001:db8:1:2::{i + 1}", path=path)[0].status_code == 302
    response, body = report(
        client,
        {"reason": "spam", "details": "Iklan judi."},
        address="2001:db8:1:2::99",
        path="/kabar/tulisan-3/laporkan/",
    )
    assert response.status_code == 429
    assert "Sudah banyak laporan dari jaringan internet Anda. Coba lagi dalam satu jam." in body
    assert "Iklan judi.</textarea>" in body
    assert Report.objects.count() == 3
    # Another network is not held back.
    other = report(client, address="2001:db8:1:3::1", path="/kabar/tulisan-3/laporkan/")
    assert other[0].status_code == 302


def test_ipv6_addresses_of_one_64_count_once(client, post, settings):
    settings.REPORTS_TO_HIDE = 2
    for address in ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2:abcd::5"):
        assert report(client, address=address)[0]["Location"] == PAGE
    post.refresh_from_db()
    assert post.open_reports == 3 and not post.hidden_by_reports
    assert report(client, address="2001:db8:1:3::1")[0]["Location"] == "/kabar/"
    post.refresh_from_db()
    assert post.hidden_by_reports


def test_forwarded_for_is_ignored_without_trusted_proxies(client, post, settings):
    settings.TRUSTED_PROXY_HOPS = 0
    settings.REPORTS_TO_HIDE = 2
    for spoofed in ("198.51.100.1", "203.0.113.1", "192.0.2.1"):
        response = client.post(
            REPORT,
            {"reason": "hoaks", "details": ""},
            host=HOST,
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=spoofed,
        )
        assert response.status_code in (200, 302)
    assert Report.objects.count() == 1
    post.refresh_from_db()
    assert not post.hidden_by_reports


def test_forwarded_for_is_honoured_behind_one_trusted_proxy(client, post, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.REPORTS_TO_HIDE = 2
    for client_ip in ("198.51.100.1", "203.0.113.1"):
        response = client.post(
            REPORT,
            {"reason": "hoaks", "details": ""},
            host=HOST,
            REMOTE_ADDR="10.0.0.1",  # nginx
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_ip}",
        )
        assert response.status_code == 302
    assert Report.objects.count() == 2
    post.refresh_from_db()
    assert post.hidden_by_reports
