"""Writes for post photos: storing uploads, making renditions (on a worker), and the sweep.

Kept apart from posts/services.py because this is the part the Celery worker runs.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kimportal.outbox import enqueue
from posts import media
from posts.models import Image, Post

log = logging.getLogger(__name__)

MAX_PHOTOS = 10
MAX_ATTEMPTS = 3
# A photo still "processing" after this long lost its worker; the sweep hands it out again.
STALE_AFTER = timedelta(minutes=10)
# A photo still "pending" after this long missed its task (broker outage); the sweep re-queues it.
PENDING_GRACE = timedelta(minutes=2)


def _enqueue(image_id: int) -> None:
    enqueue("posts.tasks.process_image", image_id)


def image_add(*, post: Post, file: UploadedFile, caption: str = "", alt_text: str = "") -> Image:
    """Store an upload as it is and queue its processing; returns at once."""
    if post.images.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("Satu tulisan paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}, code="too_many"
        )
    if file.size > media.MAX_BYTES:
        raise ValidationError(
            _("Foto lebih dari 15 MB. Kecilkan dulu lalu unggah ulang."), code="too_big"
        )
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


def image_replace(*, image: Image, file: UploadedFile) -> Image:
    """Swap a photo's upload (typically a failed one) without touching the post's other photos."""
    if file.size > media.MAX_BYTES:
        raise ValidationError(
            _("Foto lebih dari 15 MB. Kecilkan dulu lalu unggah ulang."), code="too_big"
        )
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
    from communities.models import private_storage

    if original:
        private_storage().delete(original)
    for sizes in renditions.values():
        for key in ("webp", "jpeg"):
            if sizes.get(key):
                default_storage.delete(sizes[key])


def rendition_path(image: Image, width: int, fmt: str) -> str:
    ext = "jpg" if fmt == "jpeg" else fmt
    return f"r/{image.community_id}/{image.pk}/{width}.{ext}"


def _claim(image_id: int) -> bool:
    """Take a photo for processing unless it is done or another worker has it (conditional
    update: two workers never process the same photo at once)."""
    now = timezone.now()
    return bool(
        Image.objects.filter(pk=image_id)
        .filter(
            Q(status=Image.Status.PENDING)
            | Q(status=Image.Status.PROCESSING, processing_started_at__lt=now - STALE_AFTER)
        )
        .update(
            status=Image.Status.PROCESSING,
            processing_started_at=now,
            attempts=F("attempts") + 1,
        )
    )


def _fail(image: Image, message: str) -> None:
    Image.objects.filter(pk=image.pk).update(
        status=Image.Status.FAILED, error=message[:200], processing_started_at=None
    )


def image_process(*, image_id: int) -> str:
    """Make the missing renditions of one photo. Safe to run twice, or after a killed run.

    Returns what happened ("ready", "failed", "skipped"). Storage errors propagate after the
    photo is put back to pending, so the task's retry can claim it again.
    """
    if not _claim(image_id):
        return "skipped"
    image = Image.objects.get(pk=image_id)
    if image.attempts > MAX_ATTEMPTS:
        _fail(image, _("Foto gagal diproses berulang kali. Unggah ulang foto ini."))
        return "failed"
    try:
        with image.original.open("rb") as original:
            data = original.read()
    except Exception:
        Image.objects.filter(pk=image.pk).update(status=Image.Status.PENDING)
        raise
    try:
        result = media.render(data)
    except media.RejectedImage as exc:
        _fail(image, str(exc))
        return "failed"
    except Exception:  # noqa: BLE001 - a poison photo is recorded, never retried forever
        log.exception("rendering image %s of community %s failed", image.pk, image.community_id)
        _fail(image, _("Foto ini tidak dapat diproses. Coba unggah foto lain."))
        return "failed"

    renditions = dict(image.renditions)
    try:
        for rendition in result.renditions:
            entry = renditions.setdefault(str(rendition.width), {"height": rendition.height})
            if entry.get(rendition.fmt):
                continue  # made by an earlier, interrupted run
            path = rendition_path(image, rendition.width, rendition.fmt)
            if default_storage.exists(path):  # a half-written file from a killed run
                default_storage.delete(path)
            entry[rendition.fmt] = default_storage.save(path, ContentFile(rendition.data))
            Image.objects.filter(pk=image.pk).update(renditions=renditions)
    except Exception:
        Image.objects.filter(pk=image.pk).update(status=Image.Status.PENDING)
        raise
    Image.objects.filter(pk=image.pk).update(
        status=Image.Status.READY,
        error="",
        renditions=renditions,
        width=result.width,
        height=result.height,
        placeholder=result.placeholder,
        processing_started_at=None,
    )
    return "ready"


def images_sweep() -> int:
    """Re-queue photos whose task was lost (worker killed, Redis restarted). Returns how many."""
    now = timezone.now()
    stuck = Image.objects.filter(
        Q(status=Image.Status.PENDING, updated_at__lt=now - PENDING_GRACE)
        | Q(status=Image.Status.PROCESSING, processing_started_at__lt=now - STALE_AFTER)
    ).values_list("pk", flat=True)[:500]
    ids = list(stuck)
    for image_id in ids:
        enqueue("posts.tasks.process_image", image_id)
    return len(ids)
