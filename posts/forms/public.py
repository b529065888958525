"""The visitor's form on a post page: report the post to the moderators."""

from django import forms
from django.utils.translation import gettext_lazy as _

from posts.models import Report

DETAILS_MAX = 2000


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Alasan"),
        choices=[("", _("Pilih alasan")), *Report.Reason.choices],
        error_messages={
            "required": _("Pilih alasan laporan."),
            "invalid_choice": _("Pilih alasan dari daftar."),
        },
    )
    details = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=DETAILS_MAX,
        help_text=_(
            "Tidak wajib. Jelaskan bagian mana yang keliru, misalnya dengan tautan sumber."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Keterangan paling panjang %(limit_value)d karakter (kini %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "lapor-%s")
        super().__init__(*args, **kwargs)
