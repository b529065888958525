"""Resolve the request's host into `request.site` and the URLconf for that kind of site."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse

from kimportal.lib.hosts import SiteKind, resolve_host
from kimportal.lib.links import URLCONFS, site_url


@dataclass(frozen=True, slots=True)
class Site:
    kind: SiteKind
    community: Any = None

    @property
    def is_portal(self) -> bool:
        return self.kind is SiteKind.PORTAL

    @property
    def is_kelola(self) -> bool:
        return self.kind is SiteKind.KELOLA

    @property
    def is_subsite(self) -> bool:
        return self.kind is SiteKind.COMMUNITY


def unknown_site_response(request: HttpRequest) -> HttpResponse:
    response = TemplateResponse(request, "errors/unknown_site.html", status=404)
    return response.render()


class SiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from communities.selectors import community_for_host

        match = resolve_host(request.get_host(), settings.PORTAL_DOMAIN)
        if match.kind in (SiteKind.PORTAL, SiteKind.KELOLA):
            request.site = Site(match.kind)
            request.urlconf = URLCONFS[match.kind]
            return self.get_response(request)
        request.site = Site(SiteKind.UNKNOWN)
        if match.kind is not SiteKind.COMMUNITY:
            return unknown_site_response(request)
        community = community_for_host(match.slug)
        if community is None or not community.is_live:
            return unknown_site_response(request)
        if community.slug != match.slug:
            return HttpResponsePermanentRedirect(
                site_url(SiteKind.COMMUNITY, request.get_full_path(), slug=community.slug)
            )
        request.site = Site(SiteKind.COMMUNITY, community)
        request.urlconf = URLCONFS[SiteKind.COMMUNITY]
        return self.get_response(request)
