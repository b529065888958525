"""The near cache: the hottest public pages kept in each process, in front of Redis
(kimportal.lib.page_cache.NearCache), and dropped by the same changes as the Redis copies.

Requests go through the WSGI application (kimportal.wsgi), as gunicorn sends them.
"""

import pytest
from django.http import HttpResponse
from django_redis import get_redis_connection

from communities import services as community_services
from kimportal.lib import page_cache
from tests import support
from tests.kimportal import test_page_cache as base
from tests.support import skip_or_fail

pytestmark = pytest.mark.usefixtures("page_cache_on")
near = page_cache.near
HOST, PAGE, wsgi_get = base.HOST, base.PAGE, base.wsgi_get
post, commit = base.post, base.commit  # the fixtures of the Redis cache's tests


@pytest.fixture(autouse=True)
def _listening(settings):
    if not settings.REDIS_URL:
        skip_or_fail("the near cache follows Redis: set REDIS_URL (.ci/run does)")
    near.listen()
    wait_for(lambda: near.ready, "the near cache never subscribed to its channel")
    near.clear()


def wait_for(condition, message):
    try:
        support.wait_for(condition, timeout=5, interval=0.02)
    except TimeoutError:
        pytest.fail(message)


def hot():
    """Render the page (miss), then ask again so that the Redis copy fills the near cache."""
    assert wsgi_get(PAGE, HOST)[1]["X-Page-Cache"] == "miss"
    status, headers, body = wsgi_get(PAGE, HOST)
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
    assert len(near) == 1
    return body


def redis_unused(monkeypatch):
    """Fail the test if anything reads the Redis page cache."""
    calls = []
    monkeypatch.setattr(page_cache, "_fetch", lambda *a: calls.append(a) or None)
    return calls


def test_a_hot_page_is_answered_from_the_process_without_redis(post, monkeypatch):
    body = hot()
    calls = redis_unused(monkeypatch)
    status, headers, again = wsgi_get(PAGE, HOST)
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
    assert again == body and not calls
    assert headers["Content-Length"] == str(len(body))
    assert headers["ETag"] and "public" in headers["Cache-Control"]


def test_a_conditional_get_of_a_hot_page_is_answered_304(post, monkeypatch):
    hot()
    etag = wsgi_get(PAGE, HOST)[1]["ETag"]
    calls = redis_unused(monkeypatch)
    status, headers, body = wsgi_get(PAGE, HOST, HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified" and body == b"" and not calls
    assert headers["ETag"] == etag and "Content-Type" not in headers


def test_each_language_and_query_has_its_own_entry(post):
    hot()
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    wsgi_get(PAGE, HOST, **english)
    assert wsgi_get(PAGE, HOST, **english)[1]["X-Page-Cache"] == "hit"
    assert len(near) == 2
    assert wsgi_get("/kabar/", HOST, QUERY_STRING="jenis=berita")[1]["X-Page-Cache"] == "miss"


def test_requests_with_a_cookie_or_credentials_never_use_it(post, monkeypatch):
    hot()
    calls = redis_unused(monkeypatch)
    for extra in ({"HTTP_COOKIE": "sessionid=abc"}, {"HTTP_AUTHORIZATION": "Basic eDp5"}):
        status, headers, _body = wsgi_get(PAGE, HOST, **extra)
        assert status == "200 OK" and "X-Page-Cache" not in headers  # rendered by Django
    # A cookie-less request with a language cookie's worth of difference still reaches Redis.
    wsgi_get(PAGE, HOST, HTTP_COOKIE="django_language=en")
    assert calls


def test_a_host_django_refuses_is_never_kept(post):
    for _ in range(2):
        assert wsgi_get(PAGE, "evil.example")[0].startswith("400")
    assert len(near) == 0


def test_a_change_in_this_process_shows_at_once(post, world, commit):
    hot()
    commit(
        community_services.community_update_profile,
        community=world.kim_a,
        actor=world.a_admin,
        name="KIM Ketabang Jaya",
    )
    status, headers, body = wsgi_get(PAGE, HOST)  # no waiting for the announcement
    assert headers["X-Page-Cache"] == "miss" and b"KIM Ketabang Jaya" in body


def test_a_change_announced_by_another_process_drops_the_entry(post, world):
    hot()
    redis = page_cache._redis()
    scope = page_cache.community_scope(world.kim_a.pk)
    # What another worker's bump does: the Lua script alone, without this process's own drop.
    keys = [page_cache._VERSION + scope, page_cache._MEMBERS + scope]
    redis[2](keys=keys, args=[page_cache._now(), page_cache._channel(redis[0]), scope])
    wait_for(lambda: len(near) == 0, "the announcement never dropped the near copy")


def test_a_change_of_another_scope_keeps_the_entry(post, world, commit):
    hot()
    commit(
        community_services.community_update_profile,
        community=world.kim_b,
        actor=world.b_admin,
        name="KIM Lain",
    )
    assert len(near) == 1


def test_a_fill_that_raced_a_drop_is_not_kept(post):
    response = HttpResponse(b"old page")
    key = ("http", None, HOST, PAGE, "", None)
    generation = near.generation
    near.drop(["k1"])  # the announcement arrives while the fill was reading Redis
    near.put(key, response, ("k1",), generation)
    assert near.get(key) is None
    near.put(key, response, ("k1",), near.generation)
    assert near.get(key).body == b"old page"


def test_entries_expire_and_the_oldest_go_first(post, settings, monkeypatch):
    settings.PAGE_NEAR_ENTRIES = 2
    for n in range(3):
        near.put(
            ("http", None, HOST, f"/{n}/", "", None), HttpResponse(b"x"), ("n",), near.generation
        )
    assert len(near) == 2 and near.get(("http", None, HOST, "/0/", "", None)) is None
    # A clock far past every entry's expiry (PAGE_NEAR_SECONDS after it was kept).
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: 10.0**12)
    assert near.get(("http", None, HOST, "/2/", "", None)) is None


def test_a_lost_channel_turns_it_off_until_it_listens_again(post):
    hot()
    client = get_redis_connection("default")
    # Redis restarted, say. Only this database's subscribers: the other test worker shares the
    # server (with a database of its own) and must keep its channel.
    db = client.connection_pool.connection_kwargs.get("db", 0)
    listeners = [c for c in client.client_list(_type="pubsub") if int(c["db"]) == db]
    assert listeners, "the near cache was not listening"
    for listener in listeners:
        client.client_kill_filter(_id=listener["id"])
    wait_for(lambda: not near.ready or len(near) == 0, "the lost channel went unnoticed")
    assert len(near) == 0  # whatever was announced while away cannot have been missed
    wait_for(lambda: near.ready, "the near cache never subscribed again")
    wsgi_get(PAGE, HOST)  # from Redis, and kept again
    assert len(near) == 1


def test_it_is_off_when_configured_so(post, settings):
    settings.PAGE_NEAR_ENTRIES = 0
    wsgi_get(PAGE, HOST)
    assert wsgi_get(PAGE, HOST)[1]["X-Page-Cache"] == "hit"  # from Redis
    assert len(near) == 0
