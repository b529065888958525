"""Template tags for links between hosts; loaded as builtins (see TEMPLATES in settings)."""

from django import template

from kimportal.lib import links

register = template.Library()


@register.simple_tag
def portal_url(viewname: str, *args, **kwargs) -> str:
    return links.portal_url(viewname, *args, **kwargs)


@register.simple_tag
def kelola_url(viewname: str, *args, **kwargs) -> str:
    return links.kelola_url(viewname, *args, **kwargs)


@register.simple_tag
def subsite_url(slug: str, viewname: str = "subsite:home", *args, **kwargs) -> str:
    return links.subsite_url(slug, viewname, *args, **kwargs)
