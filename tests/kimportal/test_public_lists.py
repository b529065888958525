"""Public lists at scale (issue 8): every query of a public page (and of the national moderation
queue) is planned on an index, and a page costs the same number of queries at any data size.

The EXPLAIN test does not guess the queries: it captures the SQL the pages actually run (with
their parameters, as PostgreSQL received them) and explains each one with sequential scans
disabled. A list whose index is missing then shows as a Seq Scan, or as a full walk of an index
that does not hold the list (the primary key, a foreign key): both fail.
"""

import json
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.views.directory import KEYSET as KIM_KEYSET
from posts.models import Post
from posts.public_selectors import LIST_KEYSET
from tests.factories import make_community, make_post
from tests.support import require_services

pytestmark = pytest.mark.django_db

HOST = "kim-ketabang.localhost"
TABLES = ("communities_community", "posts_post")
# Partial indexes that hold exactly a public list: walking one whole, in order, is the list.
PLANNER_OFF = ("enable_seqscan", "enable_mergejoin", "enable_hashjoin")
# For lists (not for counts, whose groups may well be sorted or hashed): take the list's order
# from an index when one gives it.
LIST_PLANNER_OFF = ("enable_bitmapscan", "enable_sort")
LIST_INDEXES = re.compile(r"^(community_live_\w+|post_public_\w+|post_attention_idx)$")

PORTAL_PAGES = [
    "/",
    "/kim/",
    "/kim/?provinsi=35",
    "/kim/?provinsi=35&kabupaten=35.78",
    "/wilayah/",
    "/wilayah/jawa-timur/",
    "/wilayah/jawa-timur/kota-surabaya/",
    "/wilayah/jawa-timur/kota-surabaya/genteng/",
    # The national lists (tests/posts/test_national.py also checks that they read their own
    # indexes, not every public post).
    "/hoaks/",
    "/hoaks/?putusan=hoaks&provinsi=35",
    "/umkm/?kategori=lainnya&kabupaten=35.78",
]
# Later pages, after and before a cursor (one far away, so that the page is never empty).
_far_kim = SimpleNamespace(name="A", pk=1), SimpleNamespace(name="zzz", pk=10**9)
KIM_CURSOR_PAGES = [
    f"/kim/?provinsi=35&setelah={KIM_KEYSET.encode(_far_kim[0])}",
    f"/kim/?sebelum={KIM_KEYSET.encode(_far_kim[1])}",
]
_far_post = (
    SimpleNamespace(published_at=datetime(2100, 1, 1, tzinfo=UTC), pk=10**9),
    SimpleNamespace(published_at=datetime(2000, 1, 1, tzinfo=UTC), pk=1),
)
POST_CURSOR_PAGES = [
    f"/kabar/?jenis=kegiatan&setelah={LIST_KEYSET.encode(_far_post[0])}",
    f"/kabar/?sebelum={LIST_KEYSET.encode(_far_post[1])}",
]
SUBSITE_PAGES = ["/", "/profil/", "/pengurus/", "/kontak/", "/kabar/", "/kabar/?jenis=kegiatan"]


def grow(world, kims: int, posts: int, *, start: int = 0) -> None:
    """`kims` more verified KIMs in Surabaya and `posts` more published posts of KIM A, some of
    them sharing a publication time."""
    village = world.regions.kapasari
    for i in range(start, start + kims):
        make_community(
            village=village,
            slug=f"kim-skala-{i}",
            name=f"KIM Skala {i:03d}",
            members=1,
            nomor_induk=village.code.replace(".", "")[:8] + f"8{i:03d}",
        )
    moment = timezone.now() - timedelta(hours=1)
    for i in range(start, start + posts):
        make_post(
            world.kim_a,
            title=f"Kabar skala {i:03d}",
            status="published",
            kind="kegiatan" if i % 2 else "berita",
            published_at=moment - timedelta(minutes=i // 3),
        )


def later_pages(client, path: str, host: str | None) -> list[str]:
    """The next page of a list and the page before that one, as their links name them."""
    body = client.get(path, host=host).content.decode()
    found = re.search(r'rel="next" href="([^"]+)"', body)
    assert found, f"{path} has a next page"
    after = path.split("?")[0] + found[1].replace("&amp;", "&")
    body = client.get(after, host=host).content.decode()
    found = re.search(r'rel="prev" href="([^"]+)"', body)
    assert found, f"{after} has a previous page"
    return [after, path.split("?")[0] + found[1].replace("&amp;", "&")]


def _plan_nodes(plan: dict, under_sort: bool = False):
    """Every node of a plan, and whether a Sort above it reorders what it reads."""
    yield plan, under_sort
    under_sort = under_sort or plan["Node Type"] in ("Sort", "Incremental Sort")
    for child in plan.get("Plans", []):
        yield from _plan_nodes(child, under_sort)


def unindexed_scans(sql: str) -> list[str]:
    """The scans of communities and posts in the plan of `sql` that do not follow an index."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Tiny test tables make any plan cheap; these settings ask PostgreSQL for the plan it
        # would make at scale, if it can: no sequential scan, rows read in the list's order from
        # an index rather than gathered and sorted, each joined row fetched by index. What no
        # index allows still shows: a Seq Scan, a walk of an unrelated index, a sorted table.
        is_count = "GROUP BY" in sql or "COUNT(" in sql
        settings = PLANNER_OFF if is_count else PLANNER_OFF + LIST_PLANNER_OFF
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = on")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    problems = []
    for node, under_sort in _plan_nodes(plan[0]["Plan"]):
        relation = node.get("Relation Name", "")
        index = node.get("Index Name", "")
        kind = node["Node Type"]
        whole = kind in ("Index Scan", "Index Only Scan", "Bitmap Index Scan") and (
            "Index Cond" not in node
        )
        ours = relation in TABLES or index.startswith(("community", "post"))
        if kind == "Seq Scan" and relation in TABLES:
            problems.append(f"Seq Scan on {relation}")
        elif whole and ours and not LIST_INDEXES.match(index):
            problems.append(f"{kind} of all of {index}")
        elif whole and ours and under_sort and index != "post_attention_idx":
            # (The queue's index holds only what awaits a decision: sorting it is bounded.)
            problems.append(f"{kind} of all of {index}, then sorted")
    return problems


def captured(client, paths: list[str], host: str | None = None, **kwargs) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        for path in paths:
            response = client.get(path, host=host, **kwargs)
            assert response.status_code == 200, path
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and any(f'"{t}"' in q["sql"] for t in TABLES)
    ]


def test_every_public_list_query_follows_an_index(client, world):
    require_services(postgresql=True)
    grow(world, 30, 40)
    Post.objects.filter(title="Kabar skala 000").update(status="submitted", submitted_at=None)
    Post.objects.filter(title="Kabar skala 001").update(open_reports=2)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_community; ANALYZE posts_post")
    portal = PORTAL_PAGES + later_pages(client, "/kim/", None)
    portal += later_pages(client, "/kim/?provinsi=35&kabupaten=35.78", None)
    subsite = SUBSITE_PAGES + later_pages(client, "/kabar/", HOST)
    subsite += later_pages(client, "/kabar/?jenis=kegiatan", HOST)
    queries = captured(client, portal) + captured(client, subsite, host=HOST)
    client.force_login(world.national_admin)
    queue = captured(client, ["/moderasi/"], kelola=True)
    assert any("post_attention" in q or "open_reports" in q for q in queue), "the queue ran"
    queries += [q for q in queue if "open_reports" in q]
    assert len(queries) > 20
    problems = {sql: found for sql in queries if (found := unindexed_scans(sql))}
    assert not problems, json.dumps(problems, indent=2)


def test_the_check_catches_a_list_without_its_index(world):
    """The EXPLAIN check fails a list whose partial index is dropped (so the test above can)."""
    require_services(postgresql=True)
    grow(world, 5, 5)
    sql = "SELECT id FROM posts_post WHERE kind = 'umkm' ORDER BY published_at DESC LIMIT 12"
    assert unindexed_scans(sql)
    sql = (
        "SELECT id FROM posts_post WHERE status = 'published' AND NOT hidden_by_reports "
        "ORDER BY published_at DESC, id DESC LIMIT 8"
    )
    assert not unindexed_scans(sql)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX post_public_idx")
        assert unindexed_scans(sql)
        with connection.cursor() as cursor:
            for name in ("community", "kind", "regency", "province"):
                cursor.execute(f"DROP INDEX post_public_{name}_idx")
        assert unindexed_scans(sql)
        transaction.set_rollback(True)


# --- Query counts do not grow with the data -----------------------------------------------------


def _counts(client, pages: list[tuple[str, str | None]]) -> dict[tuple[str, str | None], int]:
    counts = {}
    for path, host in pages:
        client.get(path, host=host)  # warm the host lookup and the KIM counts
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, host=host).status_code == 200, path
        counts[(path, host)] = len(ctx.captured_queries)
    return counts


def test_public_pages_cost_the_same_with_3_and_30_kims_and_posts(
    client, world, django_capture_on_commit_callbacks
):
    grow(world, 1, 3)
    pages = [(p, None) for p in PORTAL_PAGES + KIM_CURSOR_PAGES]
    pages += [(p, HOST) for p in SUBSITE_PAGES + POST_CURSOR_PAGES]
    small = _counts(client, pages)
    with django_capture_on_commit_callbacks(execute=True):  # new KIMs: new counts
        grow(world, 29, 27, start=3)
    large = _counts(client, pages)
    assert large == small
    # And every page stays small.
    assert max(small.values()) <= 8, small
    # A cold cache recounts the KIMs once (one grouped query), whatever the data.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert len(ctx.captured_queries) == small[("/", None)] + 1


def test_kim_counts_are_cached_and_follow_verification(
    client, world, django_capture_on_commit_callbacks
):
    from communities import services

    body = client.get("/").content.decode()
    assert "<strong>2</strong> KIM terverifikasi" in body
    client.get("/kim/?provinsi=35")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/kim/?provinsi=35")
    assert not any("COUNT(" in q["sql"] for q in ctx.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        services.community_verify(community=world.pending_a, actor=world.surabaya_admin)
    assert "<strong>3</strong> KIM terverifikasi" in client.get("/").content.decode()
    assert "2 KIM ditemukan</h2>" in client.get("/kim/?provinsi=35").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.community_suspend(
            community=world.kim_a, actor=world.surabaya_admin, reason="Tidak aktif setahun."
        )
    assert "<strong>2</strong> KIM terverifikasi" in client.get("/").content.decode()
    assert "1 KIM ditemukan</h2>" in client.get("/kim/?provinsi=35").content.decode()
