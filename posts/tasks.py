"""Celery entry points for posts: take ids, re-read rows, call a service."""

from celery import shared_task

from posts import images


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, ConnectionError, TimeoutError),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=5,
)
def process_image(image_id: int) -> str:
    """Make a photo's renditions. Storage hiccups retry with backoff; a bad photo ends failed."""
    return images.image_process(image_id=image_id)


@shared_task
def sweep_images() -> int:
    """Every few minutes (beat): re-queue photos whose task was lost."""
    return images.images_sweep()
