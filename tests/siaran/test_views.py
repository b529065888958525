"""The staff pages: writing a siaran with photos and a PDF, errors kept, publish and report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from siaran.models import Siaran
from tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db


def test_write_publish_and_report(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.jatim_admin)
    form = {
        "office_name": "Diskominfo Jatim",
        "title": "Siaran uji",
        "body": "Isi **penting**.",
        "links": "bukan tautan",
        "provinces": ["35"],
    }
    response = client.post("/siaran/baru/", form, kelola=True)
    page = response.content.decode()
    assert response.status_code == 200 and "bukan tautan” bukan tautan http(s) yang sah" in page
    assert 'value="Siaran uji"' in page  # what was typed is kept
    form["links"] = "https://jatimprov.go.id/"
    form["photos"] = [jpeg_upload("a.jpg"), jpeg_upload("b.jpg")]
    form["attachment"] = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/siaran/baru/", form, kelola=True)
    siaran = Siaran.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/siaran/{siaran.pk}/"
    assert siaran.images.filter(status="ready").count() == 2 and siaran.attachment
    assert client.post(f"/siaran/{siaran.pk}/terbitkan/", kelola=True).status_code == 302
    siaran.refresh_from_db()
    assert siaran.status == "published"
    page = client.get(f"/siaran/{siaran.pk}/", kelola=True).content.decode()
    assert "KIM Ketabang Maju" in page and "KIM Gegerkalong" not in page
    assert "Kota Surabaya" in page


def test_an_empty_target_is_refused_in_indonesian(client, world):
    client.force_login(world.national_admin)
    response = client.post(
        "/siaran/baru/", {"office_name": "K", "title": "T", "body": "B"}, kelola=True
    )
    assert "Pilih sasaran" in response.content.decode()
    assert not Siaran.objects.exists()
