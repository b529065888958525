"""Public pages: HTTP caching headers and the whole-page cache for anonymous visitors.

A view that renders a page anyone may read marks its response with `public_page(response, *scopes)`.
The scopes name what the page shows (the national lists, one province, one regency, one KIM); when
any of them changes, `bump()` gives the scope a new version and every page that depends on it is
rendered afresh on its next request. Nothing else is ever cached: a response that is not marked,
sets a cookie, or answers a visitor with a session is passed through untouched.
"""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
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


def public_page(response: HttpResponse, *scopes: str, max_age: int | None = None) -> HttpResponse:
    """Mark `response` as a public page that depends on `scopes` (at least one).

    Browsers and shared caches may keep it for `max_age` seconds (PAGE_MAX_AGE by default) and
    serve it stale while they revalidate; the whole-page cache keeps it until a scope changes.
    """
    if not scopes:
        raise ValueError("a public page names what it depends on")
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_MAX_AGE if max_age is None else max_age,
        stale_while_revalidate=settings.PAGE_STALE_SECONDS,
    )
    response.page_scopes = tuple(scopes)
    return response


# --- Versions: what invalidates pages ------------------------------------------------------------


def _version_key(scope: str) -> str:
    return f"pv:{scope}"


def bump(*scopes: str) -> None:
    """Give each scope a new version once the current transaction commits.

    A version is the time of the change (nanoseconds). Bumping only after the commit matters: a
    page rendered between the write and the commit reads the old rows, and the cache refuses to
    store any page whose scopes changed after its rendering began (see PageCacheMiddleware), so
    neither an early nor a concurrent render can pin stale content under the new version.
    """
    keys = [_version_key(s) for s in dict.fromkeys(scopes) if s]
    if not keys:
        return

    def write() -> None:
        now = time.time_ns()
        cache.set_many(dict.fromkeys(keys, now), timeout=None)

    transaction.on_commit(write)


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
_ENTRY_VERSION = 1
# Response headers never replayed from the cache (set per response by the server or middleware).
_DROPPED_HEADERS = {"set-cookie", "date", "x-page-cache", "content-length"}


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


def _page_key(request: HttpRequest) -> str:
    language = translation.get_language_from_request(request)
    raw = "\n".join((request.scheme, request.get_host().lower(), language, request.get_full_path()))
    return "pg:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and getattr(response, "page_scopes", None)
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
    )


def _replay(entry: dict, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response.headers[name] = value
    response["X-Page-Cache"] = HIT
    conditional = get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )
    return conditional


class PageCacheMiddleware:
    """Answer anonymous GETs of public pages from Redis; store the ones views mark public.

    First in the middleware list, so a hit costs two cache reads (the page, then the current
    versions of the scopes it names) and nothing else. An entry is served only while every scope it
    depends on still has the version it had when the page was rendered.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_SECONDS or not _eligible(request):
            return self.get_response(request)
        key = _page_key(request)
        entry = cache.get(key)
        if entry is not None and entry.get("v") == _ENTRY_VERSION:
            scopes = entry["scopes"]
            current = cache.get_many([_version_key(s) for s in scopes])
            if all(current.get(_version_key(s)) == version for s, version in scopes.items()):
                return _replay(entry, request)
        started = time.time_ns()
        response = self.get_response(request)
        if _storable(response) and self._store(key, response, started):
            response["X-Page-Cache"] = MISS
        return response

    def _store(self, key: str, response: HttpResponse, started: int) -> bool:
        """Keep the page under the versions its scopes had when rendering began; False if not."""
        version_keys = {_version_key(s): s for s in response.page_scopes}
        versions = cache.get_many(list(version_keys))
        missing = [k for k in version_keys if k not in versions]
        if missing:
            # A scope never bumped (or evicted): start its clock now, then read what won.
            for version_key in missing:
                cache.add(version_key, started, timeout=None)
            versions = cache.get_many(list(version_keys))
        if len(versions) != len(version_keys) or any(v > started for v in versions.values()):
            return False  # something it shows changed while it rendered, or Redis is away
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(started / 1e9)
        entry = {
            "v": _ENTRY_VERSION,
            "scopes": {version_keys[k]: v for k, v in versions.items()},
            "content": response.content,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _DROPPED_HEADERS
            ],
        }
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        return True
