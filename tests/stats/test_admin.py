"""The operators' list of visit counts (Django admin): one row per post and day, so the list
neither loads each row's post and KIM apart nor counts the whole table."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kimportal.lib import admin as admin_lib
from stats.models import PostVisitDay
from tests.factories import make_post, make_user
from tests.support import skip_or_fail

pytestmark = pytest.mark.django_db

LIST = "/admin/stats/postvisitday/"


@pytest.fixture
def operator(client):
    client.force_login(make_user("ops@example.id", is_staff=True, is_superuser=True))
    return client


def visits(world, posts: int, days: int = 2) -> None:
    first = PostVisitDay.objects.count()
    for n in range(first, first + posts):
        post = make_post(world.kim_a, title=f"Tulisan {n}", status="published")
        for d in range(days):
            PostVisitDay.objects.create(
                post=post, community=world.kim_a, day=date(2026, 11, 1) + timedelta(days=d)
            )


def list_queries(client, path: str = LIST) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, kelola=True)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_list_costs_the_same_however_many_rows(operator, world):
    visits(world, 2)
    few = len(list_queries(operator))
    visits(world, 10)
    assert len(list_queries(operator)) == few


def test_an_unfiltered_list_of_a_large_table_is_not_counted(operator, world, monkeypatch):
    if connection.vendor != "postgresql":
        skip_or_fail("the estimate is PostgreSQL's")
    visits(world, 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stats_postvisitday")
    monkeypatch.setattr(admin_lib, "ESTIMATE_FROM", 1)  # "large" from one row on
    counts = [sql for sql in list_queries(operator) if "COUNT(" in sql.upper()]
    assert not [sql for sql in counts if "stats_postvisitday" in sql]
    # Filtered, it counts exactly (the estimate is the whole table's).
    filtered = list_queries(operator, f"{LIST}?day__exact=2026-11-01")
    assert [sql for sql in filtered if "COUNT(" in sql.upper() and "stats_postvisitday" in sql]
    # Small tables are counted exactly too.
    monkeypatch.setattr(admin_lib, "ESTIMATE_FROM", 10**9)
    assert [sql for sql in list_queries(operator) if "COUNT(" in sql.upper()]
