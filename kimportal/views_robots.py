"""robots.txt of each kind of host.

The portal and the subsites may be crawled, except search results, the language switch (a
redirect that sets a cookie) and report forms; each names its sitemaps. A subsite names the
portal's sitemap index too: the index lists subsite URLs, which crawlers accept from another
host only when the subsite's own robots.txt points at that sitemap. The management host is
closed to crawlers.
"""

from django.http import HttpRequest, HttpResponse

from kimportal.lib import page_cache
from kimportal.lib.links import portal_url, subsite_url

CONTENT_TYPE = "text/plain; charset=utf-8"
# Paths of pages no crawler should fetch, on the portal and on every subsite.
DISALLOWED = ("/cari/", "/bahasa/")
# Report forms: /kabar/<post>/laporkan/ (RFC 9309 wildcards).
SUBSITE_DISALLOWED = (*DISALLOWED, "/kabar/*/laporkan/")


def _text(lines: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(lines) + "\n", content_type=CONTENT_TYPE)


def portal(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {portal_url('sitemap')}")
    return page_cache.public_page(_text(lines), page_cache.NATIONAL)


def subsite(request: HttpRequest) -> HttpResponse:
    community = request.site.community
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in SUBSITE_DISALLOWED), ""]
    lines.append(f"Sitemap: {subsite_url(community.slug, 'sitemap')}")
    lines.append(f"Sitemap: {portal_url('sitemap')}")
    return page_cache.public_page(_text(lines), page_cache.community_scope(community.pk))


def kelola(request: HttpRequest) -> HttpResponse:
    return page_cache.public_page(_text(["User-agent: *", "Disallow: /"]), page_cache.NATIONAL)
