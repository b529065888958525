"""Rows owned by the project itself rather than by one app: the task outbox."""

from django.db import models


class OutboxTask(models.Model):
    """A Celery task written in the same transaction as the change that needs it.

    Published right after commit; if the broker is down then, the drain (beat, worker start-up)
    publishes it later. So a broker outage delays work but never loses it or fails a request.
    """

    task = models.CharField(max_length=200)  # dotted task name, e.g. "posts.tasks.process_image"
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            # The drain's scan: unsent rows, oldest first; stays small because sent rows leave it.
            models.Index(
                fields=["created_at"],
                name="outbox_unsent_idx",
                condition=models.Q(sent_at__isnull=True),
            ),
            models.Index(fields=["sent_at"], name="outbox_sent_idx"),
        ]

    def __str__(self) -> str:
        state = "sent" if self.sent_at else "unsent"
        return f"{self.task} #{self.pk} ({state})"
