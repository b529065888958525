"""Siaran: messages Diskominfo staff send down to the KIMs of an area, and the KIMs' relays.

A siaran targets all of Indonesia, some provinces and/or some regencies. A KIM's inbox is one
query on the siaran with the KIM's province and regency (no delivery row per KIM): a national
siaran to 83,000 villages is one row plus its relays.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from kimportal.lib import page_cache
from kimportal.lib.storage import private_storage
from regions.models import Province, Regency


class SiaranQuerySet(models.QuerySet):
    def published(self) -> "SiaranQuerySet":
        return self.filter(status=Siaran.Status.PUBLISHED)

    def current(self, now=None) -> "SiaranQuerySet":
        """Published and valid now (what inboxes and the portal list show)."""
        now = now or timezone.now()
        return self.published().filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=now), valid_from__lte=now
        )

    def targeting(self, *, province_id: str | None, regency_id: str | None) -> "SiaranQuerySet":
        """Siaran whose target covers a place (national, its province, or its regency)."""
        return self.filter(target_q(province_id=province_id, regency_id=regency_id))

    def for_community(self, community: Community) -> "SiaranQuerySet":
        """The inbox of a KIM: current siaran whose target covers it."""
        return self.current().targeting(
            province_id=community.province_id, regency_id=community.regency_id
        )


def target_q(*, province_id: str | None, regency_id: str | None) -> Q:
    """A filter on Siaran: the target covers this province and regency (one query, EXISTS)."""
    provinces = Siaran.provinces.through.objects.filter(
        siaran_id=OuterRef("pk"), province_id=province_id
    )
    regencies = Siaran.regencies.through.objects.filter(
        siaran_id=OuterRef("pk"), regency_id=regency_id
    )
    return Q(national=True) | Exists(provinces) | Exists(regencies)


class Siaran(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")
        WITHDRAWN = "withdrawn", _("Ditarik")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    office_name = models.CharField(_("nama instansi"), max_length=150)
    title = models.CharField(_("judul"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170)
    body = models.TextField(_("isi"))
    body_html = models.TextField(blank=True)  # rendered from body by posts.text.render_body
    links = models.TextField(_("tautan"), blank=True, help_text=_("Satu tautan per baris"))
    valid_from = models.DateTimeField(_("berlaku mulai"), default=timezone.now)
    valid_until = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    national = models.BooleanField(_("seluruh Indonesia"), default=False)
    provinces = models.ManyToManyField(
        Province, blank=True, related_name="+", verbose_name=_("provinsi")
    )
    regencies = models.ManyToManyField(
        Regency, blank=True, related_name="+", verbose_name=_("kabupaten/kota")
    )
    # An optional PDF, kept private: the portal streams it only while the siaran is published.
    attachment = models.FileField(
        _("lampiran PDF"), upload_to="siaran/pdf/%Y/%m/", storage=private_storage, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("terbit"), null=True, blank=True)
    # When it reached inboxes: the later of publication and valid_from (digests read this).
    inbox_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SiaranQuerySet.as_manager()

    class Meta:
        verbose_name = _("siaran")
        verbose_name_plural = _("siaran")
        ordering = ["-inbox_at", "-pk"]
        indexes = [
            models.Index(
                fields=["-inbox_at", "-id"],
                name="siaran_current_idx",
                condition=Q(status="published"),
            ),
            models.Index(fields=["status", "-created_at"], name="siaran_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def bump_pages(self) -> None:
        """The portal's siaran pages depend on the national scope (see page_cache.scopes_of)."""
        page_cache.bump(page_cache.NATIONAL)


class SiaranImage(models.Model):
    """One photo of a siaran; the original is private, renditions are public while the siaran
    is not withdrawn (same fields as posts.Image, so components/picture.html draws it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu diproses")
        PROCESSING = "processing", _("Sedang diproses")
        READY = "ready", _("Siap")
        FAILED = "failed", _("Gagal")

    siaran = models.ForeignKey(Siaran, on_delete=models.CASCADE, related_name="images")
    original = models.FileField(upload_to="siaran/originals/%Y/%m/", storage=private_storage)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Set when a worker takes the photo: another worker leaves it alone until it is stale.
    processing_started_at = models.DateTimeField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    placeholder = models.CharField(max_length=7, blank=True)
    renditions = models.JSONField(default=dict, blank=True)
    alt_text = models.CharField(_("teks alternatif"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"foto siaran #{self.pk}"


class Relay(models.Model):
    """A KIM's post made from a siaran (one per siaran and KIM)."""

    siaran = models.ForeignKey(Siaran, on_delete=models.CASCADE, related_name="relays")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    post = models.OneToOneField("posts.Post", on_delete=models.CASCADE, related_name="siaran_relay")
    # Copied from the community: the report's breakdown groups without joining communities.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, related_name="+")
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, null=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["siaran", "community"], name="relay_one_per_kim_uq")
        ]
        indexes = [
            models.Index(fields=["siaran", "province", "regency"], name="relay_report_idx"),
            models.Index(fields=["community", "siaran"], name="relay_community_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.siaran} → {self.community_id}"


class Reminder(models.Model):
    """Staff reminded the not-yet-relaying KIMs of their area (at most once a day per area)."""

    siaran = models.ForeignKey(Siaran, on_delete=models.CASCADE, related_name="reminders")
    area = models.CharField(max_length=200)  # "n", or the reminder's scopes ("p35,r32.73")
    day = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    community_count = models.PositiveIntegerField(default=0)  # KIMs emailed so far
    # Progress of the sending task (keyset on community pk): a rerun resumes, never resends.
    done_until_pk = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["siaran", "area", "day"], name="reminder_once_per_day_uq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.siaran} · {self.area} · {self.day}"


class InboxState(models.Model):
    """Per KIM: when its inbox was last opened (the dashboard's count of new siaran) and up to
    when its admins were sent a digest."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, primary_key=True, related_name="siaran_state"
    )
    seen_until = models.DateTimeField(null=True, blank=True)
    digest_sent_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.community_id}"
