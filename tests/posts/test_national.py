"""The portal's national lists (issue 9): every KIM's hoax clarifications at /hoaks/ and UMKM
products at /umkm/, with their filters, pagination, caching and query plans."""

import json
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from posts import services
from posts.public_selectors import LIST_KEYSET
from tests.factories import make_post
from tests.kimportal.test_public_lists import (
    LIST_PLANNER_OFF,
    PLANNER_OFF,
    _plan_nodes,
    captured,
    unindexed_scans,
)
from tests.support import require_services

pytestmark = pytest.mark.django_db

KIM_A = 'href="http://kim-ketabang.localhost:8000/kabar/'
KIM_B = 'href="http://kim-gegerkalong.localhost:8000/kabar/'


def hoax(community, title, *, verdict="hoaks", minutes_ago=10, **fields):
    fields.setdefault("claim", f"Klaim {title}")
    fields.setdefault("sources", "Keterangan petugas kelurahan")
    return make_post(
        community,
        title=title,
        kind="hoaks",
        status=fields.pop("status", "published"),
        verdict=verdict,
        published_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def product(community, title, *, category="kuliner", minutes_ago=10, **fields):
    return make_post(
        community,
        title=title,
        kind="umkm",
        status=fields.pop("status", "published"),
        umkm_category=category,
        published_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def titles(body: str) -> list[str]:
    return re.findall(r'<h2 class="(?:hoax|umkm)-item__title"><a href="[^"]+">([^<]+)</a>', body)


# --- /hoaks/ ------------------------------------------------------------------------------------


def test_hoax_list_shows_every_kims_clarifications_newest_first(client, world):
    hoax(world.kim_a, "Air padam tiga hari", minutes_ago=30, claim="Air PDAM padam tiga hari.")
    hoax(world.kim_b, "Gempa malam ini", verdict="belum_terbukti", minutes_ago=5)
    body = page(client, "/hoaks/")
    assert titles(body) == ["Gempa malam ini", "Air padam tiga hari"]
    # The claim, the KIM (linking to its subsite), the date.
    assert "Air PDAM padam tiga hari." in body
    assert f'{KIM_A}air-padam-tiga-hari/">' in body and f'{KIM_B}gempa-malam-ini/">' in body
    assert world.kim_a.name in body and world.kim_b.name in body
    assert re.search(r'<time datetime="[^"]+">\d{1,2} \w+ \d{4}</time>', body)


@pytest.mark.parametrize(
    ("verdict", "label", "icon"),
    [
        ("hoaks", "HOAKS", "✗"),
        ("disinformasi", "DISINFORMASI", "!"),
        ("benar", "BENAR", "✓"),
        ("belum_terbukti", "BELUM TERBUKTI", "?"),
    ],
)
def test_each_verdict_is_a_word_and_an_icon_not_colour_alone(client, world, verdict, label, icon):
    hoax(world.kim_a, "Kabar", verdict=verdict)
    body = " ".join(page(client, "/hoaks/").split())
    assert (
        f'<p class="hoax-verdict hoax-verdict--{verdict}"><span class="hoax-verdict__icon" '
        f'aria-hidden="true">{icon}</span> <span class="visually-hidden">Putusan: </span>'
        f"<strong>{label}</strong></p>"
    ) in body


def test_hoax_list_filters_by_verdict_and_region(client, world):
    hoax(world.kim_a, "Hoaks Surabaya")
    hoax(world.kim_a, "Benar Surabaya", verdict="benar")
    hoax(world.kim_b, "Hoaks Bandung")
    assert titles(page(client, "/hoaks/?putusan=hoaks")) == ["Hoaks Bandung", "Hoaks Surabaya"]
    assert titles(page(client, "/hoaks/?putusan=benar")) == ["Benar Surabaya"]
    assert titles(page(client, "/hoaks/?provinsi=32")) == ["Hoaks Bandung"]
    regency = world.kim_a.regency_id
    assert titles(page(client, f"/hoaks/?kabupaten={regency}&putusan=hoaks")) == ["Hoaks Surabaya"]
    # Another regency of the same province: nothing.
    other = world.regions.malang.code
    assert titles(page(client, f"/hoaks/?provinsi=35&kabupaten={other}")) == []
    # A made-up verdict is reported and ignored, never a 500.
    body = page(client, "/hoaks/?putusan=bohong")
    assert "Pilih putusan dari daftar." in body and len(titles(body)) == 3


def test_hoax_list_shows_only_public_clarifications(client, world):
    hoax(world.kim_a, "Tayang")
    hoax(world.kim_a, "Draf hoaks", status="draft")
    hoax(world.kim_a, "Menunggu hoaks", status="submitted")
    hoax(world.kim_a, "Disembunyikan hoaks", hidden_by_reports=True)
    hoax(world.kim_a, "Nanti hoaks", minutes_ago=-60)
    hoax(world.pending_a, "Belum terverifikasi hoaks")
    make_post(world.kim_a, title="Berita biasa", status="published", kind="berita")
    assert titles(page(client, "/hoaks/")) == ["Tayang"]


def test_hoax_list_pages_by_keyset(client, world):
    for i in range(25):
        hoax(world.kim_a, f"Hoaks {i:02d}", minutes_ago=i)
    first = page(client, "/hoaks/?putusan=hoaks")
    assert titles(first) == [f"Hoaks {i:02d}" for i in range(20)]
    link = re.search(r'rel="next" href="([^"]+)"', first)[1].replace("&amp;", "&")
    assert "putusan=hoaks" in link
    second = page(client, "/hoaks/" + link)
    assert titles(second) == [f"Hoaks {i:02d}" for i in range(20, 25)]
    assert 'rel="prev"' in second and 'rel="next"' not in second


# --- /umkm/ -------------------------------------------------------------------------------------


def test_umkm_list_shows_products_with_category_and_price(client, world):
    product(world.kim_a, "Sambal bawang", price=25000, minutes_ago=20)
    product(world.kim_b, "Tas rajut", category="kerajinan", price=1250000, minutes_ago=5)
    product(world.kim_b, "Produk lama", category="", minutes_ago=40)
    body = page(client, "/umkm/")
    assert titles(body) == ["Tas rajut", "Sambal bawang", "Produk lama"]
    flat = " ".join(body.split())
    assert '<span class="umkm-category">Kerajinan</span> · <span class="umkm-item__price">' in flat
    assert "<strong>Rp 1.250.000</strong>" in flat and "<strong>Rp 25.000</strong>" in flat
    # A post written before categories existed shows as "Lainnya".
    produk_lama = flat[flat.index("Produk lama") :]
    assert '<span class="umkm-category">Lainnya</span>' in produk_lama
    assert f'{KIM_A}sambal-bawang/">' in body


def test_umkm_list_filters_by_category_and_region(client, world):
    product(world.kim_a, "Sambal", category="kuliner")
    product(world.kim_a, "Anyaman", category="kerajinan")
    product(world.kim_b, "Keripik", category="kuliner")
    product(world.kim_b, "Tanpa kategori", category="")
    product(world.kim_b, "Lain-lain", category="lainnya")
    assert titles(page(client, "/umkm/?kategori=kuliner")) == ["Keripik", "Sambal"]
    assert sorted(titles(page(client, "/umkm/?kategori=lainnya"))) == [
        "Lain-lain",
        "Tanpa kategori",
    ]
    assert titles(page(client, "/umkm/?provinsi=35")) == ["Anyaman", "Sambal"]
    regency = world.kim_b.regency_id
    assert titles(page(client, f"/umkm/?kabupaten={regency}&kategori=kuliner")) == ["Keripik"]
    body = page(client, "/umkm/?kategori=mainan")
    assert "Pilih kategori dari daftar." in body and len(titles(body)) == 5


def test_umkm_list_shows_only_public_products(client, world):
    product(world.kim_a, "Tayang")
    product(world.kim_a, "Draf produk", status="draft")
    product(world.kim_a, "Diturunkan produk", status="taken_down")
    product(world.pending_a, "Belum terverifikasi produk")
    hoax(world.kim_a, "Bukan produk")
    assert titles(page(client, "/umkm/")) == ["Tayang"]


def test_a_suspended_kims_items_leave_both_lists(client, world):
    hoax(world.kim_a, "Hoaks A")
    product(world.kim_a, "Produk A")
    Community.objects.filter(pk=world.kim_a.pk).update(status=Community.Status.SUSPENDED)
    assert titles(page(client, "/hoaks/")) == [] and titles(page(client, "/umkm/")) == []


# --- Public page rules: no cookie, no CSRF, cacheable, constant queries ---------------------------


@pytest.mark.parametrize("path", ["/hoaks/", "/umkm/", "/hoaks/?putusan=benar&provinsi=35"])
def test_lists_are_public_pages_without_cookie_or_csrf(client, world, path):
    hoax(world.kim_a, "Hoaks")
    product(world.kim_a, "Produk")
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
    assert response.page_scopes == ("n",)


def _grow(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        # The first one (in Surabaya, "benar", no category) is on every page of NATIONAL_PAGES.
        kim = (world.kim_a, world.kim_b)[i % 2]
        hoax(kim, f"Hoaks {i}", verdict=("benar", "hoaks")[i % 2], minutes_ago=i)
        product(kim, f"Produk {i}", category=("", "kuliner")[i % 2], minutes_ago=i)


NATIONAL_PAGES = [
    "/hoaks/",
    "/hoaks/?putusan=benar",
    "/hoaks/?provinsi=35",
    "/hoaks/?provinsi=35&kabupaten=35.78&putusan=benar",
    "/umkm/",
    "/umkm/?kategori=lainnya",
    "/umkm/?kabupaten=35.78",
]
QUERIES = 5


def test_query_counts_stay_the_same_with_1_and_30_posts(
    client, world, django_assert_max_num_queries
):
    _grow(world, 1)
    counts = {}
    for path in NATIONAL_PAGES:
        client.get(path)  # warm the host lookup
        with CaptureQueriesContext(connection) as ctx:
            page(client, path)
        counts[path] = len(ctx.captured_queries)
    _grow(world, 29, start=1)
    for path in NATIONAL_PAGES:
        with django_assert_max_num_queries(counts[path]):
            body = page(client, path)
        assert titles(body), path
        with django_assert_max_num_queries(QUERIES):
            page(client, path)


def test_page_cache_drops_the_lists_when_a_post_is_published_anywhere(
    client, world, settings, django_capture_on_commit_callbacks
):
    require_services(redis=True)
    settings.PAGE_CACHE_SECONDS = 3600
    hoax(world.kim_a, "Hoaks pertama")
    assert client.get("/hoaks/")["X-Page-Cache"] == "miss"
    assert client.get("/hoaks/")["X-Page-Cache"] == "hit"
    draft = hoax(world.kim_b, "Hoaks baru Bandung", status="submitted")
    draft.checks, draft.checks_done = {"clean": True}, True
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=draft, actor=world.bandung_admin)
    response = client.get("/hoaks/")
    assert response["X-Page-Cache"] == "miss"
    assert "Hoaks baru Bandung" in response.content.decode()


# --- Query plans ---------------------------------------------------------------------------------

# Only the lists' own partial indexes may hold them: walking every public post (post_public_idx,
# which the shared check accepts) and keeping one kind in twenty is a scan of the whole table at
# national scale.
OWN_INDEX = re.compile(r"^post_public_(hoaks|umkm)\w*_idx$")
_far = SimpleNamespace(published_at=datetime(2100, 1, 1, tzinfo=UTC), pk=10**9)


def post_indexes(sql: str) -> list[str]:
    """The index each read of posts_post in the plan of `sql` goes through ("" for none)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in PLANNER_OFF + LIST_PLANNER_OFF:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return [
        node.get("Index Name", "")
        for node, _sorted in _plan_nodes(plan[0]["Plan"])
        if node.get("Relation Name") == "posts_post"
    ]


def list_queries(client, paths: list[str]) -> list[str]:
    return [q for q in captured(client, paths) if '"posts_post"' in q.split("WHERE")[0]]


def test_every_query_of_the_national_lists_reads_their_own_index(client, world):
    require_services(postgresql=True)
    _grow(world, 50)
    make_post(world.kim_a, title="Kegiatan", status="published", kind="kegiatan")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_community; ANALYZE posts_post")
    paths = list(NATIONAL_PAGES)
    for path in ("/hoaks/?putusan=hoaks", "/umkm/?kategori=kuliner&provinsi=32", "/hoaks/"):
        link = re.search(r'rel="next" href="([^"]+)"', page(client, path))
        assert link, path
        paths.append(path.split("?")[0] + link[1].replace("&amp;", "&"))
    cursor = LIST_KEYSET.encode(_far)
    paths += [f"/hoaks/?putusan=hoaks&setelah={cursor}", f"/umkm/?provinsi=35&setelah={cursor}"]
    queries = list_queries(client, paths)
    assert len(queries) >= len(paths)
    problems = {sql: found for sql in queries if (found := unindexed_scans(sql))}
    assert not problems, json.dumps(problems, indent=2)
    foreign = {
        sql: used for sql in queries if not all(map(OWN_INDEX.match, used := post_indexes(sql)))
    }
    assert not foreign, json.dumps(foreign, indent=2)


def test_the_plan_check_fails_without_the_national_indexes(client, world):
    """Dropping the lists' partial indexes makes the check above fail (so it can)."""
    require_services(postgresql=True)
    _grow(world, 5)
    queries = list_queries(client, ["/hoaks/?putusan=hoaks", "/umkm/?provinsi=35"])
    assert len(queries) == 2
    assert all(OWN_INDEX.match(name) for sql in queries for name in post_indexes(sql))
    with transaction.atomic():
        with connection.cursor() as cursor:
            for kind in ("hoaks", "umkm"):
                for name in ("", "_verdict", "_cat", "_prov", "_reg"):
                    cursor.execute(f"DROP INDEX IF EXISTS post_public_{kind}{name}_idx")
        for sql in queries:
            assert not all(OWN_INDEX.match(name) for name in post_indexes(sql)), sql
        transaction.set_rollback(True)
