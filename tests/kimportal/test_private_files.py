"""The one way a private file leaves the server: kimportal.lib.private_files."""

import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from kimportal.lib.private_files import private_file_response
from kimportal.lib.storage import private_storage


def test_a_private_file_is_a_sandboxed_uncached_download():
    name = private_storage().save("sk/2026/01/sk-1.pdf", ContentFile(b"%PDF-1.4 isi"))
    response = private_file_response(private_storage(), name)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 isi"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sk-1.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_an_unknown_type_is_sent_as_bytes():
    content = ContentFile(b"<svg onload=alert(1)>")
    name = private_storage().save("sk/x/berkas-tanpa-akhiran", content)
    assert private_file_response(private_storage(), name)["Content-Type"] == (
        "application/octet-stream"
    )


@pytest.mark.parametrize("name", ["", "sk/2026/01/tidak-ada.pdf"])
def test_no_file_is_404(name):
    with pytest.raises(Http404):
        private_file_response(private_storage(), name)
