"""The view beacon: a 1×1 GIF in each public post page, never cached, that counts a view."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from kimportal.lib.client import client_address
from stats.visits import visit_record

# The smallest transparent GIF.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@require_GET
def visit(request: HttpRequest, post_id: int) -> HttpResponse:
    """Count a view of a post of this subsite's KIM. No database read: the flush drops ids that
    name no post of the KIM, and a reader is counted for at most READER_POSTS_PER_DAY posts of
    a KIM a day, so forged ids cost a bounded number of Redis keys."""
    visit_record(
        community_id=request.site.community.pk, post_id=post_id, address=client_address(request)
    )
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response
