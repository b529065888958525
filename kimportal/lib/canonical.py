"""Files with one address: sitemaps, feeds, robots.txt and the open-data downloads.

They read no query parameter, yet each is costly to build (a sitemap block of 50,000 URLs takes
most of a second, the KIM download reads every KIM), and a query string makes them miss every
cache (nginx's key and the page cache's include it): ?x=1, ?x=2, … would rebuild them on every
request. A request with a query string is sent to the file's one address instead.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect


def without_query(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view, answering a request that carries a query string with a redirect to its path."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.META.get("QUERY_STRING"):
            return HttpResponsePermanentRedirect(request.path)
        return view(request, *args, **kwargs)

    return wrapper
