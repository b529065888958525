"""A KIM's logo and cover go through the photo pipeline: nothing of what the camera or editor
wrote (EXIF with GPS, XMP, IPTC, ICC profile, comments) reaches a stored public file, orientation
is applied, and a file that is no image is refused in clear Indonesian (issue 7, hole 4)."""

import io
import re
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from communities import services
from communities.models import Community
from tests.communities.test_manage import admin_client, profile_data

pytestmark = pytest.mark.django_db

COMMENT = b"KOMENTAR-RAHASIA rumah ketua"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>XMP-RAHASIA</dc:creator>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)
IPTC_TEXT = b"IPTC-RAHASIA"
# What any of those blocks would leave in a file that kept it.
PAYLOADS = (
    b"Exif\x00\x00",
    b"EXIF-RAHASIA",
    COMMENT,
    b"ns.adobe.com/xap",
    b"XMP-RAHASIA",
    b"Photoshop 3.0",
    b"8BIM",
    IPTC_TEXT,
    b"ICC_PROFILE",
    b"acsp",
)


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def jpeg_with_everything(size=(1200, 800), orientation: int = 1) -> bytes:
    """A JPEG carrying EXIF (camera, orientation, GPS), a comment, XMP, IPTC and ICC."""
    exif = Image.Exif()
    exif[0x010F] = "EXIF-RAHASIA kamera"  # Make
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "S", 2: (7.0, 15.0, 30.0), 3: "E", 4: (112.0, 45.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(
        buffer,
        "JPEG",
        exif=exif.tobytes(),
        comment=COMMENT,
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    data = buffer.getvalue()
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(IPTC_TEXT)) + IPTC_TEXT
    iptc += b"\x00" * (len(iptc) % 2)
    photoshop = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    extra = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP) + _segment(0xED, photoshop)
    data = data[:2] + extra + data[2:]
    for payload in PAYLOADS:  # the fixture really carries all of it
        assert payload in data, payload
    return data


def stored_bytes(field) -> bytes:
    assert field.storage is default_storage  # a public file
    with field.open("rb") as handle:
        return handle.read()


def test_logo_and_cover_are_stored_without_any_metadata_and_upright(client, world):
    logo = SimpleUploadedFile("logo.jpg", jpeg_with_everything((600, 600)), "image/jpeg")
    cover = SimpleUploadedFile(
        "sampul.jpg", jpeg_with_everything((1800, 1200), orientation=6), "image/jpeg"
    )
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/",
        {**profile_data(), "logo": logo, "cover": cover},
        kelola=True,
    )
    assert response.status_code == 302
    community = Community.objects.get(pk=world.kim_a.pk)
    # The logo is scaled to 512 px; the cover was a landscape frame of a phone held upright.
    for field, size in ((community.logo, (512, 512)), (community.cover, (1200, 1800))):
        data = stored_bytes(field)
        for payload in PAYLOADS:
            assert payload not in data, (field.name, payload)
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert image.size == size
            assert not image.getexif() and "icc_profile" not in image.info
    assert re.fullmatch(rf"kim/logo/{world.kim_a.pk}-[A-Za-z0-9_-]{{22}}\.jpg", community.logo.name)
    assert re.fullmatch(
        rf"kim/sampul/{world.kim_a.pk}-[A-Za-z0-9_-]{{22}}\.jpg", community.cover.name
    )


def test_the_service_re_encodes_whoever_calls_it(world):
    upload = SimpleUploadedFile("logo.jpg", jpeg_with_everything((300, 200)), "image/jpeg")
    community = services.community_update_profile(
        community=world.kim_a, actor=world.a_admin, logo=upload
    )
    data = stored_bytes(community.logo)
    assert not any(payload in data for payload in PAYLOADS)


def test_a_transparent_png_logo_stays_a_png_with_its_transparency(world):
    buffer = io.BytesIO()
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    image.paste((10, 92, 168, 255), (16, 16, 48, 48))
    image.save(buffer, "PNG", pnginfo=_png_text("RAHASIA-PNG"))
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png")
    community = services.community_update_profile(
        community=world.kim_a, actor=world.a_admin, logo=upload
    )
    data = stored_bytes(community.logo)
    assert b"RAHASIA-PNG" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "PNG" and stored.mode == "RGBA"
        assert stored.getpixel((0, 0))[3] == 0 and stored.getpixel((32, 32)) == (10, 92, 168, 255)


def _png_text(text: str):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return info


def test_a_non_image_named_jpg_is_refused_in_indonesian_and_the_form_keeps_the_rest(client, world):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 bukan foto sama sekali" * 20, "image/jpeg")
    response = admin_client(client, world).post(
        "/kim/kim-ketabang/profil/",
        {**profile_data(tagline="Slogan yang baru diketik"), "cover": fake},
        kelola=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Berkas ini bukan gambar atau gambarnya rusak." in page
    assert 'value="Slogan yang baru diketik"' in page
    community = Community.objects.get(pk=world.kim_a.pk)
    assert not community.cover and community.tagline != "Slogan yang baru diketik"


def test_the_service_refuses_a_non_image_on_its_field(world):
    fake = SimpleUploadedFile("logo.jpg", b"GIF89a bukan jpeg" * 10, "image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.community_update_profile(community=world.kim_a, actor=world.a_admin, logo=fake)
    assert list(exc.value.error_dict) == ["logo"]
    assert "bukan foto yang dapat dibaca" in exc.value.error_dict["logo"][0].messages[0]
    assert not Community.objects.get(pk=world.kim_a.pk).logo


def test_replacing_or_clearing_a_logo_deletes_the_old_file(
    world, django_capture_on_commit_callbacks
):
    def upload():
        return SimpleUploadedFile("logo.jpg", jpeg_with_everything((100, 100)), "image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        first = services.community_update_profile(
            community=world.kim_a, actor=world.a_admin, logo=upload()
        ).logo.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.community_update_profile(
            community=world.kim_a, actor=world.a_admin, logo=upload()
        ).logo.name
    assert first != second
    assert not default_storage.exists(first) and default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        services.community_update_profile(community=world.kim_a, actor=world.a_admin, logo="")
    assert not default_storage.exists(second)
