"""Writes to aspirations: sending, withdrawing, the queue's actions, the deadline, the photo.

Every step is an AspirasiEvent with who and when. Public pages are invalidated on commit
(Aspirasi.bump_pages). The sender's contact is used for one thing only: writing to the sender;
notifications to KIMs and staff never carry it.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StaffScope, User
from aspirations import codes
from aspirations import permissions as asp_permissions
from aspirations.models import Aspirasi, AspirasiEvent
from audit import services as audit
from communities import permissions as community_permissions
from communities.models import Community, Role
from kimportal.lib import images
from kimportal.lib import renditions as files
from kimportal.lib.keyed import hour_count, hour_count_add
from kimportal.lib.links import kelola_url, portal_url
from kimportal.lib.mail import send_templated_email
from kimportal.lib.storage import private_storage
from kimportal.outbox import enqueue
from posts.selectors import banned_terms_in
from regions.models import Regency, Village

log = logging.getLogger(__name__)

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_WIDTH = 1600


def deadline_days() -> int:
    return getattr(settings, "ASPIRATION_DEADLINE_DAYS", 7)


def per_hour_address() -> int:
    return getattr(settings, "ASPIRATIONS_PER_HOUR", 3)


def per_hour_network() -> int:
    return getattr(settings, "ASPIRATIONS_PER_HOUR_NETWORK", 10)


# --- Sending -----------------------------------------------------------------------------------


@dataclass
class Submission:
    topic: str
    text: str
    village: Village | None
    is_public: bool = True
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    photo: UploadedFile | None = None


def _check_rate(*, sender: str, network: str) -> None:
    """At most N aspirations an hour from one address and M from one /24 or /64.

    Counted on the rows themselves: the database is the record, so a cache outage (or a Redis
    restart) cannot reset anyone's allowance, and the index on (key, created_at) keeps it cheap.
    """
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = Aspirasi.objects.filter(created_at__gte=hour_ago)
    if recent.filter(sender_key=sender).count() >= per_hour_address() or (
        recent.filter(network_key=network).count() >= per_hour_network()
    ):
        raise ValidationError(
            _(
                "Terlalu banyak aspirasi terkirim dari jaringan Anda dalam satu jam terakhir. "
                "Coba lagi nanti; isian Anda tidak hilang."
            ),
            code="rate",
        )


def _check_text(text: str) -> None:
    if banned_terms_in(text):
        raise ValidationError(
            _(
                "Aspirasi Anda memuat kata yang tidak diperbolehkan di kim.id. "
                "Ubah kalimatnya lalu kirim lagi."
            ),
            code="banned",
        )


def _record(
    aspirasi: Aspirasi,
    action: str,
    actor: User | None,
    *,
    note: str = "",
    public_text: str = "",
    public: bool = False,
) -> AspirasiEvent:
    return AspirasiEvent.objects.create(
        community_id=aspirasi.community_id,
        regency_id=aspirasi.regency_id,
        aspirasi=aspirasi,
        actor=actor,
        action=action,
        note=note,
        public_text=public_text,
        is_public=public,
    )


@transaction.atomic
def aspirasi_submit(
    *, community: Community | None, regency: Regency, data: Submission, address: str
) -> tuple[Aspirasi, str]:
    """Store an aspirasi to a KIM (community) or to a regency; returns it and its tracking code,
    which exists nowhere else (only its hash is stored): show it once, email it to the sender."""
    if community is not None and (not community.is_live or community.regency_id != regency.pk):
        raise ValueError("an aspirasi goes to a live KIM, in the KIM's own regency")
    if data.village is not None and data.village.district.regency_id != regency.pk:
        raise ValidationError(
            _("Desa/kelurahan itu tidak berada di wilayah tujuan."), code="village"
        )
    text = data.text.strip()
    _check_text(text)
    sender, network = codes.sender_key(address), codes.network_key(address)
    _check_rate(sender=sender, network=network)
    if data.photo is not None and data.photo.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("Foto maksimal 10 MB."), code="photo")
    code = codes.new_code()
    now = timezone.now()
    aspirasi = Aspirasi(
        community=community,
        regency=regency,
        province_id=regency.province_id,
        village=data.village,
        topic=data.topic,
        text=text,
        is_public=data.is_public,
        contact_name=data.contact_name.strip(),
        contact_phone=data.contact_phone.strip(),
        contact_email=data.contact_email.strip(),
        code_hash=codes.code_hash(code),
        sender_key=sender,
        network_key=network,
        acted_at=now,
    )
    if data.photo is not None:
        aspirasi.photo.save(f"a-{secrets.token_urlsafe(12)}.upload", data.photo, save=False)
        aspirasi.photo_status = Aspirasi.PhotoStatus.PENDING
    aspirasi.save()
    _record(aspirasi, AspirasiEvent.Action.RECEIVED, None, public=True)
    if aspirasi.photo:
        enqueue("aspirations.tasks.process_photo", aspirasi.pk)
    aspirasi.bump_pages()
    _notify_sender(aspirasi, "aspirasi_received", code=code)
    _notify_workers(aspirasi)
    return aspirasi, code


def _notify_sender(aspirasi: Aspirasi, template: str, **extra) -> None:
    """Write to the sender, if they left an email; the only place their address is used."""
    if not aspirasi.contact_email:
        return
    send_templated_email(
        template=template,
        to=[aspirasi.contact_email],
        context={
            "aspirasi": aspirasi,
            "target": aspirasi.target_name,
            "track_url": portal_url("aspirasi:track"),
            "public_url": portal_url("aspirasi:detail", aspirasi.pk)
            if aspirasi.is_shown_publicly
            else "",
            **extra,
        },
    )


def _worker_emails(aspirasi: Aspirasi) -> list[str]:
    if aspirasi.community_id:
        return list(
            Role.objects.filter(
                community_id=aspirasi.community_id,
                role__in=["admin", "editor"],
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    return list(
        StaffScope.objects.filter(
            level=StaffScope.Level.REGENCY, regency_id=aspirasi.regency_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _notify_workers(aspirasi: Aspirasi) -> None:
    """Tell whoever works the queue: topic and text, never the sender's contact."""
    if aspirasi.community_id:
        queue_url = kelola_url("aspirasi:kim_detail", aspirasi.community.slug, aspirasi.pk)
    else:
        queue_url = kelola_url("aspirasi:staff_detail", aspirasi.pk)
    send_templated_email(
        template="aspirasi_new",
        to=_worker_emails(aspirasi),
        context={"aspirasi": aspirasi, "target": aspirasi.target_name, "queue_url": queue_url},
    )


# --- The sender, with the tracking code --------------------------------------------------------


def _tracking_failures_key(address: str) -> str:
    # Keyed by a keyed hash of the /24 or /64: no visitor's address is written to Redis.
    return f"aspirasi:track-failures:{codes.network_key(address)}"


def tracking_check_allowed(*, address: str) -> None:
    """Refuse more code lookups from a network after too many unknown codes in an hour.

    Codes carry 60 random bits, so guessing is hopeless anyway; this keeps anyone from trying at
    scale. Counted in the cache: if it is down, lookups go on (nothing to protect but time).
    """
    failures = hour_count(_tracking_failures_key(address), what="aspirasi tracking")
    if failures is not None and failures >= settings.ASPIRATION_TRACK_FAILURES_PER_HOUR:
        raise ValidationError(
            _(
                "Terlalu banyak kode salah dari jaringan Anda dalam satu jam terakhir. "
                "Coba lagi nanti."
            ),
            code="rate",
        )


def tracking_record_failure(*, address: str) -> None:
    hour_count_add(_tracking_failures_key(address), what="aspirasi tracking")


def aspirasi_for_code(*, code: str) -> Aspirasi | None:
    """The aspirasi a tracking code belongs to, or None (unknown and malformed alike)."""
    digest = codes.code_hash(code)
    if digest is None:
        return None
    return (
        Aspirasi.objects.select_related("community", "regency", "village", "duplicate_of")
        .filter(code_hash=digest)
        .first()
    )


@transaction.atomic
def aspirasi_withdraw(*, code: str) -> Aspirasi:
    """The sender takes their aspirasi back: it leaves every public page, its public photo goes."""
    found = aspirasi_for_code(code=code)
    if found is None:
        raise ValidationError(_("Kode pelacakan tidak dikenal."), code="unknown")
    aspirasi = Aspirasi.objects.select_for_update().get(pk=found.pk)
    if aspirasi.status == Aspirasi.Status.WITHDRAWN:
        raise ValidationError(_("Aspirasi ini sudah Anda tarik."), code="done")
    aspirasi.status = Aspirasi.Status.WITHDRAWN
    aspirasi.save(update_fields=["status", "updated_at"])
    _record(aspirasi, AspirasiEvent.Action.WITHDRAWN, None)
    aspirasi.bump_pages()
    _photo_follow_later(aspirasi)
    return aspirasi


# --- The queue ---------------------------------------------------------------------------------


def _require_work(actor: User, aspirasi: Aspirasi) -> None:
    if not asp_permissions.can(actor, asp_permissions.WORK, aspirasi):
        raise PermissionError("this user does not work this aspirasi")


def _lock(aspirasi: Aspirasi, allowed: tuple[str, ...]) -> Aspirasi:
    """The row, locked, if its status still allows the action (another worker may have acted)."""
    locked = Aspirasi.objects.select_for_update().get(pk=aspirasi.pk)
    if locked.status not in allowed or locked.is_spam:
        raise ValidationError(
            _("Aspirasi ini sudah %(status)s; muat ulang halaman.")
            % {"status": locked.get_status_display().lower()},
            code="state",
        )
    return locked


def _required(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(message, code="required")
    return text


def _audit(actor: User, action: str, aspirasi: Aspirasi, **detail) -> None:
    """Record a queue action in the audit log when the actor did it as staff (a scope covering
    the aspirasi); a KIM's own admins and editors working their KIM's queue are not staff."""
    if community_permissions.covers(actor, aspirasi):
        audit.record(actor, action, aspirasi, **detail)


WORKABLE = (Aspirasi.Status.RECEIVED, Aspirasi.Status.FORWARDED)
ANSWERABLE = (*WORKABLE, Aspirasi.Status.ANSWERED)


def _acted(aspirasi: Aspirasi, fields: list[str]) -> None:
    aspirasi.acted_at = timezone.now()
    aspirasi.save(update_fields=[*fields, "acted_at", "updated_at"])
    aspirasi.bump_pages()


@transaction.atomic
def aspirasi_forward(*, aspirasi: Aspirasi, actor: User, office: str, note: str = "") -> Aspirasi:
    _require_work(actor, aspirasi)
    office = _required(office, _("Tulis nama instansi tujuan."))
    aspirasi = _lock(aspirasi, WORKABLE)
    aspirasi.status = Aspirasi.Status.FORWARDED
    aspirasi.forwarded_to, aspirasi.forward_note = office[:200], note.strip()
    _acted(aspirasi, ["status", "forwarded_to", "forward_note"])
    _record(
        aspirasi,
        AspirasiEvent.Action.FORWARDED,
        actor,
        note=aspirasi.forward_note,
        public_text=aspirasi.forwarded_to,
        public=True,
    )
    _audit(actor, audit.Action.ASPIRASI_FORWARDED, aspirasi, office=aspirasi.forwarded_to)
    _notify_sender(aspirasi, "aspirasi_forwarded")
    return aspirasi


@transaction.atomic
def aspirasi_answer(*, aspirasi: Aspirasi, actor: User, answer: str) -> Aspirasi:
    """A public answer (a later answer replaces it)."""
    _require_work(actor, aspirasi)
    answer = _required(answer, _("Tulis tanggapan untuk publik."))
    aspirasi = _lock(aspirasi, ANSWERABLE)
    aspirasi.status = Aspirasi.Status.ANSWERED
    aspirasi.answer, aspirasi.answered_at = answer, timezone.now()
    _acted(aspirasi, ["status", "answer", "answered_at"])
    _record(aspirasi, AspirasiEvent.Action.ANSWERED, actor, public_text=answer, public=True)
    _audit(actor, audit.Action.ASPIRASI_ANSWERED, aspirasi)
    _notify_sender(aspirasi, "aspirasi_answered")
    return aspirasi


@transaction.atomic
def aspirasi_close(*, aspirasi: Aspirasi, actor: User, reason: str) -> Aspirasi:
    _require_work(actor, aspirasi)
    reason = _required(reason, _("Tulis alasan penutupan."))
    aspirasi = _lock(aspirasi, ANSWERABLE)
    aspirasi.status = Aspirasi.Status.CLOSED
    aspirasi.close_reason = reason
    _acted(aspirasi, ["status", "close_reason"])
    _record(aspirasi, AspirasiEvent.Action.CLOSED, actor, public_text=reason, public=True)
    _audit(actor, audit.Action.ASPIRASI_CLOSED, aspirasi, reason=reason)
    _notify_sender(aspirasi, "aspirasi_closed")
    return aspirasi


@transaction.atomic
def aspirasi_merge(*, aspirasi: Aspirasi, actor: User, into: Aspirasi, note: str = "") -> Aspirasi:
    """Close a duplicate by pointing it at the aspirasi it repeats (same scope)."""
    _require_work(actor, aspirasi)
    if not asp_permissions.may_merge(actor, aspirasi, into):
        raise ValidationError(
            _("Aspirasi tujuan harus aspirasi lain di wilayah yang sama."), code="scope"
        )
    target = Aspirasi.objects.filter(pk=into.pk).first()
    if (
        target is None
        or target.is_spam
        or target.status
        in (
            Aspirasi.Status.WITHDRAWN,
            Aspirasi.Status.MERGED,
        )
    ):
        raise ValidationError(
            _("Aspirasi tujuan sudah ditarik, digabung, atau ditandai spam."), code="target"
        )
    aspirasi = _lock(aspirasi, ANSWERABLE)
    aspirasi.status = Aspirasi.Status.MERGED
    aspirasi.duplicate_of = target
    _acted(aspirasi, ["status", "duplicate_of"])
    _record(
        aspirasi,
        AspirasiEvent.Action.MERGED,
        actor,
        note=note.strip(),
        public_text=f"#{target.pk}",
        public=True,
    )
    _audit(actor, audit.Action.ASPIRASI_MERGED, aspirasi, into=target.pk)
    target.bump_pages()  # its page may list how many duplicates it gathered
    _notify_sender(aspirasi, "aspirasi_closed", merged_into=target)
    return aspirasi


@transaction.atomic
def aspirasi_mark_spam(*, aspirasi: Aspirasi, actor: User, note: str = "") -> Aspirasi:
    """Closed and never public; the sender is not told."""
    _require_work(actor, aspirasi)
    aspirasi = _lock(aspirasi, ANSWERABLE)
    aspirasi.status = Aspirasi.Status.CLOSED
    aspirasi.is_spam = True
    _acted(aspirasi, ["status", "is_spam"])
    _record(aspirasi, AspirasiEvent.Action.SPAM, actor, note=note.strip())
    _audit(actor, audit.Action.ASPIRASI_SPAM, aspirasi)
    _photo_follow_later(aspirasi)
    return aspirasi


# --- The deadline (beat) -----------------------------------------------------------------------


def aspirations_escalate_overdue() -> int:
    """Flag open aspirations nobody acted on for ASPIRATION_DEADLINE_DAYS and tell the admins of
    their province, once each."""
    days = deadline_days()
    cutoff = timezone.now() - timedelta(days=days)
    overdue = list(
        Aspirasi.objects.select_related("community", "regency")
        .open()
        .filter(acted_at__lt=cutoff, escalated_at__isnull=True)
        .order_by("acted_at")[:500]
    )
    escalated = 0
    for aspirasi in overdue:
        with transaction.atomic():
            if not Aspirasi.objects.filter(pk=aspirasi.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                continue  # another run took it
            _record(aspirasi, AspirasiEvent.Action.ESCALATED, None)
            recipients = StaffScope.objects.filter(
                level=StaffScope.Level.PROVINCE,
                province_id=aspirasi.province_id,
                user__is_active=True,
            ).values_list("user__email", flat=True)
            send_templated_email(
                template="aspirasi_escalated",
                to=list(recipients),
                context={
                    "aspirasi": aspirasi,
                    "target": aspirasi.target_name,
                    "days": days,
                    "queue_url": kelola_url("aspirasi:staff_detail", aspirasi.pk),
                },
            )
            escalated += 1
    return escalated


# --- The photo (tasks) ------------------------------------------------------------------------
#
# The original stays private, as does the stripped copy a task makes of it (the queue shows it); a
# copy of that is public while the aspirasi shows publicly. Neither copy's name is recorded before
# the file is written, so each name is derived from what the copy is made from
# (renditions.derived_token): a run killed between writing and recording writes the same name
# again instead of leaving a stray copy of someone's photo behind.


def _clean_name(aspirasi: Aspirasi, ext: str) -> str:
    return f"aspirasi-bersih/{files.derived_token(aspirasi.photo.name)}.{ext}"


def _public_name(clean: str) -> str:
    return f"aspirasi/{files.derived_token(clean)}.{clean.rsplit('.', 1)[-1]}"


def _photo_follow_later(aspirasi: Aspirasi) -> None:
    """Once this change commits, a task takes the public copy down (or puts it up) as the
    aspirasi's state then says. The outbox row commits with the change: a storage or broker
    outage delays the deletion, never loses it."""
    if aspirasi.photo_public:
        enqueue("aspirations.tasks.follow_photo", aspirasi.pk)


def aspirasi_photo_follow(*, aspirasi_id: int) -> bool:
    """The public copy exists only while the aspirasi shows publicly. Safe to run twice, or after
    a killed run; returns whether anything changed."""
    with transaction.atomic():
        aspirasi = Aspirasi.objects.select_for_update().filter(pk=aspirasi_id).first()
        if aspirasi is None:
            return False
        shown = aspirasi.is_shown_publicly
        if not shown and aspirasi.photo_public:
            # Forgotten only in the transaction that deleted it: a failed deletion or a killed
            # run leaves the name recorded for the retry; a seen copy never stays unrecorded.
            default_storage.delete(aspirasi.photo_public)
            Aspirasi.objects.filter(pk=aspirasi.pk).update(photo_public="")
            return True
        if shown and aspirasi.photo_clean and not aspirasi.photo_public:
            with private_storage().open(aspirasi.photo_clean, "rb") as handle:
                data = handle.read()
            name = files.write(default_storage, _public_name(aspirasi.photo_clean), data)
            Aspirasi.objects.filter(pk=aspirasi.pk).update(photo_public=name)
            aspirasi.bump_pages()
            return True
    return False


def _photo_failed(aspirasi: Aspirasi, reason: str) -> str:
    """Record a photo that will never be processed; the aspirasi itself is left as it is."""
    with transaction.atomic():
        Aspirasi.objects.filter(pk=aspirasi.pk).update(
            photo_status=Aspirasi.PhotoStatus.FAILED, photo_error=reason[:200]
        )
        _record(aspirasi, AspirasiEvent.Action.PHOTO_FAILED, None, note=reason[:200])
    log.info("aspirasi %s: photo failed", aspirasi.pk)
    return Aspirasi.PhotoStatus.FAILED


def aspirasi_photos_sweep() -> int:
    """Re-queue photos whose task was lost (a broker outage, or retries run out); returns how
    many. Each run counts an attempt, so a photo that keeps failing ends as failed."""
    cutoff = timezone.now() - files.PENDING_GRACE
    ids = list(
        Aspirasi.objects.filter(photo_status=Aspirasi.PhotoStatus.PENDING, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    for aspirasi_id in ids:
        enqueue("aspirations.tasks.process_photo", aspirasi_id)
    return len(ids)


def aspirasi_photo_process(*, aspirasi_id: int) -> str:
    """Make the stripped copy of an aspirasi's photo (and its public copy while it is public).

    Safe to run twice (a finished photo is left alone) or after a killed run. A photo that cannot
    be read ends as failed, recorded on the aspirasi, which itself is never touched otherwise."""
    aspirasi = Aspirasi.objects.filter(pk=aspirasi_id).first()
    if aspirasi is None or not aspirasi.photo:
        return "gone"
    if aspirasi.photo_status in (Aspirasi.PhotoStatus.READY, Aspirasi.PhotoStatus.FAILED):
        return aspirasi.photo_status
    Aspirasi.objects.filter(pk=aspirasi.pk).update(photo_attempts=F("photo_attempts") + 1)
    aspirasi.refresh_from_db(fields=["photo_attempts"])
    if aspirasi.photo_attempts > files.MAX_ATTEMPTS:
        return _photo_failed(aspirasi, _("Foto gagal diproses berulang kali."))
    with aspirasi.photo.open("rb") as handle:  # storage errors (OSError) are retried
        data = handle.read()
    try:
        single = images.reencode(data, max_width=PHOTO_WIDTH)
    except Exception as exc:  # noqa: BLE001 - any failure to decode is a poison input, not a retry
        if not isinstance(exc, images.RejectedImage):
            exc = images.RejectedImage(_("Foto rusak atau tidak dapat dibaca."))
        return _photo_failed(aspirasi, str(exc))
    name = files.write(private_storage(), _clean_name(aspirasi, single.ext), single.data)
    with transaction.atomic():
        # A concurrent run that recorded first wrote this very name: nothing to clean up.
        Aspirasi.objects.filter(pk=aspirasi.pk, photo_clean="").update(
            photo_clean=name, photo_status=Aspirasi.PhotoStatus.READY
        )
        aspirasi_photo_follow(aspirasi_id=aspirasi.pk)
    return Aspirasi.PhotoStatus.READY
