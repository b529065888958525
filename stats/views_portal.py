"""The public statistics page on the portal: /statistik/ (cached like every public page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kimportal.lib import page_cache
from stats import selectors, services
from stats.models import PAGE_SCOPE


def index(request: HttpRequest) -> HttpResponse:
    """The national figures, the map, the charts, the provinces and the top KIMs: three
    queries on the summary tables at any size."""
    score = {
        "post": services.SCORE_POST,
        "relay": services.SCORE_RELAY,
        "answer": services.SCORE_ANSWER,
        "visits": services.VISITS_PER_POINT,
    }
    response = render(
        request,
        "stats/public/index.html",
        {"stats": selectors.national_stats(), "score": score},
    )
    # The figures change with each refresh (PAGE_SCOPE); the top list's KIM names and links with
    # the KIMs themselves (national scope: a rename, a suspension).
    return page_cache.public_page(response, page_cache.NATIONAL, PAGE_SCOPE)
