"""Photo renditions in templates: `{% load media %}`.

    {{ path|media_url }}            a rendition path (default storage) → its public URL
    {{ image|srcset:"webp" }}       "…/320.webp 320w, …/640.webp 640w, …"
    {{ image|rendition_url:"jpeg" }} the URL of a mid-sized rendition (the <img> fallback)
    {{ image|thumbnail_url }}       the URL of the smallest JPEG rendition, or ""
    {{ image|placeholder_colour }}  "#rrggbb", or "" when the value is not a colour
    {% picture image sizes=… eager=… alt=… class=… %}  the <picture> element of a photo

Renditions are stored as `{"320": {"webp": path, "jpeg": path, "height": 240}, ...}`.
"""

import re

from django import template
from django.core.files.storage import storages
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kimportal.lib.renditions import is_withdrawn

register = template.Library()

# The rendition given to browsers that ignore srcset: sharp on phones, light on the network.
FALLBACK_WIDTH = 640
_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# Paths that need no percent-encoding in a URL (every rendition path the pipeline writes).
_PLAIN_PATH_RE = re.compile(r"^[A-Za-z0-9._/-]+$")


def _widths(image) -> list[int]:
    renditions = getattr(image, "renditions", None) or {}
    return sorted(int(width) for width in renditions if str(width).isdigit())


_PROBE = "probe/x.jpg"
_prefix_of: dict[int, str | None] = {}


def _storage_url(path: str) -> str:
    """default_storage.url(path), without its per-call cost where the storage allows.

    When the storage's URL of a plain path is a fixed prefix plus the path (files on disk, a
    public bucket behind a domain), that prefix is found once per storage and reused; a storage
    that signs each URL (a private bucket) is asked every time.
    """
    storage = storages["default"]
    key = id(storage)
    if key not in _prefix_of:
        probe = storage.url(_PROBE)
        _prefix_of[key] = probe[: -len(_PROBE)] if probe.endswith(_PROBE) else None
    prefix = _prefix_of[key]
    if prefix is None or not _PLAIN_PATH_RE.match(path):
        return storage.url(path)
    return prefix + path


def _public(path: str | None) -> str:
    """A withdrawn rendition (post taken down, KIM suspended) has no public address."""
    return path if path and not is_withdrawn(path) else ""


@register.filter
def media_url(path: str) -> str:
    return _storage_url(path) if _public(path) else ""


@register.filter
def srcset(image, fmt: str = "jpeg") -> str:
    entries = []
    for width in _widths(image):
        path = _public(image.renditions[str(width)].get(fmt))
        if path:
            entries.append(f"{_storage_url(path)} {width}w")
    return ", ".join(entries)


def _pick(image, fmt: str, target: int) -> str:
    widths = [w for w in _widths(image) if _public(image.renditions[str(w)].get(fmt))]
    if not widths:
        return ""
    fitting = [w for w in widths if w <= target]
    width = fitting[-1] if fitting else widths[0]
    return _storage_url(image.renditions[str(width)][fmt])


@register.filter
def rendition_url(image, fmt: str = "jpeg") -> str:
    return _pick(image, fmt, FALLBACK_WIDTH)


@register.filter
def thumbnail_url(image) -> str:
    return _pick(image, "jpeg", 0)


@register.filter
def placeholder_colour(image) -> str:
    colour = getattr(image, "placeholder", "") or ""
    return colour if _COLOUR_RE.match(colour) else ""


DEFAULT_SIZES = "(min-width: 44rem) 42rem, 100vw"


@register.simple_tag
def picture(
    image, *, sizes: str = "", eager: bool = False, alt: str | None = None, css_class: str = ""
) -> SafeString:
    """A photo from its renditions, WebP first with a JPEG fallback (components/picture.html).

    Built in Python rather than a template: lists draw a dozen of these per page, and this is
    several times cheaper than an {% include %} of the same markup.
    """
    sizes = sizes or DEFAULT_SIZES
    sources = [
        format_html('<source type="{}" srcset="{}" sizes="{}">', kind, urls, sizes)
        for kind, urls in (("image/webp", srcset(image, "webp")), ("image/jpeg", srcset(image)))
        if urls
    ]
    size = (
        format_html(' width="{}" height="{}"', image.width, image.height)
        if image.width and image.height
        else ""
    )
    colour = placeholder_colour(image)
    img = format_html(
        '<img src="{}"{} alt="{}" loading="{}" decoding="async"{}{}>',
        rendition_url(image),
        size,
        image.alt_text if alt is None else alt,
        "eager" if eager else "lazy",
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' data-placeholder-colour="{}"', colour) if colour else "",
    )
    lines = ["<picture>", *sources, img, "</picture>"]
    return mark_safe("\n  ".join(lines[:-1]) + "\n" + lines[-1])  # noqa: S308 - parts escaped
