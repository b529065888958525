"""Templated email: every message is three templates (subject, text, HTML), sent by a task."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render templates/emails/<template>_subject.txt, _body.txt and _body.html."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    return " ".join(subject.split()), text, html


def send_templated_email(*, template: str, to: list[str], context: dict) -> None:
    """Queue one message per recipient once the surrounding transaction commits."""
    from kimportal.tasks import send_email

    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, text, html = render_email(template, context)
    for address in recipients:
        transaction.on_commit(
            lambda address=address: send_email.delay(
                subject=subject, text=text, html=html, to=address
            )
        )
