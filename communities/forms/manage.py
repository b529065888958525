"""Forms of a KIM's own pages on the kelola host: profile, roster, roles, invitations."""

import re

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from communities.models import BRAND_COLOUR_RE, Community, FocusSector, Member, Role
from communities.services import PROFILE_FIELDS, MemberData

# --- Brand colour contrast (WCAG 2.x) ---------------------------------------------------------

MIN_CONTRAST = 4.5
WHITE = "#ffffff"
BLACK = "#000000"


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of "#rrggbb" (0 for black, 1 for white)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours, from 1.0 to 21.0."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str) -> str:
    """White or black, whichever reads better on `background`."""
    if contrast_ratio(background, WHITE) >= contrast_ratio(background, BLACK):
        return WHITE
    return BLACK


def brand_colour_is_readable(colour: str) -> bool:
    """Can the colour carry the site's text? kim.css uses the brand colour as the background of
    white text (header, buttons) and as the colour of links on white pages, so it needs 4.5:1
    against white. (Against "white or black, whichever is better" every colour reaches ~4.6:1,
    so that weaker rule could never refuse anything.)"""
    return contrast_ratio(colour, WHITE) >= MIN_CONTRAST


# --- WhatsApp numbers -------------------------------------------------------------------------

_PHONE_SEPARATORS_RE = re.compile(r"[\s\-.()]")
_INDONESIAN_MOBILE_RE = re.compile(r"^628[0-9]{7,11}$")


def normalise_whatsapp(value: str) -> str:
    """ "0812-3456-7890", "+62 812 3456 7890", "812…" → "6281234567890"; "" stays ""."""
    raw = _PHONE_SEPARATORS_RE.sub("", value or "")
    if not raw:
        return ""
    digits = raw.removeprefix("+")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not _INDONESIAN_MOBILE_RE.match(digits):
        raise ValidationError(
            _("Nomor WhatsApp tidak valid. Contoh: 0812-3456-7890 atau +62 812-3456-7890."),
            code="invalid",
        )
    return digits


# --- Profile ----------------------------------------------------------------------------------

IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
FILE_FIELDS = ("logo", "cover")


class ColourInput(forms.TextInput):
    input_type = "color"


def _url_field(label: str) -> forms.URLField:
    return forms.URLField(
        label=label,
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Masukkan alamat web lengkap, misalnya https://…")},
    )


def _image_field(label: str, help_text: str) -> forms.ImageField:
    return forms.ImageField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={
            "invalid_image": _("Berkas ini bukan gambar atau gambarnya rusak."),
            "empty": _("Berkas yang diunggah kosong."),
        },
    )


class ProfileForm(forms.ModelForm):
    focus_sectors = forms.MultipleChoiceField(
        label=_("Bidang fokus"),
        required=False,
        choices=FocusSector.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Pilih bidang fokus dari daftar.")},
    )
    name = forms.CharField(
        label=_("Nama KIM"), max_length=120, error_messages={"required": _("Isi nama KIM.")}
    )
    # Not `required`/`maxlength` in HTML: neither applies to <input type="color">, which always
    # submits a value; clean_brand_colour checks it instead.
    brand_colour = forms.CharField(
        label=_("Warna utama"),
        required=False,
        widget=ColourInput,
        help_text=_("Dipakai untuk kepala halaman, tombol, dan tautan situs KIM."),
    )
    whatsapp = forms.CharField(
        label=_("Nomor WhatsApp"),
        required=False,
        max_length=24,
        help_text=_("Misalnya 0812-3456-7890; disimpan sebagai 6281234567890."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    website = _url_field(_("Situs web"))
    facebook = _url_field(_("Facebook"))
    instagram = _url_field(_("Instagram"))
    youtube = _url_field(_("YouTube"))
    tiktok = _url_field(_("TikTok"))
    logo = _image_field(_("Logo"), _("JPEG, PNG, atau WebP, maksimal 5 MB. Sebaiknya persegi."))
    cover = _image_field(_("Foto sampul"), _("JPEG, PNG, atau WebP, maksimal 5 MB. Mendatar."))

    class Meta:
        model = Community
        fields = PROFILE_FIELDS

    def clean_brand_colour(self) -> str:
        colour = self.cleaned_data["brand_colour"].strip().lower()
        if not colour:
            raise ValidationError(_("Pilih warna utama."), code="required")
        if not BRAND_COLOUR_RE.match(colour):
            raise ValidationError(_("Gunakan kode warna seperti #0a5ca8."), code="format")
        if not brand_colour_is_readable(colour):
            raise ValidationError(
                _(
                    "Warna ini terlalu terang: kontrasnya dengan teks putih hanya "
                    "%(ratio).1f:1, padahal perlu sedikitnya 4,5:1 agar mudah dibaca. "
                    "Pilih warna yang lebih gelap."
                )
                % {"ratio": contrast_ratio(colour, WHITE)},
                code="contrast",
            )
        return colour

    def clean_whatsapp(self) -> str:
        return normalise_whatsapp(self.cleaned_data["whatsapp"])

    def _clean_image(self, name: str):
        image = self.cleaned_data.get(name)
        if not image or name not in self.changed_data:
            return image
        if image.size > IMAGE_MAX_BYTES:
            raise ValidationError(_("Gambar maksimal 5 MB."), code="too_big")
        if getattr(image, "image", None) is not None and image.image.format not in IMAGE_FORMATS:
            raise ValidationError(_("Gunakan gambar JPEG, PNG, atau WebP."), code="format")
        return image

    def clean_logo(self):
        return self._clean_image("logo")

    def clean_cover(self):
        return self._clean_image("cover")

    def profile_changes(self) -> dict:
        """Keyword arguments for services.community_update_profile (unchanged files left out)."""
        changes = {f: self.cleaned_data[f] for f in PROFILE_FIELDS if f not in FILE_FIELDS}
        for name in FILE_FIELDS:
            if name in self.changed_data:
                changes[name] = self.cleaned_data[name] or ""
        return changes


# --- Roster -----------------------------------------------------------------------------------

_PHONE_RE = re.compile(r"^\+?[0-9][0-9\s\-.()]{6,18}[0-9]$")


class MemberForm(forms.Form):
    name = forms.CharField(
        label=_("Nama"), max_length=120, error_messages={"required": _("Isi nama anggota.")}
    )
    position = forms.ChoiceField(
        label=_("Jabatan"),
        choices=Member.Position.choices,
        error_messages={"required": _("Pilih jabatan.")},
    )
    position_detail = forms.CharField(
        label=_("Keterangan jabatan"),
        required=False,
        max_length=80,
        help_text=_("Misalnya: Seksi Humas"),
    )
    phone = forms.CharField(
        label=_("Nomor HP"),
        required=False,
        max_length=20,
        help_text=_("Hanya terlihat oleh admin KIM dan Diskominfo."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    @classmethod
    def initial_for(cls, member: Member) -> dict:
        return {f: getattr(member, f) for f in ("name", "position", "position_detail", "phone")}

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE_RE.match(phone):
            raise ValidationError(
                _("Nomor HP hanya boleh berisi angka, spasi, +, dan tanda hubung.")
            )
        return phone

    def member_data(self) -> MemberData:
        return MemberData(**self.cleaned_data)


# --- Roles and invitations --------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        error_messages={
            "required": _("Isi alamat email orang yang diundang."),
            "invalid": _("Alamat email tidak valid."),
        },
    )
    role = forms.ChoiceField(
        label=_("Peran"), choices=Role.Kind.choices, initial=Role.Kind.CONTRIBUTOR
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran"), choices=Role.Kind.choices)


class InvitationSignUpForm(forms.Form):
    """A new account for an invited email address (the address itself is fixed)."""

    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        error_messages={"required": _("Isi nama lengkap Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Sedikitnya 8 karakter; jangan hanya angka atau kata yang umum."),
        error_messages={"required": _("Buat kata sandi.")},
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Ketik ulang kata sandi.")},
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", _("Kedua kata sandi tidak sama."))
            else:
                candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
                try:
                    password_validation.validate_password(password1, candidate)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned
