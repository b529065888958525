"""KIMs (the tenants), their rosters, their members' roles and their verification history."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kimportal.lib import count_cache, page_cache
from regions.models import District, Province, Regency, Village

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")
BRAND_COLOUR_RE = re.compile(r"^#[0-9a-f]{6}$")


def private_storage():
    """The storage of SK scans and photo originals (callable: resolved at run time)."""
    from kimportal.lib.storage import private_storage as lazy_private_storage

    return lazy_private_storage()


class FocusSector(models.TextChoices):
    PERTANIAN = "pertanian", _("Pertanian")
    PERIKANAN = "perikanan", _("Perikanan")
    UMKM = "umkm", _("UMKM")
    PARIWISATA = "pariwisata", _("Pariwisata")
    BUDAYA = "budaya", _("Budaya")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    KEBENCANAAN = "kebencanaan", _("Kebencanaan")
    LINGKUNGAN = "lingkungan", _("Lingkungan")
    LITERASI_DIGITAL = "literasi_digital", _("Literasi digital")


class CommunityQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """Update, then invalidate the cached pages of the KIMs (kimportal.lib.page_cache)."""
        rows = list(self.order_by().values_list("pk", "province_id", "regency_id"))
        if "status" in kwargs:  # before the pages' bump: a page re-rendered reads new counts
            count_cache.changed(LIVE_COUNTS)
        updated = super().update(**kwargs)
        for pk, province_id, regency_id in rows if updated else []:
            page_cache.bump(
                *page_cache.scopes_of(
                    community_id=pk, province_id=province_id, regency_id=regency_id
                )
            )
        return updated

    def live(self) -> "CommunityQuerySet":
        """Verified KIMs: the ones with a public subsite and a place in the directory."""
        return self.filter(status=Community.Status.VERIFIED)

    def visible_to(self, user) -> "CommunityQuerySet":
        """Every KIM a Diskominfo admin's scopes reach (any status). Nothing for anyone else."""
        from communities.permissions import staff_region_filter

        region_filter = staff_region_filter(user)
        return self.filter(region_filter) if region_filter is not None else self.none()

    def managed_by(self, user) -> "CommunityQuerySet":
        """KIMs in which the user holds any role (contributor, editor, admin)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(roles__user=user).distinct()

    def applications_of(self, user) -> "CommunityQuerySet":
        """Sign-ups the user started that are still theirs to edit (draft or rejected)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            applicant=user, status__in=[Community.Status.DRAFT, Community.Status.REJECTED]
        )


# The rows public pages list: verified KIMs (partial indexes carry this condition).
LIVE = Q(status="verified")
# The cached counts of verified KIMs per region (communities.selectors.live_counts).
LIVE_COUNTS = "live-kims"


class Community(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf pendaftaran")
        PENDING = "pending", _("Menunggu verifikasi")
        VERIFIED = "verified", _("Terverifikasi")
        REJECTED = "rejected", _("Ditolak")
        SUSPENDED = "suspended", _("Dibekukan")

    class Kind(models.TextChoices):
        KIM = "kim", _("KIM")
        FORUM_REGENCY = "forum_regency", _("Forum KIM kabupaten/kota")
        FORUM_PROVINCE = "forum_province", _("Forum KIM provinsi")

    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.KIM)
    name = models.CharField(_("nama KIM"), max_length=120, blank=True)
    # The subdomain. Empty while a sign-up has not reached the name step.
    slug = models.CharField(
        _("alamat subdomain"), max_length=40, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Issued on first verification: village code digits + a two-digit sequence within the village.
    nomor_induk = models.CharField(
        _("nomor induk"), max_length=12, unique=True, null=True, blank=True
    )

    # Address. A KIM sits in a village; a forum sits at its regency or province. The region columns
    # are copied from the village so that lists filter without joins.
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communities",
        verbose_name=_("desa/kelurahan"),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="communities"
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, related_name="communities"
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="communities"
    )
    street_address = models.CharField(_("alamat sekretariat"), max_length=200, blank=True)

    # Profile
    tagline = models.CharField(_("slogan"), max_length=140, blank=True)
    about = models.TextField(_("tentang KIM"), blank=True)
    vision = models.TextField(_("visi"), blank=True)
    mission = models.TextField(_("misi"), blank=True)
    focus_sectors = models.JSONField(_("bidang fokus"), default=list, blank=True)
    logo = models.ImageField(_("logo"), upload_to="kim/logo/", blank=True)
    cover = models.ImageField(_("foto sampul"), upload_to="kim/sampul/", blank=True)
    brand_colour = models.CharField(_("warna utama"), max_length=7, default="#0a5ca8")
    whatsapp = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    facebook = models.URLField(_("Facebook"), blank=True)
    instagram = models.URLField(_("Instagram"), blank=True)
    youtube = models.URLField(_("YouTube"), blank=True)
    tiktok = models.URLField(_("TikTok"), blank=True)

    # The village head's decree (SK) that founds the KIM; the scan is private.
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    sk_file = models.FileField(
        _("pindaian SK"), upload_to="sk/%Y/%m/", storage=private_storage, blank=True
    )

    # Set by a regency admin: editors of a trusted KIM publish without pre-moderation.
    is_trusted = models.BooleanField(_("tepercaya"), default=False)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("pendaftar"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    # Search keys, written by the database on PostgreSQL whatever Django sends (a trigger of
    # communities' 0004 migration): the name and the village's name without accents, each with a
    # trigram index over the live KIMs (communities.search). Empty on SQLite.
    search_name = models.TextField(editable=False, blank=True, default="")
    search_village = models.TextField(editable=False, blank=True, default="")

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("KIM")
        verbose_name_plural = _("KIM")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="community_queue_idx"),
            # Public lists of verified KIMs (the directory, region pages, the portal's newest):
            # partial, in the order the lists are read (keyset pagination on name, pk).
            models.Index(fields=["name", "id"], name="community_live_name_idx", condition=LIVE),
            models.Index(
                fields=["regency", "name", "id"], name="community_live_regency_idx", condition=LIVE
            ),
            models.Index(
                fields=["province", "name", "id"],
                name="community_live_province_idx",
                condition=LIVE,
            ),
            models.Index(
                fields=["-verified_at", "-id"], name="community_live_newest_idx", condition=LIVE
            ),
            # Every KIM by name, whatever its status: staff dashboards' per-KIM table.
            models.Index(fields=["name", "id"], name="community_name_idx"),
            models.Index(fields=["district", "status"], name="community_district_idx"),
            models.Index(fields=["village", "status"], name="community_village_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="community_brand_colour_hex",
                condition=Q(brand_colour__regex=r"^#[0-9a-f]{6}$"),
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("(pendaftaran tanpa nama)"))

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        from communities.selectors import community_host_cache_clear

        community_host_cache_clear(self)
        # Its subsite and the portal and region pages that list it are cached while it is live
        # (kimportal.lib.page_cache); a sign-up being filled in touches no cached page.
        verified = self.Status.VERIFIED
        status_at_load = getattr(self, "_status_at_load", None)
        if verified in (self.status, status_at_load):
            if self.status != status_at_load:  # it joined or left the lists: recount them
                count_cache.changed(LIVE_COUNTS)
            page_cache.bump(*self.page_scopes())
        self._status_at_load = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._status_at_load = instance.__dict__.get("status")
        return instance

    def page_scopes(self) -> list[str]:
        return page_cache.scopes_of(
            community_id=self.pk, province_id=self.province_id, regency_id=self.regency_id
        )

    def clean(self) -> None:
        if self.brand_colour and not BRAND_COLOUR_RE.match(self.brand_colour):
            raise ValidationError({"brand_colour": _("Gunakan kode warna seperti #0a5ca8.")})

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_forum(self) -> bool:
        return self.kind != self.Kind.KIM

    @property
    def is_editable_application(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)

    @property
    def region_path(self) -> list:
        """Province → regency → district → village, as far as this community has them."""
        return [r for r in (self.province, self.regency, self.district, self.village) if r]

    @property
    def nomor_induk_display(self) -> str:
        """ "357809100301" → "35.78.09.1003.01"."""
        n = self.nomor_induk or ""
        if len(n) != 12:
            return n
        return f"{n[:2]}.{n[2:4]}.{n[4:6]}.{n[6:10]}.{n[10:]}"

    def set_village(self, village: Village) -> None:
        """Point the address at a village and copy its district, regency and province."""
        self.village = village
        self.district = village.district
        self.regency = village.district.regency
        self.province = village.district.regency.province


class CommunitySlugRedirect(models.Model):
    """A subdomain a KIM used before it was renamed; requests to it redirect (301)."""

    old_slug = models.CharField(max_length=40, unique=True)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["community"], name="slug_redirect_community_idx")]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.community.slug}"


class Member(models.Model):
    """The roster. Phone numbers are private: shown only to the KIM's admins and to staff."""

    class Position(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        BENDAHARA = "bendahara", _("Bendahara")
        SEKSI = "seksi", _("Seksi")
        ANGGOTA = "anggota", _("Anggota")

    POSITION_ORDER = {p: i for i, p in enumerate(Position.values)}

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("nama"), max_length=120)
    position = models.CharField(_("jabatan"), max_length=12, choices=Position.choices)
    position_detail = models.CharField(
        _("keterangan jabatan"), max_length=80, blank=True, help_text=_("Misalnya: Seksi Humas")
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("akun"),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")
        ordering = ["sort_order", "name"]
        indexes = [models.Index(fields=["community", "sort_order"], name="member_community_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"

    # The public roster is part of the KIM's subsite: its pages get a new version.
    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        page_cache.bump(page_cache.community_scope(self.community_id))

    def delete(self, *args, **kwargs):
        page_cache.bump(page_cache.community_scope(self.community_id))
        return super().delete(*args, **kwargs)


class Role(models.Model):
    """What a user may do in one KIM."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Admin KIM")
        EDITOR = "editor", _("Editor")
        CONTRIBUTOR = "contributor", _("Kontributor")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_roles"
    )
    role = models.CharField(_("peran"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = _("peran")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="role_one_per_user_uq")
        ]
        indexes = [models.Index(fields=["user", "community"], name="role_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.community}"


class Invitation(models.Model):
    """A single-use, expiring invitation to take a role in a KIM. Only the token's hash is kept."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("peran"), max_length=12, choices=Role.Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        indexes = [
            models.Index(fields=["community", "created_at"], name="invitation_community_idx")
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.community}"


class VerificationEvent(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        RESUBMITTED = "resubmitted", _("Diajukan ulang")
        VERIFIED = "verified", _("Diverifikasi")
        REJECTED = "rejected", _("Ditolak")
        SUSPENDED = "suspended", _("Dibekukan")
        REINSTATED = "reinstated", _("Diaktifkan kembali")
        SLUG_CHANGED = "slug_changed", _("Alamat subdomain diubah")
        TRUST_CHANGED = "trust_changed", _("Status tepercaya diubah")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="verification_events"
    )
    action = models.CharField(_("tindakan"), max_length=14, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    reason = models.TextField(_("alasan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat verifikasi")
        verbose_name_plural = _("riwayat verifikasi")
        ordering = ["community", "created_at"]
        indexes = [models.Index(fields=["community", "created_at"], name="verif_event_idx")]

    def __str__(self) -> str:
        return f"{self.community} · {self.get_action_display()}"
