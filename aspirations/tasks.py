"""Celery entry points for aspirations: take ids, re-read rows, call a service."""

from celery import shared_task

from aspirations import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, ConnectionError, TimeoutError),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=5,
)
def process_photo(aspirasi_id: int) -> str:
    """The stripped copy of an aspirasi's photo. Storage hiccups retry; a bad photo ends failed."""
    return services.aspirasi_photo_process(aspirasi_id=aspirasi_id)


@shared_task
def escalate_overdue() -> int:
    """Every hour (beat): flag aspirations untouched past ASPIRATION_DEADLINE_DAYS."""
    return services.aspirations_escalate_overdue()
