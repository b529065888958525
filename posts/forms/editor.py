"""Forms of the post editor on kelola: the post itself, its photos, the list filter."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.forms.manage import normalise_whatsapp
from kimportal.lib.forms import DateInput, DateTimeLocalInput, TimeInput
from posts.models import Image, PendingPhoto, Post, PostRevision
from posts.services import ON_AIR, PostData, hoax_missing
from posts.sources import bad_addresses, source_lines

TAGS_MAX = 10
TAG_MAX_LENGTH = 40

# The fields that belong to one kind of post; for another kind they are left empty.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Post.Kind.UMKM: ("umkm_category", "price", "order_whatsapp"),
    Post.Kind.HOAKS: ("claim", "verdict", "sources"),
    Post.Kind.AGENDA: ("event_date", "event_time", "event_place"),
}
EMPTY = {
    "price": None,
    "order_whatsapp": "",
    "umkm_category": "",
    "claim": "",
    "verdict": "",
    "sources": "",
    "event_date": None,
    "event_time": None,
    "event_place": "",
}

_PRICE_NOISE_RE = re.compile(r"(?i)^rp\.?|[\s.]")


class PostForm(forms.Form):
    """Title, text and the kind-specific details of a post. Builds a PostData for the services;
    photos travel in PhotosForm, in the same HTML form."""

    kind = forms.ChoiceField(
        label=_("Jenis tulisan"),
        choices=Post.Kind.choices,
        initial=Post.Kind.KEGIATAN,
        error_messages={
            "required": _("Pilih jenis tulisan."),
            "invalid_choice": _("Pilih jenis tulisan dari daftar."),
        },
    )
    title = forms.CharField(
        label=_("Judul"),
        max_length=150,
        error_messages={
            "required": _("Isi judul tulisan."),
            "max_length": _("Judul maksimal %(limit_value)d karakter."),
        },
    )
    summary = forms.CharField(
        label=_("Ringkasan"),
        required=False,
        max_length=300,
        help_text=_("Satu atau dua kalimat yang tampil di daftar tulisan."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Ringkasan maksimal %(limit_value)d karakter.")},
    )
    body = forms.CharField(
        label=_("Isi tulisan"),
        required=False,
        strip=False,
        help_text=_(
            "Pisahkan paragraf dengan baris kosong. **tebal**, *miring*, "
            "baris diawali “- ” untuk daftar, “## ” untuk subjudul. Tautan ditulis apa adanya."
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    tags = forms.CharField(
        label=_("Tag"),
        required=False,
        max_length=400,
        help_text=_("Pisahkan dengan koma, misalnya: kerja bakti, lingkungan"),
    )

    # UMKM
    price = forms.CharField(
        label=_("Harga (Rp)"),
        required=False,
        max_length=20,
        help_text=_("Misalnya 25.000"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    order_whatsapp = forms.CharField(
        label=_("Nomor WhatsApp pemesanan"),
        required=False,
        max_length=24,
        help_text=_("Misalnya 0812-3456-7890"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    umkm_category = forms.ChoiceField(
        label=_("Kategori UMKM"),
        required=False,
        choices=[("", _("Pilih kategori")), *Post.UmkmCategory.choices],
        help_text=_("Tampil di daftar UMKM se-Indonesia; tanpa kategori dianggap “Lainnya”."),
        error_messages={"invalid_choice": _("Pilih kategori dari daftar.")},
    )
    # Klarifikasi hoaks
    claim = forms.CharField(
        label=_("Klaim yang beredar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    verdict = forms.ChoiceField(
        label=_("Putusan"),
        required=False,
        choices=[("", _("Pilih putusan"))] + list(Post.Verdict.choices),
        error_messages={"invalid_choice": _("Pilih putusan dari daftar.")},
    )
    sources = forms.CharField(
        label=_("Sumber"),
        required=False,
        help_text=_(
            "Satu sumber per baris: keterangan resmi (misalnya “Keterangan petugas PLN Rayon "
            "Genteng”) dan/atau tautannya, diawali https://"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Agenda
    event_date = forms.DateField(
        label=_("Tanggal acara"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Isi tanggal dengan benar, misalnya 17/08/2026.")},
    )
    event_time = forms.TimeField(
        label=_("Jam acara"),
        required=False,
        widget=TimeInput,
        error_messages={"invalid": _("Isi jam dengan benar, misalnya 08:30.")},
    )
    event_place = forms.CharField(label=_("Tempat acara"), required=False, max_length=200)

    # Set by the "Simpan & kirim" button (name="kirim"): what is sent must be complete, while a
    # draft may be saved with parts missing. Not drawn as an input of its own.
    kirim = forms.BooleanField(required=False, widget=forms.HiddenInput)

    publish_at = forms.DateTimeField(
        label=_("Jadwal tayang (tidak wajib)"),
        required=False,
        help_text=_("Kosongkan agar tayang segera setelah disetujui."),
        widget=DateTimeLocalInput,
        error_messages={"invalid": _("Isi tanggal dan jam tayang dengan benar.")},
    )

    def __init__(
        self,
        *args,
        post: Post | None = None,
        revision: PostRevision | None = None,
        can_schedule: bool = False,
        **kwargs,
    ):
        if post is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(post, revision)
        super().__init__(*args, **kwargs)
        self.post = post
        if not can_schedule:
            del self.fields["publish_at"]

    @staticmethod
    def initial_for(post: Post, revision: PostRevision | None = None) -> dict:
        """The post's values; with a pending revision, its text (what the author last saved)."""
        text = revision or post
        initial = {
            name: getattr(text, name) for name in ("kind", "title", "summary", "body", *EMPTY)
        }
        initial["publish_at"] = post.publish_at
        initial["tags"] = ", ".join(text.tags or [])
        if post.publish_at:
            initial["publish_at"] = timezone.localtime(post.publish_at)
        return initial

    @property
    def kind_fieldsets(self) -> list[tuple[str, str, list]]:
        """(kind, its label, its bound fields) for the template's kind-specific fieldsets."""
        labels = dict(Post.Kind.choices)
        return [
            (kind, labels[kind], [self[name] for name in names])
            for kind, names in KIND_FIELDS.items()
        ]

    def clean_tags(self) -> list[str]:
        tags = []
        for raw in self.cleaned_data["tags"].split(","):
            tag = " ".join(raw.split()).lower()
            if tag and tag not in tags:
                tags.append(tag)
        if len(tags) > TAGS_MAX:
            raise ValidationError(_("Paling banyak %(n)d tag.") % {"n": TAGS_MAX})
        if any(len(tag) > TAG_MAX_LENGTH for tag in tags):
            raise ValidationError(
                _("Satu tag paling panjang %(n)d karakter.") % {"n": TAG_MAX_LENGTH}
            )
        return tags

    def clean_price(self) -> Decimal | None:
        raw = _PRICE_NOISE_RE.sub("", self.cleaned_data["price"])
        if not raw:
            return None
        try:
            price = Decimal(raw.replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError(_("Isi harga dengan angka, misalnya 25.000.")) from exc
        if price < 0 or price != price.to_integral_value() or price >= Decimal(10) ** 12:
            raise ValidationError(_("Isi harga dalam rupiah bulat, misalnya 25.000."))
        return price

    def clean_order_whatsapp(self) -> str:
        return normalise_whatsapp(self.cleaned_data["order_whatsapp"])

    def clean_sources(self) -> str:
        """One source per line, as text; any web address in it must be a full http(s) link."""
        sources = "\n".join(source_lines(self.cleaned_data["sources"]))
        bad = bad_addresses(sources)
        if bad:
            raise ValidationError(
                _(
                    "“%(address)s” bukan tautan yang dapat dibuka. Tautan sumber harus lengkap "
                    "dan diawali http:// atau https://."
                )
                % {"address": bad[0][:80]}
            )
        return sources

    def clean_publish_at(self):
        publish_at = self.cleaned_data["publish_at"]
        if publish_at and "publish_at" in self.changed_data and publish_at <= timezone.now():
            raise ValidationError(_("Jadwal tayang harus di masa mendatang."))
        return publish_at

    def clean(self) -> dict:
        """A hoax clarification that is sent, or that is on air, needs its claim, verdict and
        sources (the services refuse it too); a draft may be saved without them."""
        cleaned = super().clean()
        on_air = self.post is not None and self.post.status in ON_AIR
        if (cleaned.get("kirim") or on_air) and cleaned.get("kind") == Post.Kind.HOAKS:
            text = PostData(
                kind=Post.Kind.HOAKS,
                title="",
                claim=cleaned.get("claim", ""),
                verdict=cleaned.get("verdict", ""),
                sources=cleaned.get("sources", ""),
            )
            for name, message in hoax_missing(text).items():
                if name not in self.errors:  # an invalid source line is already named
                    self.add_error(name, message)
        return cleaned

    def post_data(self) -> PostData:
        """The cleaned input as the services take it; another kind's details are dropped."""
        data = self.cleaned_data
        kind = data["kind"]
        details = {
            name: (data[name] if name in KIND_FIELDS.get(kind, ()) else empty)
            for name, empty in EMPTY.items()
        }
        if "publish_at" in self.fields:
            publish_at = data["publish_at"]
        else:  # contributors cannot schedule; an editor's schedule is kept
            publish_at = self.post.publish_at if self.post else None
        return PostData(
            kind=kind,
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            tags=data["tags"],
            publish_at=publish_at,
            **details,
        )


# --- Photos ----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input. Each file is judged by the photo service, one by one, so
    that a refused photo neither blocks the others nor loses the post's text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f and getattr(f, "name", "")]


CAPTION_MAX = Image._meta.get_field("caption").max_length  # alt_text's too


@dataclass
class PhotoFields:
    """The bound fields of one photo card: an Image of the post, or a PendingPhoto."""

    item: Image | PendingPhoto
    caption: forms.BoundField | None = None  # None: shown, not editable here
    alt_text: forms.BoundField | None = None
    extra: forms.BoundField | None = None  # an Image's replacement, a PendingPhoto's drop box


class PhotosForm(forms.Form):
    """Everything about photos on the editor's one form, saved by its one "Simpan":

    - `photos`: new files (each judged by the photo service, one by one);
    - `photo-<id>-caption`, `-alt_text`, `-replacement`: the post's own photos, built from the
      photos the view passes (the post's, read through its access helper), so that an id typed
      into the request for another post's photo is never read;
    - `pending-<id>-caption`, `-alt_text`, `-drop`: photos kept from a refused first save of a
      new post (the writer's own, of this form's token);
    - `new-<n>-caption`, `-alt_text`: what editor.js lets the writer type for the n-th chosen
      file before it is uploaded (without JavaScript, captions are written after the save).

    A photo whose fields are missing from the request keeps what it has."""

    photos = MultipleFileField(
        label=_("Tambah foto"),
        required=False,
        help_text=_(
            "Boleh beberapa sekaligus: paling banyak 10 foto per tulisan, "
            "masing-masing sampai 15 MB."
        ),
    )

    def __init__(
        self,
        data=None,
        files=None,
        *,
        images: list[Image] = (),
        pending: list[PendingPhoto] = (),
        **kwargs,
    ):
        self.images = list(images)
        self.pending = list(pending)
        if data is not None:
            data = self._with_current_texts(data)
        super().__init__(data, files, **kwargs)
        for n, image in enumerate(self.images, start=1):
            self._text_fields(f"photo-{image.pk}", n, image)
            self.fields[f"photo-{image.pk}-replacement"] = forms.FileField(
                label=_("Ganti foto %(n)d dengan foto lain") % {"n": n},
                required=False,
                widget=forms.FileInput(attrs={"accept": "image/*"}),
                error_messages={"empty": _("Berkas yang diunggah kosong.")},
            )
        for n, item in enumerate(self.pending, start=len(self.images) + 1):
            self._text_fields(f"pending-{item.pk}", n, item)
            self.fields[f"pending-{item.pk}-drop"] = forms.BooleanField(
                label=_("Jangan lampirkan foto %(n)d") % {"n": n}, required=False
            )

    def _with_current_texts(self, data):
        """The request's data, with the stored caption and alternative text of every photo whose
        fields it lacks (a photo added after the page was drawn, an autosave of an older page)."""
        missing = [
            (prefix, item)
            for prefix, items in (("photo", self.images), ("pending", self.pending))
            for item in items
            if f"{prefix}-{item.pk}-caption" not in data
            and f"{prefix}-{item.pk}-alt_text" not in data
        ]
        if not missing:
            return data
        data = data.copy()
        for prefix, item in missing:
            data[f"{prefix}-{item.pk}-caption"] = item.caption
            data[f"{prefix}-{item.pk}-alt_text"] = item.alt_text
        return data

    def _text_fields(self, prefix: str, n: int, item: Image | PendingPhoto) -> None:
        self.fields[f"{prefix}-caption"] = forms.CharField(
            label=_("Keterangan foto %(n)d") % {"n": n},
            required=False,
            initial=item.caption,
            max_length=CAPTION_MAX,
            error_messages={"max_length": _("Keterangan maksimal %(limit_value)d karakter.")},
        )
        self.fields[f"{prefix}-alt_text"] = forms.CharField(
            label=_("Teks alternatif foto %(n)d") % {"n": n},
            required=False,
            initial=item.alt_text,
            max_length=CAPTION_MAX,
            help_text=_("Gambarkan isi foto untuk pembaca yang tidak dapat melihatnya"),
            error_messages={"max_length": _("Teks alternatif maksimal %(limit_value)d karakter.")},
        )

    # --- For the template ---------------------------------------------------------------------

    def _cards(self, prefix: str, items: list, extra: str) -> list[PhotoFields]:
        return [
            PhotoFields(
                item,
                self[f"{prefix}-{item.pk}-caption"],
                self[f"{prefix}-{item.pk}-alt_text"],
                self[f"{prefix}-{item.pk}-{extra}"],
            )
            for item in items
        ]

    def photo_cards(self) -> list[PhotoFields]:
        return self._cards("photo", self.images, "replacement")

    def pending_cards(self) -> list[PhotoFields]:
        return self._cards("pending", self.pending, "drop")

    # --- For the view (after is_valid) ----------------------------------------------------------

    def _texts(self, prefix: str, items: list) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: (data[f"{prefix}-{item.pk}-caption"], data[f"{prefix}-{item.pk}-alt_text"])
            for item in items
        }

    def image_texts(self) -> dict[int, tuple[str, str]]:
        """{photo id: (caption, alternative text)} for the post's photos on the form."""
        return self._texts("photo", self.images)

    def pending_texts(self) -> dict[int, tuple[str, str]]:
        return self._texts("pending", self.pending)

    def pending_dropped(self) -> set[int]:
        return {item.pk for item in self.pending if self.cleaned_data[f"pending-{item.pk}-drop"]}

    # --- Also after a refused save (the files must not be lost) ----------------------------------

    def new_uploads(self) -> list[tuple[object, str, str]]:
        """(file, caption, alternative text) of each chosen file, in the order chosen. Read from
        the request itself, valid or not: a refused save keeps the files. The texts are cut to
        their length (editor.js draws them with that maxlength; nowhere to show an error)."""
        if self.files is None:
            return []
        uploads = []
        for n, upload in enumerate(self.files.getlist("photos")):
            if not (upload and getattr(upload, "name", "")):
                continue
            caption, alt_text = (
                " ".join(str(self.data.get(f"new-{n}-{name}", "")).split())[:CAPTION_MAX]
                for name in ("caption", "alt_text")
            )
            uploads.append((upload, caption, alt_text))
        return uploads

    def replacements(self) -> dict[int, object]:
        """{photo id: the file chosen to replace it}, valid form or not (as new_uploads; on a
        valid form these are exactly the cleaned replacement fields, which refuse a nameless or
        empty file too)."""
        if self.files is None:
            return {}
        chosen = {}
        for image in self.images:
            upload = self.files.get(f"photo-{image.pk}-replacement")
            if upload and getattr(upload, "name", "") and upload.size:
                chosen[image.pk] = upload
        return chosen


class PhotoForm(forms.ModelForm):
    """Caption and alternative text of one photo, and optionally a new file to replace it."""

    replacement = forms.FileField(
        label=_("Ganti dengan foto lain"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        error_messages={"empty": _("Berkas yang diunggah kosong.")},
    )

    class Meta:
        model = Image
        fields = ["caption", "alt_text"]
        error_messages = {
            "caption": {"max_length": _("Keterangan maksimal %(limit_value)d karakter.")},
            "alt_text": {"max_length": _("Teks alternatif maksimal %(limit_value)d karakter.")},
        }


# --- List filter -------------------------------------------------------------------------------


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status"))] + list(Post.Status.choices),
        error_messages={"invalid_choice": _("Pilih status dari daftar.")},
    )
