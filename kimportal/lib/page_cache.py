"""Public pages: HTTP caching headers and the whole-page cache for anonymous visitors.

A view that renders a page anyone may read marks its response with `public_page(response, *scopes)`.
The scopes name what the page shows (the national lists, one province, one regency, one KIM); when
any of them changes, `bump()` drops every stored page that depends on it, and the next request
renders it afresh. Nothing else is ever cached: a response that is not marked, sets a cookie, or
answers a visitor with a session is passed through untouched. See docs/caching.md.

The cache lives in Redis, used directly (not through Django's cache API) so that a hit is one GET
and storing and dropping are atomic (two small Lua scripts). Without Redis (the SQLite default of
`make run`) pages are simply not cached.
"""

import hashlib
import logging
import pickle
import time
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

# What a page depends on. Keep them short: they are part of every cached entry.
NATIONAL = "n"
_MESSAGES_COOKIE = "messages"


def community_scope(community_id: int) -> str:
    return f"k{community_id}"


def province_scope(code: str) -> str:
    return f"p{code}"


def regency_scope(code: str) -> str:
    return f"r{code}"


def public_page(response: HttpResponse, *scopes: str) -> HttpResponse:
    """Mark `response` as a public page that depends on `scopes` (at least one).

    Browsers keep it for PAGE_MAX_AGE seconds (0 by default: they revalidate every time, with
    the ETag, and a change such as a take-down or another language shows at once); shared caches
    (nginx, a CDN) for PAGE_SHARED_MAX_AGE, and may serve it stale for PAGE_STALE_SECONDS while
    they fetch a fresh copy. The whole-page cache keeps it until a scope changes.
    """
    if not scopes:
        raise ValueError("a public page names what it depends on")
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_MAX_AGE,
        s_maxage=settings.PAGE_SHARED_MAX_AGE,
        stale_while_revalidate=settings.PAGE_STALE_SECONDS,
    )
    response.page_scopes = tuple(scopes)
    return response


# --- Redis ----------------------------------------------------------------------------------------

logger = logging.getLogger(__name__)

_PAGE = "kim:pg:"  # a stored page, by the hash of its request
_VERSION = "kim:pv:"  # a scope's version: the time (microseconds) of its last change
_MEMBERS = "kim:ps:"  # the keys of the stored pages that depend on a scope

# Store a page unless one of its scopes changed after its rendering began (atomically, so that a
# change cannot slip between the check and the write), and list it under each scope.
# KEYS: page, n version keys, n member-set keys. ARGV: started (µs), lifetime (ms), payload.
_STORE = """
local n = (#KEYS - 1) / 2
for i = 2, n + 1 do
  local version = redis.call('GET', KEYS[i])
  if not version then
    redis.call('SET', KEYS[i], ARGV[1])
  elseif tonumber(version) > tonumber(ARGV[1]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
for i = n + 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return 1
"""

# A change: new versions, and every page stored under the scopes dropped.
# KEYS: n version keys, n member-set keys. ARGV: now (µs).
_BUMP = """
local n = #KEYS / 2
for i = 1, n do
  redis.call('SET', KEYS[i], ARGV[1])
  local pages = redis.call('SMEMBERS', KEYS[n + i])
  for j = 1, #pages, 500 do
    redis.call('UNLINK', unpack(pages, j, math.min(j + 499, #pages)))
  end
  redis.call('UNLINK', KEYS[n + i])
end
return n
"""

_registered: tuple | None = None  # (client, store script, bump script)


def _redis():
    """The cache's Redis client and its two scripts, or None where the cache is not Redis."""
    global _registered
    try:
        from django_redis import get_redis_connection

        client = get_redis_connection("default")
    except (ImportError, NotImplementedError, AttributeError):
        return None
    if _registered is None or _registered[0] is not client:  # first use, or a new client
        _registered = (client, client.register_script(_STORE), client.register_script(_BUMP))
    return _registered


def _now() -> int:
    return time.time_ns() // 1000


# --- Versions: what invalidates pages ------------------------------------------------------------


def bump(*scopes: str) -> None:
    """Drop every stored page of each scope, and give the scope a new version, once the current
    transaction commits.

    After the commit matters: a page rendered between the write and the commit reads the old
    rows, and the cache refuses to store a page whose scopes changed after its rendering began;
    so neither an early nor a concurrent render can pin stale content.
    """
    scopes = [s for s in dict.fromkeys(scopes) if s]
    if scopes:
        transaction.on_commit(lambda: _bump_now(scopes))


def _bump_now(scopes: list[str]) -> None:
    redis = _redis()
    if redis is None:
        return
    keys = [_VERSION + s for s in scopes] + [_MEMBERS + s for s in scopes]
    try:
        redis[2](keys=keys, args=[_now()])
    except Exception:  # a Redis outage must not fail the write that already committed
        logger.warning("page cache: could not drop the pages of %s", scopes, exc_info=True)


def version_of(scope: str) -> int | None:
    """The current version of a scope (for tests and diagnostics)."""
    redis = _redis()
    value = redis[0].get(_VERSION + scope) if redis else None
    return int(value) if value is not None else None


def scopes_of(*, community_id: int | None, province_id: str | None, regency_id: str | None):
    """Every scope a change of one KIM (or of one of its posts) can show up in."""
    scopes = [NATIONAL]
    if community_id:
        scopes.append(community_scope(community_id))
    if province_id:
        scopes.append(province_scope(province_id))
    if regency_id:
        scopes.append(regency_scope(regency_id))
    return scopes


# --- The whole-page cache -------------------------------------------------------------------------

HIT = "hit"
MISS = "miss"
_ENTRY_FORMAT = 2
# Response headers never replayed from the cache (set per response by the server or middleware).
_DROPPED_HEADERS = {"set-cookie", "date", "x-page-cache"}


def _eligible(request: HttpRequest) -> bool:
    """Whether the request may be answered from, or fill, the cache: an anonymous visitor's GET.

    Anyone with a session (signed in, or mid-way through a form) or a pending flash message never
    gets a cached page, and a page rendered for them is never stored.
    """
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or _MESSAGES_COOKIE in cookies:
        return False
    return not request.path_info.startswith(_skipped_prefixes())


def _skipped_prefixes() -> tuple[str, ...]:
    """Files (served by whitenoise or the storage) and health checks never touch the cache."""
    return tuple(
        p for p in (settings.STATIC_URL, settings.MEDIA_URL, "/healthz") if p.startswith("/")
    )


# Parameters that share sites and ad networks append to links (a post shared on WhatsApp or
# Facebook comes back as ?fbclid=…): no page reads them, so they do not make a page different.
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "msclkid", "ref"})


def _cache_query(query: str) -> str:
    """The query string without tracking parameters."""
    kept = []
    for pair in query.split("&"):
        name = pair.split("=", 1)[0]
        if pair and not (name.startswith("utm_") or name in _TRACKING_PARAMS):
            kept.append(pair)
    return "&".join(kept)


def page_key(request: HttpRequest) -> str:
    language = translation.get_language_from_request(request)
    host = request.get_host().lower()
    query = _cache_query(request.META.get("QUERY_STRING", ""))
    raw = "\n".join((request.scheme, host, language, request.path, query))
    return _PAGE + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and getattr(response, "page_scopes", None)
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
    )


def _replay(payload: bytes, request: HttpRequest) -> HttpResponse | None:
    try:
        form, response = pickle.loads(payload)  # noqa: S301 - written by _store only
    except Exception:
        return None
    if form != _ENTRY_FORMAT:
        return None
    response["X-Page-Cache"] = HIT
    meta = request.META
    if "HTTP_IF_NONE_MATCH" not in meta and "HTTP_IF_MODIFIED_SINCE" not in meta:
        return response
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


# Set in the WSGI environ by FastPath when it looked a request up and missed: its key.
_LOOKED_UP = "kimportal.page_cache.missed"


def _lookup(redis, key: str, request: HttpRequest) -> HttpResponse | None:
    try:
        payload = redis[0].get(key)
    except Exception:  # Redis away: render as if nothing were cached
        return None
    return _replay(payload, request) if payload is not None else None


class FastPath:
    """The same cache in front of Django itself (kimportal/wsgi.py): a hit skips Django's request
    handling (signals, the middleware chain) and is written straight to the WSGI server.

    It answers only what PageCacheMiddleware would answer from the cache, with the same key and
    the same eligibility; anything else, including every miss, goes to Django unchanged.
    """

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and settings.PAGE_CACHE_SECONDS:
            response = self._hit(environ)
            if response is not None:
                start_response(
                    f"{response.status_code} {response.reason_phrase}", list(response.items())
                )
                return [response.content]
        return self.application(environ, start_response)

    def _hit(self, environ) -> HttpResponse | None:
        try:
            request = WSGIRequest(environ)
            if not _eligible(request):
                return None
            redis = _redis()
            if redis is None:
                return None
            key = page_key(request)
            response = _lookup(redis, key, request)
        except Exception:  # a bad Host and the like: Django answers it as it always does
            return None
        if response is None:
            environ[_LOOKED_UP] = key  # the middleware renders and stores without asking again
        return response


class PageCacheMiddleware:
    """Answer anonymous GETs of public pages from Redis; store the ones views mark public.

    First in the middleware list, so a hit costs one Redis GET and nothing else: no session, no
    database, no template. A stored page is dropped as soon as a scope it depends on changes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_SECONDS or not _eligible(request):
            return self.get_response(request)
        redis = _redis()
        if redis is None:
            return self.get_response(request)
        key = request.META.get(_LOOKED_UP)
        if key is None:  # not already missed in front of Django (FastPath)
            key = page_key(request)
            response = _lookup(redis, key, request)
            if response is not None:
                return response
        started = _now()
        response = self.get_response(request)
        if _storable(response) and self._store(redis, key, response, started):
            response["X-Page-Cache"] = MISS
        return response

    def _store(self, redis, key: str, response: HttpResponse, started: int) -> bool:
        """Keep the page unless a scope it shows changed after `started`; False if not kept."""
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(started / 1e6)
        # A clean copy (no cookies, no per-response headers), pickled whole: a hit then rebuilds
        # it without validating each header again.
        stored = HttpResponse(response.content, status=200)
        for name, value in response.items():
            if name.lower() not in _DROPPED_HEADERS:
                stored[name] = value
        payload = pickle.dumps((_ENTRY_FORMAT, stored), protocol=5)
        scopes = response.page_scopes
        keys = [key] + [_VERSION + s for s in scopes] + [_MEMBERS + s for s in scopes]
        try:
            stored = redis[1](
                keys=keys, args=[started, settings.PAGE_CACHE_SECONDS * 1000, payload]
            )
        except Exception:
            return False
        return bool(stored)
