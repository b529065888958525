"""Uploaded images: pure image work, no database and no storage. Every image a user uploads
(post photos, KIM logos and covers) goes through here; nothing else decodes or stores one.

`render(data)` turns the bytes of one uploaded photo into resized WebP and JPEG renditions with
all metadata stripped and EXIF orientation applied, or raises `RejectedImage` with a message in
Bahasa Indonesia. It decodes no more than it needs: JPEGs are decoded at a reduced scale (draft
mode) just large enough for the biggest rendition, and each smaller width is resized from the
previous one (a cascade) rather than from the original. `reencode(data, max_width=...)` makes one
stripped, oriented copy of a small image (a KIM's logo or cover) under the same limits.
"""

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

WIDTHS = (1600, 1024, 640, 320)
MAX_PIXELS = 50_000_000
MAX_BYTES = 15 * 1024 * 1024
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
WEBP_QUALITY = 78
# libwebp's effort (0-6). Measured with bench/renditions.py on a 12 MP portrait photo: method 2
# makes all renditions in 0.57 s against 0.84 s with the default 4, for WebP files 4.5% larger.
WEBP_METHOD = 2
JPEG_QUALITY = 82

# Pillow's own bomb guard raises past twice this; we refuse anything above it before decoding.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_TRANSPOSED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


class RejectedImage(Exception):
    """The upload can never become a photo (a poison input): record it, do not retry."""


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    fmt: str  # "webp" or "jpeg"
    data: bytes


@dataclass(frozen=True)
class Result:
    width: int  # of the oriented original
    height: int
    placeholder: str  # "#rrggbb"
    renditions: list[Rendition]


def target_widths(width: int) -> list[int]:
    """Rendition widths for an image `width` pixels wide: never upscaled, largest first."""
    widths = [w for w in WIDTHS if w <= width]
    return widths or [width]


def _open(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise RejectedImage(_("Foto lebih dari 15 MB. Kecilkan dulu lalu unggah ulang."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise RejectedImage(_("Foto terlalu besar (lebih dari 50 megapiksel).")) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise RejectedImage(
            _("Berkas ini bukan foto yang dapat dibaca (gunakan JPEG, PNG, atau WebP).")
        ) from exc
    if image.format not in ACCEPTED_FORMATS:
        raise RejectedImage(_("Format foto tidak didukung. Gunakan JPEG, PNG, atau WebP."))
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise RejectedImage(_("Foto terlalu besar (lebih dari 50 megapiksel)."))
    if width < 1 or height < 1:
        raise RejectedImage(_("Ukuran foto tidak valid."))
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparent areas become white, palettes and greys become RGB."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


_TRANSPOSE_METHOD = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(image: Image.Image) -> int:
    try:
        value = int(image.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block is ignored, not fatal
        return 1
    return value if value in _TRANSPOSE_METHOD else 1


def render(data: bytes) -> Result:
    image = _open(data)
    orientation = _orientation(image)
    turned = orientation in _TRANSPOSED
    # Sizes as shown (after orientation); the work below happens in the stored orientation and
    # each finished rendition is turned, which is far cheaper than turning the original.
    width, height = image.size[::-1] if turned else image.size
    widths = target_widths(width)
    try:
        if image.format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when that still covers the largest rendition.
            largest = (widths[0], max(1, round(height * widths[0] / width)))
            image.draft("RGB", largest[::-1] if turned else largest)
        image.load()
        image = _flatten(image)
        # Drop everything the decoder kept (EXIF with GPS, XMP, ICC, comments) so no encoder
        # can carry it into a rendition.
        image.info = {}
    except RejectedImage:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a broken upload
        raise RejectedImage(_("Foto rusak atau terpotong. Unggah ulang dari galeri.")) from exc

    renditions = []
    current = image
    for target in widths:
        target_height = max(1, round(height * target / width))
        stored_size = (target_height, target) if turned else (target, target_height)
        if current.size != stored_size:
            current = current.resize(stored_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        shown = current.transpose(_TRANSPOSE_METHOD[orientation]) if orientation != 1 else current
        for fmt, options in (
            ("webp", {"format": "WEBP", "quality": WEBP_QUALITY, "method": WEBP_METHOD}),
            ("jpeg", {"format": "JPEG", "quality": JPEG_QUALITY, "optimize": True,
                      "progressive": True}),
        ):  # fmt: skip
            buffer = io.BytesIO()
            # No exif=, icc_profile= or other metadata is passed: the outputs carry none.
            shown.save(buffer, **options)
            renditions.append(Rendition(target, target_height, fmt, buffer.getvalue()))
    red, green, blue = current.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))[:3]
    return Result(
        width=width,
        height=height,
        placeholder=f"#{red:02x}{green:02x}{blue:02x}",
        renditions=renditions,
    )


@dataclass(frozen=True)
class Single:
    data: bytes
    ext: str  # "jpg" or "png"
    width: int
    height: int


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def reencode(data: bytes, *, max_width: int, graphic: bool = False) -> Single:
    """One copy of an upload, at most `max_width` wide, orientation applied, every byte of
    metadata (EXIF with GPS, XMP, IPTC, ICC, comments) left behind. JPEG; but a `graphic` (a
    logo) that came as PNG or with transparency stays PNG, sharp edges and see-through parts
    intact."""
    image = _open(data)
    orientation = _orientation(image)
    turned = orientation in _TRANSPOSED
    width, height = image.size[::-1] if turned else image.size
    target = min(width, max_width)
    target_height = max(1, round(height * target / width))
    try:
        if image.format == "JPEG":
            stored = (target_height, target) if turned else (target, target_height)
            image.draft("RGB", stored)
        image.load()
        as_png = graphic and (image.format == "PNG" or _has_alpha(image))
        mode = "RGBA" if _has_alpha(image) else "RGB"
        image = image.convert(mode) if as_png else _flatten(image)
        # Drop what the decoder kept (EXIF with GPS, XMP, ICC, comments); the copies made below
        # (turned, resized) inherit the empty .info, so no encoder can write any of it.
        image.info = {}
    except RejectedImage:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a broken upload
        raise RejectedImage(_("Gambar rusak atau terpotong. Unggah ulang dari galeri.")) from exc
    if orientation != 1:
        image = image.transpose(_TRANSPOSE_METHOD[orientation])
    if image.size != (target, target_height):
        image = image.resize((target, target_height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    if as_png:
        image.save(buffer, format="PNG", optimize=True)
        ext = "png"
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        ext = "jpg"
    return Single(data=buffer.getvalue(), ext=ext, width=target, height=target_height)
