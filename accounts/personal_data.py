"""A person's own data (UU 27/2022): everything kim.id holds about them, and deleting it.

`personal_data_export` gathers what is theirs into one JSON-ready dict, with a fixed number of
queries, and never another person's personal data (no roster of their KIM, no invitee's address,
no other member). `account_delete` erases the account and everything personal that hangs on it;
what their KIM published stays, attributed to the KIM (every author and actor column is
SET_NULL). Both act only on the person asking (`actor` must be `user`).
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import session_records
from accounts.models import StaffScope, User
from accounts.throttle import email_key
from aspirations.models import Aspirasi
from communities import permissions
from communities.models import Community, Invitation, Member, Role, VerificationEvent
from kimportal.lib.links import kelola_url, portal_url
from kimportal.models import OutboxTask
from posts.images import pending_photo_take
from posts.models import ModerationEvent, PendingPhoto, Post, PostRevision
from posts.services import post_public_url

log = logging.getLogger(__name__)

# KIMs that must keep an admin: live, or suspended and waiting to be reinstated.
ACTIVE_KIM = (Community.Status.VERIFIED, Community.Status.SUSPENDED)
# Sign-ups still in the applicant's hands or under review: nobody else can carry them on.
OPEN_APPLICATION = (
    Community.Status.DRAFT,
    Community.Status.PENDING,
    Community.Status.REJECTED,
)


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def _require_self(actor: User, user: User) -> None:
    if actor.pk != user.pk:
        raise PermissionError("a person exports or deletes only their own account")


# --- The data download ---------------------------------------------------------------------------


def _post_link(post: Post) -> str:
    if post.status == Post.Status.PUBLISHED and post.community.is_live:
        return post_public_url(post)
    return kelola_url("posts:edit", post.community.slug, post.pk) if post.community.slug else ""


def personal_data_export(
    *, actor: User, user: User, current_session_key: str | None = None
) -> dict:
    """Everything kim.id holds about `user`, for themself."""
    _require_self(actor, user)
    roles = Role.objects.filter(user=user).select_related("community").order_by("created_at")
    scopes = StaffScope.objects.filter(user=user).select_related("province", "regency")
    roster = Member.objects.filter(user=user).select_related("community").order_by("pk")
    invited = (
        Invitation.objects.filter(email__iexact=user.email)
        .select_related("community")
        .order_by("created_at")
    )
    sent = Invitation.objects.filter(invited_by=user).select_related("community")
    applications = Community.objects.filter(applicant=user).order_by("created_at")
    posts = (
        Post.objects.filter(author=user)
        .select_related("community")
        .defer("body", "body_html", "checks")
        .order_by("created_at", "pk")
    )
    revisions = (
        PostRevision.objects.filter(author=user)
        .only("pk", "post_id", "title", "status", "created_at")
        .order_by("created_at", "pk")
    )
    aspirations = (
        Aspirasi.objects.filter(contact_email__iexact=user.email)
        .select_related("community", "regency")
        .order_by("created_at")
    )
    photos = PendingPhoto.objects.filter(owner=user).select_related("community").order_by("pk")
    verifications = VerificationEvent.objects.filter(actor=user).select_related("community")
    moderation = ModerationEvent.objects.filter(actor=user).only(
        "pk", "post_id", "action", "created_at"
    )
    attempts = AccessAttempt.objects.filter(username=email_key(user.email)).only(
        "attempt_time", "failures_since_start"
    )
    return {
        "tentang": _(
            "Semua data tentang Anda yang disimpan kim.id, diunduh %(when)s. Tulisan KIM Anda "
            "tetap milik KIM; berkas ini hanya mencantumkan judul, tanggal, dan tautannya."
        )
        % {"when": _when(timezone.localtime())},
        "akun": {
            "id": user.pk,
            "email": user.email,
            "nama_lengkap": user.full_name,
            "aktif": user.is_active,
            "operator": user.is_staff,
            "bergabung": _when(user.date_joined),
            "terakhir_masuk": _when(user.last_login),
        },
        "peran_kim": [
            {
                "kim": r.community.name,
                "alamat_situs": r.community.slug,
                "peran": r.role,
                "sejak": _when(r.created_at),
            }
            for r in roles
        ],
        "cakupan_staf": [
            {
                "tingkat": s.level,
                "provinsi": s.province.name if s.province_id else None,
                "kabupaten_kota": s.regency.name if s.regency_id else None,
                "sejak": _when(s.created_at),
            }
            for s in scopes
        ],
        "daftar_pengurus": [
            {
                "kim": m.community.name,
                "nama": m.name,
                "jabatan": m.position,
                "keterangan_jabatan": m.position_detail,
                "nomor_hp": m.phone,
            }
            for m in roster
        ],
        "undangan_untuk_anda": [
            {
                "kim": i.community.name,
                "peran": i.role,
                "dikirim": _when(i.created_at),
                "diterima": _when(i.accepted_at),
                "dibatalkan": _when(i.revoked_at),
            }
            for i in invited
        ],
        # The invitee's address is theirs, not the sender's: only what was sent, and when.
        "undangan_yang_anda_kirim": [
            {
                "kim": i.community.name,
                "peran": i.role,
                "dikirim": _when(i.created_at),
                "diterima": i.accepted_at is not None,
            }
            for i in sent
        ],
        "pendaftaran_kim": [
            {
                "id": c.pk,
                "nama": c.name,
                "alamat_situs": c.slug,
                "status": c.status,
                "diajukan": _when(c.submitted_at),
                "diverifikasi": _when(c.verified_at),
            }
            for c in applications
        ],
        "tulisan": [
            {
                "id": p.pk,
                "judul": p.title,
                "kim": p.community.name,
                "jenis": p.kind,
                "status": p.status,
                "dibuat": _when(p.created_at),
                "tayang": _when(p.published_at),
                "tautan": _post_link(p),
            }
            for p in posts
        ],
        "perubahan_tulisan": [
            {
                "id": r.pk,
                "tulisan_id": r.post_id,
                "judul": r.title,
                "status": r.status,
                "dibuat": _when(r.created_at),
            }
            for r in revisions
        ],
        "aspirasi": [
            {
                "id": a.pk,
                "tujuan": a.target_name,
                "topik": a.topic,
                "isi": a.text,
                "status": a.status,
                "dikirim": _when(a.created_at),
                "nama": a.contact_name,
                "nomor_telepon": a.contact_phone,
                "tautan": portal_url("aspirasi:detail", a.pk) if a.is_shown_publicly else "",
            }
            for a in aspirations
        ],
        "foto_tertunda": [
            {"kim": p.community.name, "nama_berkas": p.name, "diunggah": _when(p.created_at)}
            for p in photos
        ],
        "tindakan_verifikasi": [
            {"kim": e.community.name, "tindakan": e.action, "waktu": _when(e.created_at)}
            for e in verifications
        ],
        "tindakan_moderasi": [
            {"tulisan_id": e.post_id, "tindakan": e.action, "waktu": _when(e.created_at)}
            for e in moderation
        ],
        # Who tried (their address, their browser) is not the account holder's data.
        "percobaan_masuk_gagal": [
            {"jumlah": a.failures_since_start, "terakhir": _when(a.attempt_time)} for a in attempts
        ],
        "sesi": [
            {
                "perangkat": s.device,
                "masuk": _when(s.created_at),
                "terakhir_aktif": _when(s.last_seen_at),
                "sesi_ini": s.session_key == current_session_key,
            }
            for s in session_records.sessions_of(user)
        ],
    }


# --- Deleting the account ------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """Why the account cannot be deleted yet, and where to fix it."""

    message: str
    url: str


def account_deletion_blockers(user: User) -> list[Blocker]:
    """What must be handed over before the account may go: every active KIM of which the user
    is the only admin, and the last national admin's scope."""
    other_admin = Role.objects.filter(
        community=OuterRef("community"), role=Role.Kind.ADMIN
    ).exclude(user=user)
    sole = (
        Role.objects.filter(user=user, role=Role.Kind.ADMIN, community__status__in=ACTIVE_KIM)
        .filter(~Exists(other_admin))
        .select_related("community")
        .order_by("community__name")
    )
    blockers = [
        Blocker(
            _(
                "Anda satu-satunya admin %(kim)s. Tunjuk anggota lain sebagai admin di halaman "
                "Peran KIM itu terlebih dahulu, lalu hapus akun Anda."
            )
            % {"kim": role.community.name},
            kelola_url("manage:roles", role.community.slug),
        )
        for role in sole
    ]
    if permissions.is_national_admin(user) and not (
        StaffScope.objects.filter(level=StaffScope.Level.NATIONAL).exclude(user=user).exists()
    ):
        blockers.append(
            Blocker(
                _(
                    "Anda satu-satunya admin nasional. Beri orang lain cakupan nasional terlebih "
                    "dahulu, lalu hapus akun Anda."
                ),
                kelola_url("accounts:staff_scopes"),
            )
        )
    return blockers


def applications_deleted_with(user: User) -> list[Community]:
    """The user's sign-ups that go with the account (nobody else can carry them on)."""
    return list(
        Community.objects.filter(applicant=user, status__in=OPEN_APPLICATION).order_by("pk")
    )


def _delete_files(files: list) -> None:
    for field in files:
        try:
            field.storage.delete(field.name)
        except Exception:  # noqa: BLE001 - the account is gone; a leftover file is logged
            log.exception("account deletion: could not delete a file of an open sign-up")


@transaction.atomic
def account_delete(*, actor: User, user: User) -> None:
    """Delete the account and the personal data that hangs on it.

    Goes: the account row (name, email, password), its roles, staff scopes and sessions (for
    real, database and cache); the roster entries linked to it; invitations addressed to it;
    its open sign-ups (with their SK scans, logos and rosters) and the photos it kept for unsaved
    posts; failed sign-ins under its email; unsent emails to it; the operator's admin log about
    it; the contact of aspirations sent with its email, and the KIM contact email when it is
    the person's. Stays, without them: posts, revisions and every decision they took part in
    (the author or actor becomes empty; the KIM is the author on every public page).

    ValidationError (the messages of account_deletion_blockers) while they must hand a KIM or
    the national role over first.
    """
    _require_self(actor, user)
    blockers = account_deletion_blockers(user)
    if blockers:
        raise ValidationError([b.message for b in blockers], code="blocked")
    email = user.email
    files = []

    session_records.sessions_end_all(user=user)
    for member in Member.objects.filter(user=user):
        member.delete()  # one by one: each drops its KIM's cached roster page
    Invitation.objects.filter(email__iexact=email).delete()
    for community in applications_deleted_with(user):
        files += [f for f in (community.sk_file, community.logo, community.cover) if f]
        community.delete()
    for pending in PendingPhoto.objects.filter(owner=user):
        pending_photo_take(pending=pending)
    Aspirasi.objects.filter(contact_email__iexact=email).update(
        contact_name="", contact_phone="", contact_email=""
    )
    for community in Community.objects.filter(email__iexact=email):
        community.email = ""
        community.save(update_fields=["email", "updated_at"])
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(Q(username__iexact=email) | Q(username=email_key(email))).delete()
    OutboxTask.objects.filter(sent_at__isnull=True, kwargs__to=email).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()
    user.delete()
    transaction.on_commit(lambda: _delete_files(files))
