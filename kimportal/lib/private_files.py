"""Serving a private file (an SK scan, a photo original) after the view has checked permission.

Every such download goes through `private_file_response`, which the view calls only once it has
decided the person may have the file:

- **On disk** (development, tests) the file is streamed: always an attachment, never rendered
  by the browser in our origin. A scan that is really HTML or SVG with a script (content checks
  only look at the first bytes) cannot run: `Content-Security-Policy: sandbox` gives it an opaque
  origin even if a browser ignores the attachment, and `nosniff` stops it being read as anything
  but the type we send.
- **On S3** the answer is a redirect to a signed URL that works for PRIVATE_MEDIA_URL_SECONDS
  (60 s), with the attachment disposition and the content type written into the signature
  (the store answers with them; the object sits on the store's origin, never ours). Streaming
  would hold one of the web tier's eight threads (2 workers × 4) for the whole transfer: a
  15 MB original to a phone on a slow network takes minutes, and a handful of staff opening
  scans would stall the site. A signed URL is a bearer token, hence its short life and the
  no-store redirect; the permission check runs again at every click.
"""

import mimetypes
import posixpath

from django.conf import settings
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from kimportal.lib.storage import signs_urls


def private_file_response(storage: Storage, name: str) -> HttpResponse:
    """`name` from `storage` as a download (a redirect to a short-lived signed URL when the
    storage signs URLs); 404 when there is no such file."""
    if not name:
        raise Http404
    filename = posixpath.basename(name)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if signs_urls(storage):
        return _signed_redirect(storage, name, filename=filename, content_type=content_type)
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _signed_redirect(
    storage: Storage, name: str, *, filename: str, content_type: str
) -> HttpResponseRedirect:
    if not storage.exists(name):  # one HEAD request: a missing file is our 404, not the store's
        raise Http404
    url = storage.url(
        name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        },
        expire=settings.PRIVATE_MEDIA_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    # The signed URL is a bearer token for its lifetime: never kept by a cache, never sent on.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
