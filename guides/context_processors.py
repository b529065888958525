"""The guide for the kelola screen being shown (base_kelola.html links to it)."""

from guides import library
from kimportal.lib.hosts import SiteKind


def screen_guide(request) -> dict:
    match = getattr(request, "resolver_match", None)
    if match is None or getattr(getattr(request, "site", None), "kind", None) != SiteKind.KELOLA:
        return {}
    return {"screen_guide": library.for_screen(match.view_name)}
