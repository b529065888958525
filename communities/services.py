"""Writes to communities: sign-up, verification, profile, roster, roles and invitations."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StaffScope, User
from audit import services as audit
from communities import permissions
from communities.models import (
    Community,
    CommunitySlugRedirect,
    Invitation,
    Member,
    Role,
    VerificationEvent,
)
from communities.selectors import community_host_cache_clear
from communities.validation import sk_file_kind, validate_decree_date, validate_slug
from kimportal.lib import images
from kimportal.lib.links import kelola_url, subsite_url
from kimportal.lib.mail import send_templated_email
from posts.images import community_files_follow
from regions.models import Village

INVITATION_DAYS = 7


# --- Sign-up ---------------------------------------------------------------------------------


def community_draft_start(*, applicant: User) -> Community:
    """Start (or resume) a sign-up: a user has at most one unfinished draft at a time."""
    draft = Community.objects.filter(applicant=applicant, status=Community.Status.DRAFT).first()
    return draft or Community.objects.create(applicant=applicant)


def _require_editable(community: Community) -> None:
    if not community.is_editable_application:
        raise ValidationError(_("Pendaftaran ini sedang diperiksa dan tidak dapat diubah."))


def community_set_village(*, community: Community, village: Village) -> Community:
    _require_editable(community)
    community.set_village(village)
    community.save()
    return community


def community_set_identity(
    *, community: Community, name: str, slug: str, street_address: str = ""
) -> Community:
    _require_editable(community)
    validate_slug(slug, exclude_pk=community.pk)
    community.name = name.strip()
    community.slug = slug
    community.street_address = street_address.strip()
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError as exc:  # a race for the same slug
        raise ValidationError(_("Alamat ini sudah dipakai KIM lain.")) from exc
    return community


def community_set_decree(
    *, community: Community, number: str, decree_date: date | None, file: UploadedFile | None
) -> Community:
    _require_editable(community)
    if decree_date is not None and decree_date != community.sk_date:
        # The forms check this too; the service holds the rule for every other caller.
        validate_decree_date(decree_date)
    community.sk_number = number.strip()
    community.sk_date = decree_date
    if file is not None:
        kind = sk_file_kind(file)
        old_name = community.sk_file.name
        community.sk_file.save(f"sk-{community.pk}.{kind}", file, save=False)
        if old_name:
            community.sk_file.storage.delete(old_name)
    community.save()
    return community


def community_store_decree_file(*, community: Community, file: UploadedFile) -> Community:
    """Keep a valid scan even when the rest of the SK form has errors, so it is not lost."""
    _require_editable(community)
    return community_set_decree(
        community=community,
        number=community.sk_number,
        decree_date=community.sk_date,
        file=file,
    )


@dataclass(frozen=True)
class MemberData:
    name: str
    position: str
    position_detail: str = ""
    phone: str = ""


def community_set_roster(*, community: Community, members: list[MemberData]) -> None:
    """Replace the roster of a sign-up with the given list (order kept)."""
    _require_editable(community)
    with transaction.atomic():
        community.members.all().delete()
        Member.objects.bulk_create(
            Member(
                community=community,
                name=m.name.strip(),
                position=m.position,
                position_detail=m.position_detail.strip(),
                phone=m.phone.strip(),
                sort_order=i,
            )
            for i, m in enumerate(members)
        )


def application_problem_steps(community: Community) -> list[tuple[str, str]]:
    """What still keeps a sign-up from being submitted: (wizard step that fixes it, message in
    Bahasa Indonesia). Empty when it is ready."""
    problems = []
    if community.village_id is None:
        problems.append(("village", _("Pilih desa/kelurahan tempat KIM berada.")))
    if not community.name or not community.slug:
        problems.append(("identity", _("Isi nama KIM dan alamat subdomain.")))
    if not (community.sk_number and community.sk_date and community.sk_file):
        problems.append(
            ("decree", _("Lengkapi nomor, tanggal, dan pindaian SK kepala desa/lurah."))
        )
    members = list(community.members.values_list("position", flat=True))
    minimum = settings.KIM_MIN_MEMBERS
    if len(members) < minimum:
        problems.append(
            (
                "roster",
                _("Daftarkan sedikitnya %(min)d anggota (saat ini %(n)d).")
                % {"min": minimum, "n": len(members)},
            )
        )
    if members.count(Member.Position.KETUA) != 1:
        problems.append(("roster", _("Tepat satu anggota harus berjabatan ketua.")))
    return problems


def application_problems(community: Community) -> list[str]:
    return [message for _step, message in application_problem_steps(community)]


def _staff_emails_for(community: Community) -> list[str]:
    scopes = StaffScope.objects.filter(
        Q(level=StaffScope.Level.NATIONAL)
        | Q(level=StaffScope.Level.PROVINCE, province_id=community.province_id)
        | Q(level=StaffScope.Level.REGENCY, regency_id=community.regency_id),
        user__is_active=True,
    )
    return list(scopes.values_list("user__email", flat=True))


def _record(community: Community, action: str, actor: User | None, reason: str = "") -> None:
    VerificationEvent.objects.create(community=community, action=action, actor=actor, reason=reason)


@transaction.atomic
def community_submit(*, community: Community, actor: User) -> Community:
    # The wizard's views check this too; the service must not rely on every caller doing so.
    if community.applicant_id != actor.pk:
        raise PermissionError("only the applicant submits a sign-up")
    _require_editable(community)
    problems = application_problems(community)
    if problems:
        raise ValidationError(problems)
    resubmission = community.status == Community.Status.REJECTED
    community.status = Community.Status.PENDING
    community.submitted_at = timezone.now()
    community.save()
    action = (
        VerificationEvent.Action.RESUBMITTED if resubmission else VerificationEvent.Action.SUBMITTED
    )
    _record(community, action, actor)
    send_templated_email(
        template="community_submitted",
        to=_staff_emails_for(community),
        context={
            "community": community,
            "resubmission": resubmission,
            "review_url": kelola_url("review:detail", community.pk),
        },
    )
    return community


# --- Verification ----------------------------------------------------------------------------


def _require_review(actor: User, community: Community) -> None:
    if not permissions.can(actor, permissions.REVIEW, community):
        raise PermissionError("actor may not review this community")


def _require_status(community: Community, *allowed: str) -> None:
    if community.status not in allowed:
        raise ValidationError(
            _("Tindakan ini tidak berlaku untuk KIM berstatus %(status)s.")
            % {"status": community.get_status_display()}
        )


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tuliskan alasannya."))
    return reason


def _issue_nomor_induk(community: Community) -> None:
    """Village code digits + a two-digit sequence, unique; retried if two verify at once."""
    prefix = community.village.code.replace(".", "")
    for _attempt in range(5):
        taken = Community.objects.filter(nomor_induk__startswith=prefix).values_list(
            "nomor_induk", flat=True
        )
        sequence = max((int(n[-2:]) for n in taken), default=0) + 1
        community.nomor_induk = f"{prefix}{sequence:02d}"
        try:
            with transaction.atomic():
                Community.objects.filter(pk=community.pk).update(nomor_induk=community.nomor_induk)
            return
        except IntegrityError:
            continue
    raise RuntimeError(f"could not issue a nomor induk for village {prefix}")


def _notify_applicant(community: Community, template: str, reason: str = "") -> None:
    if community.applicant_id is None:
        return
    send_templated_email(
        template=template,
        to=[community.applicant.email],
        context={
            "community": community,
            "reason": reason,
            "subsite_url": subsite_url(community.slug, "subsite:home") if community.slug else "",
            "application_url": kelola_url("signup:review", community.pk),
            "kelola_url": kelola_url("accounts:dashboard"),
        },
    )


@transaction.atomic
def community_verify(*, community: Community, actor: User) -> Community:
    _require_review(actor, community)
    _require_status(community, Community.Status.PENDING)
    # Claim the decision first, so that two reviewers clicking at once verify it only once.
    now = timezone.now()
    if not Community.objects.filter(pk=community.pk, status=Community.Status.PENDING).update(
        status=Community.Status.VERIFIED, verified_at=now
    ):
        raise ValidationError(
            _("KIM ini baru saja diputuskan oleh admin lain. Muat ulang halaman.")
        )
    community.status, community.verified_at = Community.Status.VERIFIED, now
    if community.village_id and not community.nomor_induk:
        _issue_nomor_induk(community)
    community.save()
    if community.applicant_id:
        Role.objects.get_or_create(
            community=community, user_id=community.applicant_id, defaults={"role": Role.Kind.ADMIN}
        )
    _record(community, VerificationEvent.Action.VERIFIED, actor)
    audit.record(actor, audit.Action.KIM_VERIFIED, community)
    _notify_applicant(community, "community_verified")
    return community


# The audit log's name of each reviewer decision taken through _decide.
_AUDITED = {
    VerificationEvent.Action.REJECTED: audit.Action.KIM_REJECTED,
    VerificationEvent.Action.SUSPENDED: audit.Action.KIM_SUSPENDED,
    VerificationEvent.Action.REINSTATED: audit.Action.KIM_REINSTATED,
}


def _decide(
    community: Community,
    actor: User,
    *,
    from_status: str,
    to_status: str,
    action: str,
    reason: str,
    email: str,
) -> Community:
    """A reviewer's status change with its reason, event and email. The conditional update is
    the claim: when two reviewers act at once, only the first one's decision is taken."""
    _require_review(actor, community)
    _require_status(community, from_status)
    reason = _require_reason(reason)
    if not Community.objects.filter(pk=community.pk, status=from_status).update(
        status=to_status, updated_at=timezone.now()
    ):
        raise ValidationError(
            _("KIM ini baru saja diputuskan oleh admin lain. Muat ulang halaman.")
        )
    community.status = to_status
    community_host_cache_clear(community)
    _record(community, action, actor, reason)
    audit.record(actor, _AUDITED[action], community, reason=reason)
    _notify_applicant(community, email, reason)
    return community


@transaction.atomic
def community_reject(*, community: Community, actor: User, reason: str) -> Community:
    return _decide(
        community, actor, from_status=Community.Status.PENDING, to_status=Community.Status.REJECTED,
        action=VerificationEvent.Action.REJECTED, reason=reason, email="community_rejected",
    )  # fmt: skip


@transaction.atomic
def community_suspend(*, community: Community, actor: User, reason: str) -> Community:
    community_files_follow(community_id=community.pk)  # after commit: photos leave public storage
    return _decide(
        community, actor, from_status=Community.Status.VERIFIED,
        to_status=Community.Status.SUSPENDED, action=VerificationEvent.Action.SUSPENDED,
        reason=reason, email="community_suspended",
    )  # fmt: skip


@transaction.atomic
def community_reinstate(*, community: Community, actor: User, reason: str) -> Community:
    community_files_follow(community_id=community.pk)  # after commit: photos are public again
    return _decide(
        community, actor, from_status=Community.Status.SUSPENDED,
        to_status=Community.Status.VERIFIED, action=VerificationEvent.Action.REINSTATED,
        reason=reason, email="community_reinstated",
    )  # fmt: skip


@transaction.atomic
def community_change_slug(
    *, community: Community, actor: User, new_slug: str, reason: str = ""
) -> Community:
    """Rename a verified KIM's subdomain; the old one keeps working as a 301 redirect."""
    _require_review(actor, community)
    _require_status(community, Community.Status.VERIFIED)
    old_slug = community.slug
    if new_slug == old_slug:
        return community
    validate_slug(new_slug, exclude_pk=community.pk)
    # A KIM returning to one of its own former names takes it back from the redirect table.
    CommunitySlugRedirect.objects.filter(community=community, old_slug=new_slug).delete()
    if old_slug:
        CommunitySlugRedirect.objects.create(community=community, old_slug=old_slug)
    community.slug = new_slug
    community.save()
    _record(
        community,
        VerificationEvent.Action.SLUG_CHANGED,
        actor,
        (reason.strip() + "\n" if reason.strip() else "") + f"{old_slug} → {new_slug}",
    )
    audit.record(
        actor, audit.Action.KIM_SLUG_CHANGED, community, old=old_slug, new=new_slug, reason=reason
    )
    return community


@transaction.atomic
def community_set_trusted(*, community: Community, actor: User, trusted: bool) -> Community:
    _require_review(actor, community)
    _require_status(community, Community.Status.VERIFIED)
    if community.is_trusted != trusted:
        community.is_trusted = trusted
        community.save(update_fields=["is_trusted", "updated_at"])
        _record(
            community,
            VerificationEvent.Action.TRUST_CHANGED,
            actor,
            _("Tepercaya") if trusted else _("Tidak tepercaya"),
        )
        audit.record(actor, audit.Action.KIM_TRUST_CHANGED, community, trusted=trusted)
    return community


# --- Profile, roster and roles (KIM admins) --------------------------------------------------

PROFILE_FIELDS = (
    "name", "tagline", "about", "vision", "mission", "focus_sectors", "street_address",
    "brand_colour", "whatsapp", "email", "website", "facebook", "instagram", "youtube", "tiktok",
    "logo", "cover",
)  # fmt: skip


def _require_manage(actor: User, community: Community) -> None:
    if not permissions.can(actor, permissions.MANAGE, community):
        raise PermissionError("actor may not manage this community")


# Widest stored copy of a KIM's logo (shown at 40 px, more on high-density screens) and cover.
PROFILE_IMAGE_WIDTHS = {"logo": 512, "cover": 1600}
PROFILE_IMAGE_MAX_BYTES = 5 * 1024 * 1024


def _profile_image(community: Community, field: str, upload: UploadedFile) -> ContentFile:
    """An uploaded logo or cover, re-encoded by the photo pipeline (metadata stripped) under a
    name nobody can guess. Refusals name the field, so the form shows them in place."""
    if upload.size > PROFILE_IMAGE_MAX_BYTES:
        raise ValidationError({field: _("Gambar maksimal 5 MB.")})
    upload.seek(0)
    try:
        image = images.reencode(
            upload.read(), max_width=PROFILE_IMAGE_WIDTHS[field], graphic=field == "logo"
        )
    except images.RejectedImage as exc:
        raise ValidationError({field: str(exc)}) from exc
    return ContentFile(image.data, name=f"{community.pk}-{secrets.token_urlsafe(16)}.{image.ext}")


def community_update_profile(*, community: Community, actor: User, **fields) -> Community:
    _require_manage(actor, community)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    replaced = []
    for name in PROFILE_IMAGE_WIDTHS:
        if name in fields:
            replaced.append(getattr(community, name).name)
            if isinstance(fields[name], UploadedFile):  # no upload is stored as it came
                fields[name] = _profile_image(community, name, fields[name])
    for name, value in fields.items():
        setattr(community, name, value)
    community.full_clean(exclude=["slug", "sk_file", "applicant"])
    community.save()
    stale = [name for name in replaced if name]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in stale])
    return community


def member_save(
    *, community: Community, actor: User, data: MemberData, member: Member | None = None
) -> Member:
    _require_manage(actor, community)
    if member is not None and member.community_id != community.pk:
        raise PermissionError("member belongs to another community")
    if data.position == Member.Position.KETUA:
        others = community.members.filter(position=Member.Position.KETUA)
        if member is not None:
            others = others.exclude(pk=member.pk)
        if others.exists():
            raise ValidationError(_("KIM ini sudah punya ketua. Ubah dulu jabatan ketua lama."))
    member = member or Member(community=community, sort_order=community.members.count())
    member.name = data.name.strip()
    member.position = data.position
    member.position_detail = data.position_detail.strip()
    member.phone = data.phone.strip()
    member.save()
    return member


def member_remove(*, community: Community, actor: User, member: Member) -> None:
    _require_manage(actor, community)
    if member.community_id != community.pk:
        raise PermissionError("member belongs to another community")
    member.delete()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, community: Community, actor: User, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite an email address to a role; returns the invitation and its one-time token."""
    _require_manage(actor, community)
    email = email.strip().lower()
    if Role.objects.filter(community=community, user__email=email).exists():
        raise ValidationError(_("Pemilik email ini sudah punya peran di KIM ini."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        community=community,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    send_templated_email(
        template="invitation",
        to=[email],
        context={
            "invitation": invitation,
            "community": community,
            "inviter": actor,
            "accept_url": kelola_url("manage:invitation_accept", token),
            "days": INVITATION_DAYS,
        },
    )
    return invitation, token


def invitation_lookup(token: str) -> Invitation | None:
    """The open invitation behind a token: not used, not revoked, not expired."""
    return (
        Invitation.objects.select_related("community")
        .filter(
            token_hash=_token_hash(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    """An invitation belongs to the mailbox it was sent to, not to whoever holds the link."""
    return user.email.strip().lower() == invitation.email.strip().lower()


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Role:
    invitation = invitation_lookup(token)
    if invitation is None:
        raise ValidationError(
            _("Undangan ini tidak berlaku lagi (sudah dipakai atau kedaluwarsa).")
        )
    if not invitation_is_for(invitation, user):
        raise ValidationError(
            _(
                "Undangan ini dikirim ke %(email)s. Keluar, lalu masuk dengan akun %(email)s "
                "untuk menerimanya."
            )
            % {"email": invitation.email},
            code="wrong_account",
        )
    # Claim it with a conditional update so that a double click cannot use it twice.
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not claimed:
        raise ValidationError(
            _("Undangan ini tidak berlaku lagi (sudah dipakai atau kedaluwarsa).")
        )
    role, created = Role.objects.get_or_create(
        community=invitation.community, user=user, defaults={"role": invitation.role}
    )
    if not created and permissions.ROLE_RANK[invitation.role] > permissions.ROLE_RANK[role.role]:
        role.role = invitation.role
        role.save(update_fields=["role"])
    permissions.forget(user)
    return role


def invitation_revoke(*, community: Community, actor: User, invitation: Invitation) -> None:
    _require_manage(actor, community)
    if invitation.community_id != community.pk:
        raise PermissionError("invitation belongs to another community")
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _require_another_admin(community: Community, leaving_user_id: int) -> None:
    others = community.roles.filter(role=Role.Kind.ADMIN).exclude(user_id=leaving_user_id)
    if not others.exists():
        raise ValidationError(
            _("KIM harus punya sedikitnya satu admin. Tunjuk admin lain terlebih dahulu.")
        )


@transaction.atomic
def role_change(*, community: Community, actor: User, role: Role, new_role: str) -> Role:
    _require_manage(actor, community)
    if role.community_id != community.pk:
        raise PermissionError("role belongs to another community")
    if role.role == Role.Kind.ADMIN and new_role != Role.Kind.ADMIN:
        _require_another_admin(community, role.user_id)
    role.role = new_role
    role.save(update_fields=["role"])
    return role


@transaction.atomic
def role_remove(*, community: Community, actor: User, role: Role) -> None:
    _require_manage(actor, community)
    if role.community_id != community.pk:
        raise PermissionError("role belongs to another community")
    if role.role == Role.Kind.ADMIN:
        _require_another_admin(community, role.user_id)
    role.delete()


@transaction.atomic
def role_leave(*, community: Community, user: User) -> None:
    role = Role.objects.filter(community=community, user=user).first()
    if role is None:
        return
    if role.role == Role.Kind.ADMIN:
        _require_another_admin(community, user.pk)
    role.delete()
    permissions.forget(user)


@transaction.atomic
def invitation_accept_with_new_account(*, token: str, full_name: str, password: str) -> User:
    """Create the invited person's account and accept, all or nothing.

    The account gets the invited address and no other: the link went to that mailbox, so
    holding it is the proof of the address that a confirmation email would otherwise give.
    """
    invitation = invitation_lookup(token)
    if invitation is None:
        raise ValidationError(
            _("Undangan ini tidak berlaku lagi (sudah dipakai atau kedaluwarsa).")
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("Sudah ada akun untuk %(email)s. Masuk dulu, lalu terima undangan ini.")
            % {"email": invitation.email},
            code="account_exists",
        )
    user = User.objects.create_user(invitation.email, password, full_name=full_name.strip())
    invitation_accept(token=token, user=user)
    return user
