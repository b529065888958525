"""The siaran form (staff): text, links, validity, target, photos and a PDF."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffScope
from communities import permissions as community_permissions
from kimportal.lib.forms import DateTimeLocalInput
from posts.forms.editor import MultipleFileField
from regions.models import Province, Regency
from siaran.models import Siaran
from siaran.services import SiaranData


def _target_choices(user) -> tuple:
    scopes = community_permissions.staff_scopes(user)
    if community_permissions.is_national_admin(user):
        return Province.objects.order_by("name"), Regency.objects.order_by("name")
    provinces = [s.province_id for s in scopes if s.level == StaffScope.Level.PROVINCE]
    regencies = [s.regency_id for s in scopes if s.level == StaffScope.Level.REGENCY]
    return (
        Province.objects.filter(pk__in=provinces).order_by("name"),
        Regency.objects.filter(Q(pk__in=regencies) | Q(province_id__in=provinces)).order_by("name"),
    )


class SiaranForm(forms.Form):
    office_name = forms.CharField(
        label=_("Nama instansi pengirim"),
        max_length=150,
        error_messages={"required": _("Isi nama instansi pengirim.")},
    )
    title = forms.CharField(
        label=_("Judul"), max_length=150, error_messages={"required": _("Isi judul siaran.")}
    )
    body = forms.CharField(
        label=_("Isi"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Isi teks siaran.")},
    )
    links = forms.CharField(
        label=_("Tautan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu tautan http(s) per baris."),
    )
    valid_from = forms.DateTimeField(
        label=_("Berlaku mulai"),
        required=False,
        widget=DateTimeLocalInput(),
        error_messages={"invalid": _("Tanggal dan jam tidak valid.")},
    )
    valid_until = forms.DateTimeField(
        label=_("Berlaku sampai"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Kosongkan bila tanpa batas."),
        error_messages={"invalid": _("Tanggal dan jam tidak valid.")},
    )
    national = forms.BooleanField(label=_("Seluruh Indonesia"), required=False)
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinsi"), queryset=Province.objects.none(), required=False
    )
    regencies = forms.ModelMultipleChoiceField(
        label=_("Kabupaten/kota"), queryset=Regency.objects.none(), required=False
    )
    photos = MultipleFileField(
        label=_("Foto"), required=False, help_text=_("Paling banyak 6 foto, masing-masing 15 MB.")
    )
    attachment = forms.FileField(
        label=_("Lampiran PDF"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, user, siaran: Siaran | None = None, **kwargs):
        if siaran is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "office_name": siaran.office_name,
                "title": siaran.title,
                "body": siaran.body,
                "links": siaran.links,
                "valid_from": siaran.valid_from,
                "valid_until": siaran.valid_until,
                "national": siaran.national,
                "provinces": list(siaran.provinces.all()),
                "regencies": list(siaran.regencies.all()),
            }
        super().__init__(*args, **kwargs)
        provinces, regencies = _target_choices(user)
        self.fields["provinces"].queryset = provinces
        self.fields["regencies"].queryset = regencies
        if not community_permissions.is_national_admin(user):
            del self.fields["national"]

    def clean(self):
        data = super().clean()
        if not (data.get("national") or data.get("provinces") or data.get("regencies")):
            raise ValidationError(
                _("Pilih sasaran: seluruh Indonesia, provinsi, atau kabupaten/kota.")
            )
        return data

    def siaran_data(self) -> SiaranData:
        data = self.cleaned_data
        return SiaranData(
            office_name=data["office_name"],
            title=data["title"],
            body=data["body"],
            links=data["links"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            national=bool(data.get("national")),
            province_ids={p.pk for p in data["provinces"]},
            regency_ids={r.pk for r in data["regencies"]},
        )
