"""The subsite host lookup: one indexed query on a miss, none when cached, dropped on change."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from communities import services
from communities.models import Community
from communities.selectors import HOST_CACHE_SECONDS, community_for_host
from tests.support import require_services

pytestmark = pytest.mark.django_db


def lookup_queries(slug: str) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as ctx:
        community = community_for_host(slug)
    return community, len(ctx.captured_queries)


def test_one_query_then_none(world):
    community, first = lookup_queries("kim-ketabang")
    assert community == world.kim_a
    assert first == 1
    cached, second = lookup_queries("kim-ketabang")
    assert cached == world.kim_a and second == 0
    # The cached row carries its region path, so the subsite header needs no more queries.
    with CaptureQueriesContext(connection) as ctx:
        assert [r.name for r in cached.region_path] == [
            "Jawa Timur", "Kota Surabaya", "Genteng", "Ketabang",
        ]  # fmt: skip
    assert len(ctx.captured_queries) == 0


def test_unknown_slug_is_cached_as_missing(world):
    assert lookup_queries("tidak-ada") == (None, 1)
    assert lookup_queries("tidak-ada") == (None, 0)


def test_cache_entry_drops_when_the_community_changes(world, django_capture_on_commit_callbacks):
    community_for_host("kim-ketabang")
    world.kim_a.tagline = "Berita desa, dari warga"
    with django_capture_on_commit_callbacks(execute=True):
        world.kim_a.save()
    community, queries = lookup_queries("kim-ketabang")
    assert queries == 1
    assert community.tagline == "Berita desa, dari warga"


def test_a_negative_entry_drops_when_that_slug_is_taken(world, django_capture_on_commit_callbacks):
    assert community_for_host("kim-baru") is None
    world.pending_a.slug = "kim-baru"
    with django_capture_on_commit_callbacks(execute=True):
        world.pending_a.save()
    assert community_for_host("kim-baru") == world.pending_a


def test_former_slug_resolves_in_the_same_single_query(world):
    services.community_change_slug(
        community=world.kim_a, actor=world.surabaya_admin, new_slug="kim-ketabang-maju"
    )
    community, queries = lookup_queries("kim-ketabang")
    assert queries == 1
    assert community.slug == "kim-ketabang-maju"
    assert lookup_queries("kim-ketabang-maju")[0] == world.kim_a


def test_the_lookup_query_uses_an_index_on_postgresql(world):
    require_services(postgresql=True)  # EXPLAIN output is PostgreSQL's
    with CaptureQueriesContext(connection) as ctx:
        community_for_host("kim-ketabang")
    sql = ctx.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "communities_community_slug" in plan, plan


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "suspended"])
def test_subsite_of_a_kim_that_is_not_live_is_the_friendly_404(world, client, status):
    world.kim_a.status = status
    world.kim_a.save()
    response = client.get("/", host="kim-ketabang.localhost")
    assert response.status_code == 404
    assert "Situs KIM ini tidak ditemukan" in response.content.decode()


def test_former_slug_redirects_permanently_keeping_the_path(world, client):
    services.community_change_slug(
        community=world.kim_a, actor=world.surabaya_admin, new_slug="kim-ketabang-maju"
    )
    response = client.get("/profil/?x=1", host="kim-ketabang.localhost")
    assert response.status_code == 301
    assert response["Location"] == "http://kim-ketabang-maju.localhost:8000/profil/?x=1"


# --- Invalidation happens after commit -----------------------------------------------------------
# Between a suspension's write and its commit, another request (another connection) still reads
# the committed row, a live KIM, and caches it. Forgetting the cache entry inside the transaction
# would come before that and leave the suspended KIM cached as live for HOST_CACHE_SECONDS.


def test_a_lookup_between_write_and_commit_cannot_keep_a_suspended_kim_live(
    world, client, django_capture_on_commit_callbacks
):
    committed = Community.objects.get(pk=world.kim_a.pk)  # what other connections read until commit
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.community_suspend(community=world.kim_a, actor=world.surabaya_admin, reason="Uji")
        # The in-between request's community_for_host: a miss, then it caches what it read.
        assert cache.get("site:community:kim-ketabang") is None
        cache.set("site:community:kim-ketabang", committed, HOST_CACHE_SECONDS)
    assert client.get("/", host="kim-ketabang.localhost").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_lookup_during_suspension_on_postgresql(world, client):
    """The same race with a real second connection (a thread), on PostgreSQL."""
    # A second connection that does not see uncommitted rows.
    require_services(postgresql=True)
    seen = []

    def other_request() -> None:
        try:
            seen.append(community_for_host("kim-ketabang"))
        finally:
            connections.close_all()

    with transaction.atomic():
        services.community_suspend(community=world.kim_a, actor=world.surabaya_admin, reason="Uji")
        thread = threading.Thread(target=other_request)
        thread.start()
        thread.join(timeout=10)
        assert seen and seen[0].status == Community.Status.VERIFIED  # it read the old row
        assert cache.get("site:community:kim-ketabang") is not None  # ... and cached it
    assert client.get("/", host="kim-ketabang.localhost").status_code == 404
