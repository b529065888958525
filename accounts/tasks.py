from celery import shared_task

from accounts import session_records


@shared_task(ignore_result=True)
def sweep_sessions() -> int:
    """Hourly (beat): forget the rows of sessions that ended without signing out (expired)."""
    return session_records.sessions_sweep()
