from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from communities import selectors as community_selectors
from kimportal.lib import page_cache
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
