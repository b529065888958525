"""Permission checks for templates: `{% load permissions %}`.

    {% if user|is_staff_admin %} ... {% endif %}
    {% if user|can:"staff.manage_scopes" %} ... {% endif %}
    {% user_can user "community.manage" community as may_manage %}

Every answer comes from communities.permissions, so templates and views never disagree.
"""

from django import template

from communities import permissions

register = template.Library()


@register.filter
def is_staff_admin(user) -> bool:
    return permissions.is_staff_admin(user)


@register.filter
def is_national_admin(user) -> bool:
    return permissions.is_national_admin(user)


@register.filter
def can(user, action: str) -> bool:
    """An action without an object (e.g. "staff.manage_scopes")."""
    return permissions.can(user, action)


@register.simple_tag
def user_can(user, action: str, obj=None) -> bool:
    """An action on an object: `{% user_can user "community.manage" community as allowed %}`."""
    return permissions.can(user, action, obj)
