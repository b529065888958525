"""No metadata of an upload reaches a public rendition: not EXIF (with GPS), XMP, IPTC, an ICC
profile or a JPEG comment. Checked on the bytes of every rendition, through the pure pipeline
(`posts.media.render`) and through the whole photo flow (upload, worker, stored files).
"""

import io
import struct

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from posts import images, media
from posts.models import Image as Photo
from tests.factories import make_post

COMMENT = b"KOMENTAR-RAHASIA rumah Bu Siti"
XMP_NS = b"http://ns.adobe.com/xap/1.0/\x00"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>XMP-RAHASIA</dc:creator>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)
IPTC_TEXT = b"IPTC-RAHASIA"
EXIF_TEXT = "EXIF-RAHASIA"
GPS_IFD = 0x8825

# Every string any of the metadata blocks would carry into a file that kept it.
PAYLOADS = (
    COMMENT,
    b"ns.adobe.com/xap",
    b"XMP-RAHASIA",
    b"Photoshop 3.0",
    b"8BIM",
    IPTC_TEXT,
    b"ICC_PROFILE",
    b"acsp",  # the signature inside every ICC profile
    EXIF_TEXT.encode(),
    b"Exif\x00\x00",
)


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _iptc_block() -> bytes:
    """An APP13 Photoshop 3.0 segment holding one IPTC record (2:80, the byline)."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(IPTC_TEXT)) + IPTC_TEXT
    if len(record) % 2:
        record += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(record))
    return _segment(0xED, b"Photoshop 3.0\x00" + resource + record)


def photo_with_everything(size=(1800, 1200), orientation: int = 6) -> bytes:
    """A JPEG carrying EXIF (with GPS and orientation), an ICC profile, a comment, XMP and IPTC."""
    exif = Image.Exif()
    exif[0x010E] = EXIF_TEXT  # ImageDescription
    exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update(
        {1: "S", 2: (7.0, 15.0, 30.0), 3: "E", 4: (112.0, 44.0, 10.0)}  # Surabaya
    )
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(
        buffer, "JPEG", quality=90, exif=exif.tobytes(), icc_profile=icc, comment=COMMENT
    )
    data = buffer.getvalue()
    # Pillow writes no APP13 and not every version writes XMP: put both right after SOI.
    extra = _segment(0xE1, XMP_NS + XMP) + _iptc_block()
    data = data[:2] + extra + data[2:]
    opened = Image.open(io.BytesIO(data))
    assert {"exif", "icc_profile", "comment", "xmp", "photoshop"} <= set(opened.info)
    assert opened.getexif().get_ifd(GPS_IFD)
    return data


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the image data."""
    assert data[:2] == b"\xff\xd8"
    segments, i = [], 2
    while i < len(data):
        assert data[i] == 0xFF, f"not a marker at {i}"
        marker = data[i + 1]
        if marker == 0xD9:
            break
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        segments.append((marker, data[i + 4 : i + 2 + length]))
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        i += 2 + length
    return segments


def webp_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, i = [], 12
    while i + 8 <= len(data):
        fourcc, size = data[i : i + 4], struct.unpack("<I", data[i + 4 : i + 8])[0]
        chunks.append(fourcc)
        i += 8 + size + (size & 1)
    return chunks


def assert_clean(data: bytes, fmt: str) -> None:
    for payload in PAYLOADS:
        assert payload not in data, (fmt, payload)
    if fmt == "jpeg":
        markers = [marker for marker, _payload in jpeg_segments(data)]
        # Only the image itself: no APP1 (EXIF/XMP), APP2 (ICC), APP13 (IPTC) or COM.
        assert not {0xE1, 0xE2, 0xED, 0xFE} & set(markers), [hex(m) for m in markers]
    else:
        assert not {b"EXIF", b"XMP ", b"ICCP"} & set(webp_chunks(data)), webp_chunks(data)
    image = Image.open(io.BytesIO(data))
    for key in ("exif", "icc_profile", "xmp", "comment", "photoshop", "XML:com.adobe.xmp"):
        assert key not in image.info, (fmt, key)
    exif = image.getexif()
    assert not dict(exif), (fmt, dict(exif))
    assert not exif.get_ifd(GPS_IFD)


@pytest.fixture(scope="module")
def loaded() -> bytes:
    return photo_with_everything()


def test_no_metadata_reaches_any_rendition(loaded):
    result = media.render(loaded)
    assert {(r.width, r.fmt) for r in result.renditions} == {
        (w, f) for w in (320, 640, 1024) for f in ("webp", "jpeg")
    }
    for rendition in result.renditions:
        assert_clean(rendition.data, rendition.fmt)
    # The orientation was applied to the pixels, not carried as a tag.
    assert (result.width, result.height) == (1200, 1800)


@pytest.mark.parametrize("mode", ["RGBA", "P", "L"])
def test_no_metadata_reaches_renditions_of_other_modes(mode):
    """PNGs in other modes go through _flatten's conversions, which copy .info along."""
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010E] = EXIF_TEXT
    buffer = io.BytesIO()
    Image.new("RGB", (700, 500), (10, 200, 30)).convert(mode).save(
        buffer, "PNG", icc_profile=icc, exif=exif.tobytes()
    )
    for rendition in media.render(buffer.getvalue()).renditions:
        assert_clean(rendition.data, rendition.fmt)


@pytest.mark.django_db
def test_stored_renditions_of_an_uploaded_photo_carry_no_metadata(
    world, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_contributor)
    upload = SimpleUploadedFile("rumah.jpg", photo_with_everything(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        photo = images.image_add(post=post, file=upload)
    photo = Photo.objects.get(pk=photo.pk)
    if photo.status != Photo.Status.READY:  # the task was not run on commit: run it here
        assert images.image_process(image_id=photo.pk) == "ready"
        photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    stored = [
        (fmt, path)
        for sizes in photo.renditions.values()
        for fmt, path in sizes.items()
        if fmt in ("webp", "jpeg")
    ]
    assert len(stored) == 6
    for fmt, path in stored:
        with default_storage.open(path, "rb") as handle:
            assert_clean(handle.read(), fmt)
