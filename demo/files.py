"""Files the demo makes up instead of downloading: a stand-in SK scan and landscape photos."""

import colorsys
import io
import random

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter


def sk_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of Helvetica text: a stand-in for a scanned SK."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " ".join(f"({escape(line)}) '" for line in lines)
    content = f"BT /F1 12 Tf 16 TL 72 780 Td {shown} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# Skies of a demo photo: (top, horizon, sun) as HSV; day, morning, dusk and overcast.
SKIES = (
    ((0.57, 0.55, 0.85), (0.10, 0.30, 0.98), (0.13, 0.35, 1.0)),
    ((0.52, 0.35, 0.95), (0.15, 0.30, 1.0), (0.14, 0.55, 1.0)),
    ((0.70, 0.45, 0.55), (0.06, 0.65, 0.98), (0.08, 0.75, 1.0)),
    ((0.58, 0.08, 0.70), (0.58, 0.05, 0.88), (0.58, 0.03, 0.95)),
)


def demo_photo(width: int, height: int, seed: int) -> bytes:
    """A JPEG landscape made up here, different per seed: a sky, hills or rice terraces or a
    coast, houses, trees and grain. Looks and compresses like a photo, and nothing is
    downloaded."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets

    def colour(h: float, s: float, v: float) -> tuple[int, int, int]:
        return tuple(round(max(0.0, min(1.0, c)) * 255) for c in colorsys.hsv_to_rgb(h % 1, s, v))

    def jitter(hsv: tuple[float, float, float], amount: float = 0.03) -> tuple[int, int, int]:
        h, s, v = hsv
        return colour(h + rng.uniform(-amount, amount), s, v + rng.uniform(-amount, amount))

    top, horizon, sun = SKIES[seed % len(SKIES)]
    land = ("hills", "terraces", "coast")[(seed // len(SKIES)) % 3]
    mask = PILImage.linear_gradient("L").resize((width, height))
    image = PILImage.composite(
        PILImage.new("RGB", (width, height), jitter(horizon)),
        PILImage.new("RGB", (width, height), jitter(top)),
        mask,
    )
    draw = ImageDraw.Draw(image)
    sun_x, sun_y, radius = rng.uniform(0.1, 0.9) * width, rng.uniform(0.1, 0.3) * height, width / 14
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=jitter(sun))
    grass = 0.25 + rng.uniform(-0.04, 0.04)
    for layer in range(3):
        base = height * (0.45 + 0.12 * layer)
        points = [(0, height)]
        for i in range(9):
            points.append((i * width / 8, base - rng.uniform(0, height * 0.12)))
        points.append((width, height))
        draw.polygon(points, fill=colour(grass + 0.02 * layer, 0.55, 0.55 - 0.12 * layer))
    ground = height * 0.78
    if land == "terraces":  # rice fields: bands of green and ripening yellow
        y = height * 0.62
        while y < height:
            band = rng.uniform(0.025, 0.06) * height
            ripe = rng.random() < 0.35
            fill = colour(0.14 if ripe else grass, 0.6, rng.uniform(0.5, 0.75))
            draw.rectangle((0, y, width, y + band), fill=fill)
            draw.line((0, y, width, y), fill=colour(grass, 0.5, 0.3), width=max(2, width // 400))
            y += band
    elif land == "coast":  # the sea below the hills, a beach in front
        sea_top = height * 0.6
        draw.rectangle((0, sea_top, width, height), fill=colour(0.55, 0.6, 0.6))
        for _wave in range(40):
            x, y = rng.uniform(0, width), rng.uniform(sea_top, height * 0.82)
            draw.line((x, y, x + width * 0.05, y), fill=colour(0.55, 0.3, 0.85), width=2)
        draw.polygon(
            [(0, height * 0.84), (width, height * 0.8), (width, height), (0, height)],
            fill=colour(0.11, 0.35, 0.9),
        )
        ground = height * 0.86
    for _house in range(rng.randint(3, 6)):
        w = rng.uniform(0.08, 0.16) * width
        x = rng.uniform(0, width - w)
        h = w * rng.uniform(0.5, 0.8)
        wall = colour(rng.random(), rng.uniform(0.2, 0.5), rng.uniform(0.7, 0.95))
        draw.rectangle((x, ground - h, x + w, ground), fill=wall)
        roof = colour(0.02 + rng.uniform(0, 0.05), 0.7, 0.55)
        draw.polygon(
            [(x - w * 0.08, ground - h), (x + w / 2, ground - h * 1.6), (x + w * 1.08, ground - h)],
            fill=roof,
        )
        draw.rectangle((x + w * 0.4, ground - h * 0.55, x + w * 0.6, ground), fill=(70, 50, 40))
    for _tree in range(rng.randint(4, 9)):
        x = rng.uniform(0, width)
        r = rng.uniform(0.03, 0.06) * width
        y = ground + rng.uniform(-0.02, 0.12) * height
        draw.rectangle((x - r * 0.12, y - r, x + r * 0.12, y + r), fill=(90, 60, 40))
        draw.ellipse((x - r, y - 2.4 * r, x + r, y - 0.4 * r), fill=colour(0.28, 0.6, 0.4))
    grain = PILImage.effect_noise((width, height), 48).convert("RGB")
    image = PILImage.blend(image.filter(ImageFilter.GaussianBlur(1.2)), grain, 0.07)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
