"""The sources of a hoax clarification: one per line, plain text with optional links.

A source is often an official's statement ("Keterangan petugas PLN Rayon Genteng, 3 Maret")
rather than a web page, so a line is text in which any web address is linked. Only http(s)
addresses are links; the editor refuses a line with an address of another scheme, and one that
slipped in anyway (older data) is shown as plain text, never as a link.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Anything written like an address: a scheme and "://", up to the next space.
_ADDRESS_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S+")
# Punctuation that ends a sentence rather than the address ("lihat https://x.id/a.").
_TRAILING = ".,;:!?)]}'\"”’»"
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class SourcePart:
    text: str
    url: str = ""  # set when this part is a link


@dataclass(frozen=True)
class Source:
    parts: tuple[SourcePart, ...]

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)

    @property
    def urls(self) -> list[str]:
        return [part.url for part in self.parts if part.url]


def _split_address(token: str) -> tuple[str, str]:
    """(address, trailing punctuation) of a token that looks like an address."""
    address = token.rstrip(_TRAILING)
    # A closing parenthesis belongs to the address when it opened one ("…/Foo_(bar)").
    while token[len(address) : len(address) + 1] == ")" and (
        address.count("(") > address.count(")")
    ):
        address += ")"
    return address, token[len(address) :]


def link_of(address: str) -> str:
    """The address as a link target, or "" when it is not a valid http(s) address."""
    if urlsplit(address).scheme.lower() not in ("http", "https"):
        return ""
    try:
        _validate_url(address)
    except ValidationError:
        return ""
    return address


def source_lines(sources: str) -> list[str]:
    """The non-empty lines of a sources field, stripped."""
    return [line.strip() for line in (sources or "").splitlines() if line.strip()]


def bad_addresses(sources: str) -> list[str]:
    """The addresses in `sources` that are not valid http(s) links, for the editor's error."""
    bad = []
    for line in source_lines(sources):
        for match in _ADDRESS_RE.finditer(line):
            address, _trailing = _split_address(match.group())
            if not link_of(address):
                bad.append(address)
    return bad


def parse_sources(sources: str) -> list[Source]:
    """Each line as text and links, in order."""
    result = []
    for line in source_lines(sources):
        parts: list[SourcePart] = []
        position = 0
        for match in _ADDRESS_RE.finditer(line):
            address, _trailing = _split_address(match.group())
            url = link_of(address)
            if not url:
                continue  # stays part of the surrounding text
            if match.start() > position:
                parts.append(SourcePart(line[position : match.start()]))
            parts.append(SourcePart(address, url))
            position = match.start() + len(address)
        if position < len(line):
            parts.append(SourcePart(line[position:]))
        result.append(Source(tuple(parts)))
    return result
