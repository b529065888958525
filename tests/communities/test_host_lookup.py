"""The subsite host lookup: one indexed query on a miss, none when cached, dropped on change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import services
from communities.selectors import community_for_host

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


def test_cache_entry_drops_when_the_community_changes(world):
    community_for_host("kim-ketabang")
    world.kim_a.tagline = "Berita desa, dari warga"
    world.kim_a.save()
    community, queries = lookup_queries("kim-ketabang")
    assert queries == 1
    assert community.tagline == "Berita desa, dari warga"


def test_a_negative_entry_drops_when_that_slug_is_taken(world):
    assert community_for_host("kim-baru") is None
    world.pending_a.slug = "kim-baru"
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
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN output is PostgreSQL's")
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
