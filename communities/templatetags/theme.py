"""A KIM's brand colour turned into the CSS custom properties that theme its subsite.

The maths is WCAG 2.x (relative luminance and contrast ratio), kept pure so that it is tested with
known colour pairs. A subsite serves them as its own stylesheet (/tema.css, see `stylesheet`), not
as an inline <style>, so that the Content-Security-Policy needs no 'unsafe-inline'.
"""

import re
from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_BRAND = "#0a5ca8"
WHITE = "#ffffff"
# The design system's text colour (kim.css --text): "near-black" for light brand colours.
NEAR_BLACK = "#1b1f24"
# WCAG AA for normal text.
AA_RATIO = 4.5


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    if not HEX_RE.match(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def rgb_to_hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1.0 (same) to 21.0 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrast_text(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    if contrast_ratio(background, WHITE) >= contrast_ratio(background, NEAR_BLACK):
        return WHITE
    return NEAR_BLACK


def darken(colour: str, amount: float) -> str:
    """Mix `colour` with black: amount 0 keeps it, 1 gives black."""
    return rgb_to_hex(tuple(c * (1 - amount) for c in hex_to_rgb(colour)))


def darker_shade(colour: str, *, minimum: float = 0.2, step: float = 0.05) -> str:
    """A visibly darker shade that also reads as text on white and carries white text (4.5:1).

    Used for link colour, hover states and borders, so a pale brand colour still gives legible
    links.
    """
    amount = minimum
    shade = darken(colour, amount)
    while contrast_ratio(shade, WHITE) < AA_RATIO and amount < 1:
        amount = min(1.0, amount + step)
        shade = darken(colour, amount)
    return shade


@dataclass(frozen=True)
class Theme:
    brand: str
    brand_dark: str
    brand_contrast: str

    def css(self) -> str:
        return (
            f"--brand:{self.brand};--brand-dark:{self.brand_dark};"
            f"--brand-contrast:{self.brand_contrast};"
        )


def theme_for(colour: str) -> Theme:
    """The three custom properties of a brand colour; a malformed one falls back to the default."""
    brand = colour.lower() if colour and HEX_RE.match(colour) else DEFAULT_BRAND
    return Theme(brand=brand, brand_dark=darker_shade(brand), brand_contrast=contrast_text(brand))


# Part of the stylesheet's address: bump it when Theme.css() changes, so that browsers holding the
# old rules (cached for a year) fetch the new ones.
STYLESHEET_VERSION = "1"


def stylesheet(colour: str) -> str:
    """A subsite's theme stylesheet: the custom properties of its brand colour on body.subsite."""
    return f"body.subsite{{{theme_for(colour or '').css()}}}\n"


@register.filter
def theme_version(colour: str) -> str:
    """The `?v=` of a subsite's /tema.css: it changes whenever the served stylesheet would."""
    return f"{STYLESHEET_VERSION}-{theme_for(colour or '').brand[1:]}"


@register.filter
def brand_css(colour: str) -> SafeString:
    """CSS declarations for a brand colour; the values are computed hex codes, safe to emit."""
    return mark_safe(theme_for(colour or "").css())  # noqa: S308 - only #rrggbb values
