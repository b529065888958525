"""Writes to posts: writing, submitting, automatic checks, moderation, scheduling, reports.

Approval covers a version, not a post forever: an edit of a post on air (published or scheduled)
by someone who could not publish it directly waits as a PostRevision while the approved text stays
public; a direct publisher's edit applies at once and its text is checked again.
"""

from dataclasses import dataclass, fields
from datetime import date, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import StaffScope, User
from audit import services as audit
from communities import permissions
from communities.models import Community
from kimportal.lib.client import network_prefix
from kimportal.lib.keyed import keyed_hash
from kimportal.lib.links import kelola_url, subsite_url
from kimportal.lib.mail import send_templated_email
from kimportal.outbox import enqueue, enqueue_once
from posts import images
from posts.images import post_files_follow
from posts.models import (
    BannedTerm,
    Image,
    ModerationEvent,
    PendingPhoto,
    Post,
    PostRevision,
    Report,
)
from posts.sources import source_lines
from posts.text import count_links, render_body

# --- Permissions on posts --------------------------------------------------------------------


def can_write(user: User, community: Community) -> bool:
    """Any role in a live KIM may write (contributors included)."""
    return community.is_live and permissions.has_role(user, community, "contributor")


def can_edit(user: User, post: Post) -> bool:
    """Editors and admins edit every post of their KIM; contributors only their own, and only
    while it is a draft or was sent back (rejected)."""
    community = post.community
    if not community.is_live:
        return False
    if permissions.has_role(user, community, "editor"):
        return True
    return (
        permissions.has_role(user, community, "contributor")
        and post.author_id == user.pk
        and post.status in (Post.Status.DRAFT, Post.Status.REJECTED)
    )


def can_publish_directly(user: User, community: Community) -> bool:
    return community.is_trusted and permissions.has_role(user, community, "editor")


def can_moderate(user: User, post: Post) -> bool:
    return permissions.covers(user, post.community)


ON_AIR = (Post.Status.PUBLISHED, Post.Status.SCHEDULED)


def edit_needs_review(user: User, post: Post) -> bool:
    """Does an edit of this post by this user wait as a revision instead of applying at once?"""
    return post.status in ON_AIR and not can_publish_directly(user, post.community)


# --- Writing ---------------------------------------------------------------------------------


@dataclass
class PostData:
    kind: str
    title: str
    summary: str = ""
    body: str = ""
    tags: list[str] | None = None
    price: Decimal | None = None
    order_whatsapp: str = ""
    umkm_category: str = ""
    claim: str = ""
    verdict: str = ""
    sources: str = ""
    event_date: date | None = None
    event_time: time | None = None
    event_place: str = ""
    publish_at: object = None  # datetime | None


def hoax_missing(text) -> dict[str, str]:
    """What a hoax clarification still lacks before it may be sent, approved or changed on air:
    {field name: message}. `text` is a Post, a PostRevision or a PostData; other kinds lack
    nothing."""
    if text.kind != Post.Kind.HOAKS:
        return {}
    missing = {}
    if not (text.claim or "").strip():
        missing["claim"] = _("Isi klaim yang beredar: kabar apa yang diklarifikasi.")
    if text.verdict not in Post.Verdict.values:
        missing["verdict"] = _("Pilih putusan: hoaks, disinformasi, benar, atau belum terbukti.")
    if not source_lines(text.sources):
        missing["sources"] = _(
            "Tulis sedikitnya satu sumber, misalnya keterangan petugas atau tautan berita resmi."
        )
    return missing


def _require_hoax_complete(text) -> None:
    missing = hoax_missing(text)
    if missing:
        raise ValidationError({name: [message] for name, message in missing.items()})


def _unique_slug(community: Community, title: str, exclude_pk: int | None = None) -> str:
    base = (slugify(title) or "tulisan")[:150].strip("-") or "tulisan"
    taken = set(
        Post.objects.for_community(community)
        .filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _values(data: PostData) -> dict:
    """The input as it is stored: strings stripped, tags normalised."""
    values = {}
    for field in fields(PostData):
        value = getattr(data, field.name)
        if field.name == "tags":
            value = [t.strip().lower() for t in (value or []) if t.strip()][:10]
        elif isinstance(value, str):
            value = value.strip()
        values[field.name] = value
    return values


def _apply(post: Post, data: PostData) -> None:
    for name, value in _values(data).items():
        setattr(post, name, value)
    post.body_html = render_body(post.body)


def _changed(current, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(current, name) != value]


def post_create(*, community: Community, author: User, data: PostData) -> Post:
    if not can_write(author, community):
        raise PermissionError("author may not write for this community")
    post = Post(
        community=community,
        regency_id=community.regency_id,
        province_id=community.province_id,
        author=author,
    )
    _apply(post, data)
    for _attempt in range(3):
        post.slug = _unique_slug(community, post.title)
        try:
            with transaction.atomic():
                post.save()
            return post
        except IntegrityError:
            continue  # two posts with the same title at the same moment
    raise RuntimeError("could not find a free slug")


def post_update(*, post: Post, actor: User, data: PostData) -> Post:
    """Save an edit. Of a post on air, it applies at once only for a direct publisher (and is
    checked again); anyone else's edit becomes a pending revision and `post` stays as it is."""
    if not can_edit(actor, post):
        raise PermissionError("actor may not edit this post")
    if post.status in ON_AIR:
        if can_publish_directly(actor, post.community):
            return _post_edit_on_air(post=post, actor=actor, data=data)
        revision_submit(post=post, actor=actor, data=data)
        return post
    _apply(post, data)
    if post.status != Post.Status.PUBLISHED:
        post.slug = _unique_slug(post.community, post.title, exclude_pk=post.pk)
    post.save()
    return post


def _record(post: Post, action: str, actor: User | None, reason: str = "", **details) -> None:
    ModerationEvent.objects.create(
        community_id=post.community_id,
        post=post,
        actor=actor,
        action=action,
        reason=reason,
        details=details,
    )


@transaction.atomic
def post_submit(*, post: Post, actor: User) -> Post:
    """Send a post on its way: automatic checks run on a worker, then it enters the regency's
    moderation queue, or is published at once when an editor of a trusted KIM sent it."""
    if not can_edit(actor, post):
        raise PermissionError("actor may not submit this post")
    if post.status not in (Post.Status.DRAFT, Post.Status.REJECTED):
        raise ValidationError(_("Tulisan ini sudah dikirim."))
    if not post.title.strip() or not (post.body.strip() or post.images.exists()):
        raise ValidationError(_("Isi judul dan isi tulisan (atau sedikitnya satu foto)."))
    if post.images.filter(status=Image.Status.FAILED).exists():
        raise ValidationError(_("Ada foto yang gagal diproses. Ganti atau hapus dulu foto itu."))
    _require_hoax_complete(post)
    post.status = Post.Status.SUBMITTED
    post.submitted_at = timezone.now()
    post.checks, post.checks_done = {}, False
    post.claimed_by, post.claimed_at, post.escalated_at = None, None, None
    post.decision_reason = ""
    post.save()
    _record(post, ModerationEvent.Action.SUBMITTED, actor)
    direct = can_publish_directly(actor, post.community)
    _queue_checks(post.pk, direct)
    return post


def _queue_checks(post_id: int, direct: bool) -> None:
    enqueue("posts.tasks.check_post", post_id, direct)


def post_run_checks(*, post_id: int, publish_if_clean: bool) -> dict | None:
    """Automatic checks on a submitted post. Returns the results, or None when the photos are
    still being processed (the task retries later)."""
    post = Post.objects.select_related("community").filter(pk=post_id).first()
    if post is None or post.status != Post.Status.SUBMITTED or post.checks_done:
        return post.checks if post else None
    statuses = list(post.images.values_list("status", flat=True))
    if any(s in (Image.Status.PENDING, Image.Status.PROCESSING) for s in statuses):
        return None
    checks = {
        "photos_ready": all(s == Image.Status.READY for s in statuses),
        **_text_checks(post=post, text=post),
    }
    checks["clean"] = checks["photos_ready"] and checks["clean"]
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, status=Post.Status.SUBMITTED).update(
            checks=checks, checks_done=True
        )
        if not updated:
            return checks
        post.checks, post.checks_done = checks, True
        _record(post, ModerationEvent.Action.CHECKED, None, **checks)
        if publish_if_clean and checks["clean"]:
            _decide(post, None, approve=True, reason="")
    return checks


def _text_checks(*, post: Post, text: Post | PostRevision) -> dict:
    """Banned terms, links and duplicates of `text` (the post's own, or a revision of it).
    The photos' captions and alternative texts are public text too (a revision leaves them as
    they are, so they are the post's own either way)."""
    photo_texts = [
        value
        for pair in Image.objects.filter(community_id=post.community_id, post=post).values_list(
            "caption", "alt_text"
        )
        for value in pair
        if value
    ]
    joined = " ".join((text.title, text.summary, text.body, text.claim, *photo_texts)).lower()
    banned = [t for t in BannedTerm.objects.values_list("term", flat=True) if t.lower() in joined]
    links = count_links(text.body, text.summary, text.sources)
    since = timezone.now() - timedelta(days=settings.POST_DUPLICATE_DAYS)
    same_title_here = Q(community_id=post.community_id, title__iexact=text.title)
    same_body_anywhere = Q(body=text.body) if len(text.body) >= 80 else Q(pk__in=[])
    duplicate = (
        Post.objects.filter(created_at__gte=since)
        .filter(same_title_here | same_body_anywhere)
        .exclude(pk=post.pk)
        .values_list("pk", flat=True)
        .first()
    )
    too_many_links = links > settings.POST_MAX_LINKS
    # Sent before the rule existed, or changed behind the editor's back: never published unseen.
    hoax_incomplete = bool(hoax_missing(text))
    return {
        "banned_terms": banned,
        "links": links,
        "too_many_links": too_many_links,
        "duplicate_of": duplicate,
        "hoax_incomplete": hoax_incomplete,
        "clean": not banned and not too_many_links and duplicate is None and not hoax_incomplete,
    }


def _decide(post: Post, actor: User | None, *, approve: bool, reason: str) -> Post:
    """Approve or reject a submitted post exactly once: the conditional update is the claim,
    so when two admins click at the same moment only one decision is taken."""
    now = timezone.now()
    if approve:
        _require_hoax_complete(post)
        scheduled = post.publish_at is not None and post.publish_at > now
        status = Post.Status.SCHEDULED if scheduled else Post.Status.PUBLISHED
        # A post that was on air and came back to the queue (a flagged edit) keeps its date.
        published_at = post.publish_at if scheduled else (post.published_at or now)
        changes = {"status": status, "published_at": published_at}
    else:
        changes = {"status": Post.Status.REJECTED, "decision_reason": reason}
    claimed = Post.objects.filter(pk=post.pk, status=Post.Status.SUBMITTED).update(
        claimed_by=actor, claimed_at=now, **changes
    )
    if not claimed:
        raise ValidationError(_("Tulisan ini sudah diputuskan oleh admin lain."))
    for name, value in changes.items():
        setattr(post, name, value)
    post_files_follow(post_ids=[post.pk])  # a post sent back to the queue gets its photos back
    if approve:
        action = (
            ModerationEvent.Action.SCHEDULED
            if post.status == Post.Status.SCHEDULED
            else (ModerationEvent.Action.APPROVED if actor else ModerationEvent.Action.PUBLISHED)
        )
        _record(post, action, actor)
    else:
        _record(post, ModerationEvent.Action.REJECTED, actor, reason)
        _notify_author(post, "post_rejected", reason)
    return post


def _require_moderator(actor: User, post: Post) -> None:
    if not can_moderate(actor, post):
        raise PermissionError("actor may not moderate this post")


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tuliskan alasannya agar penulis dapat memperbaikinya."))
    return reason


@transaction.atomic
def post_approve(*, post: Post, actor: User) -> Post:
    _require_moderator(actor, post)
    post = _decide(post, actor, approve=True, reason="")
    audit.record(actor, audit.Action.POST_APPROVED, post, status=post.status)
    return post


@transaction.atomic
def post_reject(*, post: Post, actor: User, reason: str) -> Post:
    _require_moderator(actor, post)
    post = _decide(post, actor, approve=False, reason=_require_reason(reason))
    audit.record(actor, audit.Action.POST_REJECTED, post, reason=post.decision_reason)
    return post


@transaction.atomic
def post_take_down(*, post: Post, actor: User, reason: str) -> Post:
    _require_moderator(actor, post)
    reason = _require_reason(reason)
    taken = Post.objects.filter(
        pk=post.pk, status__in=[Post.Status.PUBLISHED, Post.Status.SCHEDULED]
    ).update(status=Post.Status.TAKEN_DOWN, decision_reason=reason, hidden_by_reports=False)
    if not taken:
        raise ValidationError(_("Tulisan ini tidak sedang tayang."))
    post.status, post.decision_reason = Post.Status.TAKEN_DOWN, reason
    post_files_follow(post_ids=[post.pk])  # its photos leave the public storage
    _resolve_reports(post)
    _revisions_close(post)
    _record(post, ModerationEvent.Action.TAKEN_DOWN, actor, reason)
    audit.record(actor, audit.Action.POST_TAKEN_DOWN, post, reason=reason)
    _notify_author(post, "post_taken_down", reason)
    return post


@transaction.atomic
def post_publish_now(*, post: Post, actor: User) -> Post:
    """An editor of a trusted KIM publishes (or schedules) a draft without pre-moderation."""
    if not (can_edit(actor, post) and can_publish_directly(actor, post.community)):
        raise PermissionError("actor may not publish directly")
    post_submit(post=post, actor=actor)
    return post


# --- Edits of posts on air: revisions, direct edits, photos ------------------------------------


def _pending_revision(post: Post) -> PostRevision | None:
    return PostRevision.objects.pending().filter(community_id=post.community_id, post=post).first()


def _revisions_close(post: Post) -> list[int]:
    """Retire the post's pending revision (a newer text replaced it, or the post left the air)."""
    pending = list(
        PostRevision.objects.pending()
        .filter(community_id=post.community_id, post=post)
        .values_list("pk", flat=True)
    )
    if pending:
        PostRevision.objects.filter(pk__in=pending, status=PostRevision.Status.PENDING).update(
            status=PostRevision.Status.SUPERSEDED
        )
    return pending


def _lock_on_air(post: Post) -> Post:
    """The post's row, locked until the transaction ends, while it is on air."""
    locked = (
        Post.objects.select_for_update()
        .select_related("community")
        .filter(pk=post.pk, status__in=ON_AIR)
        .first()
    )
    if locked is None:
        raise ValidationError(_("Tulisan ini tidak sedang tayang."))
    return locked


@transaction.atomic
def revision_submit(*, post: Post, actor: User, data: PostData) -> PostRevision | None:
    """An edit of a post on air by someone who may not publish directly: it waits in the
    moderation queue as the post's one pending revision (replacing an older pending one), while
    the approved text stays public. Returns None when the text is the one on air already."""
    if not can_edit(actor, post):
        raise PermissionError("actor may not edit this post")
    if not edit_needs_review(actor, post):
        raise PermissionError("a direct publisher's edit is not a revision")
    _require_hoax_complete(data)
    current = _lock_on_air(post)
    values = {
        name: value for name, value in _values(data).items() if name in PostRevision.TEXT_FIELDS
    }
    pending = _pending_revision(current)
    if pending is not None and not _changed(pending, values):
        return pending  # the same proposal saved again: keep its place and its checks
    changed = _changed(current, values)
    superseded = _revisions_close(current)
    if not changed:
        return None  # back to the text on air: nothing to review
    revision = PostRevision.objects.create(
        community_id=current.community_id, post=current, author=actor, **values
    )
    _record(
        current,
        ModerationEvent.Action.REVISION_SUBMITTED,
        actor,
        fields=changed,
        revision=revision.pk,
        superseded=superseded,
    )
    enqueue("posts.tasks.check_revision", revision.pk)
    return revision


def revision_run_checks(*, revision_id: int) -> dict | None:
    """The automatic checks of a pending revision (idempotent: a second run changes nothing)."""
    revision = PostRevision.objects.select_related("post").filter(pk=revision_id).first()
    if revision is None or revision.status != PostRevision.Status.PENDING or revision.checks_done:
        return revision.checks if revision else None
    # Photos are not part of a revision: they cannot change through one.
    checks = {"photos_ready": True, **_text_checks(post=revision.post, text=revision)}
    with transaction.atomic():
        if PostRevision.objects.filter(
            pk=revision.pk, status=PostRevision.Status.PENDING, checks_done=False
        ).update(checks=checks, checks_done=True):
            _record(
                revision.post, ModerationEvent.Action.CHECKED, None, revision=revision.pk, **checks
            )
    return checks


def _revision_claim(revision: PostRevision, actor: User, **changes) -> None:
    """Decide a revision exactly once: the conditional update is the claim, so of two admins
    clicking at the same moment (or one on a page older than a newer edit) only one decides."""
    claimed = PostRevision.objects.filter(
        pk=revision.pk, status=PostRevision.Status.PENDING
    ).update(decided_by=actor, decided_at=timezone.now(), **changes)
    if not claimed:
        raise ValidationError(
            _("Perubahan ini sudah diputuskan oleh admin lain atau digantikan perubahan baru.")
        )
    for name, value in changes.items():
        setattr(revision, name, value)


@transaction.atomic
def revision_approve(*, revision: PostRevision, actor: User) -> Post:
    """Copy the revision's text onto the post: from now on it is the approved version."""
    _require_moderator(actor, revision.post)
    _require_hoax_complete(revision)
    _revision_claim(revision, actor, status=PostRevision.Status.APPROVED)
    post = _lock_on_air(revision.post)
    values = {name: getattr(revision, name) for name in PostRevision.TEXT_FIELDS}
    changed = _changed(post, values)
    for name, value in values.items():
        setattr(post, name, value)
    post.body_html = render_body(post.body)
    if revision.checks_done:
        post.checks, post.checks_done = revision.checks, True
    post.save()
    _record(
        post,
        ModerationEvent.Action.REVISION_APPROVED,
        actor,
        fields=changed,
        revision=revision.pk,
    )
    audit.record(actor, audit.Action.REVISION_APPROVED, post, revision=revision.pk, fields=changed)
    revision.post = post
    return post


@transaction.atomic
def revision_reject(*, revision: PostRevision, actor: User, reason: str) -> PostRevision:
    """Keep the text on air; the revision's author gets the reason by email."""
    _require_moderator(actor, revision.post)
    reason = _require_reason(reason)
    _revision_claim(revision, actor, status=PostRevision.Status.REJECTED, reason=reason)
    post = revision.post
    _record(post, ModerationEvent.Action.REVISION_REJECTED, actor, reason, revision=revision.pk)
    audit.record(actor, audit.Action.REVISION_REJECTED, post, revision=revision.pk, reason=reason)
    if revision.author_id is not None:
        send_templated_email(
            template="revision_rejected",
            to=[revision.author.email],
            context={
                "post": post,
                "revision": revision,
                "community": post.community,
                "reason": reason,
                "edit_url": kelola_url("posts:edit", post.community.slug, post.pk),
            },
        )
    return revision


@transaction.atomic
def _post_edit_on_air(*, post: Post, actor: User, data: PostData) -> Post:
    """A direct publisher's edit of a post on air: applied at once, recorded, checked again."""
    _require_hoax_complete(data)
    current = _lock_on_air(post)
    values = _values(data)
    changed = _changed(current, values)
    if not changed:
        return post
    _apply(post, data)
    if post.status != Post.Status.PUBLISHED:
        post.slug = _unique_slug(post.community, post.title, exclude_pk=post.pk)
    text_changed = [name for name in changed if name in PostRevision.TEXT_FIELDS]
    if text_changed:
        post.checks, post.checks_done = {}, False
    post.save()
    superseded = _revisions_close(post)
    _record(post, ModerationEvent.Action.EDITED, actor, fields=changed, superseded=superseded)
    if text_changed:
        enqueue_once("posts.tasks.check_post_edit", post.pk)
    return post


def post_run_edit_checks(*, post_id: int) -> dict | None:
    """Check again the text of a post on air that a direct publisher changed. A flagged edit
    sends the post back to the moderation queue (off the air) until an admin decides, as a
    flagged submission of a trusted KIM waits there."""
    post = Post.objects.select_related("community").filter(pk=post_id).first()
    if post is None or post.status not in ON_AIR or post.checks_done:
        return post.checks if post else None
    checks = {"photos_ready": True, **_text_checks(post=post, text=post)}
    changes = {"checks": checks, "checks_done": True}
    if not checks["clean"]:
        changes |= {
            "status": Post.Status.SUBMITTED,
            "submitted_at": timezone.now(),
            "claimed_by": None,
            "claimed_at": None,
            "escalated_at": None,
            "decision_reason": "",
        }
    with transaction.atomic():
        # updated_at pins the text that was checked: a newer edit queued its own check.
        if not Post.objects.filter(
            pk=post.pk, status__in=ON_AIR, checks_done=False, updated_at=post.updated_at
        ).update(**changes):
            return None
        _record(post, ModerationEvent.Action.CHECKED, None, edit=True, **checks)
        if not checks["clean"]:
            _record(
                post,
                ModerationEvent.Action.REQUEUED,
                None,
                _("Perubahan langsung ditandai pemeriksaan otomatis; tulisan menunggu moderasi."),
            )
            post_files_follow(post_ids=[post.pk])  # its photos leave the public storage
    return checks


def post_photos_editable(user: User, post: Post) -> bool:
    """Adding, replacing or captioning a photo of a post on air would reach the public page
    without review, so only a direct publisher may; removing one is allowed to every editor."""
    return can_edit(user, post) and not edit_needs_review(user, post)


def _require_photos_editable(actor: User, post: Post) -> None:
    if not can_edit(actor, post):
        raise PermissionError("actor may not edit this post")
    if not post_photos_editable(actor, post):
        raise ValidationError(
            _(
                "Foto tulisan yang sedang tayang hanya dapat diubah oleh KIM tepercaya. "
                "Teks dapat diubah dan akan ditinjau Diskominfo."
            )
        )


def _record_photo_edit(post: Post, actor: User, change: str) -> None:
    if post.status in ON_AIR:
        _record(post, ModerationEvent.Action.EDITED, actor, fields=["photos"], photos=change)


def _photo_texts_changed(post: Post, actor: User) -> None:
    """A caption or alternative text is public text: changed on air (only a direct publisher
    may), it is recorded and checked again, as the post's own text is."""
    _record_photo_edit(post, actor, "caption")
    if post.status in ON_AIR:
        Post.objects.filter(pk=post.pk).update(checks={}, checks_done=False)
        post.checks, post.checks_done = {}, False
        enqueue_once("posts.tasks.check_post_edit", post.pk)


def post_photo_add(
    *, post: Post, actor: User, file, caption: str = "", alt_text: str = ""
) -> Image:
    _require_photos_editable(actor, post)
    image = images.image_add(post=post, file=file, caption=caption, alt_text=alt_text)
    _record_photo_edit(post, actor, "added")
    return image


def post_photo_update(
    *, image: Image, actor: User, caption: str, alt_text: str, replacement=None
) -> Image:
    """One photo's texts and, optionally, its file (the single-photo page). The texts are
    compared with what is stored, not with `image`: the page's model form has already written
    them into it (and so the texts go first: the replacement saves `image` whole)."""
    post_photos_describe(post=image.post, actor=actor, texts={image.pk: (caption, alt_text)})
    if replacement:
        post_photo_replace(image=image, actor=actor, file=replacement)
    return image


def post_photos_describe(
    *, post: Post, actor: User, texts: dict[int, tuple[str, str]]
) -> list[int]:
    """Save the captions and alternative texts of several of the post's photos at once (the
    editor's one "Simpan"), in the caller's transaction. `texts` is {photo id: (caption,
    alternative text)}; an id that is not one of this post's photos is ignored (ids come from
    a form). Returns the ids of the photos changed."""
    if not texts:
        return []
    _require_photos_editable(actor, post)
    changed = []
    for image in Image.objects.filter(
        community_id=post.community_id, post=post, pk__in=list(texts)
    ).order_by("pk"):
        caption, alt_text = (value.strip() for value in texts[image.pk])
        if (caption, alt_text) == (image.caption, image.alt_text):
            continue
        images.image_update(image=image, caption=caption, alt_text=alt_text)
        changed.append(image.pk)
    if changed:
        _photo_texts_changed(post, actor)
    return changed


def post_photo_replace(*, image: Image, actor: User, file) -> Image:
    """Swap one photo's file, keeping its caption (read `image` fresh: it is saved whole)."""
    post = image.post
    _require_photos_editable(actor, post)
    images.image_replace(image=image, file=file)
    _record_photo_edit(post, actor, "replaced")
    return image


def post_photo_remove(*, image: Image, actor: User) -> None:
    post = image.post
    if not can_edit(actor, post):
        raise PermissionError("actor may not edit this post")
    images.image_remove(image=image)
    _record_photo_edit(post, actor, "removed")


# --- Photos kept from a refused first save of a new post ----------------------------------------
#
# A new post whose first save is refused (a title left empty) does not exist yet, so the photos
# chosen with it cannot be its Images: they are kept as PendingPhoto rows of the writer and of
# that one form (a random token in the form), shown again with the form, and attached when the
# post is saved. Nobody else sees them; the sweep deletes what is never attached.


def pending_photo_keep(
    *,
    community: Community,
    owner: User,
    token: str,
    file,
    caption: str = "",
    alt_text: str = "",
) -> PendingPhoto:
    if not can_write(owner, community):
        raise PermissionError("owner may not write for this community")
    return images.pending_photo_add(
        community=community,
        owner=owner,
        token=token,
        file=file,
        caption=caption,
        alt_text=alt_text,
    )


def post_pending_photos_attach(
    *,
    post: Post,
    actor: User,
    token: str,
    texts: dict[int, tuple[str, str]] | None = None,
    dropped: set[int] = frozenset(),
) -> list[tuple[str, ValidationError]]:
    """Make the actor's photos kept with this form (token) photos of the post, with the texts
    typed for them (`texts`, by PendingPhoto id) except those `dropped`; each in its own
    transaction, as any upload. Returns (file name, why) of each one refused (all are gone from
    the holding area afterwards)."""
    refused = []
    texts = texts or {}
    for pending in PendingPhoto.objects.filter(
        community_id=post.community_id, owner=actor, token=token
    ).order_by("pk"):
        caption, alt_text = texts.get(pending.pk, (pending.caption, pending.alt_text))
        try:
            with transaction.atomic():
                if not images.pending_photo_take(pending=pending):
                    continue  # attached by the same form sent twice
                if pending.pk not in dropped:
                    with pending.original.open("rb") as file:
                        post_photo_add(
                            post=post, actor=actor, file=file, caption=caption, alt_text=alt_text
                        )
        except ValidationError as exc:
            refused.append((pending.name, exc))
            with transaction.atomic():  # the refusal rolled the take back
                images.pending_photo_take(pending=pending)
    return refused


def _notify_author(post: Post, template: str, reason: str) -> None:
    if post.author_id is None:
        return
    send_templated_email(
        template=template,
        to=[post.author.email],
        context={
            "post": post,
            "community": post.community,
            "reason": reason,
            "edit_url": kelola_url("posts:edit", post.community.slug, post.pk),
        },
    )


# --- Beat tasks --------------------------------------------------------------------------------


def posts_publish_due() -> int:
    """Publish scheduled posts whose time has come."""
    now = timezone.now()
    due = list(
        Post.objects.filter(status=Post.Status.SCHEDULED, publish_at__lte=now).values_list(
            "pk", flat=True
        )[:500]
    )
    published = 0
    for post_id in due:
        with transaction.atomic():
            if Post.objects.filter(pk=post_id, status=Post.Status.SCHEDULED).update(
                status=Post.Status.PUBLISHED, published_at=F("publish_at")
            ):
                post = Post.objects.get(pk=post_id)
                _record(post, ModerationEvent.Action.PUBLISHED, None)
                published += 1
    return published


def posts_escalate_overdue() -> int:
    """Mark queue items waiting past the deadline and tell the province admins."""
    deadline = timezone.now() - timedelta(hours=settings.MODERATION_DEADLINE_HOURS)
    overdue = list(
        Post.objects.select_related("community")
        .filter(status=Post.Status.SUBMITTED, submitted_at__lt=deadline, escalated_at__isnull=True)
        .order_by("submitted_at")[:500]
    )
    escalated = 0
    for post in overdue:
        with transaction.atomic():
            if not Post.objects.filter(pk=post.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                continue
            _record(post, ModerationEvent.Action.ESCALATED, None)
            recipients = StaffScope.objects.filter(
                level=StaffScope.Level.PROVINCE,
                province_id=post.province_id,
                user__is_active=True,
            ).values_list("user__email", flat=True)
            send_templated_email(
                template="post_escalated",
                to=list(recipients),
                context={
                    "post": post,
                    "community": post.community,
                    "hours": settings.MODERATION_DEADLINE_HOURS,
                    "queue_url": kelola_url("moderation:queue"),
                },
            )
            escalated += 1
    return escalated


def posts_recheck_unchecked() -> int:
    """Queue the automatic checks again for submitted posts still unchecked after
    POST_RECHECK_AFTER_MINUTES: their task was lost (Redis restarted without the queue, a worker
    killed past its retries). Posts whose photos are still being made wait for a later run (their
    photos' sweep comes first). Returns how many were queued."""
    cutoff = timezone.now() - timedelta(minutes=settings.POST_RECHECK_AFTER_MINUTES)
    busy = Image.objects.filter(
        post=OuterRef("pk"), status__in=[Image.Status.PENDING, Image.Status.PROCESSING]
    )
    submitter = (
        ModerationEvent.objects.filter(post=OuterRef("pk"), action=ModerationEvent.Action.SUBMITTED)
        .order_by("-created_at", "-pk")
        .values("actor_id")[:1]
    )
    unchecked = list(
        Post.objects.select_related("community")
        .filter(status=Post.Status.SUBMITTED, checks_done=False, submitted_at__lt=cutoff)
        .exclude(Exists(busy))
        .annotate(submitter_id=Subquery(submitter))
        .order_by("submitted_at")[:500]
    )
    submitters = User.objects.in_bulk({p.submitter_id for p in unchecked if p.submitter_id})
    for post in unchecked:
        # Whether a clean result publishes at once is decided as at submission: by the rights
        # the submitter holds (now, so one who lost them meanwhile no longer publishes).
        actor = submitters.get(post.submitter_id)
        _queue_checks(post.pk, actor is not None and can_publish_directly(actor, post.community))
    return len(unchecked)


# --- Reports from visitors -----------------------------------------------------------------------


def reporter_key(*, address: str) -> str:
    """A keyed hash of the reporting address: counts visitors, stores nobody's address.

    Only the address (kimportal.lib.client.client_address): a User-Agent costs nothing to change.
    """
    return keyed_hash("address", address)


def reporter_network_key(*, address: str) -> str:
    """A keyed hash of the address's /24 (IPv4) or /64 (IPv6): one person easily holds several
    addresses of one network, rarely addresses of several."""
    return keyed_hash("network", network_prefix(address))


@transaction.atomic
def report_create(*, post: Post, reason: str, details: str, address: str) -> Report:
    """A visitor's report from `address`; enough distinct networks hide the post."""
    if post.status != Post.Status.PUBLISHED:
        raise ValidationError(_("Tulisan ini tidak dapat dilaporkan."))
    key, network = reporter_key(address=address), reporter_network_key(address=address)
    hour_ago = timezone.now() - timedelta(hours=1)
    if Report.objects.filter(reporter_key=key, created_at__gte=hour_ago).count() >= (
        settings.REPORTS_PER_HOUR
    ):
        raise ValidationError(
            _("Anda sudah mengirim banyak laporan. Coba lagi dalam satu jam."), code="rate"
        )
    if Report.objects.filter(network_key=network, created_at__gte=hour_ago).count() >= (
        settings.REPORTS_PER_HOUR_NETWORK
    ):
        raise ValidationError(
            _("Sudah banyak laporan dari jaringan internet Anda. Coba lagi dalam satu jam."),
            code="rate",
        )
    if Report.objects.filter(post=post, reporter_key=key, resolved_at__isnull=True).exists():
        raise ValidationError(_("Anda sudah melaporkan tulisan ini. Terima kasih."), code="dup")
    report = Report.objects.create(
        community_id=post.community_id,
        post=post,
        reason=reason,
        details=details.strip()[:2000],
        reporter_key=key,
        network_key=network,
    )
    # Hiding needs distinct networks: addresses of one /24 or /64 count as one reporter.
    counts = Report.objects.filter(post=post, resolved_at__isnull=True).aggregate(
        reports=Count("pk"), networks=Count("network_key", distinct=True)
    )
    open_reports = counts["reports"]
    hide = counts["networks"] >= settings.REPORTS_TO_HIDE
    Post.objects.filter(pk=post.pk).update(open_reports=open_reports)
    _record(post, ModerationEvent.Action.REPORTED, None, reason, reason_code=reason)
    if hide and not post.hidden_by_reports:
        Post.objects.filter(pk=post.pk).update(hidden_by_reports=True)
        post.hidden_by_reports = True
        post_files_follow(post_ids=[post.pk])  # its photos leave the public storage
        _record(post, ModerationEvent.Action.HIDDEN, None, reports=open_reports)
    post.open_reports = open_reports
    return report


def _resolve_reports(post: Post) -> None:
    Report.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now())
    Post.objects.filter(pk=post.pk).update(open_reports=0)
    post.open_reports = 0


@transaction.atomic
def reports_dismiss(*, post: Post, actor: User, reason: str = "") -> Post:
    """The admin keeps the post up: reports are closed and the post is shown again."""
    _require_moderator(actor, post)
    _resolve_reports(post)
    Post.objects.filter(pk=post.pk).update(hidden_by_reports=False)
    post.hidden_by_reports = False
    post_files_follow(post_ids=[post.pk])  # its photos come back (unless the KIM is suspended)
    _record(post, ModerationEvent.Action.REPORTS_DISMISSED, actor, reason.strip())
    audit.record(actor, audit.Action.REPORTS_DISMISSED, post, reason=reason)
    return post


# --- Banned terms ------------------------------------------------------------------------------


@transaction.atomic
def banned_term_add(*, actor: User, term: str) -> BannedTerm:
    if not permissions.is_national_admin(actor):
        raise PermissionError("only national admins edit banned terms")
    term = " ".join(term.split()).lower()
    if not term:
        raise ValidationError(_("Isi kata yang akan ditandai."))
    banned, created = BannedTerm.objects.get_or_create(term=term, defaults={"created_by": actor})
    if created:
        audit.record(actor, audit.Action.BANNED_TERM_ADDED, banned)
    return banned


@transaction.atomic
def banned_term_remove(*, actor: User, term: BannedTerm) -> None:
    if not permissions.is_national_admin(actor):
        raise PermissionError("only national admins edit banned terms")
    audit.record(actor, audit.Action.BANNED_TERM_REMOVED, term)
    term.delete()


def post_public_url(post: Post) -> str:
    return subsite_url(post.community.slug, "kabar:detail", post.slug)
