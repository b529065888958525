"""/privasi/: the privacy notice (UU 27/2022) on the portal, and the links that lead to it."""

import re

import pytest

from kimportal.lib import page_cache
from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import host_for
from tests.communities.test_signup import request_link
from tests.support import require_services
from tests.test_html_valid import validate

pytestmark = pytest.mark.django_db

KIM_A = host_for(SiteKind.COMMUNITY, "kim-ketabang")
PRIVACY_LINK = re.compile(r'<a href="http://localhost(:\d+)?/privasi/">Lihat Kebijakan Privasi</a>')


def text_of(response) -> str:
    """The page's text without tags or line breaks, to find a sentence whatever its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_notice_is_a_public_cached_page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):  # settings only: no query at all
        response = client.get("/privasi/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
    assert response.page_scopes == (page_cache.NATIONAL,)  # stored by the whole-page cache
    assert not response.cookies
    page = response.content.decode()
    assert "<h1>Kebijakan Privasi</h1>" in page and "csrfmiddlewaretoken" not in page
    assert "Undang-Undang Nomor 27 Tahun 2022" in page


def test_the_second_visitor_gets_it_from_the_page_cache(client, settings, page_cache_on):
    require_services(redis=True)
    assert client.get("/privasi/")["X-Page-Cache"] == "miss"
    assert client.get("/privasi/")["X-Page-Cache"] == "hit"


def test_it_names_what_is_collected_why_who_sees_it_and_the_rights(client):
    page = text_of(client.get("/privasi/"))
    for thing in ("Nama lengkap, alamat email", "nomor HP", "Pindaian SK", "Aspirasi",
                  "kunci hash berkunci", "/24 untuk IPv4, /64 untuk IPv6",
                  "Log server"):  # fmt: skip
        assert thing in page, thing
    for basis in ("Dasar pemrosesan", "Persetujuan Anda", "Kepentingan yang sah",
                  "tugas pelayanan publik"):  # fmt: skip
        assert basis in page, basis
    assert "Nomor HP hanya dilihat admin KIM dan staf Diskominfo" in page
    # Rights, with the account's own page for the download and the deletion.
    for right in ("Mengakses dan mengunduh data Anda", "Memperbaiki data", "Menghapus akun",
                  "Menolak atau membatasi pemrosesan"):  # fmt: skip
        assert right in page, right
    assert page.count("di halaman Akun") == 2
    html = client.get("/privasi/").content.decode()
    assert (
        len(re.findall(r'<a href="http://kelola\.localhost(:\d+)?/akun/">halaman Akun</a>', html))
        == 2
    )
    assert re.search(r'href="http://localhost(:\d+)?/aspirasi/lacak/"', html)


def test_the_retention_periods_shown_are_the_settings(client, settings):
    page = text_of(client.get("/privasi/"))
    assert "dihapus setelah 90 hari tanpa perubahan" in page  # roster phones of rejected sign-ups
    assert "dihapus 90 hari setelah penolakan" in page  # SK scans
    assert "dihapus 180 hari setelah aspirasi ditanggapi" in page
    assert "dihapus 30 hari setelah kedaluwarsa" in page  # invitations
    assert "dihapus setelah 15 menit" in page  # failed sign-ins: LOGIN_COOLOFF_MINUTES
    assert "Sesi masuk berakhir setelah 14 hari" in page  # SESSION_COOKIE_AGE
    assert "Paling lama 30 hari" in page  # server logs

    settings.RETENTION_REJECTED_SIGNUP_DAYS = 45
    settings.RETENTION_ASPIRATION_CONTACT_DAYS = 365
    settings.RETENTION_INVITATION_DAYS = 7
    settings.LOGIN_COOLOFF_MINUTES = 20
    settings.SESSION_COOKIE_AGE = 3 * 86400
    settings.RETENTION_SERVER_LOG_DAYS = 60
    page = text_of(client.get("/privasi/"))
    assert "dihapus setelah 45 hari tanpa perubahan" in page
    assert "dihapus 45 hari setelah penolakan" in page
    assert "dihapus 365 hari setelah aspirasi ditanggapi" in page
    assert "dihapus 7 hari setelah kedaluwarsa" in page
    assert "dihapus setelah 20 menit" in page
    assert "Sesi masuk berakhir setelah 3 hari" in page
    assert "Paling lama 60 hari" in page
    assert "90 hari" not in page and "180 hari" not in page


def test_the_contact_address_comes_from_the_settings(client, settings):
    assert 'href="mailto:privasi@kim.id"' in client.get("/privasi/").content.decode()
    settings.PRIVACY_CONTACT_EMAIL = "dpo@kominfo.example.id"
    page = client.get("/privasi/").content.decode()
    assert 'href="mailto:dpo@kominfo.example.id"' in page and "privasi@kim.id" not in page


def test_the_portal_footer_links_to_it(client):
    for path in ("/", "/kim/", "/data/"):
        page = client.get(path).content.decode()
        footer = page[page.index('<footer class="site-footer">') :]
        assert re.search(
            r'<a href="http://localhost(:\d+)?/privasi/">Kebijakan Privasi</a>', footer
        )


def test_every_form_that_collects_personal_data_links_to_it(
    client, world, django_capture_on_commit_callbacks
):
    forms = {
        "aspirasi to a regency": client.get("/aspirasi/kirim/"),
        "aspirasi to a KIM": client.get("/aspirasi/", host=KIM_A),
        "sign-up: account": client.get("/daftar/", kelola=True),
    }
    link = request_link(client, django_capture_on_commit_callbacks, "warga.baru@example.id")
    forms["sign-up: password"] = client.get(link, kelola=True)
    client.force_login(world.outsider)
    client.post("/daftar/", {}, kelola=True)
    draft = world.outsider.applications.get()
    forms["sign-up: SK"] = client.get(f"/daftar/{draft.pk}/sk/", kelola=True)
    forms["sign-up: roster"] = client.get(f"/daftar/{draft.pk}/anggota/", kelola=True)
    for label, response in forms.items():
        assert response.status_code == 200, label
        assert PRIVACY_LINK.search(response.content.decode()), label


def test_the_notice_is_valid_html(client, tmp_path):
    errors = validate({"privacy notice": client.get("/privasi/").content.decode()}, tmp_path)
    assert errors == [], "\n".join(errors)
