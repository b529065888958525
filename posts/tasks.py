"""Celery entry points for posts: take ids, re-read rows, call a service."""

from celery import shared_task

from kimportal.lib.renditions import STORAGE_RETRY
from posts import images


@shared_task(**STORAGE_RETRY)
def process_image(image_id: int) -> str:
    """Make a photo's renditions. Storage hiccups retry with backoff; a bad photo ends failed."""
    return images.image_process(image_id=image_id)


@shared_task
def sweep_images() -> int:
    """Every few minutes (beat): re-queue photos whose task was lost, and delete the photos
    kept for a post that was never saved (past images.PENDING_PHOTO_TTL)."""
    images.pending_photos_sweep()
    return images.images_sweep()


@shared_task(bind=True, acks_late=True, max_retries=40)
def check_post(self, post_id: int, publish_if_clean: bool) -> dict | None:
    """Automatic checks of a submitted post; waits (retries) while its photos are processed."""
    from posts.services import post_run_checks

    checks = post_run_checks(post_id=post_id, publish_if_clean=publish_if_clean)
    if checks is None and not self.request.is_eager:
        raise self.retry(countdown=min(5 * (self.request.retries + 1), 60))
    return checks


@shared_task
def publish_due() -> int:
    """Every minute (beat): publish scheduled posts whose time has come."""
    from posts.services import posts_publish_due

    return posts_publish_due()


@shared_task
def escalate_overdue() -> int:
    """Every 15 minutes (beat): escalate queue items past the moderation deadline."""
    from posts.services import posts_escalate_overdue

    return posts_escalate_overdue()


# Moving a KIM's files may meet a longer storage outage than one photo's processing.
_FOLLOW_RETRY = {**STORAGE_RETRY, "max_retries": 8}


@shared_task(**_FOLLOW_RETRY)
def follow_post_files(post_ids: list[int]) -> int:
    """Move these posts' renditions out of or back into public storage, as their state says."""
    return images.images_follow_posts(post_ids=post_ids)


@shared_task(**_FOLLOW_RETRY)
def follow_community_files(community_id: int, after_pk: int = 0) -> int:
    """The same for a KIM's photos, a batch at a time (suspend, reinstate)."""
    return images.images_follow_community(community_id=community_id, after_pk=after_pk)


@shared_task(acks_late=True)
def check_revision(revision_id: int) -> dict | None:
    """Automatic checks of a pending revision of a post on air (safe to run twice)."""
    from posts.services import revision_run_checks

    return revision_run_checks(revision_id=revision_id)


@shared_task(acks_late=True)
def check_post_edit(post_id: int) -> dict | None:
    """Checks again a post on air that a direct publisher edited (safe to run twice)."""
    from posts.services import post_run_edit_checks

    return post_run_edit_checks(post_id=post_id)


@shared_task
def recheck_unchecked() -> int:
    """Every 5 minutes (beat): queue again the checks of submitted posts left unchecked."""
    from posts.services import posts_recheck_unchecked

    return posts_recheck_unchecked()
