"""One KIM's public subsite. The middleware has resolved the host: `request.site.community`."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from communities.models import Community, FocusSector
from communities.selectors import directory, public_roster
from communities.templatetags.theme import stylesheet, theme_version
from kimportal.lib import page_cache
from kimportal.lib.phone import whatsapp_digits
from posts import public_selectors

ROSTER_PAGE_SIZE = 100
FORUM_KIM_LIMIT = 24
DESCRIPTION_WORDS = 30
# The theme stylesheet's address carries its version (?v=), so the current one is cached for good.
THEME_MAX_AGE = 365 * 24 * 60 * 60
THEME_STALE_MAX_AGE = 5 * 60


def whatsapp_url(number: str) -> str:
    """A wa.me click-to-chat link, or "" when the number is too short."""
    digits = whatsapp_digits(number)
    return f"https://wa.me/{digits}" if digits else ""


def focus_sector_labels(community: Community) -> list[str]:
    """Display labels of the KIM's focus sectors, skipping values no longer offered."""
    return [FocusSector(v).label for v in community.focus_sectors or [] if v in FocusSector.values]


def _description(community: Community) -> str:
    text = community.tagline or community.about
    if not text:
        return _("%(name)s, Kelompok Informasi Masyarakat di %(place)s.") % {
            "name": community.name,
            "place": ", ".join(r.name for r in reversed(community.region_path)),
        }
    return Truncator(" ".join(text.split())).words(DESCRIPTION_WORDS)


def _render(
    request: HttpRequest,
    template: str,
    *,
    nav: str,
    page_title: str = "",
    scopes: tuple[str, ...] = (),
    **context,
) -> HttpResponse:
    community = request.site.community
    image = community.cover or community.logo
    response = render(
        request,
        template,
        {
            "community": community,
            "nav": nav,
            "page_title": page_title,
            "page_description": _description(community),
            "og_image": request.build_absolute_uri(image.url) if image else "",
            "whatsapp_url": whatsapp_url(community.whatsapp),
            **context,
        },
    )
    # Everything a subsite page shows is the KIM's (its profile, roster and posts), and on a
    # forum's home also its area's KIMs and posts (`scopes`).
    return page_cache.public_page(response, page_cache.community_scope(community.pk), *scopes)


def _forum_area(forum: Community) -> dict:
    """A Forum KIM's home: the KIMs of its regency or province and their newest posts."""
    if forum.kind == Community.Kind.FORUM_REGENCY and forum.regency_id:
        region, scope = forum.regency, page_cache.regency_scope(forum.regency_id)
        kims = directory(regency_code=forum.regency_id)
    elif forum.kind == Community.Kind.FORUM_PROVINCE and forum.province_id:
        region, scope = forum.province, page_cache.province_scope(forum.province_id)
        kims = directory(province_code=forum.province_id)
    else:
        return {}
    return {
        "forum_region": region,
        "forum_kims": list(kims.filter(kind=Community.Kind.KIM)[: FORUM_KIM_LIMIT + 1]),
        "forum_kim_limit": FORUM_KIM_LIMIT,
        "area_posts": public_selectors.region_latest(region=region),
        "scopes": (scope,),
    }


def home(request: HttpRequest) -> HttpResponse:
    community = request.site.community
    return _render(
        request,
        "subsite/home.html",
        nav="home",
        sectors=focus_sector_labels(community),
        latest_posts=public_selectors.community_latest(community=community),
        **(_forum_area(community) if community.is_forum else {}),
    )


def profile(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "subsite/profile.html",
        nav="profile",
        page_title=_("Profil"),
        sectors=focus_sector_labels(request.site.community),
    )


def roster(request: HttpRequest) -> HttpResponse:
    members = public_roster(request.site.community)
    page = Paginator(members, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request, "subsite/roster.html", nav="roster", page_title=_("Pengurus"), page=page
    )


def contact(request: HttpRequest) -> HttpResponse:
    return _render(request, "subsite/contact.html", nav="contact", page_title=_("Kontak"))


def theme(request: HttpRequest) -> HttpResponse:
    """The KIM's brand colours as a stylesheet (pages link it instead of an inline <style>, which
    the Content-Security-Policy blocks)."""
    colour = request.site.community.brand_colour
    response = HttpResponse(stylesheet(colour), content_type="text/css; charset=utf-8")
    # An old ?v= (the colour changed since the page was made) gets today's colours, briefly cached.
    if request.GET.get("v") == theme_version(colour):
        patch_cache_control(response, public=True, max_age=THEME_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=THEME_STALE_MAX_AGE)
    return response
