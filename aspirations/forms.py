"""Forms of aspirations: the sender's (portal and subsite), tracking, and the queue's actions.

Spam guards that need no third party live in the sender's form: a honeypot field people never
see, and a minimum fill time carried in a signed timestamp. Both refuse with a clear message and
keep what was typed.
"""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from aspirations.models import Aspirasi, Topic
from kimportal.lib.forms import reason_field
from regions.models import Regency, Village

TEXT_MIN = 20
TEXT_MAX = 4000
_SALT = "aspirations.form-started"
MIN_FILL_SECONDS = 5
# A form older than this (a tab left open for days) gets a new timestamp and one more click.
MAX_FILL_SECONDS = 24 * 3600


def min_fill_seconds() -> int:
    from django.conf import settings

    return getattr(settings, "ASPIRATION_MIN_FILL_SECONDS", MIN_FILL_SECONDS)


def started_token() -> str:
    return signing.dumps(int(time.time()), salt=_SALT)


def regency_choices() -> list:
    """Regencies grouped by province, for a <select> with <optgroup>s (one query)."""
    groups: dict[str, list] = {}
    for code, name, province in Regency.objects.order_by("province__name", "name").values_list(
        "code", "name", "province__name"
    ):
        groups.setdefault(province, []).append((code, name))
    return [("", _("Pilih kabupaten/kota")), *groups.items()]


def find_village(regency_id: str, typed: str) -> Village:
    """The village of the regency that `typed` names: "Ketabang", or "Ketabang, Genteng" when
    several villages of the regency share the name. Raises ValidationError in Indonesian."""
    name, _sep, district = (part.strip() for part in typed.partition(","))
    villages = Village.objects.select_related("district").filter(
        district__regency_id=regency_id, name__iexact=" ".join(name.split())
    )
    if district:
        villages = villages.filter(district__name__iexact=" ".join(district.split()))
    found = list(villages[:10])
    if not found:
        raise forms.ValidationError(
            _(
                "Desa/kelurahan “%(name)s” tidak ditemukan di kabupaten/kota tujuan. "
                "Periksa ejaannya."
            ),
            params={"name": name},
            code="village",
        )
    if len(found) > 1:
        districts = ", ".join(sorted(f"{name}, {v.district.name}" for v in found))
        raise forms.ValidationError(
            _("Ada beberapa desa/kelurahan bernama itu. Tulis juga kecamatannya, misalnya: %(d)s."),
            params={"d": districts},
            code="village_ambiguous",
        )
    return found[0]


class AspirasiForm(forms.Form):
    """An aspirasi from a visitor. With `regency` given (a KIM's subsite) the regency is fixed
    and the village defaults to the KIM's own; on the portal the sender chooses the regency."""

    regency = forms.ChoiceField(
        label=_("Kabupaten/kota tujuan"),
        help_text=_("Aspirasi Anda diterima Diskominfo kabupaten/kota ini."),
        error_messages={
            "required": _("Pilih kabupaten/kota tujuan."),
            "invalid_choice": _("Pilih kabupaten/kota dari daftar."),
        },
    )
    village = forms.CharField(
        label=_("Desa/kelurahan"),
        max_length=160,
        help_text=_(
            "Nama desa/kelurahan yang Anda maksud. Bila ada yang bernama sama, tambahkan "
            "kecamatannya setelah koma, misalnya “Ketabang, Genteng”."
        ),
        error_messages={"required": _("Tulis nama desa/kelurahan.")},
    )
    topic = forms.ChoiceField(
        label=_("Topik"),
        choices=[("", _("Pilih topik")), *Topic.choices],
        error_messages={
            "required": _("Pilih topik aspirasi."),
            "invalid_choice": _("Pilih topik dari daftar."),
        },
    )
    text = forms.CharField(
        label=_("Aspirasi Anda"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ceritakan apa yang terjadi, di mana, dan apa harapan Anda."),
        error_messages={
            "required": _("Tulis aspirasi Anda."),
            "min_length": _("Aspirasi minimal %(limit_value)d karakter (kini %(show_value)d)."),
            "max_length": _("Aspirasi maksimal %(limit_value)d karakter (kini %(show_value)d)."),
        },
    )
    photo = forms.FileField(
        label=_("Foto (tidak wajib)"),
        required=False,
        help_text=_(
            "Satu foto JPEG, PNG, atau WebP, maksimal 10 MB. Data lokasi dan kamera di dalam "
            "berkas dihapus sebelum foto ditampilkan. Bila formulir perlu diperbaiki, pilih "
            "fotonya lagi."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    not_public = forms.BooleanField(
        label=_("Tidak dipublikasikan"),
        required=False,
        help_text=_(
            "Centang bila aspirasi ini hanya untuk petugas. Tanpa centang, isi aspirasi dan "
            "tanggapannya tampil di kim.id tanpa nama dan kontak Anda."
        ),
    )
    contact_name = forms.CharField(label=_("Nama (tidak wajib)"), required=False, max_length=120)
    contact_phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp (tidak wajib)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Email (tidak wajib)"),
        required=False,
        help_text=_("Kami kirimkan kode pelacakan dan kabar tindak lanjut ke alamat ini."),
        error_messages={"invalid": _("Alamat email tidak valid.")},
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled by bots that fill everything.
    website = forms.CharField(label=_("Situs web (kosongkan)"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")

    def __init__(self, *args, regency: Regency | None = None, default_village: str = "", **kw):
        kw.setdefault("auto_id", "aspirasi-%s")
        super().__init__(*args, **kw)
        self.fixed_regency = regency
        if regency is not None:
            del self.fields["regency"]
            self.fields["village"].initial = default_village
        else:
            self.fields["regency"].choices = regency_choices()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["started"].initial = started_token()
        self.started_fresh = False

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                _("Kolom “Situs web” harus dikosongkan. Hapus isinya lalu kirim lagi."),
                code="honeypot",
            )
        return ""

    def clean_started(self) -> str:
        token = self.cleaned_data.get("started", "")
        try:
            started = signing.loads(token, salt=_SALT, max_age=MAX_FILL_SECONDS)
            if not isinstance(started, int) or time.time() - started > MAX_FILL_SECONDS:
                raise signing.BadSignature("stale")
        except signing.BadSignature:
            # Expired or forged: a fresh timestamp, so the next click (after the minimum) works.
            self._renew_started()
            raise forms.ValidationError(
                _("Formulir ini sudah terlalu lama terbuka. Periksa isian Anda lalu kirim lagi."),
                code="stale",
            ) from None
        if time.time() - started < min_fill_seconds():
            raise forms.ValidationError(
                _(
                    "Formulir dikirim terlalu cepat. Periksa kembali isian Anda, lalu tekan "
                    "Kirim sekali lagi."
                ),
                code="too_fast",
            )
        return token

    def _renew_started(self) -> None:
        self.started_fresh = True
        data = self.data.copy()
        data["started"] = started_token()
        self.data = data

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Foto maksimal 10 MB."), code="photo")
        return photo

    def clean(self) -> dict:
        data = super().clean()
        regency_id = self.fixed_regency.pk if self.fixed_regency else data.get("regency")
        typed = data.get("village")
        if regency_id and typed:
            try:
                data["village_obj"] = find_village(regency_id, typed)
            except forms.ValidationError as exc:
                self.add_error("village", exc)
        return data

    def the_regency(self) -> Regency:
        if self.fixed_regency is not None:
            return self.fixed_regency
        return Regency.objects.select_related("province").get(pk=self.cleaned_data["regency"])


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Kode pelacakan"),
        max_length=40,
        help_text=_("Contoh: ASP-7K2M-Q9XD-4HPA. Huruf besar atau kecil sama saja."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Tulis kode pelacakan Anda.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "lacak-%s")
        super().__init__(*args, **kwargs)


class WithdrawForm(TrackForm):
    confirm = forms.BooleanField(
        label=_("Ya, tarik aspirasi ini. Aspirasi tidak lagi tampil di kim.id."),
        error_messages={"required": _("Centang persetujuan untuk menarik aspirasi.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "tarik-%s")
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()


class PublicFilterForm(forms.Form):
    """Filters of the public list (GET): province or regency, and topic. Bad values are ignored."""

    wilayah = forms.ChoiceField(label=_("Wilayah"), required=False)
    topik = forms.ChoiceField(
        label=_("Topik"), required=False, choices=[("", _("Semua topik")), *Topic.choices]
    )

    def __init__(self, *args, regions: list, **kwargs) -> None:
        kwargs.setdefault("auto_id", "saring-%s")
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].choices = [("", _("Seluruh Indonesia")), *regions]


# --- The queue ---------------------------------------------------------------------------------

QUEUE_OPEN = "terbuka"
QUEUE_STATUS_CHOICES = [
    (QUEUE_OPEN, _("Belum selesai")),
    ("", _("Semua status")),
    *Aspirasi.Status.choices,
    ("spam", _("Spam")),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=QUEUE_STATUS_CHOICES)
    topic = forms.ChoiceField(
        label=_("Topik"), required=False, choices=[("", _("Semua topik")), *Topic.choices]
    )
    overdue = forms.BooleanField(label=_("Hanya yang lewat tenggat"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)


class ForwardForm(forms.Form):
    office = forms.CharField(
        label=_("Diteruskan ke (instansi)"),
        max_length=200,
        help_text=_("Nama instansi tampil untuk publik, misalnya “Dinas Pekerjaan Umum”."),
        error_messages={"required": _("Tulis nama instansi tujuan.")},
    )
    note = forms.CharField(
        label=_("Catatan internal (tidak wajib)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Tanggapan untuk publik"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Tampil di halaman aspirasi dan dikirim ke pengirim bila ia meninggalkan email."
        ),
        error_messages={"required": _("Tulis tanggapan untuk publik.")},
    )


class CloseForm(forms.Form):
    reason = reason_field(
        required=True,
        label=_("Alasan penutupan"),
        help_text=_("Tampil untuk publik dan pengirim."),
        required_message=_("Tulis alasan penutupan."),
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Nomor aspirasi yang sama"),
        min_value=1,
        help_text=_("Aspirasi ini ditutup sebagai duplikat dari nomor tersebut."),
        error_messages={
            "required": _("Tulis nomor aspirasi tujuan."),
            "invalid": _("Nomor aspirasi berupa angka."),
            "min_value": _("Nomor aspirasi berupa angka."),
        },
    )
    note = forms.CharField(
        label=_("Catatan internal (tidak wajib)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SpamForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan internal (tidak wajib)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "forward": ForwardForm,
    "answer": AnswerForm,
    "close": CloseForm,
    "merge": MergeForm,
    "spam": SpamForm,
}
