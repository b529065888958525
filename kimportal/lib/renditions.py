"""Where photo renditions are kept, and how they move between the public and the private storage.

The storage bookkeeping every photo pipeline shares (post photos, siaran photos, the public copy
of an aspirasi's photo); the pixels are kimportal.lib.images' business. Nothing here imports an
app (a photo row is handled by the fields posts.Image and siaran.SiaranImage share): WHEN a
photo's files are public is each app's rule, passed in as `public`.

A rendition lives at `<prefix>/<owner id>/<token>/<width>.<ext>`: in the public storage while its
photo is public, in the private one under WITHDRAWN_PREFIX otherwise. The recorded path carries
the prefix, so every reader knows where a file is without asking a storage. The token (16 random
bytes) makes an address unguessable from ids; the renditions made by one processing of one photo
share it, so a killed run is finished in the same folder.

The rules a killed worker must not break:
- a file is written under exactly the name asked for (a half-written one is replaced, not kept
  beside a renamed copy), and recorded after each file, so a rerun makes only what is missing;
- a move copies, then deletes the source, then (the caller) records: a run killed anywhere leaves
  the file in one storage or both, never neither, and the next run finishes the move.
"""

import base64
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from kimportal.lib.images import RejectedImage, Rendition, Result
from kimportal.lib.storage import private_storage

log = logging.getLogger(__name__)

# A photo still "processing" after this long lost its worker; the sweep hands it out again.
STALE_AFTER = timedelta(minutes=10)
# A photo still "pending" after this long missed its task (broker outage); the sweep re-queues it.
PENDING_GRACE = timedelta(minutes=2)
# Runs of one photo that end without an outcome (a worker killed by it, say) before it is failed.
MAX_ATTEMPTS = 3

WITHDRAWN_PREFIX = "withdrawn/"
FORMATS = ("webp", "jpeg")
# secrets.token_urlsafe(16); a shorter third segment is an id (paths made before tokens).
TOKEN_LENGTH = 22

# Celery options of a task that reads or writes these files: storage hiccups retry with backoff,
# and a task whose worker was killed is delivered again (every step here is safe to repeat).
STORAGE_RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OSError, ConnectionError, TimeoutError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def new_token() -> str:
    """The folder of one processing of one photo."""
    return secrets.token_urlsafe(16)


def derived_token(seed: str) -> str:
    """A token fixed by `seed` but unguessable without SECRET_KEY: for a file whose name is not
    recorded before it is written, so that a rerun overwrites it rather than leaving an orphan."""
    digest = salted_hmac("kimportal.renditions", seed, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def path(prefix: str, owner_id: int, token: str, width: int, fmt: str) -> str:
    ext = "jpg" if fmt == "jpeg" else fmt
    return f"{prefix}/{owner_id}/{token}/{width}.{ext}"


def paths(renditions: dict) -> Iterator[str]:
    """Every file recorded in a renditions dict ({width: {"height": h, fmt: path}})."""
    for entry in renditions.values():
        for fmt in FORMATS:
            if entry.get(fmt):
                yield entry[fmt]


def token_of(renditions: dict) -> str:
    """The token of renditions already made, or "" (none yet, or made before paths had one)."""
    for recorded in paths(renditions):
        parts = recorded.removeprefix(WITHDRAWN_PREFIX).split("/")
        if len(parts) == 4 and len(parts[2]) >= TOKEN_LENGTH:
            return parts[2]
    return ""


def is_withdrawn(recorded: str) -> bool:
    return recorded.startswith(WITHDRAWN_PREFIX)


def storage_of(recorded: str) -> Storage:
    return private_storage() if is_withdrawn(recorded) else default_storage


def write(storage: Storage, name: str, data: bytes) -> str:
    """Save `data` under exactly `name`, replacing a half-written file a killed run left there
    (save() would pick another name and keep it)."""
    storage.delete(name)
    return storage.save(name, ContentFile(data))


def save(
    made: Iterable[Rendition],
    *,
    prefix: str,
    owner_id: int,
    public: bool,
    existing: dict,
    record: Callable[[dict], object],
) -> dict:
    """Store the renditions `existing` lacks, in the storage `public` names, and return the full
    renditions dict. `record(renditions)` is called after each file, so a killed run is finished
    by the next one in the same folder, making only what is missing."""
    renditions = {width: dict(entry) for width, entry in existing.items()}
    token = token_of(renditions) or new_token()
    storage = default_storage if public else private_storage()
    for rendition in made:
        entry = renditions.setdefault(str(rendition.width), {"height": rendition.height})
        if entry.get(rendition.fmt):
            continue  # made by an earlier, interrupted run
        name = path(prefix, owner_id, token, rendition.width, rendition.fmt)
        if not public:
            name = WITHDRAWN_PREFIX + name
        entry[rendition.fmt] = write(storage, name, rendition.data)
        record(renditions)
    return renditions


def make(
    image,
    *,
    render: Callable[[bytes], Result],
    prefix: str,
    owner_id: int,
    public: bool,
    **finished,
) -> str:
    """The work of a worker that has claimed one photo row (a model with posts.Image's fields:
    original, status, error, renditions, width, height, placeholder): read the original, render
    it, store the missing renditions. Returns "ready" or "failed"; `finished` are more fields to
    set when the work ends either way.

    A poison image (rejected, or crashing the decoder) is recorded as failed, never retried. A
    storage error puts the row back to pending and propagates, for the task's retry or the
    sweep; the next run finishes in the same folder."""
    status = type(image).Status
    rows = type(image)._default_manager.filter(pk=image.pk)
    try:
        with image.original.open("rb") as handle:
            data = handle.read()
        try:
            result = render(data)
        except RejectedImage as exc:
            rows.update(status=status.FAILED, error=str(exc)[:200], **finished)
            return "failed"
        except Exception:  # noqa: BLE001 - a poison photo is recorded, never retried forever
            log.exception("rendering photo %s of %s/%s failed", image.pk, prefix, owner_id)
            message = _("Foto ini tidak dapat diproses. Coba unggah foto lain.")
            rows.update(status=status.FAILED, error=message, **finished)
            return "failed"
        renditions = save(
            result.renditions,
            prefix=prefix,
            owner_id=owner_id,
            public=public,
            existing=image.renditions,
            record=lambda done: rows.update(renditions=done),
        )
    except Exception:
        rows.update(status=status.PENDING)
        raise
    rows.update(
        status=status.READY,
        error="",
        renditions=renditions,
        width=result.width,
        height=result.height,
        placeholder=result.placeholder,
        **finished,
    )
    return "ready"


def delete(renditions: dict) -> None:
    for recorded in paths(renditions):
        storage_of(recorded).delete(recorded)


def move(recorded: str, *, to_public: bool) -> str:
    """Move one file between the public and the private storage; returns its new path."""
    bare = recorded.removeprefix(WITHDRAWN_PREFIX)
    return relocate(recorded, bare if to_public else WITHDRAWN_PREFIX + bare)


def relocate(recorded: str, new_path: str) -> str:
    """Move one file to `new_path` (the storage of each follows its prefix): copy, then delete
    the source; the caller records the returned path. Safe to repeat after a kill anywhere."""
    if new_path == recorded:
        return recorded
    source, target = storage_of(recorded), storage_of(new_path)
    if source.exists(recorded):
        with source.open(recorded, "rb") as handle:
            data = handle.read()
        new_path = write(target, new_path, data)  # over a partial copy from a killed run
        source.delete(recorded)
    elif not target.exists(new_path):
        log.warning("rendition %s is in neither storage; recording it as moved", recorded)
    return new_path


def needs_move(renditions: dict, *, public: bool) -> bool:
    return any(is_withdrawn(recorded) == public for recorded in paths(renditions))


def follow(renditions: dict, *, public: bool) -> tuple[dict, int]:
    """Move every file that is not where `public` says. Returns the renditions to record and how
    many files moved (0: nothing to record, no storage was asked)."""
    followed = {width: dict(entry) for width, entry in renditions.items()}
    moved = 0
    for entry in followed.values():
        for fmt in FORMATS:
            recorded = entry.get(fmt)
            if recorded and is_withdrawn(recorded) == public:
                entry[fmt] = move(recorded, to_public=public)
                moved += 1
    return followed, moved


# --- Photo rows (posts.Image, siaran.SiaranImage: status, processing_started_at, attempts,
# renditions) ------------------------------------------------------------------------------------


def claim(model, pk: int) -> bool:
    """Take a photo row for processing unless it is done or another worker has it (conditional
    update: two workers never make the same photo at once); one still processing after
    STALE_AFTER lost its worker and is taken again. Each claim counts an attempt."""
    now = timezone.now()
    status = model.Status
    return bool(
        model._default_manager.filter(pk=pk)
        .filter(
            Q(status=status.PENDING)
            | Q(status=status.PROCESSING, processing_started_at__lt=now - STALE_AFTER)
            | Q(status=status.PROCESSING, processing_started_at__isnull=True)
        )
        .update(status=status.PROCESSING, processing_started_at=now, attempts=F("attempts") + 1)
    )


def give_up(row, message: str) -> bool:
    """Record a photo whose runs keep ending without an outcome (a worker killed by it, say) as
    failed once it has been claimed more than MAX_ATTEMPTS times. Returns whether it did."""
    if row.attempts <= MAX_ATTEMPTS:
        return False
    type(row)._default_manager.filter(pk=row.pk).update(
        status=type(row).Status.FAILED, error=message[:200], processing_started_at=None
    )
    return True


def stuck(model, *, pending_since: str) -> Q:
    """Photo rows whose task was lost: pending for PENDING_GRACE after `pending_since` (a
    timestamp field), or processing after STALE_AFTER (their worker died)."""
    now = timezone.now()
    status = model.Status
    return Q(status=status.PENDING, **{f"{pending_since}__lt": now - PENDING_GRACE}) | Q(
        status=status.PROCESSING, processing_started_at__lt=now - STALE_AFTER
    )


def follow_row(model, pk: int, *, related: tuple[str, ...], public_of: Callable) -> tuple:
    """Put one photo row's files where `public_of(row)` says, under a row lock (so a follow and a
    processing run never record over each other). Returns (row or None, public, files moved)."""
    with transaction.atomic():
        row = (
            model._default_manager.select_for_update(of=("self",))
            .select_related(*related)
            .filter(pk=pk)
            .first()
        )
        if row is None:
            return None, False, 0
        public = public_of(row)
        renditions, moved = follow(row.renditions, public=public)
        if moved:
            model._default_manager.filter(pk=pk).update(renditions=renditions)
    return row, public, moved
