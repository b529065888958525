"""Time the rendition pipeline on one core: posts.media.render against a naive Pillow baseline.

    python bench/renditions.py [--runs 7]

Naive = decode the whole original, then resize each width from the original. Prints the median
and min of each over the runs, for a 12 MP phone JPEG and a 4,000 × 3,000 PNG.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")

import django  # noqa: E402

django.setup()

from PIL import Image, ImageOps  # noqa: E402

from bench.photos import big_png, phone_jpeg  # noqa: E402
from posts.media import JPEG_QUALITY, WEBP_METHOD, WEBP_QUALITY, render, target_widths  # noqa: E402


def naive(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")
    width, height = image.size
    for target in target_widths(width):
        resized = image.resize((target, round(height * target / width)), Image.Resampling.LANCZOS)
        resized.save(io.BytesIO(), "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
        resized.save(io.BytesIO(), "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)


def timed(fn, data: bytes, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    inputs = {
        "12 MP JPEG, portrait (EXIF 6)": phone_jpeg(orientation=6),
        "12 MP JPEG, landscape": phone_jpeg(orientation=1),
        "4000x3000 PNG": big_png(),
    }
    for label, data in inputs.items():
        print(f"{label}: {len(data) / 1e6:.1f} MB")
    print(f"{'input':30} {'pipeline':9} {'median s':>9} {'min s':>7}")
    for label, data in inputs.items():
        for name, fn in (("kimportal", render), ("naive", naive)):
            times = timed(fn, data, args.runs)
            print(f"{label:30} {name:9} {statistics.median(times):9.3f} {min(times):7.3f}")


if __name__ == "__main__":
    main()
