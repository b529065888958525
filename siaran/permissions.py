"""Who may write, see and report on a siaran, built on communities.permissions.

- Writing: national admins target anything; province admins their provinces or regencies within
  them; regency admins their regencies only.
- Seeing and reporting: a staff member whose scopes reach any part of the target (a province
  admin sees a national siaran, and in its report only the KIMs of their province).
- Editing, publishing, withdrawing: a staff member whose scopes cover the whole target.
- The inbox and relays: members of a live KIM the target covers (posts.services.can_write).
"""

from django.db.models import Q

from communities import permissions
from communities.models import Community
from posts.services import can_write
from siaran.models import Siaran

VIEW = "siaran.view"  # see it on kelola and its report
EDIT = "siaran.edit"  # change, publish, withdraw
RELAY = "siaran.relay"  # obj: (siaran, community)


def _province_of(regency_code: str) -> str:
    # Kemendagri codes: a regency "35.78" lies in province "35".
    return regency_code.split(".")[0]


def may_target(user, *, national: bool, province_ids: set[str], regency_ids: set[str]) -> bool:
    """May the user write a siaran with this target? (An empty target is nobody's.)"""
    if not (national or province_ids or regency_ids):
        return False
    is_national, provinces, regencies = permissions.scope_parts(user)
    if is_national:
        return True
    if national:
        return False
    if not province_ids <= provinces:
        return False
    return all(r in regencies or _province_of(r) in provinces for r in regency_ids)


def is_writer(user) -> bool:
    return permissions.is_staff_admin(user)


def _target(siaran: Siaran) -> tuple[bool, set[str], set[str]]:
    if not hasattr(siaran, "_target_ids"):
        siaran._target_ids = (
            siaran.national,
            {p.pk for p in siaran.provinces.all()},
            {r.pk for r in siaran.regencies.all()},
        )
    return siaran._target_ids


def reaches(user, siaran: Siaran) -> bool:
    """Do the user's scopes reach any part of the target?"""
    is_national, provinces, regencies = permissions.scope_parts(user)
    if is_national:
        return True
    national, t_provinces, t_regencies = _target(siaran)
    if national:
        return bool(provinces or regencies)
    if provinces & t_provinces or regencies & t_regencies:
        return True
    if any(_province_of(r) in provinces for r in t_regencies):
        return True
    return any(_province_of(r) in t_provinces for r in regencies)


def covers_target(user, siaran: Siaran) -> bool:
    national, provinces, regencies = _target(siaran)
    return may_target(user, national=national, province_ids=provinces, regency_ids=regencies)


def in_target(siaran: Siaran, community: Community) -> bool:
    national, provinces, regencies = _target(siaran)
    return national or community.province_id in provinces or community.regency_id in regencies


def can(user, action: str, obj) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == VIEW:
        return reaches(user, obj)
    if action == EDIT:
        return obj.status != Siaran.Status.WITHDRAWN and covers_target(user, obj)
    if action == RELAY:
        siaran, community = obj
        return (
            siaran.status == Siaran.Status.PUBLISHED
            and can_write(user, community)
            and in_target(siaran, community)
        )
    raise ValueError(f"unknown action {action!r}")


def visible_filter(user) -> Q | None:
    """A filter on Siaran for those the user's scopes reach, or None for non-staff."""
    if not permissions.is_staff_admin(user):
        return None
    is_national, provinces, regencies = permissions.scope_parts(user)
    if is_national:
        return Q()
    regency_provinces = {_province_of(r) for r in regencies}
    return (
        Q(national=True)
        | Q(provinces__in=provinces | regency_provinces)
        | Q(regencies__in=regencies)
        | Q(regencies__province_id__in=provinces)
    )


def area_filter(user, prefix: str = "") -> Q:
    """The viewer's area as a filter on communities (or rows carrying province/regency); a
    filter matching nothing for non-staff. (A national admin's is Q(), which is falsy: never
    write `area_filter(...) or ...`.)"""
    region = permissions.staff_region_filter(user, prefix=prefix)
    return Q(pk__in=[]) if region is None else region


def area_key(user) -> str:
    """A stable name of the viewer's area (reminders are once a day per area)."""
    is_national, provinces, regencies = permissions.scope_parts(user)
    if is_national:
        return "n"
    return ",".join(sorted({f"p{p}" for p in provinces} | {f"r{r}" for r in regencies}))


def group_level(user) -> str:
    """How the report breaks totals down: by province for national viewers, else by regency."""
    return "province" if permissions.scope_parts(user)[0] else "regency"
