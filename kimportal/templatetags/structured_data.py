"""JSON-LD elements for public pages: `{% load structured_data %}`.

Each tag renders a whole `<script type="application/ld+json">` element (see kimportal.lib.jsonld)
from objects the page already has, so it adds no query.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kimportal.lib import jsonld
from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import portal_url, site_url, subsite_url

register = template.Library()


@register.simple_tag(takes_context=True)
def organization_ld(context, community) -> SafeString:
    """Organization of a KIM (its subsite's home and profile)."""
    logo = community.logo.url if community.logo else ""
    request = context.get("request")
    if logo and request is not None:
        logo = request.build_absolute_uri(logo)
    return jsonld.script(jsonld.organization(community, logo_url=logo))


@register.simple_tag
def region_breadcrumbs_ld(region) -> SafeString:
    """BreadcrumbList of a region page: Wilayah, then the region's ancestors, then the region."""
    crumbs = [(_("Wilayah"), portal_url("regions:index"))]
    for place in [*region.ancestors, region]:
        crumbs.append((place.name, site_url(SiteKind.PORTAL, place.get_absolute_url())))
    return jsonld.script(jsonld.breadcrumb_list(crumbs))


@register.simple_tag
def communities_ld(communities, start: int = 1) -> SafeString:
    """ItemList of KIMs (the directory, a region's KIMs): each one's subsite."""
    entries = [(c.name, subsite_url(c.slug, "subsite:home")) for c in communities]
    if not entries:
        return SafeString("")
    return jsonld.script(jsonld.item_list(entries, start=start))


@register.simple_tag
def posts_ld(posts, start: int = 1) -> SafeString:
    """ItemList of posts (a KIM's list, the portal's latest): each one's page on its subsite.

    The posts have their KIM loaded (the public selectors join it)."""
    entries = [(p.title, subsite_url(p.community.slug, "kabar:detail", p.slug)) for p in posts]
    if not entries:
        return SafeString("")
    return jsonld.script(jsonld.item_list(entries, start=start))
