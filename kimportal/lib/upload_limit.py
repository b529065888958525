"""Refuse an oversized request from its Content-Length, before anything reads the body.

Django would otherwise stream a multi-gigabyte upload to a temporary file before any form could
say "too big". Requests without Content-Length carry no body as far as Django is concerned (the
WSGI input is limited to the declared length), so the header is all there is to check.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def upload_limit_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


class UploadLimitMiddleware:
    """Answers 413 with a page in the visitor's language when Content-Length exceeds
    MAX_UPLOAD_MB. Placed right after SiteMiddleware (the page needs the site) and before the
    session, CSRF and every view, none of which may touch the body first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads a malformed length as no body at all
        if length > upload_limit_bytes():
            response = TemplateResponse(
                request,
                "errors/request_too_large.html",
                {"limit_mb": settings.MAX_UPLOAD_MB},
                status=413,
            )
            return response.render()
        return self.get_response(request)
