import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_redis import get_redis_connection

from communities import selectors as community_selectors
from kimportal import retention
from kimportal.lib import page_cache
from kimportal.lib.storage import private_storage
from posts import public_selectors
from regions import selectors as region_selectors
from stats import selectors as stats_selectors
from stats.models import PAGE_SCOPE as STATS_SCOPE

NEWEST_KIMS = 6


def home(request: HttpRequest) -> HttpResponse:
    counts = region_selectors.kim_counts_national()
    newest = community_selectors.directory().order_by("-verified_at", "-pk")[:NEWEST_KIMS]
    response = render(
        request,
        "portal/home.html",
        {
            "kim_total": counts.total,
            "kim_provinces": len(counts.by_child),
            "newest": list(newest),
            "latest_posts": public_selectors.latest_public(),
            "province_stats": stats_selectors.province_summaries(),  # the map
        },
    )
    return page_cache.public_page(response, page_cache.NATIONAL, STATS_SCOPE)


@never_cache
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the visitor's language in a cookie and go back to the page they were reading.

    A GET, so that the language links are plain links: changing a preference is not an action
    anyone could abuse, and pages then need no form and no CSRF token (they stay cacheable).
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def privacy(request: HttpRequest) -> HttpResponse:
    """/privasi/: what kim.id collects, why, who sees it, for how long, and whom to write to.
    The periods are the settings the retention purge deletes by (kimportal.retention)."""
    response = render(
        request,
        "portal/privasi.html",
        {"periods": retention.periods(), "contact_email": settings.PRIVACY_CONTACT_EMAIL},
    )
    # Changes only with a release or a setting; NATIONAL expires it at the latest with the cache.
    return page_cache.public_page(response, page_cache.NATIONAL)


# --- Readiness -----------------------------------------------------------------------------------

# Looked up, never written: on S3 one HEAD request, whose 404 shows the bucket answered.
_STORAGE_PROBE = "readyz/probe"


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _redis_answers() -> bool:
    if not settings.REDIS_URL:
        return True  # not used: local-memory cache, tasks run in-process
    try:
        # The cache's own client and its short socket timeouts: a dead Redis costs < 1 s.
        return bool(get_redis_connection("default").ping())
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


def _writable_folder(path: str) -> bool:
    """The folder, or the nearest existing folder above it (the storage creates the rest on its
    first save), exists and may be written."""
    path = os.path.abspath(path)
    while not os.path.lexists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.path.isdir(path) and os.access(path, os.W_OK | os.X_OK)


def _storage_answers(storage: Storage) -> bool:
    """Cheap whatever the backend: no listing. On disk, the folder; elsewhere (S3), one lookup of
    a name, which raises when the store cannot be reached or refuses our credentials."""
    try:
        if isinstance(storage, FileSystemStorage):
            return _writable_folder(storage.location)
        storage.exists(_STORAGE_PROBE)
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
    return True


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """For load balancers and orchestrators: 200 "ok" when the database, Redis and the media
    storage (public and private) answer; 503 naming each part that does not, e.g. "redis: gagal".

    Never cached (page_cache skips it) and never logged: a probe every few seconds would bury
    the log, and an outage is reported by the probe's caller.
    """
    checks = {
        "database": _database_answers,
        "redis": _redis_answers,
        "media": lambda: _storage_answers(default_storage),
        "media-privat": lambda: _storage_answers(private_storage()),
    }
    failed = [name for name, answers in checks.items() if not answers()]
    if failed:
        body = "".join(f"{name}: gagal\n" for name in failed)
        response = HttpResponse(body, status=503, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse("ok", content_type="text/plain")
    response._has_been_logged = True  # Django's request logger would report the 503 as an error
    return response
