"""Resolve the request's host into `request.site` and the URLconf for that kind of site."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from kimportal.lib.hosts import SiteKind, resolve_host
from kimportal.lib.links import URLCONFS


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


def unknown_site_response(request: HttpRequest) -> HttpResponse:
    response = TemplateResponse(request, "errors/unknown_site.html", status=404)
    return response.render()


class SiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = resolve_host(request.get_host(), settings.PORTAL_DOMAIN)
        if match.kind in (SiteKind.PORTAL, SiteKind.KELOLA):
            request.site = Site(match.kind)
            request.urlconf = URLCONFS[match.kind]
            return self.get_response(request)
        # Communities arrive with the communities app; until one is found, a subsite is unknown.
        request.site = Site(SiteKind.UNKNOWN)
        return unknown_site_response(request)
