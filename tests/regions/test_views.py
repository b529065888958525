import re

import pytest

from regions.models import District, Village
from tests.factories import make_community

pytestmark = pytest.mark.django_db

# Session-less anonymous pages: the region, the paginator's count, one page of children, the
# verified KIMs grouped by child region (total and child counts), the first KIMs of the region,
# the region's latest posts and their card photos (tests/posts/test_public.py).
REGION_PAGE_QUERIES = 7


def test_province_index_lists_provinces_with_regency_counts(
    client, regions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jawa Timur" in body and "Jawa Barat" in body
    assert "2 kabupaten/kota" in body


def test_province_page_lists_its_regencies(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/jawa-timur/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kota Surabaya" in body and "Kabupaten Malang" in body
    assert "Kota Bandung" not in body
    assert 'href="/wilayah/jawa-timur/kota-surabaya/"' in body


def test_regency_page_has_breadcrumbs_and_districts(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/jawa-timur/kota-surabaya/")
    body = response.content.decode()
    assert 'href="/wilayah/jawa-timur/"' in body
    assert 'aria-current="page">Kota Surabaya' in body
    assert "Genteng" in body and "Dau" not in body


def test_district_page_lists_villages(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/jawa-timur/kota-surabaya/genteng/")
    body = response.content.decode()
    assert "Ketabang" in body and "Kapasari" in body and "Sumbersekar" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/tidak-ada/",
        "/wilayah/jawa-barat/kota-surabaya/",  # a real regency under the wrong province
        "/wilayah/jawa-timur/kota-surabaya/dau/",  # a real district under the wrong regency
        "/wilayah/jawa-timur/kota-surabaya/genteng/ketabang/",
    ],
)
def test_wrong_paths_are_404(client, regions, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_query_count_does_not_grow_with_children(client, regions, django_assert_max_num_queries):
    district = regions.genteng
    Village.objects.bulk_create(
        Village(
            code=f"35.78.09.2{i:03}",
            district=district,
            name=f"Desa {i}",
            slug=f"desa-{i}",
            kind="desa",
        )
        for i in range(150)
    )
    District.objects.bulk_create(
        District(code=f"35.78.{i:02}", regency=regions.surabaya, name=f"Kec {i}", slug=f"kec-{i}")
        for i in range(10, 90)
    )
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        first = client.get("/wilayah/jawa-timur/kota-surabaya/genteng/")
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        last = client.get("/wilayah/jawa-timur/kota-surabaya/genteng/?page=3")
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        regency = client.get("/wilayah/jawa-timur/kota-surabaya/?page=2")
    assert "Halaman 1 dari 3" in first.content.decode()
    assert "Halaman 3 dari 3" in last.content.decode()
    assert "Halaman 2 dari 2" in regency.content.decode()


# --- KIMs on the region pages ----------------------------------------------------------------


def kim(village, slug: str, *, status: str = "verified", n: int = 1, **fields):
    return make_community(
        village=village,
        slug=slug,
        name=f"KIM {slug.title()}",
        status=status,
        members=1,
        nomor_induk=village.code.replace(".", "")[:8] + f"{n:04d}"
        if status == "verified"
        else None,
        **fields,
    )


@pytest.fixture
def kims(regions):
    """Surabaya: 2 verified in Ketabang, 1 in Kapasari, 1 pending; Malang: 1; Bandung: 1."""
    r = regions
    kim(r.ketabang, "kim-satu", n=1)
    kim(r.ketabang, "kim-dua", n=2)
    kim(r.kapasari, "kim-tiga", n=3)
    kim(r.kapasari, "kim-menunggu", status="pending")
    kim(r.kapasari, "kim-beku", status="suspended")
    kim(r.sumbersekar, "kim-empat", n=4)
    kim(r.gegerkalong, "kim-lima", n=5)
    return r


def count_of(body: str, name: str) -> str:
    """The muted counts line of a child row, e.g. "1 kecamatan · 3 KIM"."""
    match = re.search(re.escape(name) + r'(?:</a>)?\s*<span class="muted">([^<]+)</span>', body)
    assert match, name
    return " ".join(match.group(1).split())


def test_province_index_shows_each_provinces_kim_count(client, kims):
    body = client.get("/wilayah/").content.decode()
    assert count_of(body, "Jawa Timur") == "2 kabupaten/kota · 4 KIM"
    assert count_of(body, "Jawa Barat") == "1 kabupaten/kota · 1 KIM"
    assert "5 KIM terverifikasi di 2 provinsi." in body
    assert 'href="/kim/"' in body


def test_province_page_counts_and_lists_its_kims(client, kims, django_assert_max_num_queries):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/jawa-timur/")
    body = response.content.decode()
    assert "KIM di Jawa Timur" in body
    assert "4 KIM terverifikasi" in body
    assert count_of(body, "Kota Surabaya") == "1 kecamatan · 3 KIM"
    assert count_of(body, "Kabupaten Malang") == "1 kecamatan · 1 KIM"
    for slug in ("kim-satu", "kim-dua", "kim-tiga", "kim-empat"):
        assert f'href="http://{slug}.localhost:8000/"' in body
    assert "kim-lima" not in body and "kim-menunggu" not in body and "kim-beku" not in body
    assert 'href="/kim/?provinsi=35"' in body


def test_regency_page_counts_districts_and_links_the_filtered_directory(client, kims):
    body = client.get("/wilayah/jawa-timur/kota-surabaya/").content.decode()
    assert "3 KIM terverifikasi" in body
    assert count_of(body, "Genteng") == "2 desa/kelurahan · 3 KIM"
    assert 'href="/kim/?provinsi=35&amp;kabupaten=35.78"' in body
    assert "kim-empat" not in body


def test_district_page_counts_villages(client, kims):
    body = client.get("/wilayah/jawa-timur/kota-surabaya/genteng/").content.decode()
    assert "3 KIM terverifikasi" in body
    assert count_of(body, "Ketabang") == "Kelurahan · 35.78.09.1003 · 2 KIM"
    assert count_of(body, "Kapasari") == "Kelurahan · 35.78.09.1005 · 1 KIM"
    assert 'href="/kim/?provinsi=35&amp;kabupaten=35.78"' in body


def test_region_without_kims_invites_a_sign_up(client, regions):
    body = client.get("/wilayah/jawa-barat/kota-bandung/").content.decode()
    assert "0 KIM terverifikasi" in body
    assert "Belum ada KIM terverifikasi di wilayah ini." in body
    assert 'href="http://kelola.localhost:8000/daftar/"' in body
    assert count_of(body, "Sukasari") == "1 desa/kelurahan · 0 KIM"


def test_forum_kims_count_in_their_regency_but_in_no_district(client, kims):
    forum = kim(kims.ketabang, "forum-kim-surabaya", n=99, kind="forum_regency")
    forum.village = forum.district = None
    forum.save()
    body = client.get("/wilayah/jawa-timur/kota-surabaya/").content.decode()
    assert "4 KIM terverifikasi" in body
    assert count_of(body, "Genteng") == "2 desa/kelurahan · 3 KIM"
    assert "forum-kim-surabaya.localhost" in body


def test_region_pages_list_the_first_twelve_kims_with_constant_queries(
    client, kims, django_assert_max_num_queries
):
    totals = {
        "/wilayah/": None,
        "/wilayah/jawa-timur/": 44,
        "/wilayah/jawa-timur/kota-surabaya/": 43,
        "/wilayah/jawa-timur/kota-surabaya/genteng/": 43,
    }
    for i in range(40):
        kim(kims.kapasari, f"kim-banyak-{i}", n=100 + i)
    for url, total in totals.items():
        with django_assert_max_num_queries(REGION_PAGE_QUERIES):
            body = client.get(url).content.decode()
        if total:
            assert len(re.findall(r'<article class="kim-card"', body)) == 12, url
            assert f"Lihat semua {total} KIM di direktori" in body, url
    assert count_of(body, "Kapasari") == "Kelurahan · 35.78.09.1005 · 41 KIM"
    body = client.get("/wilayah/").content.decode()
    assert count_of(body, "Jawa Timur") == "2 kabupaten/kota · 44 KIM"
