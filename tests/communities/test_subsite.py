"""A KIM's public subsite: pages, theme, privacy of the roster, 404s, redirects, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import services
from communities.models import Member
from communities.templatetags.theme import (
    NEAR_BLACK,
    WHITE,
    brand_css,
    contrast_ratio,
    contrast_text,
    darker_shade,
    relative_luminance,
    theme_for,
)
from communities.views.subsite import whatsapp_url
from tests.factories import make_community

HOST = "kim-ketabang.localhost"
# Anonymous subsite pages with the community cached: none for profil/kontak; beranda's latest
# posts (and their photos when there are posts, see tests/posts/test_public.py); the roster's
# paginator count and its page.
SUBSITE_PAGE_QUERIES = 2
PAGES = ["/", "/profil/", "/pengurus/", "/kontak/"]


# --- Theme: pure colour maths -------------------------------------------------------------


def test_contrast_ratio_of_known_pairs():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # Reference values from the WCAG contrast checker.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#0a5ca8", "#ffffff") == pytest.approx(6.75, abs=0.01)
    assert contrast_ratio("#ff0000", "#ffffff") == pytest.approx(4.0, abs=0.01)
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("brand", "text"),
    [
        ("#0a5ca8", WHITE),  # the default blue
        ("#000000", WHITE),
        ("#1e6b34", WHITE),  # dark green
        ("#b3261e", WHITE),  # dark red
        ("#ffffff", NEAR_BLACK),
        ("#ffff00", NEAR_BLACK),  # yellow
        ("#f2b705", NEAR_BLACK),  # amber
        ("#7fdbff", NEAR_BLACK),  # light blue
    ],
)
def test_contrast_text_picks_the_more_readable_of_white_and_near_black(brand, text):
    assert contrast_text(brand) == text
    other = NEAR_BLACK if text == WHITE else WHITE
    assert contrast_ratio(brand, text) >= contrast_ratio(brand, other)


@pytest.mark.parametrize("brand", ["#0a5ca8", "#ffff00", "#ffffff", "#f2b705", "#000000"])
def test_darker_shade_is_darker_and_readable_on_white(brand):
    shade = darker_shade(brand)
    assert relative_luminance(shade) <= relative_luminance(brand)
    assert contrast_ratio(shade, WHITE) >= 4.5
    if brand != "#000000":
        assert shade != brand


def test_darker_shade_of_a_dark_colour_is_twenty_percent_darker():
    # #0a5ca8 already reads on white: the minimum darkening (×0.8 per channel) is enough.
    assert darker_shade("#0a5ca8") == "#084a86"


def test_theme_for_falls_back_on_a_malformed_colour():
    assert theme_for("red").brand == "#0a5ca8"
    assert theme_for("#ABCDEF").brand == "#abcdef"
    css = brand_css("#ffff00")
    assert css.startswith("--brand:#ffff00;--brand-dark:#")
    assert f"--brand-contrast:{NEAR_BLACK};" in css
    assert brand_css('#000000"><script>') == theme_for("").css()


@pytest.mark.parametrize(
    ("number", "url"),
    [
        ("0812-3456-7890", "https://wa.me/6281234567890"),
        ("+62 812 3456 7890", "https://wa.me/6281234567890"),
        ("6281234567890", "https://wa.me/6281234567890"),
        ("81234567890", "https://wa.me/6281234567890"),
        ("", ""),
        ("12", ""),
    ],
)
def test_whatsapp_url_normalises_indonesian_numbers(number, url):
    assert whatsapp_url(number) == url


# --- Pages ---------------------------------------------------------------------------------


@pytest.fixture
def kim(world):
    """KIM A with a filled-in profile."""
    community = world.kim_a
    community.tagline = "Kabar warga Ketabang, dari warga"
    community.about = "Kami warga Ketabang yang berbagi informasi.\nSetiap pekan kami berkumpul."
    community.vision = "Warga Ketabang yang melek informasi"
    community.mission = "Menyebarkan informasi publik\nMelawan hoaks <b>bersama</b>"
    community.focus_sectors = ["umkm", "literasi_digital", "tidak-ada-lagi"]
    community.brand_colour = "#1e6b34"
    community.whatsapp = "0812-3456-7890"
    community.email = "kim.ketabang@example.id"
    community.website = "https://ketabang.example.id/"
    community.instagram = "https://instagram.com/kimketabang"
    community.street_address = "Jl. Jaksa Agung Suprapto 2"
    community.save()
    return community


def get(client, path="/", host=HOST):
    response = client.get(path, host=host)
    return response, response.content.decode()


def test_theme_stylesheet_carries_the_brand_colours_and_is_cached(client, kim):
    response, css = get(client, "/tema.css?v=1-1e6b34")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert css == (
        f"body.subsite{{--brand:#1e6b34;--brand-dark:{darker_shade('#1e6b34')};"
        "--brand-contrast:#ffffff;}\n"
    )
    assert "max-age=31536000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert not response.cookies


def test_theme_stylesheet_of_an_old_address_serves_todays_colour_briefly(client, kim):
    response, css = get(client, "/tema.css?v=1-0a5ca8")
    assert "--brand:#1e6b34;" in css
    assert (
        "max-age=300" in response["Cache-Control"] and "immutable" not in response["Cache-Control"]
    )


def test_home_shows_identity_theme_and_sections(client, kim):
    response, body = get(client)
    assert response.status_code == 200
    assert response.wsgi_request.site.community == kim
    assert "<title>KIM Ketabang Maju · kim.id</title>" in body
    assert '<h1 class="kim-hero__name">KIM Ketabang Maju</h1>' in body
    assert "Kabar warga Ketabang, dari warga" in body
    assert "Terverifikasi · No. induk 35.78.09.1003.01" in body
    # The theme is the subsite's own stylesheet, addressed by its colour (no inline <style>).
    assert '<link rel="stylesheet" href="/tema.css?v=1-1e6b34">' in body
    assert "<style" not in body
    assert "css/subsite.css" in body
    # Region path, the regency and the province linking to the portal's region pages.
    assert "Kelurahan Ketabang" in body and "Kecamatan Genteng" in body
    assert 'href="http://localhost:8000/wilayah/jawa-timur/kota-surabaya/"' in body
    assert 'href="http://localhost:8000/wilayah/jawa-timur/"' in body
    # Sections: about, focus sectors (unknown values skipped), no posts yet, contact CTA.
    assert "Kami warga Ketabang yang berbagi informasi." in body
    assert "UMKM" in body and "Literasi digital" in body and "tidak-ada-lagi" not in body
    assert "Kegiatan terbaru" in body and "Belum ada kegiatan" in body
    assert 'href="https://wa.me/6281234567890"' in body
    assert 'href="/kontak/"' in body
    # Open Graph, navigation, footer back to the portal.
    assert '<meta property="og:title" content="KIM Ketabang Maju">' in body
    assert '<meta property="og:description" content="Kabar warga Ketabang, dari warga">' in body
    assert '<meta property="og:url" content="http://kim-ketabang.localhost/">' in body
    assert '<a href="/" aria-current="page">Beranda</a>' in body
    assert 'href="/pengurus/"' in body
    assert "Kembali ke kim.id" in body and 'href="http://localhost:8000/"' in body
    assert "Data wilayah: Kepmendagri" in body


def test_profile_keeps_line_breaks_and_escapes_text(client, kim):
    response, body = get(client, "/profil/")
    assert response.status_code == 200
    assert "<title>Profil · KIM Ketabang Maju · kim.id</title>" in body
    assert '<meta property="og:title" content="Profil · KIM Ketabang Maju">' in body
    assert "<p>Menyebarkan informasi publik<br>Melawan hoaks &lt;b&gt;bersama&lt;/b&gt;</p>" in body
    assert "<b>bersama</b>" not in body
    assert "Warga Ketabang yang melek informasi" in body
    assert "Kami warga Ketabang yang berbagi informasi.<br>Setiap pekan" in body
    assert "35.78.09.1003.01" in body
    assert "Jl. Jaksa Agung Suprapto 2" in body and "Provinsi Jawa Timur" in body
    assert re.search(r"Terverifikasi sejak</dt><dd><time datetime=\"[^\"]+\">\d+ \w+ \d{4}", body)
    assert '<a href="/profil/" aria-current="page">Profil</a>' in body


def test_profile_of_an_empty_kim_says_so(client, world):
    response, body = get(client, "/profil/", host="kim-gegerkalong.localhost")
    assert response.status_code == 200
    assert body.count("Belum diisi.") == 3
    # Without a tagline or about, the description names the KIM and its place.
    assert (
        '<meta name="description" content="KIM Gegerkalong Sejahtera, Kelompok Informasi '
        'Masyarakat di Gegerkalong, Sukasari, Kota Bandung, Jawa Barat.">'
    ) in body


def test_roster_lists_names_and_positions_core_first_never_phones(client, kim, world):
    Member.objects.create(
        community=kim, name="Sri Bendahara", position="bendahara", phone="0813999000", sort_order=50
    )
    Member.objects.create(
        community=kim,
        name="Budi Humas",
        position="seksi",
        position_detail="Seksi Humas",
        phone="0813999111",
        sort_order=51,
    )
    Member.objects.create(
        community=kim,
        name="Siti Sekretaris",
        position="sekretaris",
        phone="0813999222",
        sort_order=60,
        user=world.a_admin,
    )
    response, body = get(client, "/pengurus/")
    assert response.status_code == 200
    assert "<title>Pengurus · KIM Ketabang Maju · kim.id</title>" in body
    assert "13 orang pengurus dan anggota." in body
    names = re.findall(r'<span class="roster__name">([^<]+)</span>', body)
    assert names[:4] == ["Anggota 0 kim-ketabang", "Siti Sekretaris", "Sri Bendahara", "Budi Humas"]
    assert len(names) == 13
    assert "Seksi Humas" in body and "Seksi · Seksi Humas" not in body
    assert "Ketua" in body and "Sekretaris" in body
    # Phones and linked accounts are private.
    assert "0812000" not in body and "0813999" not in body
    assert world.a_admin.email not in body and "Admin A" not in body


def test_contact_page_links_whatsapp_email_web_and_social(client, kim):
    response, body = get(client, "/kontak/")
    assert response.status_code == 200
    assert '<a href="https://wa.me/6281234567890" rel="noopener">0812-3456-7890</a>' in body
    assert '<a href="mailto:kim.ketabang@example.id">kim.ketabang@example.id</a>' in body
    assert '<a href="https://ketabang.example.id/" rel="noopener">' in body
    assert '<a href="https://instagram.com/kimketabang" rel="noopener">Instagram</a>' in body
    assert "Facebook" not in body  # not filled in
    assert "Jl. Jaksa Agung Suprapto 2<br>" in body
    assert "Kelurahan Ketabang<br>" in body and "Kecamatan Genteng<br>" in body
    assert "Kota Surabaya<br>" in body and "Provinsi Jawa Timur" in body


def test_contact_page_without_contacts(client, world):
    response, body = get(client, "/kontak/", host="kim-gegerkalong.localhost")
    assert response.status_code == 200
    assert "belum mencantumkan kontak" in body
    assert "wa.me" not in body and "Media sosial" not in body


def test_forum_kim_has_no_village_and_no_nomor_induk(client, world):
    forum = make_community(
        village=world.regions.ketabang,
        slug="forum-kim-surabaya",
        name="Forum KIM Kota Surabaya",
        kind="forum_regency",
        nomor_induk="forum",  # replaced below: a forum has none
    )
    forum.village = forum.district = None
    forum.nomor_induk = None
    forum.save()
    for path in PAGES:
        response, body = get(client, path, host="forum-kim-surabaya.localhost")
        assert response.status_code == 200, path
    assert "Forum KIM kabupaten/kota" in body
    assert "No. induk" not in body and "Kelurahan" not in body
    assert "Kota Surabaya" in body


def test_logo_and_cover_are_shown_and_used_as_og_image(client, kim):
    kim.logo.name = "kim/logo/ketabang.png"
    kim.cover.name = "kim/sampul/ketabang.jpg"
    kim.save()
    _, body = get(client)
    assert '<img src="/media/kim/logo/ketabang.png" alt=""' in body
    assert '<img class="kim-hero__cover" src="/media/kim/sampul/ketabang.jpg" alt="">' in body
    assert (
        '<meta property="og:image" content="http://kim-ketabang.localhost/media/kim/sampul/ketabang.jpg">'
    ) in body


# --- Who gets a subsite ----------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_pending_kim_has_no_subsite(client, world, path):
    response, body = get(client, path, host="kim-kapasari.localhost")
    assert response.status_code == 404
    assert "Situs KIM ini tidak ditemukan" in body


@pytest.mark.parametrize("status", ["rejected", "suspended", "draft"])
def test_rejected_suspended_and_draft_kims_have_no_subsite(client, world, status):
    world.pending_a.status = status
    world.pending_a.save()
    for path in PAGES:
        response, body = get(client, path, host="kim-kapasari.localhost")
        assert response.status_code == 404
        assert "Situs KIM ini tidak ditemukan" in body
        assert "KIM Kapasari" not in body


def test_suspending_takes_the_subsite_down(client, world, django_capture_on_commit_callbacks):
    assert get(client)[0].status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the cached lookup drops on commit
        services.community_suspend(community=world.kim_a, actor=world.surabaya_admin, reason="Uji")
    assert get(client)[0].status_code == 404


def test_unknown_kim_and_unknown_page(client, world):
    response, body = get(client, host="kim-tidak-ada.localhost")
    assert response.status_code == 404 and "Situs KIM ini tidak ditemukan" in body
    response, body = get(client, "/tidak-ada/")
    assert response.status_code == 404 and "Halaman tidak ditemukan" in body


def test_renamed_kim_redirects_from_its_old_slug_with_the_same_path(client, world):
    services.community_change_slug(
        community=world.kim_a, actor=world.surabaya_admin, new_slug="kim-ketabang-maju"
    )
    response = client.get("/pengurus/?page=1", host=HOST)
    assert response.status_code == 301
    assert response["Location"] == "http://kim-ketabang-maju.localhost:8000/pengurus/?page=1"
    response, body = get(client, "/pengurus/", host="kim-ketabang-maju.localhost")
    assert response.status_code == 200 and "KIM Ketabang Maju" in body


def test_other_kims_pages_show_their_own_data(client, kim, world):
    _, body = get(client, "/pengurus/", host="kim-gegerkalong.localhost")
    assert "KIM Gegerkalong Sejahtera" in body
    assert "kim-ketabang" not in body and "Kabar warga Ketabang" not in body


# --- Query counts --------------------------------------------------------------------------


def _queries(client, path, host=HOST) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, host=host)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def test_second_request_costs_no_host_lookup(client, kim, django_assert_num_queries):
    first = _queries(client, "/profil/")
    assert first == 1  # the host lookup, then the community is cached
    with django_assert_num_queries(0):
        response = client.get("/profil/", host=HOST)
    assert response.status_code == 200
    # Another page of the same KIM: the cached community again, only the roster's own queries.
    assert _queries(client, "/pengurus/") == 2


def test_query_counts_stay_constant_as_data_grows(client, kim, world):
    client.get("/", host=HOST)  # warm the host cache
    before = {path: _queries(client, path) for path in PAGES}
    assert max(before.values()) <= SUBSITE_PAGE_QUERIES
    Member.objects.bulk_create(
        Member(community=kim, name=f"Warga {i}", position="anggota", sort_order=20 + i)
        for i in range(50)
    )
    for i in range(50):
        make_community(
            village=world.regions.kapasari,
            slug=f"kim-lain-{i}",
            name=f"KIM Lain {i}",
            members=3,
            nomor_induk=f"3578091005{i:02d}",
        )
    after = {path: _queries(client, path) for path in PAGES}
    assert after == before
    _, body = get(client, "/pengurus/")
    assert "60 orang pengurus dan anggota." in body
    # A cold cache costs exactly one more query (the host lookup), whatever the data.
    from django.core.cache import cache

    cache.clear()
    assert _queries(client, "/pengurus/") == before["/pengurus/"] + 1
