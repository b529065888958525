"""The Celery application. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")

app = Celery("kimportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _drain_outbox_on_start(sender, **kwargs) -> None:
    """A worker coming back after a broker outage sends what the outbox kept, without waiting
    for beat. Queued as a task so the drain runs in the pool, not in the consumer."""
    sender.app.send_task("kimportal.tasks.drain_outbox")
