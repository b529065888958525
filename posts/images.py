"""Writes for post photos: storing uploads, making renditions (on a worker), and the sweep.

Kept apart from posts/services.py because this is the part the Celery worker runs.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage  # noqa: F401 - tests patch it here
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from kimportal.lib import renditions as files
from kimportal.lib.renditions import WITHDRAWN_PREFIX  # templates and feeds import it from here
from kimportal.lib.storage import private_storage
from kimportal.outbox import enqueue
from posts import media
from posts.models import Image, PendingPhoto, Post

log = logging.getLogger(__name__)

MAX_PHOTOS = 10
MAX_ATTEMPTS = files.MAX_ATTEMPTS
STALE_AFTER = files.STALE_AFTER
# Photos moved per run of the community task before it queues the rest (bounded, resumable).
FOLLOW_BATCH = 200
# A photo kept from a refused first save of a post that was then never saved is swept after this.
PENDING_PHOTO_TTL = timedelta(days=1)


def _enqueue(image_id: int) -> None:
    enqueue("posts.tasks.process_image", image_id)


def image_add(*, post: Post, file: UploadedFile, caption: str = "", alt_text: str = "") -> Image:
    """Store an upload as it is and queue its processing; returns at once."""
    if post.images.count() >= MAX_PHOTOS:
        raise _too_many()
    if file.size > media.MAX_BYTES:
        raise _too_big()
    image = Image(
        community_id=post.community_id,
        post=post,
        caption=caption.strip(),
        alt_text=alt_text.strip(),
        sort_order=post.images.count(),
    )
    image.original.save(f"p{post.pk}.upload", file, save=False)
    image.save()
    _enqueue(image.pk)
    return image


def _too_many() -> ValidationError:
    return ValidationError(
        _("Satu tulisan paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}, code="too_many"
    )


def _too_big() -> ValidationError:
    return ValidationError(
        _("Foto lebih dari 15 MB. Kecilkan dulu lalu unggah ulang."), code="too_big"
    )


def image_replace(*, image: Image, file: UploadedFile) -> Image:
    """Swap a photo's upload (typically a failed one) without touching the post's other photos."""
    if file.size > media.MAX_BYTES:
        raise _too_big()
    old_original, old_renditions = image.original.name, image.renditions
    image.original.save(f"p{image.post_id}.upload", file, save=False)
    image.status = Image.Status.PENDING
    image.error = ""
    image.attempts = 0
    image.renditions = {}
    image.width = image.height = None
    image.placeholder = ""
    image.save()
    transaction.on_commit(lambda: _delete_files(old_original, old_renditions))
    _enqueue(image.pk)
    return image


def image_update(*, image: Image, caption: str, alt_text: str) -> Image:
    image.caption, image.alt_text = caption.strip(), alt_text.strip()
    image.save(update_fields=["caption", "alt_text", "updated_at"])
    return image


def image_remove(*, image: Image) -> None:
    original, renditions = image.original.name, image.renditions
    image.delete()
    transaction.on_commit(lambda: _delete_files(original, renditions))


def _delete_files(original: str, renditions: dict) -> None:
    if original:
        private_storage().delete(original)
    files.delete(renditions)


# --- Photos kept from a refused first save ------------------------------------------------------


def pending_photo_add(
    *, community: Community, owner, token: str, file: UploadedFile, caption: str, alt_text: str
) -> PendingPhoto:
    """Keep a chosen file, as it came, in the private storage (never served: it becomes an
    Image, and goes through the renditions pipeline, only when its post is saved)."""
    kept = PendingPhoto.objects.filter(community=community, owner=owner, token=token).count()
    if kept >= MAX_PHOTOS:
        raise _too_many()
    if file.size > media.MAX_BYTES:
        raise _too_big()
    pending = PendingPhoto(
        community=community,
        owner=owner,
        token=token,
        name=(file.name or "").rsplit("/", 1)[-1][:200],
        size=file.size,
        caption=caption.strip(),
        alt_text=alt_text.strip(),
    )
    pending.original.save("pending.upload", file, save=False)
    pending.save()
    return pending


def pending_photo_take(*, pending: PendingPhoto) -> bool:
    """Take a kept photo out of the holding area: its row now, its file once the transaction
    commits (a caller may still copy it meanwhile). False when another request took it first
    (a form sent twice): the conditional delete is the claim."""
    if not PendingPhoto.objects.filter(pk=pending.pk).delete()[0]:
        return False
    name = pending.original.name
    transaction.on_commit(lambda: _delete_files(name, {}))
    return True


def pending_photos_sweep() -> int:
    """Delete the photos kept for posts that were never saved (beat, with images_sweep).
    Returns how many."""
    cutoff = timezone.now() - PENDING_PHOTO_TTL
    swept = 0
    for pending in PendingPhoto.objects.filter(created_at__lt=cutoff).order_by("pk")[:500]:
        with transaction.atomic():
            swept += pending_photo_take(pending=pending)
    return swept


# A rendition's address cannot be guessed from ids (a draft's photo stays unseen until it is
# published): r/<community>/<random token>/<width>.<ext>.
RENDITION_PREFIX = "r"
rendition_token = files.new_token


def rendition_path(image: Image, width: int, fmt: str, token: str) -> str:
    return files.path(RENDITION_PREFIX, image.community_id, token, width, fmt)


def image_process(*, image_id: int) -> str:
    """Make the missing renditions of one photo. Safe to run twice, or after a killed run.

    Returns what happened ("ready", "failed", "skipped"). Storage errors propagate after the
    photo is put back to pending, so the task's retry can claim it again.
    """
    if not files.claim(Image, image_id):
        return "skipped"
    image = Image.objects.select_related("post", "community").get(pk=image_id)
    if files.give_up(image, _("Foto gagal diproses berulang kali. Unggah ulang foto ini.")):
        return "failed"
    outcome = files.make(
        image,
        render=media.render,
        prefix=RENDITION_PREFIX,
        owner_id=image.community_id,
        public=files_public(image.post, image.community),
        processing_started_at=None,
    )
    if outcome == "failed":
        return outcome
    # The post may have been taken down (or its KIM suspended) while this photo was waiting.
    image_follow_post(image_id=image.pk)
    return outcome


def images_sweep() -> int:
    """Re-queue photos whose task was lost (worker killed, Redis restarted). Returns how many."""
    ids = list(
        Image.objects.filter(files.stuck(Image, pending_since="updated_at")).values_list(
            "pk", flat=True
        )[:500]
    )
    for image_id in ids:
        enqueue("posts.tasks.process_image", image_id)
    return len(ids)


# --- Files follow their post -------------------------------------------------------------------
#
# A rendition is public only while its post and its KIM are (the files of one that is not live in
# the private storage under WITHDRAWN_PREFIX). Every change of that (take down,
# hidden by reports, reports dismissed, KIM suspended or reinstated) queues one task that puts the
# files where the post's *current* state says, so a withdraw and a restore queued close together
# end right whatever order they run in, and running a task twice moves nothing the second time.


def _files_public(*, status: str, published_at, hidden: bool, community_status: str) -> bool:
    if community_status != Community.Status.VERIFIED or hidden:
        return False
    if status in (Post.Status.PUBLISHED, Post.Status.SCHEDULED):
        return True
    # Off the air. A post that never was on air keeps its files (the editor and the moderation
    # queue show them) at paths nobody can guess; one that was (taken down, or sent back to the
    # queue by a flagged edit) has addresses people have seen, so its files go.
    return published_at is None and status != Post.Status.TAKEN_DOWN


def files_public(post: Post, community: Community) -> bool:
    """May this post's renditions be served from the public storage?"""
    return _files_public(
        status=post.status,
        published_at=post.published_at,
        hidden=post.hidden_by_reports,
        community_status=community.status,
    )


def image_follow_post(*, image_id: int) -> bool:
    """Put one photo's renditions in the storage its post's state asks for. Returns whether
    anything moved. The row lock keeps two tasks (withdraw, restore) off the same photo."""
    image, public, moved = files.follow_row(
        Image,
        image_id,
        related=("post", "community"),
        public_of=lambda row: files_public(row.post, row.community),
    )
    if not moved:
        return False
    log.info(
        "renditions of image %s (community %s) %s",
        image.pk,
        image.community_id,
        "restored" if public else "withdrawn",
    )
    return True


def _ids_to_move(images) -> list[int]:
    rows = images.values_list(
        "pk",
        "renditions",
        "post__status",
        "post__published_at",
        "post__hidden_by_reports",
        "community__status",
    )
    return [
        pk
        for pk, renditions, status, published_at, hidden, community_status in rows
        if files.needs_move(
            renditions or {},
            public=_files_public(
                status=status,
                published_at=published_at,
                hidden=hidden,
                community_status=community_status,
            ),
        )
    ]


def images_follow_posts(*, post_ids: list[int]) -> int:
    """Make the files of these posts follow their state (worker). Returns photos moved."""
    candidates = _ids_to_move(Image.objects.filter(post_id__in=post_ids).order_by("pk"))
    return sum(image_follow_post(image_id=pk) for pk in candidates)


def images_follow_community(*, community_id: int, after_pk: int = 0) -> int:
    """One batch of a KIM's photos (worker): moves up to FOLLOW_BATCH of them, then queues the
    rest from where it stopped. Photos already in place cost no storage call, so a re-run after
    a killed worker goes straight to the ones left."""
    moved = 0
    last_pk = after_pk
    scan = Image.objects.filter(community_id=community_id, pk__gt=after_pk).order_by("pk")
    while moved < FOLLOW_BATCH:
        chunk = list(scan.filter(pk__gt=last_pk).values_list("pk", flat=True)[:FOLLOW_BATCH])
        if not chunk:
            return moved
        for pk in _ids_to_move(Image.objects.filter(pk__in=chunk).order_by("pk")):
            moved += image_follow_post(image_id=pk)
        last_pk = chunk[-1]
    enqueue("posts.tasks.follow_community_files", community_id, last_pk)
    return moved


def post_files_follow(*, post_ids: list[int]) -> None:
    """After the current transaction: move these posts' renditions out of (or back into) the
    public storage, as their state now says. Call it wherever a post's public state changes."""
    enqueue("posts.tasks.follow_post_files", list(post_ids))


def community_files_follow(*, community_id: int) -> None:
    """After the current transaction: the same for every photo of a KIM (suspend, reinstate)."""
    enqueue("posts.tasks.follow_community_files", community_id, 0)


# --- Renditions made before paths carried a token ------------------------------------------------


def _is_legacy_path(image_pk: int, recorded: str) -> bool:
    return recorded.removeprefix(WITHDRAWN_PREFIX).split("/")[2:3] == [str(image_pk)]


def _is_legacy(image_pk: int, renditions: dict) -> bool:
    return any(_is_legacy_path(image_pk, recorded) for recorded in files.paths(renditions))


def image_retoken(*, image_id: int) -> bool:
    """Move renditions stored at `r/<kim>/<image id>/…` (guessable) to a fresh token folder, in
    whichever storage they are. Returns whether anything moved; safe to run twice."""
    with transaction.atomic():
        image = Image.objects.select_for_update().filter(pk=image_id).first()
        if image is None or not _is_legacy(image.pk, image.renditions):
            return False
        token = rendition_token()
        renditions = {width: dict(entry) for width, entry in image.renditions.items()}
        for width, entry in renditions.items():
            for fmt in files.FORMATS:
                path = entry.get(fmt)
                if path and _is_legacy_path(image.pk, path):
                    prefix = WITHDRAWN_PREFIX if files.is_withdrawn(path) else ""
                    new_path = prefix + rendition_path(image, int(width), fmt, token)
                    entry[fmt] = files.relocate(path, new_path)
        Image.objects.filter(pk=image.pk).update(renditions=renditions)
    return True


def images_secure_existing(*, batch: int = 500) -> tuple[int, int]:
    """The one-off after deploying unguessable paths (`manage.py renditions_secure`): move every
    legacy rendition to a token folder, then withdraw the files of posts that are not public.
    Returns (photos moved to a token folder, photos withdrawn or restored). Resumable."""
    retokened = followed = 0
    last_pk = 0
    while True:
        rows = list(
            Image.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "renditions")[:batch]
        )
        if not rows:
            break
        for pk, renditions in rows:
            if _is_legacy(pk, renditions or {}):
                retokened += image_retoken(image_id=pk)
        for pk in _ids_to_move(Image.objects.filter(pk__in=[pk for pk, _r in rows])):
            followed += image_follow_post(image_id=pk)
        last_pk = rows[-1][0]
    return retokened, followed
