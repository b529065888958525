"""The staff dashboard on kelola (statistik/): an area's figures from the summary tables, the live
queues, and the per-KIM table with its sorting, filters, dormant flag and page cap."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from communities.models import Community
from posts.models import Post, PostRevision
from stats import dashboards
from stats.models import Level, RegionMonth
from stats.services import summaries_refresh
from tests.aspirations.helpers import make_aspirasi
from tests.factories import make_community, make_post, make_staff
from tests.stats.helpers_dashboards import make_activity, make_summary, make_world_summaries
from tests.support import require_services

pytestmark = pytest.mark.django_db

# Session, user, the device of the second step, staff scopes, the area's region, the area options
# (provinces, regencies of the scopes or of the area: at most two), the table's count, the
# summary, the months, four queue aggregates and the table's page: the same at any number of KIMs.
PAGE_QUERIES = 15
# Session, user, staff scopes, the area options, the rows on one cursor.
CSV_QUERIES = 5


def page(client, user, query: str = "") -> str:
    client.force_login(user)
    response = client.get(f"/statistik/{query}", kelola=True)
    assert response.status_code == 200
    return response.content.decode()


def table_names(html: str) -> list[str]:
    """The KIM names of the table's rows, in order."""
    return re.findall(r'<td class="stats-table__name"><a href="/verifikasi/\d+/">([^<]+)</a>', html)


_numbers = iter(range(10**6))


def add_kim(village, *, slug: str, name: str = "", members: int = 1) -> Community:
    """One more verified KIM (its own nomor induk: several may share a village here)."""
    return make_community(
        village=village, slug=slug, name=name, members=members,
        nomor_induk=f"99{next(_numbers):010d}",
    )  # fmt: skip


def grow(world, count: int) -> list[Community]:
    """`count` more verified KIMs in Kota Surabaya, each with an activity row."""
    communities = []
    for i in range(count):
        community = add_kim(world.regions.ketabang, slug=f"kim-tambah-{i}")
        make_activity(community, members=i)
        communities.append(community)
    return communities


# --- The area ---------------------------------------------------------------------------------


def test_each_staff_member_starts_at_their_widest_area(client, world):
    make_world_summaries(world)
    assert "<h1>Statistik KIM: Seluruh Indonesia</h1>" in page(client, world.national_admin)
    assert "<h1>Statistik KIM: Jawa Timur</h1>" in page(client, world.jatim_admin)
    assert "<h1>Statistik KIM: Kota Surabaya</h1>" in page(client, world.surabaya_admin)


def test_a_staff_member_with_several_scopes_picks_among_them(client, world):
    from accounts.models import StaffScope

    user = make_staff("dua-wilayah@example.id", "regency", regency=world.regions.bandung)
    StaffScope.objects.create(user=user, level="province", province=world.regions.jatim)
    make_world_summaries(world)
    html = page(client, user)
    assert "<h1>Statistik KIM: Jawa Timur</h1>" in html  # a province is wider than a regency
    assert '<option value="32.73">Kota Bandung</option>' in html
    assert '<option value="35" selected>Jawa Timur</option>' in html
    assert '<option value="35.78">Kota Surabaya</option>' in html  # drilling down
    assert 'value="32"' not in html and 'value="ID"' not in html  # never offered, not covered
    html = page(client, user, "?wilayah=32.73")
    assert table_names(html) == ["KIM Gegerkalong Sejahtera"]
    client.force_login(user)
    assert client.get("/statistik/?wilayah=32", kelola=True).status_code == 404


def test_a_national_admin_reaches_any_regency_typed_in_the_address(client, world):
    make_world_summaries(world)
    html = page(client, world.national_admin, "?wilayah=35.07")
    assert "<h1>Statistik KIM: Kabupaten Malang</h1>" in html
    assert '<option value="35.07" selected>Kabupaten Malang</option>' in html
    assert table_names(html) == []


# --- The figures ------------------------------------------------------------------------------


def test_shows_the_areas_summary_with_rates_and_when_it_was_computed(client, world):
    computed = timezone.now() - timedelta(hours=2)
    make_summary(
        Level.REGENCY, "35.78", kims_verified=40, kims_active_90d=30, members=412, villages=153,
        villages_with_kim=38, posts_public=1234, posts_by_kind={"umkm": 17, "hoaks": 6},
        hoax_published=6, siaran_targets=80, siaran_relays=60, aspirations_received=9,
        aspirations_answered=3, answer_median_hours=26.24, computed_at=computed,
    )  # fmt: skip
    html = page(client, world.surabaya_admin)
    local = timezone.localtime(computed)
    assert f'Dihitung <time datetime="{local.replace(microsecond=0).isoformat()}">' in html
    for label, value in (
        ("KIM terverifikasi", "40"), ("KIM aktif 90 hari", "30"), ("KIM dorman", "10"),
        ("Anggota", "412"), ("Cakupan desa", "24,8 per 100 desa"), ("Kabar tayang", "1.234"),
        ("Klarifikasi hoaks", "6"), ("Siaran diteruskan", "75%"), ("Aspirasi ditanggapi", "33%"),
        ("Median waktu tanggapan", "26,2 jam"),
    ):  # fmt: skip
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html, label
    assert "38 dari 153 desa/kelurahan" in html and "60 dari 80 sasaran" in html
    assert '<th scope="row">UMKM</th><td class="num">17</td>' in html
    assert '<th scope="row">Agenda</th><td class="num">0</td>' in html


def test_an_area_not_yet_computed_says_so(client, world):
    html = page(client, world.surabaya_admin)
    assert "Angka wilayah ini belum dihitung" in html
    assert "Dihitung <time" not in html
    assert "Belum ada angka per KIM untuk wilayah ini." in html


def test_posts_per_month_of_the_last_year_only(client, world):
    make_summary(Level.REGENCY, "35.78")
    this_month = timezone.localdate().replace(day=1)
    RegionMonth.objects.create(level="kabupaten", code="35.78", month=this_month, posts=41)
    RegionMonth.objects.create(
        level="kabupaten", code="35.78", month=this_month.replace(year=this_month.year - 2), posts=7
    )
    RegionMonth.objects.create(level="kabupaten", code="32.73", month=this_month, posts=99)
    html = page(client, world.surabaya_admin)
    assert re.search(r'<th scope="row">[^<]+</th><td class="num">41</td>', html)
    assert '<td class="num">7</td>' not in html and '<td class="num">99</td>' not in html


def test_posts_per_month_shows_exactly_twelve_months(client, world):
    from stats.services import month_start

    make_summary(Level.REGENCY, "35.78")
    today = timezone.localdate()
    for back, posts in ((11, 311), (12, 312)):  # the oldest month shown, and the one before it
        RegionMonth.objects.create(
            level="kabupaten", code="35.78", month=month_start(today, back), posts=posts
        )
    html = page(client, world.surabaya_admin)
    assert '<td class="num">311</td>' in html and '<td class="num">312</td>' not in html


def test_queues_are_live_and_limited_to_the_area(client, world):
    now = timezone.now()
    Community.objects.filter(pk=world.pending_a.pk).update(submitted_at=now - timedelta(days=5))
    make_post(world.kim_a, status="submitted", submitted_at=now - timedelta(days=3))
    make_post(world.kim_a, title="Dilaporkan", status="published", open_reports=1,
              submitted_at=now - timedelta(days=40))  # fmt: skip
    on_air = make_post(world.kim_b, title="Tayang B", status="published")
    revision = PostRevision.objects.create(
        community=world.kim_b, post=on_air, kind="berita", title="Usulan"
    )
    PostRevision.objects.filter(pk=revision.pk).update(created_at=now - timedelta(days=8))
    make_aspirasi(regency=world.regions.surabaya, created_at=now - timedelta(days=2))
    make_aspirasi(community=world.kim_b)
    make_aspirasi(community=world.kim_a, status="ditanggapi", answer="Sudah.")  # not open

    def queues(user) -> list[tuple[str, str, str]]:
        html = page(client, user)
        section = html[html.index('id="antrean"') : html.index('id="per-kim"')]
        return re.findall(
            r'<dt><a href="[^"]+">([^<]+)</a></dt><dd>(\d+)</dd>\s*(?:<dd class="small muted">'
            r"terlama menunggu ([^<]+)</dd>)?",
            section,
        )

    assert queues(world.surabaya_admin) == [
        ("Menunggu verifikasi", "1", "5\xa0hari"),
        ("Antrean moderasi", "2", "3\xa0hari"),  # the reported post counts, its age does not
        ("Aspirasi belum selesai", "1", "2\xa0hari"),
    ]
    assert queues(world.malang_admin) == [
        ("Menunggu verifikasi", "0", ""), ("Antrean moderasi", "0", ""),
        ("Aspirasi belum selesai", "0", ""),
    ]  # fmt: skip
    bandung = queues(world.bandung_admin)
    assert bandung[0][:2] == ("Menunggu verifikasi", "1")
    assert bandung[1] == ("Antrean moderasi", "1", "1\xa0minggu, 1\xa0hari")  # the revision
    assert bandung[2][:2] == ("Aspirasi belum selesai", "1")
    assert [q[1] for q in queues(world.national_admin)] == ["2", "3", "2"]
    assert Post.objects.count() == 3


def test_the_dashboard_reads_what_the_refresh_computed(client, world):
    """The beat task's figures over the shared world, read back by each level of staff."""
    make_post(world.kim_a, title="Kabar A", status="published")
    make_post(world.kim_a, title="Kabar lama A", status="published",
              published_at=timezone.now() - timedelta(days=120))  # fmt: skip
    make_post(world.kim_a, title="Draf A")
    summaries_refresh()
    html = page(client, world.surabaya_admin)
    assert "<dt>KIM terverifikasi</dt><dd>1</dd>" in html
    assert "<dt>KIM dorman</dt><dd>0</dd>" in html
    assert "<dt>Anggota</dt><dd>10</dd>" in html
    assert "<dt>Kabar tayang</dt><dd>2</dd>" in html
    assert "Dihitung <time" in html
    assert table_names(html) == ["KIM Ketabang Maju"]
    html = page(client, world.national_admin)
    assert (
        "<dt>KIM terverifikasi</dt><dd>2</dd>" in html and "<dt>KIM dorman</dt><dd>1</dd>" in html
    )
    assert table_names(html) == ["KIM Gegerkalong Sejahtera", "KIM Ketabang Maju"]
    assert table_names(page(client, world.national_admin, "?dorman=on")) == [
        "KIM Gegerkalong Sejahtera"
    ]
    row_a = html[html.index("KIM Ketabang Maju") :]
    row_a = row_a[: row_a.index("</tr>")]
    assert '<td data-label="Anggota" class="num">10</td>' in row_a
    assert '<td data-label="Kabar 90 hari" class="num">1</td>' in row_a
    assert "dorman" not in row_a
    assert table_names(page(client, world.bandung_admin)) == ["KIM Gegerkalong Sejahtera"]


# --- The per-KIM table ------------------------------------------------------------------------


def test_the_table_shows_each_kims_activity_and_flags_dormant_ones(client, world):
    now = timezone.now()
    make_activity(
        world.kim_a, members=23, last_post_at=now - timedelta(days=89), posts_90d=1,
        last_login_at=now - timedelta(days=2), siaran_received=8, siaran_relayed=6,
        aspirations_received=5, aspirations_answered=4,
    )  # fmt: skip
    html = page(client, world.national_admin)
    row = html[
        html.index("KIM Ketabang Maju") : html.index("</tr>", html.index("KIM Ketabang Maju"))
    ]
    assert f'<a href="/verifikasi/{world.kim_a.pk}/">KIM Ketabang Maju</a>' in html
    assert 'href="http://kim-ketabang.localhost:8000/"' in row
    assert '<td data-label="Kabupaten/kota">Kota Surabaya</td>' in row
    assert '<td data-label="Anggota" class="num">23</td>' in row
    assert "6/8" in row and "(75%)" in row and "4/5" in row
    assert "dorman" not in row  # a post 89 days ago
    make_activity(
        world.kim_b, last_post_at=now - timedelta(days=91), siaran_received=0, siaran_relayed=0
    )
    html = page(client, world.national_admin)
    row_b = html[html.index("KIM Gegerkalong") : html.index("</tr>", html.index("KIM Gegerkalong"))]
    assert '<span class="status status--dormant">dorman</span>' in row_b
    assert "0/0" in row_b and "%" not in row_b  # no siaran: no rate


def test_dormant_only_filter_and_a_kim_that_never_posted(client, world):
    make_activity(world.kim_a)
    make_activity(world.kim_b, last_post_at=None, posts_90d=0)
    stale = add_kim(world.regions.ketabang, slug="kim-lama", name="KIM Lama")
    make_activity(stale, last_post_at=timezone.now() - timedelta(days=200))
    assert table_names(page(client, world.national_admin, "?dorman=on")) == [
        "KIM Gegerkalong Sejahtera", "KIM Lama",
    ]  # fmt: skip
    html = page(client, world.national_admin, "?dorman=on")
    assert '<input type="checkbox" name="dorman" id="id_dorman" checked>' in html
    assert table_names(page(client, world.jatim_admin, "?dorman=on")) == ["KIM Lama"]


def test_filter_by_a_part_of_the_area(client, world):
    make_world_summaries(world)
    malang_kim = add_kim(world.regions.sumbersekar, slug="kim-malang", name="KIM Dau")
    make_activity(malang_kim)
    assert table_names(page(client, world.national_admin, "?provinsi=35")) == [
        "KIM Dau", "KIM Ketabang Maju",
    ]  # fmt: skip
    assert table_names(page(client, world.jatim_admin, "?kabupaten=35.07")) == ["KIM Dau"]
    html = page(client, world.jatim_admin, "?kabupaten=35.07")
    assert '<option value="35.07" selected>Kabupaten Malang</option>' in html
    # A part that is not the area's (left from another area) is ignored, never widened.
    assert table_names(page(client, world.jatim_admin, "?kabupaten=32.73")) == [
        "KIM Dau", "KIM Ketabang Maju",
    ]  # fmt: skip
    assert table_names(page(client, world.national_admin, "?wilayah=35.78&kabupaten=35.07")) == [
        "KIM Ketabang Maju"
    ]


@pytest.mark.parametrize(
    ("urut", "expected"),
    [
        ("", ["Alfa", "Bravo", "Charlie", "Delta"]),
        ("-nama", ["Delta", "Charlie", "Bravo", "Alfa"]),
        ("-anggota", ["Charlie", "Alfa", "Delta", "Bravo"]),
        ("anggota", ["Bravo", "Delta", "Alfa", "Charlie"]),
        ("-kabar_terakhir", ["Bravo", "Alfa", "Charlie", "Delta"]),  # never posted: last
        ("kabar_terakhir", ["Delta", "Charlie", "Alfa", "Bravo"]),  # never posted: first
        ("-masuk_terakhir", ["Delta", "Alfa", "Bravo", "Charlie"]),
        ("-kabar_90", ["Alfa", "Bravo", "Charlie", "Delta"]),
        ("-terusan", ["Bravo", "Alfa", "Charlie", "Delta"]),  # 3/4, 1/4, 0/2, no siaran
        ("-aspirasi", ["Delta", "Bravo", "Charlie", "Alfa"]),  # answered, then received
        # Not on the list: the default, never a column the client names.
        ("community__applicant__email", ["Alfa", "Bravo", "Charlie", "Delta"]),
        ("--anggota", ["Alfa", "Bravo", "Charlie", "Delta"]),
        ("-score_90d", ["Alfa", "Bravo", "Charlie", "Delta"]),
    ],
)
def test_sorting_by_each_column_and_only_by_those(client, world, urut, expected):
    now = timezone.now()
    rows = {
        "Alfa": dict(members=20, last_post_at=now - timedelta(days=5), posts_90d=9,
                     last_login_at=now - timedelta(days=3), siaran_received=4, siaran_relayed=1,
                     aspirations_answered=0, aspirations_received=0, score_90d=1),
        "Bravo": dict(members=5, last_post_at=now - timedelta(days=1), posts_90d=7,
                      last_login_at=now - timedelta(days=4), siaran_received=4, siaran_relayed=3,
                      aspirations_answered=1, aspirations_received=9, score_90d=50),
        "Charlie": dict(members=30, last_post_at=now - timedelta(days=100), posts_90d=5,
                        last_login_at=None, siaran_received=2, siaran_relayed=0,
                        aspirations_answered=1, aspirations_received=1, score_90d=3),
        "Delta": dict(members=10, last_post_at=None, posts_90d=0,
                      last_login_at=now - timedelta(days=1), siaran_received=0, siaran_relayed=0,
                      aspirations_answered=2, aspirations_received=2, score_90d=2),
    }  # fmt: skip
    for name, fields in rows.items():
        community = add_kim(world.regions.sumbersekar, slug=f"kim-{name.lower()}", name=name)
        make_activity(community, **fields)
    assert table_names(page(client, world.malang_admin, f"?urut={urut}")) == expected


def test_column_headers_toggle_the_order_and_say_it(client, world):
    make_activity(world.kim_a, last_post_at=None)  # dormant
    html = page(client, world.surabaya_admin, "?urut=-anggota&dorman=on")
    assert '<th scope="col" aria-sort="descending"><a href="?urut=anggota&amp;dorman=on">' in html
    assert '<th scope="col"><a href="?urut=nama&amp;dorman=on">KIM</a></th>' in html
    assert '<th scope="col"><a href="?urut=-kabar_90&amp;dorman=on">' in html
    assert '<input type="hidden" name="urut" value="-anggota" id="id_urut">' in html
    html = page(client, world.surabaya_admin)
    assert '<th scope="col" aria-sort="ascending"><a href="?urut=-nama">KIM' in html


def test_the_table_is_paginated_and_capped(client, world, monkeypatch):
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 2)
    monkeypatch.setattr(dashboards, "MAX_PAGES", 2)
    grow(world, 5)
    html = page(client, world.surabaya_admin, "?urut=anggota")
    assert table_names(html) == ["KIM Ketabang", "KIM Ketabang"]  # members 0, 1
    assert "Halaman 1 dari 2" in html and "Tabel hanya sampai halaman 100" in html
    assert "5 KIM" in html
    html = page(client, world.surabaya_admin, "?urut=anggota&page=9")  # past the cap: the last
    assert "Halaman 2 dari 2" in html
    assert 'href="?urut=anggota&amp;page=3"' not in html
    # The download link keeps the filters and drops the page: the CSV has every row.
    assert 'href="/statistik/unduh.csv?urut=anggota"' in html


def test_no_pagination_below_the_cap(client, world, monkeypatch):
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 2)
    grow(world, 3)
    html = page(client, world.surabaya_admin)
    assert "Halaman 1 dari 2" in html and "Tabel hanya sampai" not in html


# --- Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "query"),
    [
        ("national_admin", ""),
        ("national_admin", "?wilayah=35&kabupaten=35.78&urut=-terusan&dorman=on"),
        ("jatim_admin", "?urut=-kabar_terakhir"),
        ("surabaya_admin", "?page=2"),
    ],
)
def test_the_page_costs_the_same_queries_at_any_size(
    client, world, actor, query, django_assert_max_num_queries, django_assert_num_queries
):
    make_world_summaries(world)
    client.force_login(getattr(world, actor))
    with django_assert_max_num_queries(PAGE_QUERIES) as small:
        assert client.get(f"/statistik/{query}", kelola=True).status_code == 200
    grow(world, 60)
    make_post(world.kim_a, status="submitted")
    make_aspirasi(regency=world.regions.surabaya)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(f"/statistik/{query}", kelola=True).status_code == 200


def test_the_csv_costs_the_same_queries_at_any_size(
    client, world, django_assert_max_num_queries, django_assert_num_queries
):
    make_world_summaries(world)
    client.force_login(world.national_admin)
    with django_assert_max_num_queries(CSV_QUERIES) as small:
        response = client.get("/statistik/unduh.csv", kelola=True)
        assert len(b"".join(response.streaming_content).splitlines()) == 3
    grow(world, 60)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/statistik/unduh.csv", kelola=True)
        assert len(b"".join(response.streaming_content).splitlines()) == 63


@pytest.mark.parametrize("sort", ["nama", "-nama"])
def test_the_table_by_name_reads_a_page_of_an_index_without_sorting(world, sort):
    """The default order walks community_name_idx (either way) and stops after a page: no sort of
    every KIM of the nation (17 ms at 10,000 KIMs; 0.3 ms walking the index)."""
    require_services(postgresql=True)
    make_world_summaries(world)
    grow(world, 30)
    national = dashboards.Area(level=Level.NATIONAL, code="", name="Indonesia")
    sql, params = dashboards.activity_rows(national, sort=sort)[:20].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Tiny tables make a sort cheap; ask for the plan at scale, if an index allows one.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    text = json.dumps(plan)
    assert '"Node Type": "Sort"' not in text and '"Node Type": "Incremental Sort"' not in text
    assert '"Index Name": "community_name_idx"' in text


# --- Navigation -------------------------------------------------------------------------------


def test_staff_find_it_in_the_menu_and_on_their_dashboard(client, world):
    client.force_login(world.jatim_admin)
    home = client.get("/", kelola=True).content.decode()
    assert '<li><a href="/statistik/">Statistik</a></li>' in home
    assert "Statistik wilayah Anda" in home
    client.force_login(world.a_admin)
    home = client.get("/", kelola=True).content.decode()
    assert 'href="/statistik/"' not in home


def test_the_screen_links_to_its_guide(client, world):
    html = page(client, world.surabaya_admin)
    assert re.search(r'href="http://localhost(:\d+)?/panduan/statistik-wilayah/"', html)
