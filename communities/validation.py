"""Rules for a KIM's subdomain and for the SK (its date and scan), shared by forms and services."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.models import SLUG_RE, Community, CommunitySlugRedirect
from kimportal.lib.hosts import RESERVED_SLUGS

SLUG_MIN, SLUG_MAX = 3, 40


def slug_is_taken(slug: str, *, exclude_pk: int | None = None) -> bool:
    current = Community.objects.filter(slug=slug).exclude(pk=exclude_pk)
    former = CommunitySlugRedirect.objects.filter(old_slug=slug).exclude(community_id=exclude_pk)
    return current.exists() or former.exists()


def validate_slug(slug: str, *, exclude_pk: int | None = None) -> None:
    """Raise ValidationError (in Bahasa Indonesia) unless `slug` can be a KIM subdomain."""
    if not SLUG_MIN <= len(slug) <= SLUG_MAX:
        raise ValidationError(
            _("Alamat subdomain harus %(min)d sampai %(max)d karakter.")
            % {"min": SLUG_MIN, "max": SLUG_MAX},
            code="length",
        )
    if not SLUG_RE.match(slug) or "--" in slug:
        raise ValidationError(
            _(
                "Gunakan huruf kecil a–z, angka, dan tanda hubung (-) saja; "
                "tidak boleh diawali atau diakhiri tanda hubung."
            ),
            code="format",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("Alamat ini dicadangkan dan tidak dapat dipakai."), code="reserved")
    if slug_is_taken(slug, exclude_pk=exclude_pk):
        raise ValidationError(_("Alamat ini sudah dipakai KIM lain."), code="taken")


def slug_suggestions(
    wanted: str, *, village_name: str = "", regency_name: str = "", limit: int = 4
) -> list[str]:
    """Free alternatives to a taken or invalid subdomain, checked in one query."""
    base = slugify(wanted.replace("_", "-"))[:SLUG_MAX].strip("-") or "kim"
    village = slugify(village_name)
    regency = slugify(
        regency_name.removeprefix("Kabupaten ").removeprefix("Kota ").removeprefix("Administrasi ")
    )
    candidates = []
    for candidate in (
        base,
        f"kim-{base}" if not base.startswith("kim") else "",
        f"{base}-{village}" if village and village not in base else "",
        f"kim-{village}" if village else "",
        f"{base}-{regency}" if regency and regency not in base else "",
        *(f"{base}-{n}" for n in range(2, 6)),
    ):
        candidate = candidate[:SLUG_MAX].strip("-")
        if (
            candidate
            and candidate not in candidates
            and SLUG_RE.match(candidate)
            and "--" not in candidate
            and candidate not in RESERVED_SLUGS
        ):
            candidates.append(candidate)
    taken = set(Community.objects.filter(slug__in=candidates).values_list("slug", flat=True)) | set(
        CommunitySlugRedirect.objects.filter(old_slug__in=candidates).values_list(
            "old_slug", flat=True
        )
    )
    return [c for c in candidates if c not in taken][:limit]


def slug_from_name(name: str) -> str:
    """A subdomain made from a KIM's name: "KIM Peneleh Bersatu" → "kim-peneleh-bersatu"."""
    return slugify(name.replace("_", "-"))[:SLUG_MAX].strip("-")


# Years after which an SK is flagged for the verifier (the KIM may have been re-formed since).
SK_MAX_AGE_YEARS_DEFAULT = 5


def sk_max_age_years() -> int:
    return getattr(settings, "SK_MAX_AGE_YEARS", SK_MAX_AGE_YEARS_DEFAULT)


def validate_decree_date(decree_date: datetime.date, *, today: datetime.date | None = None) -> None:
    """An SK cannot be dated after today (in the portal's time zone)."""
    today = today or timezone.localdate()
    if decree_date > today:
        raise ValidationError(
            _("Tanggal SK tidak boleh setelah hari ini. Periksa kembali tanggal pada SK."),
            code="future",
        )


def decree_is_old(decree_date: datetime.date | None, *, today: datetime.date | None = None) -> bool:
    """True when the SK is older than SK_MAX_AGE_YEARS: shown to the verifier, never refused."""
    if decree_date is None:
        return False
    today = today or timezone.localdate()
    years = sk_max_age_years()
    try:
        limit = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - years, day=28)
    return decree_date < limit


SK_MAX_BYTES = 5 * 1024 * 1024
SK_TYPES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def sk_file_kind(upload) -> str:
    """Check an uploaded SK scan by its content; return its real extension or raise."""
    if upload.size > SK_MAX_BYTES:
        raise ValidationError(_("Berkas SK maksimal 5 MB."), code="too_big")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((ext for magic, ext in SK_TYPES.items() if head.startswith(magic)), None)
    if kind is None:
        raise ValidationError(
            _("Berkas SK harus berupa PDF, JPEG, atau PNG (isi berkas tidak sesuai)."),
            code="type",
        )
    if kind in ("jpg", "png"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _("Gambar SK rusak atau tidak dapat dibaca."), code="broken"
            ) from exc
        finally:
            upload.seek(0)
    return kind
