"""Retention of personal data (UU 27/2022): what kim.id deletes once its purpose has ended.

One service, `personal_data_purge`, run daily by beat (kimportal.tasks.purge_personal_data) and by
`manage.py purge_personal_data` (`--dry-run` counts without deleting). Each rule names the rows
whose personal data is no longer needed; they are walked by primary key in batches of BATCH (no
query reads an unbounded number of rows), each is checked again as it is purged (a sign-up edited
or an aspiration answered meanwhile is left alone), and files are deleted through the storage API
(disk now, an S3 bucket later). Safe to run twice or at once: a purged row matches no rule any
more, and deleting a file that is already gone is not an error. Only counts are logged.

Lives in kimportal, above the apps, because it reads several of them (communities, aspirations,
sign-in throttling, sessions); /privasi/ shows the same periods (`periods()`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from aspirations.models import Aspirasi
from communities.models import Community, Invitation, Member

log = logging.getLogger(__name__)

BATCH = 200

# Aspirations the queue has finished with: the sender's contact has done its work.
FINISHED_ASPIRATIONS = (
    Aspirasi.Status.ANSWERED,
    Aspirasi.Status.CLOSED,  # also those marked spam
    Aspirasi.Status.WITHDRAWN,
    Aspirasi.Status.MERGED,
)
# A photo whose stripped copy exists (or never will): the original upload, with whatever the
# sender's camera wrote into it (place, time, device), is no longer needed.
_PHOTO_DONE = (Aspirasi.PhotoStatus.READY, Aspirasi.PhotoStatus.FAILED)


@dataclass(frozen=True)
class Periods:
    """How long each kind of personal data is kept (the figures /privasi/ shows)."""

    rejected_signup_days: int
    aspiration_contact_days: int
    invitation_days: int
    sign_in_attempt_minutes: int
    session_days: int
    server_log_days: int


def periods() -> Periods:
    return Periods(
        rejected_signup_days=settings.RETENTION_REJECTED_SIGNUP_DAYS,
        aspiration_contact_days=settings.RETENTION_ASPIRATION_CONTACT_DAYS,
        invitation_days=settings.RETENTION_INVITATION_DAYS,
        sign_in_attempt_minutes=settings.LOGIN_COOLOFF_MINUTES,
        session_days=max(1, settings.SESSION_COOKIE_AGE // 86400),
        server_log_days=settings.RETENTION_SERVER_LOG_DAYS,
    )


# --- Sign-ups that never became a KIM ------------------------------------------------------------


def _signups(status: str, now: datetime) -> models.QuerySet:
    """Sign-ups in `status` untouched for RETENTION_REJECTED_SIGNUP_DAYS that still hold an SK
    scan or a roster phone number. Rejection saves the sign-up, and so does every edit of the
    applicant: the period runs from the later of the two."""
    cutoff = now - timedelta(days=settings.RETENTION_REJECTED_SIGNUP_DAYS)
    phones = Member.objects.filter(community=OuterRef("pk")).exclude(phone="")
    return Community.objects.filter(status=status, updated_at__lt=cutoff).filter(
        ~Q(sk_file="") | Exists(phones)
    )


def _purge_signups(candidates: models.QuerySet, pks: list[int]) -> int:
    done = 0
    for pk in pks:
        with transaction.atomic():
            # Locked and checked again: an applicant resubmitting now keeps their scan.
            community = candidates.select_for_update(of=("self",)).filter(pk=pk).first()
            if community is None:
                continue
            if community.sk_file:
                # The file first: if the storage fails, the field still names it for the next run.
                community.sk_file.storage.delete(community.sk_file.name)
                community.sk_file = ""
                community.save(update_fields=["sk_file"])
            Member.objects.filter(community_id=pk).exclude(phone="").update(phone="")
            done += 1
    return done


# --- Aspirations the queue has finished with -----------------------------------------------------

_CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "sender_key", "network_key")


def _aspirations(now: datetime) -> models.QuerySet:
    """Finished aspirations unchanged for RETENTION_ASPIRATION_CONTACT_DAYS that still hold the
    sender's contact, the keyed hashes of their address (needed only by the hourly send limit)
    or the original of their photo."""
    cutoff = now - timedelta(days=settings.RETENTION_ASPIRATION_CONTACT_DAYS)
    leftover = Q(photo__gt="", photo_status__in=_PHOTO_DONE)
    for field in _CONTACT_FIELDS:
        leftover |= ~Q(**{field: ""})
    return Aspirasi.objects.filter(status__in=FINISHED_ASPIRATIONS, updated_at__lt=cutoff).filter(
        leftover
    )


def _purge_aspirations(candidates: models.QuerySet, pks: list[int]) -> int:
    blank = dict.fromkeys(_CONTACT_FIELDS, "")
    # Without a photo to delete: one UPDATE, whose WHERE checks the rule again row by row.
    done = candidates.filter(pk__in=pks).exclude(photo__gt="", photo_status__in=_PHOTO_DONE)
    done = done.update(**blank)
    with_photo = candidates.filter(pk__in=pks, photo__gt="", photo_status__in=_PHOTO_DONE)
    for pk in with_photo.values_list("pk", flat=True):
        with transaction.atomic():
            aspirasi = candidates.select_for_update().filter(pk=pk).first()
            if aspirasi is None:
                continue
            fields = dict(blank)
            if aspirasi.photo and aspirasi.photo_status in _PHOTO_DONE:
                aspirasi.photo.storage.delete(aspirasi.photo.name)
                fields["photo"] = ""
            Aspirasi.objects.filter(pk=pk).update(**fields)
            done += 1
    return done


# --- Invitations, sign-in attempts, sessions -----------------------------------------------------


def _invitations(now: datetime) -> models.QuerySet:
    """Invitations never accepted, expired or revoked RETENTION_INVITATION_DAYS ago: the email
    address of someone who did not join."""
    cutoff = now - timedelta(days=settings.RETENTION_INVITATION_DAYS)
    return Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    )


def _sign_in_attempts(now: datetime) -> models.QuerySet:
    """Failed sign-ins (email tried, address, browser) older than the cool-off, past which the
    throttle no longer counts them. Axes drops them too, but only when someone signs in."""
    return AccessAttempt.objects.filter(
        attempt_time__lt=now - timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    )


def _session_model() -> type[models.Model] | None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store.get_model_class() if hasattr(store, "get_model_class") else None


def _sessions(now: datetime) -> models.QuerySet | None:
    """Sessions past their expiry date (who was signed in, a half-filled form). None where the
    session engine keeps no rows (signed cookies, a cache that expires them itself)."""
    model = _session_model()
    return model.objects.filter(expire_date__lt=now) if model else None


def _delete(candidates: models.QuerySet, pks: list) -> int:
    deleted = candidates.filter(pk__in=pks).delete()[1]
    return deleted.get(candidates.model._meta.label, 0)


# --- The service ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str  # the key of the counts (and of the log line)
    candidates: Callable[[datetime], models.QuerySet | None]  # None: nothing of the kind kept
    purge: Callable[[models.QuerySet, list], int]


RULES = (
    Rule(
        "signup_rejected",
        lambda now: _signups(Community.Status.REJECTED, now),
        _purge_signups,
    ),
    Rule("signup_abandoned", lambda now: _signups(Community.Status.DRAFT, now), _purge_signups),
    Rule("aspiration_contacts", _aspirations, _purge_aspirations),
    Rule("invitations", _invitations, _delete),
    Rule("sign_in_attempts", _sign_in_attempts, _delete),
    Rule("sessions", _sessions, _delete),
)


def _walk(candidates: models.QuerySet, purge: Callable[[models.QuerySet, list], int]) -> int:
    """Purge every candidate, BATCH primary keys at a time (keyset: each batch starts after the
    last key of the one before, so a row that cannot be purged now is never read twice)."""
    done, last = 0, None
    while True:
        batch = candidates.order_by("pk")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        pks = list(batch.values_list("pk", flat=True)[:BATCH])
        if not pks:
            return done
        done += purge(candidates, pks)
        last = pks[-1]


def personal_data_purge(*, dry_run: bool = False) -> dict[str, int]:
    """Delete the personal data whose retention period has ended; how many rows per rule.

    With `dry_run`, count the rows that would be purged and change nothing.
    """
    now = timezone.now()
    counts = {}
    for rule in RULES:
        candidates = rule.candidates(now)
        if candidates is None:
            counts[rule.name] = 0
        else:
            counts[rule.name] = candidates.count() if dry_run else _walk(candidates, rule.purge)
    log.info(
        "personal data purge%s: %s",
        " (dry run)" if dry_run else "",
        " ".join(f"{name}={count}" for name, count in counts.items()),
    )
    return counts
