"""The whole-page cache of anonymous pages (kimportal.lib.page_cache).

The suite otherwise runs with the cache off (a test's transaction never commits, and pages are
invalidated on commit); these tests turn it on and run the commit callbacks of every write. The
cache is Redis (without it pages are not cached at all), so these tests need REDIS_URL.
"""

import io

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_redis import get_redis_connection

from communities import services as community_services
from communities.services import MemberData
from kimportal.lib import page_cache
from posts import services as post_services
from posts.models import Post
from tests.factories import make_post, make_user
from tests.support import skip_or_fail

HOST = "kim-ketabang.localhost"
PAGE = "/kabar/kerja-bakti/"

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture(autouse=True)
def _redis(settings):
    if not settings.REDIS_URL:
        skip_or_fail("the page cache lives in Redis: set REDIS_URL (.ci/run does)")


@pytest.fixture
def post(world):
    return make_post(world.kim_a, title="Kerja bakti", status="published", body="Saluran bersih.")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed (the page versions move on commit)."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def get(client, path=PAGE, host=HOST, **extra):
    response = client.get(path, host=host, **extra)
    return response, response.content.decode()


# --- Hits, misses and headers ---------------------------------------------------------------------


def test_second_visitor_gets_the_stored_page_without_a_query(client, post):
    first, body = get(client)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, again = get(client)
    assert second["X-Page-Cache"] == "hit"
    assert again == body
    assert len(queries) == 0


def test_a_public_page_says_it_may_be_cached_and_sets_no_cookie(client, post, settings):
    settings.PAGE_MAX_AGE, settings.PAGE_SHARED_MAX_AGE, settings.PAGE_STALE_SECONDS = 0, 60, 300
    for _ in range(2):  # the miss and the hit say the same
        response, _body = get(client)
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert control == {"public", "max-age=0", "s-maxage=60", "stale-while-revalidate=300"}
        assert not response.cookies
        assert response["ETag"] and response["Last-Modified"]
        assert "Accept-Language" in response["Vary"]


def test_a_conditional_get_of_an_unchanged_page_is_answered_304(client, post):
    first, _body = get(client)
    hit = client.get(PAGE, host=HOST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert hit.status_code == 304 and hit.content == b""
    assert hit["ETag"] == first["ETag"]


def test_the_headers_of_the_rendered_page_come_back_with_the_hit(client, post):
    first, _body = get(client)
    second, _body = get(client)
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Content-Type", "ETag"):
        assert second[header] == first[header], header


def test_each_language_has_its_own_copy(client, post):
    _response, indonesian = get(client)
    client.cookies["django_language"] = "en"
    response, english = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in english and '<html lang="id">' in indonesian
    del client.cookies["django_language"]
    assert get(client)[1] == indonesian


def test_the_query_string_is_part_of_the_key(client, post):
    get(client, "/kabar/")
    response, _body = get(client, "/kabar/?jenis=berita")
    assert response["X-Page-Cache"] == "miss"
    assert get(client, "/kabar/?jenis=berita")[0]["X-Page-Cache"] == "hit"


def test_a_parameter_the_page_does_not_read_is_answered_but_never_stored(client, post):
    """Otherwise ?x=1, ?x=2, … would each store another copy of the same page, rendered in
    full: anyone could fill Redis. Reading the whole query (a link keeping every parameter, as
    the list's pagination does) is not reading a parameter."""
    from kimportal.lib import page_cache

    redis = page_cache._redis()[0]
    stored = len(list(redis.scan_iter(match="kim:pg:*")))
    for query in ("?x=1", "?x=2", "?jenis=kegiatan&x=3"):
        response, body = get(client, "/kabar/" + query)
        assert response.status_code == 200 and "Kerja bakti" in body, query
        assert "X-Page-Cache" not in response, query
    assert "X-Page-Cache" not in get(client, "/kabar/?x=1")[0]  # rendered again, not a hit
    assert len(list(redis.scan_iter(match="kim:pg:*"))) == stored
    # The same page with the parameters it reads is stored as before.
    assert get(client, "/kabar/?jenis=berita")[0]["X-Page-Cache"] == "miss"


def test_a_host_with_a_port_the_portal_does_not_use_is_never_stored(client, post, settings):
    """ALLOWED_HOSTS ignores ports and the key holds the Host as given: "…:1", "…:2", … would
    each store a copy (with links on that port)."""
    from kimportal.lib import page_cache

    redis = page_cache._redis()[0]
    stored = len(list(redis.scan_iter(match="kim:pg:*")))
    for port in ("1", "2"):
        response, body = get(client, "/kabar/", host=f"{HOST}:{port}")
        assert response.status_code == 200 and "X-Page-Cache" not in response
    assert len(list(redis.scan_iter(match="kim:pg:*"))) == stored
    # The portal's own port, and the default ones, are cached as usual.
    for port in (str(settings.PORTAL_PORT), "443"):
        assert get(client, "/kabar/", host=f"{HOST}:{port}")[0]["X-Page-Cache"] == "miss"


def test_a_raw_utf8_query_reaches_the_view_as_django_reads_it(client, post):
    """The noting request.GET parses the query's bytes as Django does (not the Latin-1 str of
    the WSGI environ, which would turn a raw é into Ã©)."""
    response = client.generic("GET", "/cari/", QUERY_STRING="q=caf\xc3\xa9", HTTP_HOST=HOST)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="café"' in body and "Ã©" not in body


def test_an_api_answer_with_a_parameter_it_does_not_declare_is_never_stored(client, post):
    """django-ninja reads every parameter it is given, so the API says itself which it takes."""
    assert get(client, "/api/v1/kim?limit=5", host="localhost")[0]["X-Page-Cache"] == "miss"
    assert get(client, "/api/v1/kim?limit=5", host="localhost")[0]["X-Page-Cache"] == "hit"
    for query in ("?x=1", "?limit=5&x=2"):
        response, _body = get(client, "/api/v1/kim" + query, host="localhost")
        assert response.status_code == 200 and "X-Page-Cache" not in response, query


def test_tracking_parameters_of_a_shared_link_find_the_same_page(client, post):
    """A post shared on WhatsApp or Facebook comes back with ?fbclid=… or ?utm_source=…"""
    get(client)
    for query in ("?fbclid=IwAR0abc", "?utm_source=whatsapp&utm_medium=share", "?ref=wa"):
        assert get(client, PAGE + query)[0]["X-Page-Cache"] == "hit", query


# --- Nobody sees what was rendered for someone else --------------------------------------------


def test_a_signed_in_user_never_gets_or_fills_the_cache(client, post, world):
    get(client)  # a visitor fills it
    client.force_login(world.a_editor)
    response, _body = get(client)
    assert "X-Page-Cache" not in response  # rendered for them, not stored
    client.logout()
    client.cookies.clear()
    anonymous, _body = get(client)
    assert anonymous["X-Page-Cache"] == "hit"


def test_a_visitors_thank_you_message_never_reaches_the_next_visitor(client, post):
    """Reporting sets a message for that visitor: the page that shows it is never stored."""
    reporter = type(client)()
    response = reporter.post(
        "/kabar/kerja-bakti/laporkan/", {"reason": "spam"}, host=HOST, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 302
    thanked = reporter.get(PAGE, host=HOST)
    assert "Terima kasih. Laporan Anda" in thanked.content.decode()
    assert "X-Page-Cache" not in thanked
    response, body = get(client)
    assert response["X-Page-Cache"] == "miss" and "Terima kasih" not in body
    assert get(client)[0]["X-Page-Cache"] == "hit"


def test_a_page_with_a_csrf_token_is_never_stored(client, post):
    """The report form carries one visitor's CSRF token: it is rendered for each visitor."""
    report = "/kabar/kerja-bakti/laporkan/"
    first = client.get(report, host=HOST)
    other = type(client)().get(report, host=HOST)
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in other
    assert first.cookies["csrftoken"].value != other.cookies["csrftoken"].value


def test_a_session_cookie_alone_bypasses_the_cache(client, post):
    get(client)
    client.cookies["sessionid"] = "anything"
    response, _body = get(client)
    assert "X-Page-Cache" not in response


# --- Invalidation ---------------------------------------------------------------------------------


def test_an_edit_by_a_direct_publisher_shows_at_once(client, post, world, commit):
    world.kim_a.is_trusted = True
    commit(world.kim_a.save)
    get(client)
    data = post_services.PostData(
        kind="kegiatan", title="Kerja bakti", body="Saluran sudah bersih."
    )
    commit(post_services.post_update, post=post, actor=world.a_editor, data=data)
    response, body = get(client)
    assert response["X-Page-Cache"] == "miss" and "Saluran sudah bersih." in body


def test_a_taken_down_post_is_gone_at_once(client, post, world, commit):
    get(client)
    commit(post_services.post_take_down, post=post, actor=world.surabaya_admin, reason="Hoaks.")
    assert client.get(PAGE, host=HOST).status_code == 404


def test_a_post_hidden_by_reports_is_gone_at_once(client, post, settings, commit):
    settings.REPORTS_TO_HIDE = 1
    get(client)
    commit(post_services.report_create, post=post, reason="spam", details="", address="10.2.2.2")
    assert client.get(PAGE, host=HOST).status_code == 404


def test_a_suspended_kim_is_gone_at_once(client, post, world, commit):
    get(client)
    commit(
        community_services.community_suspend,
        community=world.kim_a,
        actor=world.surabaya_admin,
        reason="Tidak aktif.",
    )
    assert client.get(PAGE, host=HOST).status_code == 404


def test_a_profile_change_reaches_the_kims_pages(client, post, world, commit):
    _response, body = get(client)
    assert "KIM Ketabang Maju" in body
    commit(
        community_services.community_update_profile,
        community=world.kim_a,
        actor=world.a_admin,
        name="KIM Ketabang Jaya",
    )
    assert "KIM Ketabang Jaya" in get(client)[1]


def test_a_roster_change_gives_the_kim_new_pages(client, post, world, commit):
    get(client)
    data = MemberData(name="Bu Warsini", position="anggota")
    commit(community_services.member_save, community=world.kim_a, actor=world.a_admin, data=data)
    assert get(client)[0]["X-Page-Cache"] == "miss"


def test_another_kims_change_leaves_this_kims_pages_cached(client, post, world, commit):
    get(client)
    other = make_post(world.kim_b, title="Kabar B", status="draft")
    other.status, other.published_at = Post.Status.PUBLISHED, timezone.now()
    commit(other.save)
    assert get(client)[0]["X-Page-Cache"] == "hit"


def test_a_draft_being_written_touches_no_cached_page(client, post, world, commit):
    get(client)
    draft = make_post(world.kim_a, title="Draf", status="draft")
    draft.body = "Ketikan baru"
    commit(draft.save)
    commit(Post.objects.filter(pk=post.pk).update, checks={"ok": True})  # a column no page shows
    assert get(client)[0]["X-Page-Cache"] == "hit"
    post.title = "Kerja bakti warga"
    commit(post.save)  # while a published post's change does
    assert get(client)[0]["X-Page-Cache"] == "miss"


def test_a_change_gives_each_scope_it_touches_a_new_version(post, world, commit):
    scopes = page_cache.scopes_of(community_id=world.kim_a.pk, province_id="35", regency_id="35.78")
    before = [page_cache.version_of(s) for s in scopes]
    post.title = "Kerja bakti warga"
    commit(post.save)
    after = [page_cache.version_of(s) for s in scopes]
    assert all(a is not None and (b is None or a > b) for a, b in zip(after, before, strict=True))
    assert page_cache.version_of(page_cache.community_scope(world.kim_b.pk)) is None


def test_a_page_whose_scope_changed_while_it_rendered_is_not_stored(post, world, commit):
    """The render started before the change: what it read may be older than the change."""
    request = RequestFactory().get(PAGE, HTTP_HOST=HOST)
    scope = page_cache.community_scope(world.kim_a.pk)

    def view(_request):
        commit(page_cache.bump, scope)  # someone publishes while this page renders
        return page_cache.public_page(HttpResponse("lama"), scope)

    middleware = page_cache.PageCacheMiddleware(view)
    assert "X-Page-Cache" not in middleware(request)
    assert get_redis_connection("default").get(page_cache.page_key(request)) is None


def test_a_user_of_another_kim_reading_this_one_changes_nothing(client, post, world):
    """Reading never bumps: versions change only with writes."""
    outsider = make_user("pembaca@example.id")
    assert outsider.pk
    get(client)
    get(client)
    assert get(client)[0]["X-Page-Cache"] == "hit"


# --- In front of Django: kimportal.wsgi answers hits itself -------------------------------------


def wsgi_get(path, host, **headers):
    from kimportal.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": host,
        "SERVER_PORT": "80", "HTTP_HOST": host, "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(), "REMOTE_ADDR": "127.0.0.1",
        **headers,
    }  # fmt: skip
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(response_headers)

    # As Django's test client does: the test's connection must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def test_a_miss_in_front_of_django_is_looked_up_once_then_stored(post, monkeypatch):
    lookups = []
    real_fetch = page_cache._fetch
    monkeypatch.setattr(
        page_cache, "_fetch", lambda *args: lookups.append(args[1]) or real_fetch(*args)
    )
    status, headers, _body = wsgi_get(PAGE, HOST)
    assert status == "200 OK" and headers["X-Page-Cache"] == "miss"
    assert len(lookups) == 1  # FastPath asked Redis; the middleware did not ask again
    status, headers, _body = wsgi_get(PAGE, HOST)
    assert headers["X-Page-Cache"] == "hit" and lookups[1] == lookups[0]


def test_the_wsgi_application_answers_a_stored_page_before_django(client, post):
    _response, body = get(client)  # stored by the middleware
    with CaptureQueriesContext(connection) as queries:
        status, headers, wsgi_body = wsgi_get(PAGE, HOST)
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
    assert wsgi_body.decode() == body and len(queries) == 0
    assert headers["Content-Length"] == str(len(wsgi_body))  # no chunked encoding for a hit
    # What the middleware would not serve from the cache, the fast path hands to Django too.
    status, headers, _body = wsgi_get(PAGE, HOST, HTTP_COOKIE="sessionid=abc")
    assert status == "200 OK" and "X-Page-Cache" not in headers
    status, headers, _body = wsgi_get(PAGE, "evil.example")
    assert status.startswith("400")
