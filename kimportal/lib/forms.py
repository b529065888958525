"""Form fields and widgets shared by several apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX = 2000


def reason_field(
    *, required: bool, label: str, help_text: str = "", required_message: str = ""
) -> forms.CharField:
    """The "why" of a staff decision (reject, suspend, take down): a short free text."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message or _("Tuliskan alasannya."),
            "max_length": _("Alasan maksimal %(limit_value)d karakter."),
        },
    )


# Browser date and time pickers, with the value format the browser expects (ISO).


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
