"""`{% load siaran_inbox %}{% siaran_new_count community as n %}`: new siaran in a KIM's inbox."""

from django import template

from siaran.selectors import inbox_new_count

register = template.Library()


@register.simple_tag
def siaran_new_count(community) -> int:
    return inbox_new_count(community) if community.is_live else 0
