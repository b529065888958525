"""The portal's KIM directory at /kim/: verified KIMs only, filters, search, pagination."""

import re

import pytest

from tests.factories import make_community

pytestmark = pytest.mark.django_db

# Province choices, the chosen province's regencies, the paginator's count and one page.
DIRECTORY_QUERIES = 4


def names(body: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', body)


def get(client, query: str = ""):
    response = client.get(f"/kim/{query}")
    assert response.status_code == 200
    return response.content.decode()


def many_kims(world, n: int, *, village=None, prefix: str = "kim-banyak") -> None:
    village = village or world.regions.kapasari
    for i in range(n):
        make_community(
            village=village,
            slug=f"{prefix}-{i}",
            name=f"KIM Banyak {i:02d}",
            members=1,
            nomor_induk=village.code.replace(".", "")[:8] + f"9{i:03d}",
        )


def test_lists_only_verified_kims_as_cards_linking_to_subsites(client, world):
    world.kim_b.status = "suspended"
    world.kim_b.save()
    body = get(client)
    assert names(body) == ["KIM Ketabang Maju"]
    assert "1 KIM ditemukan</h2>" in body
    assert '<a href="http://kim-ketabang.localhost:8000/">KIM Ketabang Maju</a>' in body
    assert "Kelurahan Ketabang" in body and "Kota Surabaya, Jawa Timur" in body
    assert "KIM Kapasari" not in body and "KIM Geger Dua" not in body  # pending
    assert "<title>Direktori KIM · kim.id</title>" in body


def test_filter_by_province_and_regency(client, world):
    make_community(village=world.regions.sumbersekar, slug="kim-sumbersekar", name="KIM Dau Raya")
    assert names(get(client)) == ["KIM Dau Raya", "KIM Gegerkalong Sejahtera", "KIM Ketabang Maju"]
    assert names(get(client, "?provinsi=32")) == ["KIM Gegerkalong Sejahtera"]
    assert names(get(client, "?provinsi=35")) == ["KIM Dau Raya", "KIM Ketabang Maju"]
    body = get(client, "?provinsi=35&kabupaten=35.78")
    assert names(body) == ["KIM Ketabang Maju"]
    assert '<option value="35.78" selected>Kota Surabaya</option>' in body
    assert names(get(client, "?wilayah=35.78")) == ["KIM Ketabang Maju"]
    assert names(get(client, "?wilayah=35")) == ["KIM Dau Raya", "KIM Ketabang Maju"]


def test_one_select_offers_every_province_and_regency_grouped(client, world):
    # Issue 11: a regency is picked in one submit, without choosing its province first.
    body = get(client)
    assert '<optgroup label="Jawa Timur">' in body and '<optgroup label="Jawa Barat">' in body
    assert '<option value="35">Seluruh Jawa Timur</option>' in body
    assert '<option value="32.73">Kota Bandung</option>' in body
    body = get(client, "?wilayah=35")
    assert '<option value="35" selected>Seluruh Jawa Timur</option>' in body


def test_a_regency_left_over_from_another_province_is_dropped(client, world):
    # An older link naming a province and another province's regency: the province's list.
    body = get(client, "?provinsi=32&kabupaten=35.78")
    assert names(body) == ["KIM Gegerkalong Sejahtera"]
    assert 'role="alert"' not in body
    assert '<option value="32" selected>' in body


def test_a_regency_alone_implies_its_province(client, world):
    body = get(client, "?kabupaten=32.73")
    assert names(body) == ["KIM Gegerkalong Sejahtera"]
    assert '<option value="32.73" selected>Kota Bandung</option>' in body


def test_an_unknown_province_is_reported_and_ignored(client, world):
    body = get(client, "?provinsi=99")
    assert 'role="alert"' in body
    assert "Periksa kembali isian Anda." in body
    assert len(names(body)) == 2


def test_search_by_name_and_by_village(client, world):
    make_community(village=world.regions.sumbersekar, slug="kim-sumbersekar", name="KIM Dau Raya")
    assert names(get(client, "?q=sejahtera")) == ["KIM Gegerkalong Sejahtera"]
    body = get(client, "?q=Sumbersekar")
    assert names(body) == ["KIM Dau Raya"]
    assert 'value="Sumbersekar"' in body
    assert "1 KIM ditemukan</h2>" in body
    body = get(client, "?q=tidak+ada+yang+cocok")
    assert (
        names(body) == [] and "Tidak ada KIM yang cocok" in body and "0 KIM ditemukan</h2>" in body
    )
    assert names(get(client, "?provinsi=32&q=ketabang")) == []


def test_forum_badge(client, world):
    make_community(
        village=world.regions.ketabang,
        slug="forum-kim-surabaya",
        name="Forum KIM Kota Surabaya",
        kind="forum_regency",
        nomor_induk="x",
    )
    body = get(client, "?q=forum")
    assert names(body) == ["Forum KIM Kota Surabaya"]
    assert '<span class="kim-badge">Forum KIM kabupaten/kota</span>' in body
    assert "Forum KIM kabupaten/kota" not in get(client, "?q=ketabang+maju")


def test_pagination_keeps_the_filters(client, world):
    many_kims(world, 30)
    body = get(client, "?provinsi=35&kabupaten=35.78")
    assert "31 KIM ditemukan</h2>" in body
    first = names(body)
    assert len(first) == 24
    assert 'rel="prev"' not in body
    after = re.search(
        r'rel="next" href="\?provinsi=35&amp;kabupaten=35.78&amp;setelah=([\w-]+)"', body
    )
    assert after, "the next link keeps the filters"
    body = get(client, f"?provinsi=35&kabupaten=35.78&setelah={after[1]}")
    second = names(body)
    assert len(second) == 7 and 'rel="next"' not in body
    assert "31 KIM ditemukan</h2>" in body
    assert not set(first) & set(second)
    before = re.search(
        r'rel="prev" href="\?provinsi=35&amp;kabupaten=35.78&amp;sebelum=([\w-]+)"', body
    )
    assert before, "the previous link keeps the filters"
    assert names(get(client, f"?provinsi=35&kabupaten=35.78&sebelum={before[1]}")) == first
    # The search term is kept too; a filter left over from another province is not.
    body = get(client, "?q=banyak&provinsi=32&kabupaten=35.78")
    assert "0 KIM ditemukan</h2>" in body
    body = get(client, "?q=banyak")
    assert 'href="?q=banyak&amp;setelah=' in body


def test_a_bad_cursor_gives_the_first_page(client, world):
    many_kims(world, 30)
    first = names(get(client))
    for cursor in ("x", "%00", "WzEsMl0", "bm90IGpzb24", "W251bGwsMV0", "WyJhIiwtMV0", "A" * 500):
        assert names(get(client, f"?setelah={cursor}")) == first, cursor
        assert names(get(client, f"?sebelum={cursor}")) == first, cursor


def test_query_count_is_constant_with_many_kims(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        get(client, "?provinsi=35&kabupaten=35.78")
    many_kims(world, 60)
    many_kims(world, 5, village=world.regions.gegerkalong, prefix="kim-bandung")
    for query in ("", "?provinsi=35&kabupaten=35.78", "?provinsi=35&page=3", "?q=banyak&page=2"):
        with django_assert_max_num_queries(DIRECTORY_QUERIES):
            body = get(client, query)
        assert len(names(body)) > 0, query


def test_portal_nav_links_to_the_directory_and_sign_up(client, world):
    body = get(client)
    assert '<a href="http://localhost:8000/kim/">Direktori KIM</a>' in body
    assert '<a href="http://kelola.localhost:8000/daftar/">Daftarkan KIM</a>' in body


# --- Portal home ---------------------------------------------------------------------------

# The totals (one grouped query), the newest KIMs, the latest posts and their card photos; the
# provinces' statistics summaries (the map, tests/stats/test_pages.py).
HOME_QUERIES = 4 + 1


def test_portal_home_shows_totals_newest_kims_and_links(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from communities.models import Community

    many_kims(world, 8)
    now = timezone.now()
    for community in Community.objects.filter(slug__startswith="kim-banyak"):
        community.verified_at = now - timedelta(days=100 - int(community.slug.rsplit("-", 1)[1]))
        community.save()
    Community.objects.filter(pk=world.kim_a.pk).update(verified_at=now - timedelta(days=365))
    Community.objects.filter(pk=world.kim_b.pk).update(verified_at=now)  # the newest
    body = client.get("/").content.decode()
    assert "<strong>10</strong> KIM terverifikasi" in body
    assert "<strong>2</strong> provinsi memiliki KIM" in body
    assert names(body) == [
        "KIM Gegerkalong Sejahtera",
        "KIM Banyak 07",
        "KIM Banyak 06",
        "KIM Banyak 05",
        "KIM Banyak 04",
        "KIM Banyak 03",
    ]
    assert 'href="/kim/"' in body and 'href="/wilayah/"' in body
    assert 'class="button button--secondary" href="http://kelola.localhost:8000/daftar/"' in body
    assert "Kabar terbaru" in body and "Belum ada kabar dari KIM" in body
    assert "KIM Kapasari" not in body  # pending


def test_portal_home_without_kims(client, regions):
    body = client.get("/").content.decode()
    assert "<strong>0</strong> KIM terverifikasi" in body
    assert "Belum ada KIM terverifikasi." in body


def test_portal_home_queries_are_bounded(
    client, world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_max_num_queries(HOME_QUERIES):
        client.get("/")
    with django_capture_on_commit_callbacks(execute=True):  # the counts are cached
        many_kims(world, 60)
    with django_assert_max_num_queries(HOME_QUERIES):
        body = client.get("/").content.decode()
    assert "<strong>62</strong> KIM terverifikasi" in body
    assert len(names(body)) == 6
