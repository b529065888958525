"""Celery entry points for stats."""

from celery import shared_task

from stats import visits


@shared_task(acks_late=True)
def flush_visits() -> int:
    """Every few minutes (beat): move view counts from Redis into PostVisitDay."""
    return visits.visits_flush()
