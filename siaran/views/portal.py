"""Current siaran on the national portal: cached whole (scope NATIONAL), no cookie, no form."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kimportal.lib import page_cache
from kimportal.lib.private_files import private_file_response
from kimportal.lib.storage import private_storage
from siaran import selectors

PAGE_SIZE = 20
MAX_PAGES = 50  # older siaran have expired anyway; the page count stays bounded


def index(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.portal_current(), PAGE_SIZE)
    number = request.GET.get("page", "1")
    if not number.isdigit() or not 1 <= int(number) <= MAX_PAGES:
        raise Http404
    page = paginator.get_page(number)
    response = render(
        request,
        "siaran/portal/index.html",
        {"page": page, "page_title": _("Siaran")},
    )
    return page_cache.public_page(response, page_cache.NATIONAL)


def detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    siaran = selectors.portal_get(pk=pk)
    if slug != siaran.slug:
        return redirect("siaran:detail", siaran.pk, siaran.slug, permanent=True)
    response = render(
        request,
        "siaran/portal/detail.html",
        {
            "siaran": siaran,
            "images": selectors.portal_images(siaran),
            "relays": selectors.portal_relays(siaran),
        },
    )
    return page_cache.public_page(response, page_cache.NATIONAL)


def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of a published siaran (streamed from private storage: gone once withdrawn)."""
    siaran = selectors.portal_get(pk=pk)
    return private_file_response(private_storage(), siaran.attachment.name)
