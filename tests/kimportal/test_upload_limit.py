"""An oversized request is refused from its Content-Length, before anything reads the body."""

import pytest
from django.conf import settings as django_settings

from posts import images, media
from tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db


class BodyMustNotBeRead:
    """A WSGI input that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_over_the_limit_gets_413_without_being_read(client, world, settings):
    settings.MAX_UPLOAD_MB = 10
    client.force_login(world.a_contributor)
    response = client.post(
        "/kim/kim-ketabang/tulisan/baru/",
        kelola=True,
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(10 * 1024 * 1024 + 1),
        **{"wsgi.input": BodyMustNotBeRead()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Kiriman terlalu besar" in page and "lebih dari 10 MB" in page
    assert "Tekan tombol Kembali di peramban" in page


@pytest.mark.parametrize("host", [None, "kim-ketabang.localhost"])
def test_every_host_is_guarded(client, world, settings, host):
    settings.MAX_UPLOAD_MB = 1
    response = client.post(
        "/",
        host=host,
        CONTENT_LENGTH=str(2 * 1024 * 1024),
        **{"wsgi.input": BodyMustNotBeRead()},
    )
    assert response.status_code == 413


def test_an_upload_within_the_limit_goes_through(client, world, settings):
    settings.MAX_UPLOAD_MB = 1
    client.force_login(world.a_admin)
    response = client.post(
        "/kim/kim-ketabang/profil/",
        {
            "name": "KIM Ketabang Maju",
            "brand_colour": "#1e6b34",
            "logo": jpeg_upload(size=(64, 64)),
        },
        kelola=True,
    )
    assert response.status_code != 413


def test_the_default_allows_the_editor_to_send_ten_full_size_photos():
    needed = images.MAX_PHOTOS * media.MAX_BYTES
    assert needed < django_settings.MAX_UPLOAD_MB * 1024 * 1024
    # Form fields alone stay small; files above 1 MB are spooled to disk, not kept in memory.
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
