"""Forms of the sign-up wizard of a new KIM (kelola host, /daftar/).

Forms only clean what was typed; every write goes through communities.services.
"""

import csv
import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from communities.models import Member
from communities.validation import validate_decree_date, validate_slug
from regions.models import Village

ROSTER_PREFIX = "anggota"
ROSTER_MAX_ROWS = 200
ROSTER_ADD_ROWS = 5
PHONE_RE = re.compile(r"^[0-9 +\-]+$")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 8, 15
KIM_WORD_RE = re.compile(r"\bKIM\b", re.IGNORECASE)


class AccountForm(forms.Form):
    """Who is signing up: a name and an email, where the next step is sent.

    Whether the address already has an account is not checked here: the answer must be the
    same either way (accounts.services.signup_request), or the form tells strangers who is
    registered.
    """

    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        error_messages={"required": _("Tuliskan nama lengkap Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Tuliskan alamat email Anda."),
            "invalid": _("Tuliskan alamat email yang benar, misalnya nama@contoh.id."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AccountPasswordForm(forms.Form):
    """The password of a confirmed sign-up (the address came from the emailed link)."""

    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        error_messages={"required": _("Tuliskan nama lengkap Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        error_messages={"required": _("Buat kata sandi.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Sedikitnya 8 karakter, tidak hanya angka, dan tidak mudah ditebak."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        error_messages={"required": _("Ketik ulang kata sandi Anda.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class VillageForm(forms.Form):
    """The final choice of the village step; the choices are the chosen district's villages."""

    desa = forms.CharField(
        label=_("Desa/kelurahan"),
        error_messages={"required": _("Pilih desa/kelurahan tempat KIM berada.")},
        widget=forms.Select(attrs={"data-region-level": "3"}),
    )

    def __init__(self, *args, villages: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        placeholder = [("", _("— Pilih desa/kelurahan —"))]
        self.fields["desa"].widget.choices = placeholder + list(villages)
        if not villages:
            self.fields["desa"].widget.attrs["disabled"] = True

    def clean_desa(self) -> Village:
        village = (
            Village.objects.select_related("district__regency__province")
            .filter(code=self.cleaned_data["desa"])
            .first()
        )
        if village is None:
            raise ValidationError(_("Pilih desa/kelurahan dari daftar."), code="unknown")
        return village


class RegionPickerForm(forms.Form):
    """Province → regency → district, submitted by GET to narrow the village list (no JS)."""

    LEVELS = (
        ("provinsi", _("Provinsi"), _("— Pilih provinsi —")),
        ("kabupaten", _("Kabupaten/kota"), _("— Pilih kabupaten/kota —")),
        ("kecamatan", _("Kecamatan"), _("— Pilih kecamatan —")),
    )

    def __init__(
        self, *, form_id: str, chosen: list[str], options: list[list[tuple[str, str]]]
    ) -> None:
        super().__init__(initial=dict(zip([n for n, _l, _p in self.LEVELS], chosen, strict=True)))
        for level, ((name, label, placeholder), choices) in enumerate(
            zip(self.LEVELS, options, strict=True)
        ):
            attrs = {"form": form_id, "data-region-level": str(level)}
            if not choices:
                attrs["disabled"] = True
            self.fields[name] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", placeholder), *choices],
                widget=forms.Select(attrs=attrs),
            )


class IdentityForm(forms.Form):
    name = forms.CharField(
        label=_("Nama KIM"),
        max_length=120,
        help_text=_("Diawali “KIM”, misalnya: KIM Ketabang Maju"),
        error_messages={"required": _("Tuliskan nama KIM.")},
    )
    street_address = forms.CharField(
        label=_("Alamat sekretariat (opsional)"),
        max_length=200,
        required=False,
        help_text=_("Jalan, nomor, RT/RW."),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    slug = forms.CharField(
        label=_("Alamat subdomain"),
        max_length=100,
        help_text=_(
            "3–40 karakter: huruf kecil a–z, angka, dan tanda hubung (-). "
            "Biarkan kosong untuk mendapat saran dari nama KIM."
        ),
        error_messages={"required": _("Tuliskan alamat subdomain KIM.")},
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, community_pk: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.community_pk = community_pk

    def clean_name(self) -> str:
        """The name carries its own "KIM" (texts say "{name} sudah terverifikasi", never
        "KIM {name}"): "Ketabang Maju" is kept as "KIM Ketabang Maju"."""
        name = " ".join(self.cleaned_data["name"].split())
        if not KIM_WORD_RE.search(name):
            name = f"KIM {name}"[:120]
        return name

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if not slug:
            raise ValidationError(
                _("Tuliskan alamat subdomain KIM, atau pakai salah satu saran di bawah."),
                code="required",
            )
        # The same rule the service applies, so that every problem shows in one round trip.
        validate_slug(slug, exclude_pk=self.community_pk)
        return slug


class DecreeForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor SK"),
        max_length=100,
        help_text=_("Nomor surat keputusan kepala desa/lurah tentang pembentukan KIM."),
        error_messages={"required": _("Tuliskan nomor SK.")},
    )
    decree_date = forms.DateField(
        label=_("Tanggal SK"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Isi tanggal SK."),
            "invalid": _("Tuliskan tanggal yang benar, misalnya 2026-01-31."),
        },
    )
    file = forms.FileField(
        label=_("Pindaian SK"),
        help_text=_("PDF, JPEG, atau PNG, maksimal 5 MB."),
        error_messages={
            "required": _("Unggah pindaian SK (PDF, JPEG, atau PNG, maksimal 5 MB)."),
            "empty": _("Berkas yang diunggah kosong."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, has_file: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_file_stored(has_file)

    def clean_decree_date(self):
        decree_date = self.cleaned_data["decree_date"]
        validate_decree_date(decree_date)
        return decree_date

    def set_file_stored(self, stored: bool) -> None:
        """A scan already kept for this sign-up makes a new upload optional."""
        field = self.fields["file"]
        field.required = not stored
        if stored:
            field.help_text = _(
                "Sudah ada berkas tersimpan. Unggah lagi hanya jika ingin menggantinya "
                "(PDF, JPEG, atau PNG, maksimal 5 MB)."
            )


def _phone_digits(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


class MemberForm(forms.Form):
    name = forms.CharField(
        label=_("Nama"),
        max_length=120,
        error_messages={"required": _("Tuliskan nama anggota.")},
    )
    position = forms.ChoiceField(
        label=_("Jabatan"), choices=Member.Position.choices, initial=Member.Position.ANGGOTA
    )
    position_detail = forms.CharField(
        label=_("Keterangan jabatan (opsional)"),
        max_length=80,
        required=False,
        help_text=_("Misalnya: Seksi Humas"),
    )
    phone = forms.CharField(
        label=_("Nomor HP (opsional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    # Rows whose name, detail and phone are all blank are left out (the position has a default).
    TYPED_FIELDS = ("name", "position_detail", "phone")

    def has_changed(self) -> bool:
        if not self.is_bound:
            return False
        return any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in self.TYPED_FIELDS
        )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (
            not PHONE_RE.match(phone)
            or not PHONE_MIN_DIGITS <= _phone_digits(phone) <= PHONE_MAX_DIGITS
        ):
            raise ValidationError(
                _(
                    "Nomor HP hanya boleh berisi angka, spasi, +, dan -, "
                    "dengan %(min)d sampai %(max)d angka."
                )
                % {"min": PHONE_MIN_DIGITS, "max": PHONE_MAX_DIGITS},
                code="phone",
            )
        return phone


class BaseRosterFormSet(forms.BaseFormSet):
    """Every row may be left blank; the roster as a whole needs its minimum and one ketua."""

    def get_form_kwargs(self, index: int) -> dict:
        return {"empty_permitted": True, "use_required_attribute": False}

    def filled_rows(self) -> list[dict]:
        """The cleaned data of the rows that were filled in, in order."""
        return [form.cleaned_data for form in self.forms if form.has_changed()]

    def clean(self) -> None:
        # The roster's own rules are checked even when some rows have errors, so that every
        # problem shows in one round trip (a row with an error still counts as filled).
        rows = [
            {"position": form.cleaned_data.get("position", Member.Position.ANGGOTA)}
            for form in self.forms
            if form.has_changed()
        ]
        minimum = settings.KIM_MIN_MEMBERS
        problems = []
        if len(rows) < minimum:
            problems.append(
                ValidationError(
                    _("Isi sedikitnya %(min)d anggota; baru %(n)d baris yang terisi.")
                    % {"min": minimum, "n": len(rows)},
                    code="too_few",
                )
            )
        leaders = sum(1 for row in rows if row["position"] == Member.Position.KETUA)
        if leaders == 0:
            problems.append(
                ValidationError(
                    _("Pilih tepat satu anggota sebagai ketua; belum ada ketua."), code="no_ketua"
                )
            )
        elif leaders > 1:
            problems.append(
                ValidationError(
                    _("Hanya boleh ada satu ketua; saat ini ada %(n)d.") % {"n": leaders},
                    code="many_ketua",
                )
            )
        if problems:
            raise ValidationError(problems)


RosterFormSet = formset_factory(
    MemberForm,
    formset=BaseRosterFormSet,
    extra=0,
    max_num=ROSTER_MAX_ROWS,
    absolute_max=ROSTER_MAX_ROWS,
    validate_max=True,
)


def roster_rows_from_post(data, *, add: int = 0) -> list[dict]:
    """The rows as typed (not validated), plus `add` blank ones: for the "add rows" button."""
    try:
        total = int(data.get(f"{ROSTER_PREFIX}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        total = 0
    total = max(0, min(total, ROSTER_MAX_ROWS))
    rows = [
        {
            name: data.get(f"{ROSTER_PREFIX}-{i}-{name}", "")
            for name in ("name", "position", "position_detail", "phone")
        }
        for i in range(total)
    ]
    room = max(0, ROSTER_MAX_ROWS - total)
    rows += [{"position": Member.Position.ANGGOTA} for _i in range(min(add, room))]
    return rows


# --- Importing a roster from a CSV file or a pasted list --------------------------------------

ROSTER_IMPORT_MAX_BYTES = 256 * 1024
_HEADER_NAMES = {"nama", "name", "nama lengkap"}


def _position_of(text: str) -> tuple[str, str]:
    """(position, detail) from what a list says: "Ketua" → ketua; "Seksi Humas" → seksi, "Humas";
    anything else → anggota with the text kept as the detail."""
    text = " ".join(text.split())
    lowered = text.lower()
    for value in Member.Position.values:
        if lowered == value:
            return value, ""
        if lowered.startswith(value + " "):
            return value, text[len(value) + 1 :].strip()[:80]
    return Member.Position.ANGGOTA, ("" if lowered in ("", "anggota") else text[:80])


def _split_line(line: str) -> list[str]:
    for separator in ("\t", ";"):
        if separator in line:
            return [cell.strip() for cell in line.split(separator)]
    return [cell.strip() for cell in next(csv.reader([line]), [])]


def parse_roster_list(text: str) -> list[dict]:
    """Roster rows from lines of "name, position, phone" (comma, semicolon or tab separated;
    position and phone optional; a header line is skipped). Nothing is validated here: the rows
    are put in the roster form, which shows every problem at once."""
    rows = []
    for line in text.splitlines():
        cells = _split_line(line)
        if not cells or not any(cells):
            continue
        name = cells[0]
        if not rows and name.lower() in _HEADER_NAMES:
            continue
        position, detail = _position_of(cells[1] if len(cells) > 1 else "")
        rows.append(
            {
                "name": name[:120],
                "position": position,
                "position_detail": detail,
                "phone": (cells[2] if len(cells) > 2 else "")[:20],
            }
        )
        if len(rows) >= ROSTER_MAX_ROWS:
            break
    return rows


class RosterImportForm(forms.Form):
    """A pasted list or a CSV file (exported from a spreadsheet) of name, position, phone."""

    daftar = forms.CharField(
        label=_("Tempel daftar anggota"),
        required=False,
        max_length=ROSTER_IMPORT_MAX_BYTES,
        help_text=_(
            "Satu orang per baris: nama, jabatan, nomor HP (dipisah koma, titik koma, atau tab). "
            "Jabatan dan nomor HP boleh dikosongkan."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    berkas = forms.FileField(
        label=_("Atau unggah berkas CSV"),
        required=False,
        help_text=_("Simpan lembar kerja sebagai CSV dengan kolom yang sama."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean_berkas(self) -> str:
        upload = self.cleaned_data.get("berkas")
        if not upload:
            return ""
        if upload.size > ROSTER_IMPORT_MAX_BYTES:
            raise ValidationError(_("Berkas CSV maksimal 256 KB."), code="too_big")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ValidationError(_("Berkas ini bukan berkas teks CSV."), code="encoding")

    def clean(self) -> dict:
        cleaned = super().clean()
        text = "\n".join(filter(None, [cleaned.get("berkas", ""), cleaned.get("daftar", "")]))
        if not self.errors:
            rows = parse_roster_list(text)
            if not rows:
                raise ValidationError(
                    _("Tidak ada nama yang dapat dibaca. Tempel daftar atau pilih berkas CSV."),
                    code="empty",
                )
            cleaned["rows"] = rows
        return cleaned


def roster_data_for(rows: list[dict]) -> dict:
    """The POST data of a roster form holding `rows` (imported rows are checked like typed ones)."""
    data = {
        f"{ROSTER_PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{ROSTER_PREFIX}-INITIAL_FORMS": "0",
        f"{ROSTER_PREFIX}-MIN_NUM_FORMS": "0",
        f"{ROSTER_PREFIX}-MAX_NUM_FORMS": str(ROSTER_MAX_ROWS),
    }
    for i, row in enumerate(rows):
        for name in ("name", "position", "position_detail", "phone"):
            data[f"{ROSTER_PREFIX}-{i}-{name}"] = row.get(name, "")
    return data
