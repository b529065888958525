"""schema.org structured data (JSON-LD) for public pages.

Pages embed it as `<script type="application/ld+json">`: data, not script, so the
Content-Security-Policy (no inline JavaScript) allows it. Builders return plain dicts;
`ld_json` turns one into text that cannot close its <script> element.
"""

import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kimportal.lib.links import portal_url, subsite_url

CONTEXT = "https://schema.org"
# Google reads at most this many entries of an ItemList; a page never shows more anyway.
ITEM_LIST_MAX = 100

# json.dumps leaves these as they are; inside <script> they could close the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ld_json(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, safe against "</script>"."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 - <, > and & are escaped


def script(data: dict) -> SafeString:
    """The whole <script type="application/ld+json"> element of `data`."""
    return format_html('<script type="application/ld+json">{}</script>', ld_json(data))


def organization(community, *, logo_url: str = "") -> dict:
    """A KIM as an Organization: its subsite, logo, address down to the village, social links.

    `community` has its village, district, regency and province loaded (the host lookup does).
    """
    data = {
        "@context": CONTEXT,
        "@type": "Organization",
        "name": community.name,
        "url": subsite_url(community.slug, "subsite:home"),
    }
    if community.nomor_induk:
        data["identifier"] = community.nomor_induk
    if community.tagline:
        data["slogan"] = community.tagline
    if logo_url:
        data["logo"] = logo_url
    address = _address(community)
    if address:
        data["address"] = address
    if community.village_id:
        data["areaServed"] = {
            "@type": "AdministrativeArea",
            "name": f"{community.village.get_kind_display()} {community.village.name}",
        }
    same_as = [
        url
        for url in (
            community.website,
            community.facebook,
            community.instagram,
            community.youtube,
            community.tiktok,
        )
        if url
    ]
    if same_as:
        data["sameAs"] = same_as
    data["parentOrganization"] = {
        "@type": "Organization",
        "name": "kim.id",
        "url": portal_url("home"),
    }
    return data


def _address(community) -> dict:
    """A PostalAddress: the street, village and district as the street address, the regency as
    the locality, the province as the region."""
    street = [community.street_address]
    if community.village_id:
        street.append(f"{community.village.get_kind_display()} {community.village.name}")
    if community.district_id:
        # An Indonesian postal address in any interface language, as it is written on a letter.
        street.append(f"Kecamatan {community.district.name}")
    fields = {
        "streetAddress": ", ".join(part for part in street if part),
        "addressLocality": community.regency.name if community.regency_id else "",
        "addressRegion": community.province.name if community.province_id else "",
    }
    fields = {key: value for key, value in fields.items() if value}
    if not fields:
        return {}
    return {"@type": "PostalAddress", **fields, "addressCountry": "ID"}


def breadcrumb_list(crumbs: Iterable[tuple[str, str]]) -> dict:
    """A BreadcrumbList of (name, absolute URL) pairs, outermost first."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def item_list(entries: Iterable[tuple[str, str]], *, start: int = 1) -> dict:
    """An ItemList of (name, absolute URL) pairs, numbered from `start` (a later page's first)."""
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "url": url}
            for position, (name, url) in enumerate(list(entries)[:ITEM_LIST_MAX], start=start)
        ],
    }
