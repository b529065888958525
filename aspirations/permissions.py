"""Who may work an aspirasi, built on communities.permissions (roles and staff scopes).

An aspirasi to a KIM is worked by that KIM's admins and editors, and by the staff whose scope
covers its regency; an aspirasi to a regency by those staff only. Contributors, other KIMs and
staff of other regions see nothing of it.
"""

from communities import permissions

WORK = "aspirasi.work"  # see the contact, forward, answer, close, merge, mark as spam
WORK_KIM_QUEUE = "aspirasi.work_kim_queue"  # open a KIM's queue (obj: the community)
WORK_STAFF_QUEUE = "aspirasi.work_staff_queue"  # open the staff queue (no obj)


def works_for_kim(user, community) -> bool:
    """Admins and editors of the KIM (contributors write posts, they do not answer citizens)."""
    return community is not None and permissions.has_role(user, community, "editor")


def can(user, action: str, obj=None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == WORK_STAFF_QUEUE:
        return permissions.is_staff_admin(user)
    if action == WORK_KIM_QUEUE:
        return works_for_kim(user, obj)
    if action == WORK:
        # covers() reads province_id and regency_id, which an aspirasi always carries.
        if permissions.covers(user, obj):
            return True
        return works_for_kim(user, obj.community)  # None for an aspirasi to a regency
    raise ValueError(f"unknown action {action!r}")


def may_merge(user, source, target) -> bool:
    """A duplicate is merged into another aspirasi of the same scope: the same KIM (or the same
    regency, for aspirations to a regency), which the user may also work."""
    if source.pk == target.pk or source.regency_id != target.regency_id:
        return False
    if source.community_id != target.community_id and not permissions.covers(user, source):
        # Across KIMs (or between a KIM and its regency) only staff of the region merge.
        return False
    return can(user, WORK, source) and can(user, WORK, target)
