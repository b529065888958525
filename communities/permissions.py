"""Who may do what: the one place where roles and staff scopes become yes or no.

`can(user, action, obj)` answers every permission question in views and templates. Roles are data
(Role, StaffScope), read once per request and kept on the user object.
"""

from typing import NamedTuple

from django.db.models import Q

from accounts.models import StaffScope

# Actions on a community.
REVIEW = "community.review"  # see a submission (SK scan, contacts); verify, reject, suspend, rename
MANAGE = "community.manage"  # edit profile, roster, roles and invitations (KIM admin)
VIEW_DASHBOARD = "community.view_dashboard"  # any role in the KIM
EDIT_APPLICATION = "community.edit_application"  # the applicant, while draft or rejected
# Actions without an object.
MANAGE_STAFF = "staff.manage_scopes"  # national admins

ROLE_RANK = {"contributor": 1, "editor": 2, "admin": 3}


def staff_scopes(user) -> list[StaffScope]:
    if not user.is_authenticated or not user.is_active:
        return []
    if not hasattr(user, "_kim_staff_scopes"):
        user._kim_staff_scopes = list(StaffScope.objects.filter(user=user))
    return user._kim_staff_scopes


def is_national_admin(user) -> bool:
    return any(s.level == StaffScope.Level.NATIONAL for s in staff_scopes(user))


def is_staff_admin(user) -> bool:
    return bool(staff_scopes(user))


class ScopeParts(NamedTuple):
    national: bool
    provinces: set[str]  # codes of the provinces the user's province scopes name
    regencies: set[str]  # codes of the regencies the user's regency scopes name


def scope_parts(user) -> ScopeParts:
    """The user's staff scopes split by level."""
    scopes = staff_scopes(user)
    return ScopeParts(
        any(s.level == StaffScope.Level.NATIONAL for s in scopes),
        {s.province_id for s in scopes if s.level == StaffScope.Level.PROVINCE},
        {s.regency_id for s in scopes if s.level == StaffScope.Level.REGENCY},
    )


def staff_region_filter(user, prefix: str = "") -> Q | None:
    """A filter for rows in the user's staff scopes, or None when the user has no scope.

    `prefix` points at the community from another model ("community__").
    """
    scopes = staff_scopes(user)
    if not scopes:
        return None
    if is_national_admin(user):
        return Q()
    parts = scope_parts(user)
    return Q(**{f"{prefix}province_id__in": sorted(parts.provinces)}) | Q(
        **{f"{prefix}regency_id__in": sorted(parts.regencies)}
    )


def covers(user, community) -> bool:
    """Does one of the user's staff scopes reach this community's region?"""
    for scope in staff_scopes(user):
        if scope.level == StaffScope.Level.NATIONAL:
            return True
        if scope.level == StaffScope.Level.PROVINCE and scope.province_id == community.province_id:
            return True
        if scope.level == StaffScope.Level.REGENCY and scope.regency_id == community.regency_id:
            return True
    return False


def role_in(user, community) -> str | None:
    """The user's role in the community ("admin", "editor", "contributor") or None."""
    if not user.is_authenticated or not user.is_active or community.pk is None:
        return None
    if not hasattr(user, "_kim_roles"):
        from communities.models import Role

        user._kim_roles = dict(Role.objects.filter(user=user).values_list("community_id", "role"))
    return user._kim_roles.get(community.pk)


def has_role(user, community, at_least: str) -> bool:
    role = role_in(user, community)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[at_least]


def can(user, action: str, obj=None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == MANAGE_STAFF:
        return is_national_admin(user)
    if action == REVIEW:
        return obj.status != obj.Status.DRAFT and covers(user, obj)
    if action == MANAGE:
        return obj.is_live and has_role(user, obj, "admin")
    if action == VIEW_DASHBOARD:
        return obj.status in (obj.Status.VERIFIED, obj.Status.SUSPENDED) and (
            role_in(user, obj) is not None
        )
    if action == EDIT_APPLICATION:
        return obj.applicant_id == user.pk and obj.is_editable_application
    raise ValueError(f"unknown action {action!r}")


def forget(user) -> None:
    """Drop the per-request caches after the user's roles or scopes changed."""
    for attr in ("_kim_staff_scopes", "_kim_roles"):
        if hasattr(user, attr):
            delattr(user, attr)
