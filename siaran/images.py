"""Siaran photos: renditions made on a worker by kimportal.lib.images (EXIF stripped), and the
files following their siaran (public unless it is withdrawn).

The rendering is the same pure pipeline as post photos, and the storage bookkeeping the same
kimportal.lib.renditions; only the rules of when and whose are ours. Files live at
s/<siaran>/<token>/<width>.<ext> (under WITHDRAWN_PREFIX in the private storage when withdrawn).
"""

from django.utils.translation import gettext as _

from kimportal.lib import images as pipeline
from kimportal.lib import renditions as files
from kimportal.outbox import enqueue
from siaran.models import Siaran, SiaranImage

RENDITION_PREFIX = "s"


def image_process(*, image_id: int) -> str:
    """Make the missing renditions of one photo. Safe to run twice (a ready photo is skipped), or
    after a killed run (finished in the same folder). Storage errors propagate after the photo is
    put back to pending, for the task's retry or the sweep."""
    if not files.claim(SiaranImage, image_id):
        return "skipped"
    image = SiaranImage.objects.select_related("siaran").get(pk=image_id)
    if files.give_up(image, _("Foto gagal diproses berulang kali.")):
        return "failed"
    outcome = files.make(
        image,
        render=pipeline.render,
        prefix=RENDITION_PREFIX,
        owner_id=image.siaran_id,
        public=_files_public(image.siaran),
        processing_started_at=None,
    )
    if outcome == "failed":
        return outcome
    # The siaran may have been withdrawn (or restored) while this photo was being made.
    _image_follow(image.pk)
    image.siaran.bump_pages()
    return outcome


def _files_public(siaran: Siaran) -> bool:
    return siaran.status != Siaran.Status.WITHDRAWN


def _image_follow(image_id: int) -> int:
    """Put one photo's renditions where its siaran's status says; returns files moved."""
    _row, _public, moved = files.follow_row(
        SiaranImage, image_id, related=("siaran",), public_of=lambda row: _files_public(row.siaran)
    )
    return moved


def files_follow(*, siaran_id: int) -> int:
    """Put the siaran's renditions where its status says. Safe to run twice. Returns moves.
    Only photos with a file out of place are locked and moved (as posts do)."""
    siaran = Siaran.objects.filter(pk=siaran_id).first()
    if siaran is None:
        return 0
    public = _files_public(siaran)
    rows = SiaranImage.objects.filter(siaran=siaran).exclude(renditions={})
    return sum(
        _image_follow(pk)
        for pk, renditions in rows.values_list("pk", "renditions")
        if files.needs_move(renditions, public=public)
    )


def images_sweep() -> int:
    """Re-queue photos whose task was lost (broker outage) or whose worker was killed."""
    stuck = SiaranImage.objects.filter(files.stuck(SiaranImage, pending_since="created_at"))
    ids = list(stuck.values_list("pk", flat=True)[:200])
    for image_id in ids:
        enqueue("siaran.tasks.process_image", image_id)
    return len(ids)
