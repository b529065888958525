from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from communities import selectors as community_selectors
from posts import public_selectors
from regions import selectors as region_selectors

NEWEST_KIMS = 6


def home(request: HttpRequest) -> HttpResponse:
    counts = region_selectors.kim_counts_national()
    newest = community_selectors.directory().order_by("-verified_at", "-pk")[:NEWEST_KIMS]
    return render(
        request,
        "portal/home.html",
        {
            "kim_total": counts.total,
            "kim_provinces": len(counts.by_child),
            "newest": list(newest),
            "latest_posts": public_selectors.latest_public(),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
