"""Public pages are stored and served gzipped for browsers that accept it (page_cache._compress):
one compression when a page is stored, none on a hit, and the identity copy for everyone else."""

import gzip

import pytest

from communities import services as community_services
from kimportal.lib import page_cache
from tests.kimportal import test_page_cache as base
from tests.support import skip_or_fail

pytestmark = pytest.mark.usefixtures("page_cache_on")
HOST, PAGE, wsgi_get = base.HOST, base.PAGE, base.wsgi_get
post, commit = base.post, base.commit  # the fixtures of the Redis cache's tests
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def _redis(settings):
    if not settings.REDIS_URL:
        skip_or_fail("the page cache lives in Redis: set REDIS_URL (.ci/run does)")


def test_a_browser_that_accepts_gzip_gets_the_page_compressed(client, post):
    plain = client.get(PAGE, host=HOST)
    for state in ("miss", "hit"):
        packed = client.get(PAGE, host=HOST, **GZIP)
        assert packed["X-Page-Cache"] == state
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]


def test_the_two_copies_are_kept_apart(client, post):
    client.get(PAGE, host=HOST, **GZIP)
    plain = client.get(PAGE, host=HOST)  # the identity copy is rendered, not the gzip one sent
    assert plain["X-Page-Cache"] == "miss" and "Content-Encoding" not in plain
    packed = client.get(PAGE, host=HOST, **GZIP)
    assert packed["X-Page-Cache"] == "hit" and packed["ETag"] != plain["ETag"]
    assert client.get(PAGE, host=HOST)["X-Page-Cache"] == "hit"


def test_a_conditional_get_of_the_gzip_copy_is_answered_304(client, post):
    etag = client.get(PAGE, host=HOST, **GZIP)["ETag"]
    assert client.get(PAGE, host=HOST, HTTP_IF_NONE_MATCH=etag, **GZIP).status_code == 304


def test_a_change_drops_both_copies(client, post, world, commit):
    client.get(PAGE, host=HOST, **GZIP)
    client.get(PAGE, host=HOST)
    commit(
        community_services.community_update_profile,
        community=world.kim_a,
        actor=world.a_admin,
        name="KIM Ketabang Jaya",
    )
    packed = client.get(PAGE, host=HOST, **GZIP)
    assert packed["X-Page-Cache"] == "miss"
    assert b"KIM Ketabang Jaya" in gzip.decompress(packed.content)
    assert client.get(PAGE, host=HOST)["X-Page-Cache"] == "miss"


def test_pages_for_signed_in_people_are_never_compressed_by_the_app(client, post, world):
    client.force_login(world.a_editor)
    response = client.get(PAGE, host=HOST, **GZIP)
    assert "Content-Encoding" not in response  # nginx compresses those, outside any cache


def test_the_near_cache_keeps_each_encoding_apart(post):
    page_cache.near.listen()
    wsgi_get(PAGE, HOST, **GZIP)  # rendered and stored
    wsgi_get(PAGE, HOST)
    for _ in range(2):  # from Redis into each process's memory, then from memory
        _status, packed_headers, packed = wsgi_get(PAGE, HOST, **GZIP)
        _status, plain_headers, plain = wsgi_get(PAGE, HOST)
    assert packed_headers["Content-Encoding"] == "gzip" and gzip.decompress(packed) == plain
    assert "Content-Encoding" not in plain_headers
