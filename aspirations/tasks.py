"""Celery entry points for aspirations: take ids, re-read rows, call a service."""

from celery import shared_task

from aspirations import services
from kimportal.lib.renditions import STORAGE_RETRY


@shared_task(**STORAGE_RETRY)
def process_photo(aspirasi_id: int) -> str:
    """The stripped copy of an aspirasi's photo. Storage hiccups retry; a bad photo ends failed."""
    return services.aspirasi_photo_process(aspirasi_id=aspirasi_id)


@shared_task(**STORAGE_RETRY)
def follow_photo(aspirasi_id: int) -> bool:
    """Take the public copy of the photo down (or put it up) as the aspirasi's state says."""
    return services.aspirasi_photo_follow(aspirasi_id=aspirasi_id)


@shared_task(ignore_result=True)
def sweep_photos() -> int:
    """Every 5 minutes (beat): re-queue photos whose task was lost."""
    return services.aspirasi_photos_sweep()


@shared_task
def escalate_overdue() -> int:
    """Every hour (beat): flag aspirations untouched past ASPIRATION_DEADLINE_DAYS."""
    return services.aspirations_escalate_overdue()
