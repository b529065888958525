"""Absolute links between the portal, the management host and KIM subsites.

Templates and emails build cross-host links only through these helpers (or the template tags in
kimportal.templatetags.hosts), never by gluing strings, so the scheme, domain and port come from
settings in one place.
"""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import reverse

from kimportal.lib.hosts import SiteKind

URLCONFS: dict[SiteKind, str] = {
    SiteKind.PORTAL: "kimportal.urls.portal",
    SiteKind.KELOLA: "kimportal.urls.kelola",
    SiteKind.COMMUNITY: "kimportal.urls.subsite",
}


def host_for(kind: SiteKind, slug: str = "") -> str:
    domain = settings.PORTAL_DOMAIN
    if kind is SiteKind.PORTAL:
        return domain
    if kind is SiteKind.KELOLA:
        return f"kelola.{domain}"
    if kind is SiteKind.COMMUNITY and slug:
        return f"{slug}.{domain}"
    raise ValueError(f"no host for {kind!r} with slug {slug!r}")


def site_url(kind: SiteKind, path: str = "/", *, slug: str = "") -> str:
    """Absolute URL of `path` on the host of that kind of site."""
    port = settings.PORTAL_PORT
    default_port = 443 if settings.PORTAL_SCHEME == "https" else 80
    netloc = host_for(kind, slug)
    if port and port != default_port:
        netloc = f"{netloc}:{port}"
    return f"{settings.PORTAL_SCHEME}://{netloc}{path}"


def site_reverse(
    kind: SiteKind,
    viewname: str,
    *,
    slug: str = "",
    args: list | tuple | None = None,
    kwargs: dict | None = None,
) -> str:
    """`reverse()` against the URLconf of another kind of host, as an absolute URL."""
    if kwargs:
        path = reverse(viewname, urlconf=URLCONFS[kind], args=args, kwargs=kwargs)
    else:
        path = _reverse_path(URLCONFS[kind], viewname, tuple(args or ()))
    return site_url(kind, path, slug=slug)


@lru_cache(maxsize=4096)
def _reverse_path(urlconf: str, viewname: str, args: tuple) -> str:
    """reverse() remembered: every page links the same few routes (menus, cards), and a route's
    path never changes while the process runs (a changed setting under tests clears it)."""
    return reverse(viewname, urlconf=urlconf, args=args or None)


def portal_url(viewname: str, *args, **kwargs) -> str:
    return site_reverse(SiteKind.PORTAL, viewname, args=args or None, kwargs=kwargs or None)


def kelola_url(viewname: str, *args, **kwargs) -> str:
    return site_reverse(SiteKind.KELOLA, viewname, args=args or None, kwargs=kwargs or None)


def subsite_url(slug: str, viewname: str, *args, **kwargs) -> str:
    return site_reverse(
        SiteKind.COMMUNITY, viewname, slug=slug, args=args or None, kwargs=kwargs or None
    )


def _forget_paths(**kwargs) -> None:
    _reverse_path.cache_clear()


# URLconfs and prefixes can change under tests (override_settings); reversed paths follow.
setting_changed.connect(_forget_paths)
