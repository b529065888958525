"""Writes of siaran: writing and publishing (staff), relaying (KIMs), reminders and digests.

Every service checks its permission itself (siaran.permissions) and raises PermissionError;
views turn that into 404.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit
from communities import permissions as community_permissions
from communities.models import Community, Role
from kimportal.lib.images import MAX_BYTES
from kimportal.lib.links import kelola_url, portal_url
from kimportal.lib.mail import send_templated_email
from kimportal.outbox import enqueue
from posts import services as post_services
from posts.models import Post
from posts.text import render_body
from siaran import permissions
from siaran.models import InboxState, Relay, Reminder, Siaran, SiaranImage

BATCH = 500


def max_photos() -> int:
    return getattr(settings, "SIARAN_MAX_PHOTOS", 6)


def max_pdf_bytes() -> int:
    return getattr(settings, "SIARAN_MAX_PDF_MB", 10) * 1024 * 1024


# --- Writing -------------------------------------------------------------------------------------


@dataclass
class SiaranData:
    office_name: str
    title: str
    body: str
    links: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    national: bool = False
    province_ids: set[str] = field(default_factory=set)
    regency_ids: set[str] = field(default_factory=set)


def clean_links(text: str) -> str:
    """One http(s) URL per line; raises ValidationError naming the first bad line."""
    validator = URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        try:
            validator(line)
        except ValidationError as exc:
            raise ValidationError(
                {"links": _("“%(line)s” bukan tautan http(s) yang sah.") % {"line": line[:80]}}
            ) from exc
    return "\n".join(lines)


def check_pdf(upload) -> None:
    if upload.size > max_pdf_bytes():
        raise ValidationError(
            {"attachment": _("PDF lebih dari %(n)d MB.") % {"n": max_pdf_bytes() // 2**20}}
        )
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"attachment": _("Berkas ini bukan PDF.")})


def _apply(siaran: Siaran, data: SiaranData) -> None:
    if data.valid_until and data.valid_from and data.valid_until <= data.valid_from:
        raise ValidationError({"valid_until": _("Akhir masa berlaku harus setelah awalnya.")})
    siaran.office_name = data.office_name.strip()
    siaran.title = data.title.strip()
    siaran.slug = (slugify(siaran.title) or "siaran")[:150]
    siaran.body = data.body.strip()
    siaran.body_html = render_body(siaran.body)
    siaran.links = clean_links(data.links)
    siaran.valid_from = data.valid_from or siaran.valid_from or timezone.now()
    siaran.valid_until = data.valid_until
    siaran.national = data.national


def _require_target(actor: User, data: SiaranData) -> None:
    if not (data.national or data.province_ids or data.regency_ids):
        raise ValidationError(
            {None: _("Pilih sasaran: seluruh Indonesia, provinsi, atau kabupaten/kota.")}
        )
    if not permissions.may_target(
        actor,
        national=data.national,
        province_ids=set(data.province_ids),
        regency_ids=set(data.regency_ids),
    ):
        raise PermissionError("actor may not target this area")


@transaction.atomic
def siaran_create(*, actor: User, data: SiaranData, attachment=None) -> Siaran:
    if not permissions.is_writer(actor):
        raise PermissionError("only staff write siaran")
    _require_target(actor, data)
    siaran = Siaran(author=actor)
    _apply(siaran, data)
    if attachment:
        check_pdf(attachment)
    siaran.save()
    if attachment:
        siaran.attachment.save(f"siaran-{siaran.pk}.pdf", attachment, save=True)
    siaran.provinces.set(data.province_ids)
    siaran.regencies.set(data.regency_ids)
    return siaran


@transaction.atomic
def siaran_update(*, siaran: Siaran, actor: User, data: SiaranData, attachment=None) -> Siaran:
    if not permissions.can(actor, permissions.EDIT, siaran):
        raise PermissionError("actor may not edit this siaran")
    _require_target(actor, data)
    _apply(siaran, data)
    if attachment:
        check_pdf(attachment)
        siaran.attachment.save(f"siaran-{siaran.pk}.pdf", attachment, save=False)
    siaran.save()
    siaran.provinces.set(data.province_ids)
    siaran.regencies.set(data.regency_ids)
    if hasattr(siaran, "_target_ids"):
        del siaran._target_ids
    if siaran.status == Siaran.Status.PUBLISHED:
        siaran.inbox_at = max(siaran.published_at, siaran.valid_from)
        siaran.save(update_fields=["inbox_at"])
        siaran.bump_pages()
        audit.record(actor, audit.Action.SIARAN_UPDATED, siaran)
    return siaran


def siaran_image_add(*, siaran: Siaran, actor: User, file, alt_text: str = "") -> SiaranImage:
    """Store an upload as it is and queue its renditions (the original stays private)."""
    if not permissions.can(actor, permissions.EDIT, siaran):
        raise PermissionError("actor may not edit this siaran")
    count = siaran.images.count()
    if count >= max_photos():
        raise ValidationError(_("Satu siaran paling banyak %(n)d foto.") % {"n": max_photos()})
    if file.size > MAX_BYTES:
        raise ValidationError(_("Foto lebih dari 15 MB. Kecilkan dulu lalu unggah ulang."))
    image = SiaranImage(siaran=siaran, alt_text=alt_text.strip()[:200], sort_order=count)
    image.original.save(f"s{siaran.pk}.upload", file, save=False)
    image.save()
    enqueue("siaran.tasks.process_image", image.pk)
    return image


@transaction.atomic
def siaran_publish(*, siaran: Siaran, actor: User) -> Siaran:
    if not permissions.can(actor, permissions.EDIT, siaran):
        raise PermissionError("actor may not publish this siaran")
    if siaran.status != Siaran.Status.DRAFT:
        raise ValidationError(_("Siaran ini sudah terbit."))
    now = timezone.now()
    siaran.status = Siaran.Status.PUBLISHED
    siaran.published_at = now
    siaran.inbox_at = max(now, siaran.valid_from)
    siaran.save()
    siaran.bump_pages()
    audit.record(actor, audit.Action.SIARAN_PUBLISHED, siaran)
    return siaran


@transaction.atomic
def siaran_withdraw(*, siaran: Siaran, actor: User) -> Siaran:
    """Take a siaran off inboxes and the portal; its photos and PDF stop being public. Relayed
    posts stay: they are the KIMs' own posts, moderated as such."""
    if not permissions.can(actor, permissions.EDIT, siaran):
        raise PermissionError("actor may not withdraw this siaran")
    siaran.status = Siaran.Status.WITHDRAWN
    siaran.save()
    siaran.bump_pages()
    audit.record(actor, audit.Action.SIARAN_WITHDRAWN, siaran)
    enqueue("siaran.tasks.follow_files", siaran.pk)
    return siaran


# --- Inbox and relay -----------------------------------------------------------------------------


def inbox_mark_seen(*, community: Community, user: User) -> None:
    """The inbox was opened: its new-siaran count starts again from now."""
    if community_permissions.role_in(user, community) is None:
        return
    InboxState.objects.update_or_create(
        community=community, defaults={"seen_until": timezone.now()}
    )


def _relay_text(siaran: Siaran) -> str:
    # Saved into the post's body, which is in Bahasa Indonesia whatever the relaying admin's
    # interface language is.
    with translation.override(settings.LANGUAGE_CODE):
        source = _("Sumber: siaran %(office)s, “%(title)s” (%(url)s)") % {
            "office": siaran.office_name,
            "title": siaran.title,
            "url": portal_url("siaran:detail", siaran.pk, siaran.slug),
        }
    links = "\n".join(f"- {link}" for link in siaran.link_list)
    return "\n\n".join(part for part in (siaran.body, links, source) if part)


def siaran_relay(*, siaran: Siaran, community: Community, actor: User) -> tuple[Relay, bool]:
    """Make a draft post of the KIM from the siaran (or return the one made before).

    Returns (relay, created). The post, its photos (through the posts photo service and its
    pipeline) and the relay row are written in one transaction; of two clicks at once, one wins
    and the other gets the winner's relay.
    """
    if not permissions.can(actor, permissions.RELAY, (siaran, community)):
        raise PermissionError("actor may not relay this siaran for this KIM")
    existing = Relay.objects.filter(siaran=siaran, community=community).select_related("post")
    relay = existing.first()
    if relay is not None:
        return relay, False
    try:
        with transaction.atomic():
            post = post_services.post_create(
                community=community,
                author=actor,
                data=post_services.PostData(
                    kind=Post.Kind.BERITA, title=siaran.title[:150], body=_relay_text(siaran)
                ),
            )
            for image in siaran.images.all():
                with image.original.open("rb") as handle:
                    upload = ContentFile(handle.read(), name="siaran.jpg")
                post_services.post_photo_add(post=post, actor=actor, file=upload)
            relay = Relay.objects.create(
                siaran=siaran,
                community=community,
                post=post,
                province_id=community.province_id,
                regency_id=community.regency_id,
                created_by=actor,
            )
    except IntegrityError:
        relay = existing.first()
        if relay is None:
            raise
        return relay, False
    return relay, True


# --- Reminders -----------------------------------------------------------------------------------


def not_relayed(siaran: Siaran, area: Q) -> QuerySet[Community]:
    """Live KIMs of the target within an area filter that have not relayed the siaran."""
    national, provinces, regencies = permissions._target(siaran)
    communities = Community.objects.live().filter(area)
    if not national:
        communities = communities.filter(Q(province_id__in=provinces) | Q(regency_id__in=regencies))
    return communities.exclude(pk__in=Relay.objects.filter(siaran=siaran).values("community_id"))


def siaran_remind(*, siaran: Siaran, actor: User) -> Reminder:
    """Queue reminder emails to the admins of the KIMs of the actor's area that have not relayed
    (at most once per siaran, area and day)."""
    if not permissions.can(actor, permissions.VIEW, siaran):
        raise PermissionError("actor may not see this siaran")
    if siaran.status != Siaran.Status.PUBLISHED:
        raise ValidationError(_("Hanya siaran yang terbit dapat diingatkan."))
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                siaran=siaran,
                area=permissions.area_key(actor),
                day=timezone.localdate(),
                created_by=actor,
            )
            enqueue("siaran.tasks.send_reminders", reminder.pk)
    except IntegrityError as exc:
        raise ValidationError(
            _("KIM di wilayah Anda sudah diingatkan hari ini tentang siaran ini.")
        ) from exc
    return reminder


def _admin_emails(community_ids: list[int]) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = {}
    rows = Role.objects.filter(
        community_id__in=community_ids, role=Role.Kind.ADMIN, user__is_active=True
    ).values_list("community_id", "user__email")
    for community_id, email in rows:
        emails.setdefault(community_id, []).append(email)
    return emails


def reminders_send(*, reminder_id: int, batch: int = BATCH) -> int:
    """Email the admins of not-yet-relaying KIMs of the reminder's area, a batch per
    transaction, resuming after the last KIM done (safe to run twice). Returns KIMs emailed."""
    reminder = Reminder.objects.select_related("siaran", "created_by").get(pk=reminder_id)
    if reminder.finished_at or reminder.created_by is None:
        return 0
    area = permissions.area_filter(reminder.created_by)
    siaran = reminder.siaran
    sent = 0
    while True:
        with transaction.atomic():
            locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
            communities = list(
                not_relayed(siaran, area)
                .filter(pk__gt=locked.done_until_pk)
                .order_by("pk")
                .only("pk", "name", "slug")[:batch]
            )
            if not communities:
                locked.finished_at = timezone.now()
                locked.save(update_fields=["finished_at"])
                return sent
            emails = _admin_emails([c.pk for c in communities])
            for community in communities:
                send_templated_email(
                    template="siaran_reminder",
                    to=emails.get(community.pk, []),
                    context={
                        "siaran": siaran,
                        "community": community,
                        "inbox_url": kelola_url("siaran:inbox", community.slug),
                    },
                )
            locked.done_until_pk = communities[-1].pk
            locked.community_count += len(communities)
            locked.save(update_fields=["done_until_pk", "community_count"])
            sent += len(communities)


# --- Digests -------------------------------------------------------------------------------------


def digests_send(*, batch: int = BATCH, now: datetime | None = None) -> int:
    """Email each live KIM's admins the siaran that reached its inbox since its last digest.

    The recent siaran are read once; KIMs are walked in batches by pk, each batch in one
    transaction with its emails (outbox) and the new `digest_sent_until`, so a second run the
    same day sends nothing again. Returns how many digests were queued.
    """
    now = now or timezone.now()
    lookback = now - timezone.timedelta(days=getattr(settings, "SIARAN_DIGEST_LOOKBACK_DAYS", 7))
    recent = list(
        Siaran.objects.current(now)
        .filter(inbox_at__gt=lookback, inbox_at__lte=now)
        .prefetch_related("provinces", "regencies")
        .order_by("inbox_at", "pk")
    )
    if not recent:
        return 0
    for siaran in recent:
        permissions._target(siaran)  # from the prefetch, no query
    queued = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            communities = list(
                Community.objects.live()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "name", "slug", "province_id", "regency_id", "verified_at")[:batch]
            )
            if not communities:
                return queued
            last_pk = communities[-1].pk
            states = {
                s.community_id: s
                for s in InboxState.objects.select_for_update().filter(
                    community_id__in=[c.pk for c in communities]
                )
            }
            emails = _admin_emails([c.pk for c in communities])
            changed, created = [], []
            for community in communities:
                state = states.get(community.pk)
                since = (state.digest_sent_until if state else None) or lookback
                items = [
                    s for s in recent if s.inbox_at > since and permissions.in_target(s, community)
                ]
                if not items:
                    continue
                send_templated_email(
                    template="siaran_digest",
                    to=emails.get(community.pk, []),
                    context={
                        "community": community,
                        "items": items,
                        "inbox_url": kelola_url("siaran:inbox", community.slug),
                    },
                )
                queued += 1
                if state is None:
                    created.append(InboxState(community=community, digest_sent_until=now))
                else:
                    state.digest_sent_until = now
                    changed.append(state)
            InboxState.objects.bulk_update(changed, ["digest_sent_until"])
            InboxState.objects.bulk_create(
                created, update_conflicts=True, unique_fields=["community"],
                update_fields=["digest_sent_until"],
            )  # fmt: skip
