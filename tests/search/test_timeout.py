"""The index path of search is bounded in time: a query no post can match ("desa -desa") would
otherwise walk every public post (17 s at a million posts from disk); past the bound the search
answers with what its probe of the newest posts found."""

import pytest
from django.db import DatabaseError, connection

from posts import search
from posts.models import Post
from tests.search.conftest import published

pytestmark = pytest.mark.usefixtures("pg")


def sleep(seconds: float):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
    return "done"


def test_a_statement_past_the_bound_is_cancelled_and_the_request_goes_on():
    assert search.within_timeout(lambda: sleep(0.3), ms=20) is None
    assert search.within_timeout(lambda: sleep(0), ms=1000) == "done"
    assert Post.objects.count() >= 0  # the connection (and the test's transaction) still work


def test_other_database_errors_are_not_swallowed():
    def broken():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    with pytest.raises(DatabaseError):
        search.within_timeout(broken, ms=1000)


def test_a_cancelled_index_path_answers_with_the_probe(world, monkeypatch, caplog):
    published(world.kim_a, "Kerja bakti", body="Warga membersihkan saluran air.")
    bounded = search.within_timeout

    def slow_index_path(run, ms=None):
        return bounded(lambda: (sleep(0.3), run())[1], ms=20)

    monkeypatch.setattr(search, "within_timeout", slow_index_path)
    assert search.ranked_ids(query="saluran -saluran") == []
    assert "answered from the probe" in caplog.text
    # A query the probe answers never reaches the index path's bound.
    monkeypatch.setattr(search, "PROBE", 10)
    monkeypatch.setattr(search, "CANDIDATES", 1)
    assert len(search.ranked_ids(query="saluran")) == 1
