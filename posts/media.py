"""Photo renditions for posts. The pure image code lives in kimportal.lib.images, below the apps,
so that every upload (post photos, KIM logos and covers) goes through the same pipeline."""

from kimportal.lib.images import (  # noqa: F401 - this module's public names
    ACCEPTED_FORMATS,
    JPEG_QUALITY,
    MAX_BYTES,
    MAX_PIXELS,
    WEBP_METHOD,
    WEBP_QUALITY,
    WIDTHS,
    RejectedImage,
    Rendition,
    Result,
    render,
    target_widths,
)
