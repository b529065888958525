"""The rendition pipeline on real image bytes (no database)."""

import io

import pytest
from PIL import Image

from bench.photos import big_png, phone_jpeg
from posts import media


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def jpeg(width: int, height: int, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 20)).save(buffer, "JPEG", **save)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def phone_photo() -> bytes:
    return phone_jpeg(orientation=6)


@pytest.fixture(scope="module")
def phone_result(phone_photo) -> media.Result:
    return media.render(phone_photo)


def test_phone_photo_gets_every_width_in_webp_and_jpeg(phone_result):
    made = sorted((r.width, r.fmt) for r in phone_result.renditions)
    assert made == sorted((w, f) for w in (320, 640, 1024, 1600) for f in ("webp", "jpeg"))
    for rendition in phone_result.renditions:
        image = decode(rendition.data)
        assert image.format == rendition.fmt.upper()
        assert image.size == (rendition.width, rendition.height)


def test_exif_orientation_is_applied(phone_result):
    # Stored 4000 x 3000 with orientation 6 (rotate 90°): shown as a 3000 x 4000 portrait.
    assert (phone_result.width, phone_result.height) == (3000, 4000)
    largest = next(r for r in phone_result.renditions if r.width == 1600)
    assert largest.height == 2133


def test_no_metadata_survives(phone_photo, phone_result):
    assert decode(phone_photo).getexif().get_ifd(0x8825)  # the input does carry GPS
    for rendition in phone_result.renditions:
        image = decode(rendition.data)
        assert not image.getexif(), rendition.fmt
        assert "exif" not in image.info and "xmp" not in image.info
        assert b"KIMPhone" not in rendition.data
        assert b"Exif" not in rendition.data[:200]


def test_never_upscaled():
    result = media.render(jpeg(700, 350))
    assert sorted({r.width for r in result.renditions}) == [320, 640]
    tiny = media.render(jpeg(200, 100))
    assert {(r.width, r.height) for r in tiny.renditions} == {(200, 100)}


def test_placeholder_is_the_average_colour():
    placeholder = media.render(jpeg(400, 300)).placeholder
    channels = [int(placeholder[i : i + 2], 16) for i in (1, 3, 5)]
    assert all(abs(got - want) <= 4 for got, want in zip(channels, (200, 80, 20), strict=True))


def test_png_with_transparency_is_flattened_on_white_for_jpeg():
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 200), (0, 0, 0, 0)).save(buffer, "PNG")
    result = media.render(buffer.getvalue())
    jpeg_out = next(r for r in result.renditions if r.fmt == "jpeg")
    assert decode(jpeg_out.data).getpixel((10, 10)) == (255, 255, 255)


def test_big_png_within_limits_is_rendered():
    data = big_png()
    assert len(data) < media.MAX_BYTES
    result = media.render(data)
    assert (result.width, result.height) == (4000, 3000)


@pytest.mark.parametrize(
    ("label", "data", "message"),
    [
        ("text renamed .jpg", b"this is not a photo at all" * 10, "bukan foto"),
        ("truncated jpeg", jpeg(800, 600)[:700], "rusak"),
        ("corrupt png", b"\x89PNG\r\n\x1a\n" + b"\x00\x01" * 200, "bukan foto"),
        ("gif", None, "Format foto tidak didukung"),
        ("too many bytes", b"\xff\xd8\xff" + b"0" * (15 * 1024 * 1024), "15 MB"),
    ],
)
def test_poison_inputs_are_rejected_with_a_message(label, data, message):
    if label == "gif":
        buffer = io.BytesIO()
        Image.new("P", (10, 10)).save(buffer, "GIF")
        data = buffer.getvalue()
    with pytest.raises(media.RejectedImage) as exc:
        media.render(data)
    assert message in str(exc.value)


def test_decompression_bomb_is_refused_before_decoding():
    # 60 megapixels of one colour compresses to a few kilobytes: a classic bomb.
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(media.RejectedImage) as exc:
        media.render(buffer.getvalue())
    assert "50 megapiksel" in str(exc.value)


def test_huge_declared_dimensions_never_reach_the_decoder():
    # Pillow's own guard (twice MAX_PIXELS) would raise DecompressionBombError: still a refusal.
    buffer = io.BytesIO()
    Image.new("1", (12_000, 10_000)).save(buffer, "PNG")
    with pytest.raises(media.RejectedImage):
        media.render(buffer.getvalue())
