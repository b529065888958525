"""Make the benchmark's test photos: a 12-megapixel phone JPEG (with EXIF orientation and GPS)
and a 4,000 × 3,000 PNG. Generated, so nothing is downloaded; textured like real photos so that
encoders work as hard as on real ones."""

import io

from PIL import Image, ImageDraw, ImageFilter


def photo_like(width: int, height: int, seed: int = 7, noise: float = 0.18) -> Image.Image:
    """Gradients, shapes and fine noise: compresses roughly like a real outdoor photo."""
    gradient = Image.linear_gradient("L").resize((width, height))
    base = Image.merge(
        "RGB",
        (
            gradient,
            gradient.rotate(90).resize((width, height)),
            Image.radial_gradient("L").resize((width, height)),
        ),
    )
    draw = ImageDraw.Draw(base)
    step = max(width, height) // 12
    for i in range(0, width, step):
        for j in range(0, height, step):
            colour = ((i * 7 + seed * 31) % 256, (j * 5 + seed * 17) % 256, ((i + j) * 3) % 256)
            draw.ellipse((i, j, i + step * 0.8, j + step * 0.6), fill=colour)
    grain = Image.effect_noise((width, height), 40).convert("RGB")
    return Image.blend(base.filter(ImageFilter.GaussianBlur(2)), grain, noise)


def phone_jpeg(width: int = 4000, height: int = 3000, *, orientation: int = 6) -> bytes:
    """A phone-camera JPEG with an EXIF orientation tag and a GPS position (Jakarta)."""
    image = photo_like(width, height)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "KIMPhone"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 40.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def big_png(width: int = 4000, height: int = 3000) -> bytes:
    buffer = io.BytesIO()
    # Less grain than the JPEG: a 12 MP PNG of a noisy photo would exceed the 15 MB upload limit.
    photo_like(width, height, seed=3, noise=0.06).save(buffer, "PNG")
    return buffer.getvalue()
