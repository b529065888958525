"""Celery entry points for siaran: take ids, re-read rows, call a service; safe to run twice."""

from celery import shared_task

from kimportal.lib.renditions import STORAGE_RETRY
from siaran import images, services


@shared_task(**STORAGE_RETRY)
def process_image(image_id: int) -> str:
    return images.image_process(image_id=image_id)


@shared_task(**STORAGE_RETRY)
def follow_files(siaran_id: int) -> int:
    return images.files_follow(siaran_id=siaran_id)


@shared_task(acks_late=True)
def send_reminders(reminder_id: int) -> int:
    return services.reminders_send(reminder_id=reminder_id)


@shared_task(acks_late=True)
def send_digests() -> int:
    """Daily (beat): each live KIM's admins get the siaran new in its inbox."""
    return services.digests_send()


@shared_task
def sweep_images() -> int:
    return images.images_sweep()
