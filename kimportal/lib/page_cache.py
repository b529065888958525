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

import gzip
import hashlib
import logging
import os
import pickle
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
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

# A change: new versions, every page stored under the scopes dropped, and the scopes announced to
# the near caches of every process (NearCache). KEYS: n version keys, n member-set keys.
# ARGV: now (µs), the announcement channel, the scopes joined by commas.
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
redis.call('PUBLISH', ARGV[2], ARGV[3])
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
    near.drop(scopes)  # this process at once; the others when the announcement reaches them
    redis = _redis()
    if redis is None:
        return
    keys = [_VERSION + s for s in scopes] + [_MEMBERS + s for s in scopes]
    try:
        redis[2](keys=keys, args=[_now(), _channel(redis[0]), ",".join(scopes)])
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
_ENTRY_FORMAT = 3  # (format, response, scopes)
# Response headers never replayed from the cache (set per response by the server or middleware).
_DROPPED_HEADERS = {"set-cookie", "date", "x-page-cache"}


def _eligible(request: HttpRequest) -> bool:
    """Whether the request may be answered from, or fill, the cache: an anonymous visitor's GET.

    Anyone with a session (signed in, or mid-way through a form) or a pending flash message never
    gets a cached page, and a page rendered for them is never stored.
    """
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if not _portal_port(request.META.get("HTTP_HOST", "")):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or _MESSAGES_COOKIE in cookies:
        return False
    return not request.path_info.startswith(_skipped_prefixes())


def _portal_port(host: str) -> bool:
    """Whether the Host names no port, a default one, or the portal's own (PORTAL_PORT). The
    key holds the Host as given (the page's absolute links are built from it), and ALLOWED_HOSTS
    ignores ports: "desa.kim.id:1", ":2", … would each store another copy."""
    name, _colon, port = host.rpartition(":")
    if not name or "]" in port:  # no port (or a bare IPv6 address)
        return True
    return port in ("80", "443", str(settings.PORTAL_PORT or ""))


def _skipped_prefixes() -> tuple[str, ...]:
    """Files (served by whitenoise or the storage) and health checks never touch the cache."""
    return tuple(
        p
        for p in (settings.STATIC_URL, settings.MEDIA_URL, "/healthz", "/readyz")
        if p.startswith("/")
    )


# Parameters that share sites and ad networks append to links (a post shared on WhatsApp or
# Facebook comes back as ?fbclid=…): no page reads them, so they do not make a page different.
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "msclkid", "ref"})


def _tracking(name: str) -> bool:
    return name.startswith("utm_") or name in _TRACKING_PARAMS


def _cache_query(query: str) -> str:
    """The query string without tracking parameters."""
    kept = []
    for pair in query.split("&"):
        name = pair.split("=", 1)[0]
        if pair and not _tracking(name):
            kept.append(pair)
    return "&".join(kept)


class _ReadParams(QueryDict):
    """request.GET noting the parameters a view asks for by name (a form field, ?page=).

    A page is stored only if its view read every parameter it was asked with (apart from the
    tracking ones): any other would make a new key for the same page, and anyone could fill
    Redis with copies (?x=1, ?x=2, …), each rendered in full. Such a request is answered, just
    not kept. Reading the whole query (a link that keeps every parameter) does not count as
    reading a parameter."""

    def __init__(self, *args, **kwargs) -> None:
        self.read: set[str] = set()  # first: QueryDict's own __init__ adds the parameters
        super().__init__(*args, **kwargs)
        self.read.clear()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key) -> bool:
        self.read.add(key)
        return super().__contains__(key)


def _track_params(request: HttpRequest) -> _ReadParams | None:
    """Put a noting request.GET in place when the request has a query string."""
    if not request.META.get("QUERY_STRING"):
        return None
    # As Django reads it: the raw bytes (WSGI hands them over as Latin-1), in the request's
    # encoding; the str in META would turn a raw "é" into "Ã©".
    raw = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    params = _ReadParams(raw, encoding=request.encoding)
    request.GET = params
    return params


def _unread(params: _ReadParams | None) -> list[str]:
    if params is None:
        return []
    return [name for name in params if name not in params.read and not _tracking(name)]


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as django.middleware.gzip reads Accept-Encoding


def _accepts_gzip(request: HttpRequest) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def page_key(request: HttpRequest) -> str:
    language = translation.get_language_from_request(request)
    host = request.get_host().lower()
    query = _cache_query(request.META.get("QUERY_STRING", ""))
    encoding = "gzip" if _accepts_gzip(request) else ""
    raw = "\n".join((request.scheme, host, language, request.path, query, encoding))
    return _PAGE + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _compress(response: HttpResponse) -> None:
    """Gzip a public page once, when it is stored, for a visitor whose browser accepts it: the
    caches (Redis, each process, nginx) then keep and send the compressed bytes, and no server
    compresses the page again on every hit. Only public pages: they carry no secret (no CSRF
    token, no session), so compressing them beside a visitor's reflected input leaks nothing
    (BREACH needs a secret in the same body)."""
    compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
    if len(compressed) >= len(response.content):
        return
    response.content = compressed
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(compressed))
    if response.has_header("ETag"):  # a view's own ETag names the identity bytes
        response["ETag"] = response["ETag"].rstrip('"') + '-gzip"'


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and getattr(response, "page_scopes", None)
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
    )


def _unpack(payload: bytes) -> tuple[HttpResponse, tuple[str, ...]] | None:
    """The stored response and its scopes, or None for an entry this code cannot read."""
    try:
        form, response, scopes = pickle.loads(payload)  # noqa: S301 - written by _store only
    except Exception:
        return None
    return (response, scopes) if form == _ENTRY_FORMAT else None


def _conditional(response: HttpResponse, request: HttpRequest) -> HttpResponse:
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
    stored = _fetch(redis, key)
    return _conditional(stored[0], request) if stored is not None else None


def _fetch(redis, key: str) -> tuple[HttpResponse, tuple[str, ...]] | None:
    try:
        payload = redis[0].get(key)
    except Exception:  # Redis away: render as if nothing were cached
        return None
    return _unpack(payload) if payload is not None else None


# --- The near cache: the hottest pages kept in each process ---------------------------------------


@dataclass(frozen=True, slots=True)
class _Near:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    scopes: frozenset[str]
    expires: float


# Headers a 304 carries (RFC 9110 15.4.5, as django.utils.cache does).
_NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "etag", "expires", "vary"}


def _channel(client) -> str:
    """Where bumps are announced: one channel per Redis database (channels are server-wide)."""
    return f"kim:pb:{client.connection_pool.connection_kwargs.get('db', 0)}"


class NearCache:
    """The hottest stored pages, in each process (each gunicorn worker), in front of Redis.

    A hot page then costs a dictionary lookup instead of a Redis round trip and an unpickling. It is
    dropped as exactly as the Redis copy: every bump publishes its scopes on a Redis channel, and a
    thread of each process listening there drops the entries that show any of them (a bump in this
    process drops them at once). While that thread is not subscribed (at start, after a lost
    connection) the near cache is neither read nor filled, and it starts empty each time it is
    subscribed again, so an announcement missed while away cannot leave a stale page behind.

    It serves only requests that carry no cookie and no credentials, keyed on their raw host, path,
    query, scheme, Accept-Language and Accept-Encoding: such a request has exactly one answer in
    the Redis cache, and an entry is made only from that answer, after the full checks (allowed
    host, eligibility).
    Entries also expire after PAGE_NEAR_SECONDS, a bound on any fault not foreseen here.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, _Near] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0  # grows with every drop: a fill that saw it change is not kept
        self.ready = False
        self._pid = 0
        self._thread: threading.Thread | None = None

    @staticmethod
    def key(environ) -> tuple | None:
        """The raw key of a request the near cache may answer, or None."""
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or "HTTP_COOKIE" in environ
            or "HTTP_AUTHORIZATION" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ
        ):
            return None
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_X_FORWARDED_PROTO"),
            environ.get("HTTP_HOST"),
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
            environ.get("HTTP_ACCEPT_LANGUAGE"),
            environ.get("HTTP_ACCEPT_ENCODING"),
        )

    def get(self, key: tuple) -> _Near | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            with self._lock:
                self._entries.pop(key, None)
            return None
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple, response: HttpResponse, scopes, generation: int) -> None:
        """Keep `response` unless a drop happened since `generation` was read (the fill may have
        fetched a page that the drop was about)."""
        if len(response.content) > settings.PAGE_NEAR_MAX_BYTES:
            return
        headers = [(k, v) for k, v in response.items() if k.lower() != "x-page-cache"]
        if not response.has_header("Content-Length"):
            headers.append(("Content-Length", str(len(response.content))))
        headers.append(("X-Page-Cache", HIT))
        entry = _Near(
            status=f"{response.status_code} {response.reason_phrase}",
            headers=headers,
            body=response.content,
            etag=response.get("ETag", ""),
            scopes=frozenset(scopes),
            expires=time.monotonic() + settings.PAGE_NEAR_SECONDS,
        )
        with self._lock:
            if not self.ready or generation != self.generation:
                return
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > settings.PAGE_NEAR_ENTRIES:
                self._entries.popitem(last=False)

    def drop(self, scopes) -> None:
        scopes = set(scopes)
        with self._lock:
            self.generation += 1
            for key in [k for k, e in self._entries.items() if e.scopes & scopes]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def reset(self, *, ready: bool) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self.ready = ready

    def __len__(self) -> int:
        return len(self._entries)

    # The listening thread, one per process (started on first use, again after a fork).

    def listen(self) -> None:
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._entries.clear()
            self.ready = False
            self._thread = threading.Thread(target=self._run, name="page-cache-near", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        pid = os.getpid()
        while self._pid == pid:
            try:
                self._subscribe_and_follow(pid)
            except Exception:
                logger.warning("page cache: lost the bump channel; near cache off", exc_info=True)
            self.reset(ready=False)
            time.sleep(1)

    def _subscribe_and_follow(self, pid: int) -> None:
        redis = _redis()
        if redis is None:
            return
        pubsub = redis[0].pubsub()
        try:
            pubsub.subscribe(_channel(redis[0]))
            last_ping = time.monotonic()
            while self._pid == pid:
                message = pubsub.get_message(timeout=0.4)  # under the client's socket timeout
                if message is None:
                    if time.monotonic() - last_ping > 10:  # a dead connection shows on a write
                        pubsub.ping()
                        last_ping = time.monotonic()
                    continue
                if message["type"] == "subscribe":
                    self.reset(ready=True)
                elif message["type"] == "message":
                    self.drop(message["data"].decode().split(","))
        finally:
            pubsub.close()


near = NearCache()


class FastPath:
    """The same cache in front of Django itself (kimportal/wsgi.py): a hit skips Django's request
    handling (signals, the middleware chain) and is written straight to the WSGI server.

    It answers only what PageCacheMiddleware would answer from the cache, with the same key and
    the same eligibility; anything else, including every miss, goes to Django unchanged. The
    hottest pages are answered from the process's near cache without asking Redis.
    """

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and settings.PAGE_CACHE_SECONDS:
            near_key = NearCache.key(environ) if settings.PAGE_NEAR_ENTRIES else None
            if near_key is not None:
                near.listen()
                entry = near.get(near_key) if near.ready else None
                if entry is not None:
                    return self._answer_near(entry, environ, start_response)
            response = self._hit(environ, near_key)
            if response is not None:
                start_response(
                    f"{response.status_code} {response.reason_phrase}", list(response.items())
                )
                return [response.content]
        return self.application(environ, start_response)

    @staticmethod
    def _answer_near(entry: _Near, environ, start_response):
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None and entry.etag and if_none_match == entry.etag:
            headers = [(k, v) for k, v in entry.headers if k.lower() in _NOT_MODIFIED_HEADERS]
            start_response("304 Not Modified", [*headers, ("X-Page-Cache", HIT)])
            return [b""]
        start_response(entry.status, entry.headers)
        return [entry.body]

    def _hit(self, environ, near_key: tuple | None) -> HttpResponse | None:
        try:
            request = WSGIRequest(environ)
            if not _eligible(request):
                return None
            redis = _redis()
            if redis is None:
                return None
            key = page_key(request)
            generation = near.generation
            stored = _fetch(redis, key)
            if stored is None:
                environ[_LOOKED_UP] = key  # the middleware renders and stores without asking again
                return None
            if near_key is not None and near.ready:
                near.put(near_key, stored[0], stored[1], generation)
            return _conditional(stored[0], request)
        except Exception:  # a bad Host and the like: Django answers it as it always does
            return None


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
        params = _track_params(request)
        response = self.get_response(request)
        if _storable(response) and not _unread(params):
            patch_vary_headers(response, ("Accept-Encoding",))  # both variants say so
            if _accepts_gzip(request):
                _compress(response)
            if self._store(redis, key, response, started):
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
        payload = pickle.dumps((_ENTRY_FORMAT, stored, tuple(response.page_scopes)), protocol=5)
        scopes = response.page_scopes
        keys = [key] + [_VERSION + s for s in scopes] + [_MEMBERS + s for s in scopes]
        try:
            stored = redis[1](
                keys=keys, args=[started, settings.PAGE_CACHE_SECONDS * 1000, payload]
            )
        except Exception:
            return False
        return bool(stored)
