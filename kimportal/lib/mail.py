"""Templated email: every message is three templates (subject, text, HTML), sent by a task."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kimportal.outbox import enqueue


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render templates/emails/<template>_subject.txt, _body.txt and _body.html."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    return " ".join(subject.split()), text, html


def send_templated_email(*, template: str, to: list[str], context: dict) -> None:
    """Queue one message per recipient, in the surrounding transaction (see kimportal.outbox)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, text, html = render_email(template, context)
    for address in recipients:
        enqueue("kimportal.tasks.send_email", subject=subject, text=text, html=html, to=address)
