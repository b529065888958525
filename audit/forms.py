"""The audit log's filters (audit/ and audit/unduh.csv on kelola), read from the query string."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from kimportal.lib.forms import DateInput
from regions import selectors as region_selectors


class AuditFilterForm(forms.Form):
    aksi = forms.ChoiceField(label=_("Tindakan"), required=False)
    pelaku = forms.IntegerField(
        label=_("ID akun pelaku"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        # Text, not a number field: what was typed comes back as typed, even when it is no number.
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Isi ID akun berupa angka, misalnya 42.")},
    )
    provinsi = forms.ChoiceField(label=_("Provinsi"), required=False)
    kabupaten = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    dari = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-01-31.")},
    )
    sampai = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-01-31.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("Semua"))
        self.fields["aksi"].choices = [everything, *Action.choices]
        self.fields["provinsi"].choices = [everything, *region_selectors.province_choices()]
        # Every regency, grouped by province, so that one submit is enough (no script): the
        # directory's groups without their "whole province" entries (a select of its own here).
        self.fields["kabupaten"].choices = [
            everything,
            *(
                (province, options[1:])
                for province, options in region_selectors.region_choices_grouped()
            ),
        ]

    def clean(self) -> dict:
        data = super().clean()
        start: date | None = data.get("dari")
        end: date | None = data.get("sampai")
        if start and end and end < start:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        province, regency = data.get("provinsi"), data.get("kabupaten")
        if province and regency and regency.split(".")[0] != province:
            self.add_error("kabupaten", _("Kabupaten/kota ini tidak berada di provinsi itu."))
        return data
