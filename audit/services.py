"""Writing the audit log: `record(actor, action, target, **detail)`.

Called by the services of the other apps inside the transaction of the action they record, so
an action and its audit event commit or roll back together, whatever path (kelola, admin, API,
a shell) called the service. Only staff actions are recorded; where a KIM's own admins and
editors may do the same thing (aspirations to their KIM), the caller records only when the
actor's staff scope covers the target.

The target is described here from its model (by label, so that this app imports none of the
apps that call it): its kind, id, a short public label and its region's codes.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import StaffScope, User
from audit.models import Action, AuditEvent, TargetKind

__all__ = ["Action", "TargetKind", "record", "role_text", "is_staff_account"]

DETAIL_TEXT_MAX = 500


@dataclass(frozen=True)
class Target:
    kind: str
    id: int | None
    label: str
    province_code: str = ""
    regency_code: str = ""


def _one(codes: set[str]) -> str:
    return next(iter(codes)) if len(codes) == 1 else ""


def _siaran_codes(siaran) -> tuple[str, str]:
    """A siaran's region when it targets exactly one province or one regency; none otherwise
    (national, or several areas)."""
    if siaran.national:
        return "", ""
    provinces = set(siaran.provinces.values_list("pk", flat=True))
    regencies = set(siaran.regencies.values_list("pk", flat=True))
    if provinces and not regencies:
        return _one(provinces), ""
    if regencies and not provinces and len(regencies) == 1:
        regency = next(iter(regencies))
        return regency.split(".")[0], regency  # Kemendagri: "35.78" lies in "35"
    spanned = provinces | {r.split(".")[0] for r in regencies}
    return _one(spanned), ""


def scope_text(scope: StaffScope) -> str:
    """One staff scope as a role, in Bahasa Indonesia whatever the reader's language."""
    if scope.level == StaffScope.Level.NATIONAL:
        return _("admin nasional")
    if scope.level == StaffScope.Level.PROVINCE:
        return _("admin provinsi %(name)s") % {"name": scope.province.name}
    return _("admin %(name)s") % {"name": scope.regency.name}


def _describe(target: models.Model) -> Target:
    label = target._meta.label_lower
    if label == "communities.community":
        return Target(
            TargetKind.KIM,
            target.pk,
            target.name or target.slug or f"#{target.pk}",
            target.province_id or "",
            target.regency_id or "",
        )
    if label == "posts.post":
        return Target(
            TargetKind.POST,
            target.pk,
            target.title[:200],
            target.province_id or "",
            target.regency_id or "",
        )
    if label == "siaran.siaran":
        return Target(TargetKind.SIARAN, target.pk, target.title[:200], *_siaran_codes(target))
    if label == "aspirations.aspirasi":
        # Never its text or its sender: the number and the topic only.
        return Target(
            TargetKind.ASPIRASI,
            target.pk,
            f"#{target.pk} · {target.get_topic_display()}",
            target.province_id or "",
            target.regency_id or "",
        )
    if label == "accounts.staffscope":
        # The account whose scope it is, named by the scope (never by name or email).
        province = target.province_id or (target.regency.province_id if target.regency_id else "")
        return Target(
            TargetKind.ACCOUNT, target.user_id, scope_text(target), province or "",
            target.regency_id or "",
        )  # fmt: skip
    if label == "accounts.user":
        return Target(TargetKind.ACCOUNT, target.pk, "")
    if label == "posts.bannedterm":
        return Target(TargetKind.BANNED_TERM, target.pk, target.term[:200])
    raise TypeError(f"no audit description for {label}")


def role_text(user: User) -> str:
    """The user's staff role(s) right now, e.g. "admin provinsi Jawa Timur"; "operator" for an
    operator of Django's admin without a staff scope; "pengguna" for anyone else."""
    scopes = (
        StaffScope.objects.filter(user_id=user.pk)
        .select_related("province", "regency")
        .order_by("level", "province_id", "regency_id")
    )
    parts = [scope_text(scope) for scope in scopes]
    if not parts:
        parts = [_("operator") if (user.is_staff or user.is_superuser) else _("pengguna")]
    return "; ".join(parts)[:255]


def is_staff_account(user: User) -> bool:
    """A Diskominfo account (any staff scope) or an operator of Django's admin."""
    return user.is_staff or user.is_superuser or StaffScope.objects.filter(user=user).exists()


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()[:DETAIL_TEXT_MAX]
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def record(actor: User | None, action: str, target: models.Model, **detail: Any) -> AuditEvent:
    """Append one event: `actor` did `action` (an audit.models.Action) to `target`.

    `detail` is small and non-personal (a reason, an office, changed field names); strings are
    cut to DETAIL_TEXT_MAX characters. Call it inside the action's transaction.
    """
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    # Stored texts are Bahasa Indonesia, the portal's language, whoever is reading the page.
    with translation.override(settings.LANGUAGE_CODE):
        described = _describe(target)
        role = role_text(actor) if actor is not None else ""
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor is not None else None,
        actor_role=role,
        action=action,
        target_kind=described.kind,
        target_id=described.id,
        target_label=described.label,
        province_code=described.province_code,
        regency_code=described.regency_code,
        detail={key: _clean(value) for key, value in detail.items() if value not in ("", None)},
    )
