"""Celery entry points for stats."""

from celery import shared_task

from stats import services, visits


@shared_task(acks_late=True)
def flush_visits() -> int:
    """Every few minutes (beat): move view counts from Redis into PostVisitDay."""
    return visits.visits_flush()


@shared_task(acks_late=True)
def refresh_summaries() -> None:
    """Every STATS_REFRESH_MINUTES (beat): recompute the summary tables. Safe to run twice or
    at once (the refresh rewrites every row from the data, under a lock)."""
    services.summaries_refresh()
