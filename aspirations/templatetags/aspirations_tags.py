"""Dashboard hooks: counts of aspirations for a KIM's overview and a staff member's dashboard."""

from django import template

from aspirations import permissions as asp_permissions
from aspirations import selectors

register = template.Library()


@register.simple_tag
def kim_open_aspirations(user, community) -> int | None:
    """Open aspirations to the KIM (one query), or None when the user does not work its queue."""
    if not asp_permissions.can(user, asp_permissions.WORK_KIM_QUEUE, community):
        return None
    return selectors.kim_open_count(community)


@register.simple_tag
def staff_aspiration_counts(user) -> dict | None:
    """{"open": n, "overdue": m} in the user's staff scope (one query), or None for non-staff."""
    if not asp_permissions.can(user, asp_permissions.WORK_STAFF_QUEUE):
        return None
    return selectors.staff_counts(user)
