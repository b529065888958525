"""The read API's lists and the statistics downloads are kept whole by the page cache and
dropped when what they show changes (kimportal.lib.page_cache; needs Redis, as its own tests)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_post
from tests.support import skip_or_fail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture(autouse=True)
def _redis(settings):
    if not settings.REDIS_URL:
        skip_or_fail("the page cache lives in Redis: set REDIS_URL (.ci/run does)")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.mark.parametrize(
    "url", ["/api/v1/kabar", "/api/v1/kim", "/api/v1/aspirasi", "/data/statistik-provinsi.csv"]
)
def test_a_second_reader_gets_the_stored_answer_without_a_query(client, w, url):
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit" and len(queries) == 0
    assert second.content == first.content
    if url.startswith("/api/"):
        assert "max-age=60" in second["Cache-Control"]
        assert second["Access-Control-Allow-Origin"] == "*"


def test_a_new_post_drops_the_stored_list(client, w, commit):
    assert "Kabar baru" not in client.get("/api/v1/kabar").content.decode()
    commit(make_post, w.kim_b, title="Kabar baru", status="published")
    response = client.get("/api/v1/kabar")
    assert response["X-Page-Cache"] == "miss"
    assert "Kabar baru" in response.content.decode()


def test_an_aspiration_made_private_leaves_the_stored_list(client, w, commit):
    assert f'"nomor": {w.asp_regency.pk}' in client.get("/api/v1/aspirasi").content.decode()

    def hide():
        w.asp_regency.is_public = False
        w.asp_regency.save()
        w.asp_regency.bump_pages()

    commit(hide)
    assert f'"nomor": {w.asp_regency.pk}' not in client.get("/api/v1/aspirasi").content.decode()


def test_an_error_is_never_stored(client, w):
    for _ in range(2):
        response = client.get("/api/v1/kim?cursor=x")
        assert response.status_code == 400 and response.get("X-Page-Cache") is None


def test_the_kim_directory_streams_past_the_cache(client, w):
    for _ in range(2):
        response = client.get("/data/kim.csv")
        assert response.streaming and response.get("X-Page-Cache") is None
