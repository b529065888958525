from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from kimportal.outbox import outbox_drain
from kimportal.retention import personal_data_purge


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
    acks_late=True,
    # The body may hold a tracking code, the address is a person's: the outbox hides both from
    # Celery's logs and events and drops them from its row once sent (kimportal.outbox).
    personal_data=True,
)
def send_email(*, subject: str, text: str, html: str, to: str) -> None:
    """Send one already-rendered message; SMTP hiccups are retried with backoff."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(ignore_result=True)
def drain_outbox() -> int:
    """Every minute (beat) and at worker start-up: publish tasks the broker missed."""
    return outbox_drain()


@shared_task(acks_late=True, ignore_result=True)
def purge_personal_data() -> dict[str, int]:
    """Daily (beat): delete personal data past its retention period (kimportal.retention).
    Safe to run twice; a run stopped half-way (a storage outage) is finished by the next."""
    return personal_data_purge()
