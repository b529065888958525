"""Forms of the moderation pages (Diskominfo staff on the kelola host)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kimportal.lib.forms import reason_field
from posts.models import Post
from posts.selectors import CHECKS_CLEAN, CHECKS_FLAGGED
from stats.dashboards import NATIONAL_KEY, choice_codes


def _reason_field(*, required: bool, label: str, help_text: str = "") -> forms.CharField:
    return reason_field(
        required=required,
        label=label,
        help_text=help_text,
        required_message=_("Tuliskan alasannya agar penulis dapat memperbaikinya."),
    )


class ApproveForm(forms.Form):
    """No fields: the button and the CSRF token are the whole form."""


class RejectForm(forms.Form):
    reason = _reason_field(
        required=True,
        label=_("Alasan penolakan"),
        help_text=_("Dikirim ke penulis lewat email dan tampil di halaman tulisannya."),
    )


class TakeDownForm(forms.Form):
    reason = _reason_field(
        required=True,
        label=_("Alasan menurunkan"),
        help_text=_("Dikirim ke penulis lewat email dan tercatat di riwayat."),
    )


class DismissReportsForm(forms.Form):
    reason = _reason_field(required=False, label=_("Catatan (tidak wajib)"))


class QueueFilterForm(forms.Form):
    """Filters of the moderation queue (GET). The region select appears when the user's scopes
    hold more than one region; the KIM select when it would list at most KIM_CHOICES_MAX KIMs
    (`communities` is None past that: the form then asks for a narrower region instead)."""

    wilayah = forms.ChoiceField(
        label=_("Wilayah"),
        required=False,
        error_messages={"invalid_choice": _("Pilih wilayah dari daftar.")},
    )
    kim = forms.TypedChoiceField(
        label=_("KIM"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Pilih KIM dari daftar.")},
    )
    kind = forms.ChoiceField(
        label=_("Jenis"),
        required=False,
        choices=[("", _("Semua jenis"))] + list(Post.Kind.choices),
        error_messages={"invalid_choice": _("Pilih jenis dari daftar.")},
    )
    checks = forms.ChoiceField(
        label=_("Hasil pemeriksaan"),
        required=False,
        choices=[
            ("", _("Semua")),
            (CHECKS_FLAGGED, _("Ada tanda")),
            (CHECKS_CLEAN, _("Bersih")),
        ],
        error_messages={"invalid_choice": _("Pilih hasil pemeriksaan dari daftar.")},
    )

    def __init__(
        self, *args, communities: list[tuple[int, str]] | None, areas: list, **kwargs
    ) -> None:
        """`areas`: the region choices (stats.dashboards.area_options), optgroups allowed."""
        super().__init__(*args, **kwargs)
        codes = [code for choice in areas for code in choice_codes(choice)]
        if len(codes) > 1:
            everything = [] if NATIONAL_KEY in codes else [("", _("Semua wilayah Anda"))]
            self.fields["wilayah"].choices = everything + areas
        else:
            del self.fields["wilayah"]
        self.too_many_kims = communities is None
        if communities is None:
            del self.fields["kim"]
        else:
            self.fields["kim"].choices = [("", _("Semua KIM"))] + [
                (str(pk), name) for pk, name in communities
            ]


class BannedTermForm(forms.Form):
    term = forms.CharField(
        label=_("Kata atau frasa"),
        max_length=80,
        help_text=_(
            "Tulisan yang memuatnya ditandai di antrean moderasi (tidak ditolak otomatis)."
        ),
        error_messages={
            "required": _("Isi kata yang akan ditandai."),
            "max_length": _("Kata maksimal %(limit_value)d karakter."),
        },
    )
