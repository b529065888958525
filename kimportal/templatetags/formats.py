"""Formatting filters loaded as builtins (see TEMPLATES in settings)."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso(value: datetime | date | None) -> str:
    """A machine-readable time for <time datetime> and meta tags: local time, whole seconds
    (HTML allows at most three fractional digits; Django's "c" format writes six)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()
