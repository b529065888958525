"""Every query of a search is index-served: EXPLAIN with sequential scans disabled shows none of
posts, communities or villages (with `enable_seqscan = off` a Seq Scan remains only where no
index can answer)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.search import community_search
from communities.selectors import directory
from posts import search
from tests.search.conftest import published

pytestmark = pytest.mark.usefixtures("pg")

TABLES = ("posts_post", "communities_community", "regions_village")


def plans_of(run) -> list[tuple[str, str]]:
    """(sql, plan) of each SELECT that `run` sends."""
    with CaptureQueriesContext(connection) as captured:
        run()
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert selects
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in selects:
            cursor.execute("EXPLAIN " + sql)
            plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def assert_no_seq_scan(run) -> None:
    for sql, plan in plans_of(run):
        for table in TABLES:
            assert f"Seq Scan on {table}" not in plan, f"{sql}\n\n{plan}"


@pytest.fixture
def posts(world):
    for i in range(5):
        published(world.kim_a, f"Kerja bakti {i}", body="gotong royong di kampung", days_ago=i)
        published(world.kim_b, f"Lomba {i}", body="lapangan desa", days_ago=i)


F = search.PostFilters


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("royong", F()),
        ("gotong royong", F()),
        ("kampung or desa", F(kind="kegiatan")),
        ("royong", F(province_code="35")),
        ("royong", F(regency_code="35.78")),
        ("ketabng", F()),  # a misspelt village: no post matches, the query is still indexed
    ],
)
def test_post_search_uses_indexes(posts, query, filters):
    assert_no_seq_scan(lambda: search.post_search(query=query, filters=filters))


def test_subsite_search_uses_indexes(posts, world):
    assert_no_seq_scan(lambda: search.post_search(query="royong", community=world.kim_a))


@pytest.mark.parametrize("query", ["ketabang", "Ketabng", "kim ketabang maju", "ke", "gegerkalog"])
def test_kim_search_uses_indexes(world, query):
    assert_no_seq_scan(lambda: community_search(query=query))
    assert_no_seq_scan(lambda: list(directory(query=query)[:24]))


def test_the_explain_check_catches_an_unindexed_filter(world):
    """The check itself: icontains on a name has no index, so it must show up as a Seq Scan.

    Unordered: in the model's order (by name) PostgreSQL would rather walk all of
    community_name_idx, the staff table's index, than scan with sequential scans off."""
    from communities.models import Community

    unordered = Community.objects.filter(name__icontains="ketabang").order_by()
    with pytest.raises(AssertionError, match="Seq Scan on communities_community"):
        assert_no_seq_scan(lambda: list(unordered))
