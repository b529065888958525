"""Serving a private file (an SK scan, a photo original) after the view has checked permission.

Every such download goes through `private_file_response`: always an attachment, never rendered
by the browser in our origin. A scan that is really HTML or SVG with a script (content checks
only look at the first bytes) cannot run: `Content-Security-Policy: sandbox` gives it an opaque
origin even if a browser ignores the attachment, and `nosniff` stops it being read as anything
but the type we send.
"""

import mimetypes
import posixpath

from django.core.files.storage import Storage
from django.http import FileResponse, Http404


def private_file_response(storage: Storage, name: str) -> FileResponse:
    """Stream `name` from `storage` as a download; 404 when there is no such file."""
    if not name:
        raise Http404
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = posixpath.basename(name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
