"""Public pages: HTTP caching headers and the whole-page cache for anonymous visitors.

A view that renders a page anyone may read marks its response with `public_page(response, *scopes)`.
The scopes name what the page shows (the national lists, one province, one regency, one KIM); when
any of them changes, `bump()` gives the scope a new version and every page that depends on it is
rendered afresh on its next request. Nothing else is ever cached: a response that is not marked,
sets a cookie, or answers a visitor with a session is passed through untouched.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

# What a page depends on. Keep them short: they are part of every cached entry.
NATIONAL = "n"


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
