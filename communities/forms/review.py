"""Forms of the verification pages (Diskominfo staff on the kelola host)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from communities.validation import SLUG_MAX, validate_slug
from kimportal.lib.forms import reason_field

_reason_field = reason_field


class VerifyForm(forms.Form):
    """No fields: the button and the CSRF token are the whole form."""


class ReasonForm(forms.Form):
    """Reject, suspend or reinstate: the reason is required and reaches the applicant by email."""

    reason = _reason_field(
        required=True,
        label=_("Alasan"),
        help_text=_("Alasan ini dikirim ke pendaftar lewat email dan tercatat di riwayat."),
    )


class ChangeSlugForm(forms.Form):
    new_slug = forms.CharField(
        label=_("Alamat subdomain baru"),
        max_length=SLUG_MAX,
        help_text=_("Huruf kecil a–z, angka, dan tanda hubung. Alamat lama akan dialihkan."),
        error_messages={"required": _("Isi alamat subdomain yang baru.")},
    )
    reason = _reason_field(required=False, label=_("Alasan (tidak wajib)"))

    def __init__(self, *args, community: Community, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.community = community

    def clean_new_slug(self) -> str:
        slug = self.cleaned_data["new_slug"].strip().lower()
        if slug == self.community.slug:
            raise ValidationError(_("Alamat baru sama dengan alamat sekarang."))
        validate_slug(slug, exclude_pk=self.community.pk)
        return slug


class TrustedForm(forms.Form):
    trusted = forms.TypedChoiceField(
        choices=[("1", _("Tepercaya")), ("0", _("Tidak tepercaya"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
        error_messages={"required": _("Pilih status tepercaya.")},
    )


class ReviewFilterForm(forms.Form):
    """Filters of the list of every KIM in the reviewer's scope (GET)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status"))]
        + [(value, label) for value, label in Community.Status.choices if value != "draft"],
        error_messages={"invalid_choice": _("Pilih status dari daftar.")},
    )
    provinsi = forms.ChoiceField(
        label=_("Provinsi"),
        required=False,
        error_messages={"invalid_choice": _("Pilih provinsi dari daftar.")},
    )
    q = forms.CharField(label=_("Cari nama KIM"), required=False, max_length=100)

    def __init__(self, *args, provinces: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provinsi"].choices = [("", _("Semua provinsi")), *provinces]
