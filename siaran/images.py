"""Siaran photos: renditions made on a worker by kimportal.lib.images (EXIF stripped), and the
files following their siaran (public unless it is withdrawn).

The rendering is the same pure pipeline as post photos; only the bookkeeping is ours.
"""

import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils.translation import gettext as _

from kimportal.lib import images as pipeline
from kimportal.lib.storage import private_storage
from kimportal.outbox import enqueue
from siaran.models import Siaran, SiaranImage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
FORMATS = ("webp", "jpeg")
# Renditions of a withdrawn siaran live in the private storage under this prefix (as posts do).
WITHDRAWN_PREFIX = "withdrawn/"


def image_process(*, image_id: int) -> str:
    """Make the renditions of one photo. Safe to run twice (a ready photo is skipped)."""
    claimed = SiaranImage.objects.filter(
        pk=image_id, status__in=[SiaranImage.Status.PENDING, SiaranImage.Status.PROCESSING]
    ).update(status=SiaranImage.Status.PROCESSING, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    image = SiaranImage.objects.select_related("siaran").get(pk=image_id)
    if image.attempts > MAX_ATTEMPTS:
        SiaranImage.objects.filter(pk=image.pk).update(
            status=SiaranImage.Status.FAILED, error=_("Foto gagal diproses berulang kali.")
        )
        return "failed"
    with image.original.open("rb") as handle:
        data = handle.read()
    try:
        result = pipeline.render(data)
    except pipeline.RejectedImage as exc:
        SiaranImage.objects.filter(pk=image.pk).update(
            status=SiaranImage.Status.FAILED, error=str(exc)[:200]
        )
        return "failed"
    token = secrets.token_urlsafe(16)  # unguessable folder, like post renditions
    public = _files_public(image.siaran)
    storage = default_storage if public else private_storage()
    renditions: dict = {}
    for rendition in result.renditions:
        ext = "jpg" if rendition.fmt == "jpeg" else rendition.fmt
        path = f"s/{image.siaran_id}/{token}/{rendition.width}.{ext}"
        if not public:
            path = WITHDRAWN_PREFIX + path
        entry = renditions.setdefault(str(rendition.width), {"height": rendition.height})
        entry[rendition.fmt] = storage.save(path, ContentFile(rendition.data))
    SiaranImage.objects.filter(pk=image.pk).update(
        status=SiaranImage.Status.READY,
        renditions=renditions,
        width=result.width,
        height=result.height,
        placeholder=result.placeholder,
        error="",
    )
    image.siaran.bump_pages()
    return "ready"


def _files_public(siaran: Siaran) -> bool:
    return siaran.status != Siaran.Status.WITHDRAWN


def _move(path: str, *, to_public: bool) -> str:
    """Copy a file between the storages, then delete the source; returns its new path."""
    if to_public:
        source, target, new_path = (
            private_storage(),
            default_storage,
            path.removeprefix(WITHDRAWN_PREFIX),
        )
    else:
        source, target, new_path = default_storage, private_storage(), WITHDRAWN_PREFIX + path
    if source.exists(path):
        with source.open(path, "rb") as handle:
            data = handle.read()
        target.delete(new_path)
        new_path = target.save(new_path, ContentFile(data))
        source.delete(path)
    return new_path


def files_follow(*, siaran_id: int) -> int:
    """Put the siaran's renditions where its status says. Safe to run twice. Returns moves."""
    siaran = Siaran.objects.filter(pk=siaran_id).first()
    if siaran is None:
        return 0
    public = _files_public(siaran)
    moved = 0
    for image in SiaranImage.objects.filter(siaran=siaran).exclude(renditions={}):
        renditions = {width: dict(entry) for width, entry in image.renditions.items()}
        for entry in renditions.values():
            for fmt in FORMATS:
                path = entry.get(fmt)
                if path and path.startswith(WITHDRAWN_PREFIX) == public:
                    entry[fmt] = _move(path, to_public=public)
                    moved += 1
        SiaranImage.objects.filter(pk=image.pk).update(renditions=renditions)
    return moved


def images_sweep() -> int:
    """Re-queue photos whose task was lost."""
    ids = list(
        SiaranImage.objects.filter(Q(status=SiaranImage.Status.PENDING)).values_list(
            "pk", flat=True
        )[:200]
    )
    for image_id in ids:
        enqueue("siaran.tasks.process_image", image_id)
    return len(ids)
