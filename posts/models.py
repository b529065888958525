"""Posts a KIM publishes, their photos, and the moderation around them."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, private_storage
from communities.permissions import staff_region_filter
from kimportal.lib import page_cache
from kimportal.lib.indexes import NullsOrderedIndex
from kimportal.lib.search import PortableGinIndex
from posts.sources import Source, parse_sources

# Columns no public page shows: writing only these never invalidates a cached page.
PAGE_NEUTRAL_POST_FIELDS = frozenset(
    {"checks", "checks_done", "claimed_by", "claimed_at", "escalated_at", "open_reports",
     "submitted_at", "decision_reason", "search_vector"}
)  # fmt: skip
PAGE_NEUTRAL_IMAGE_FIELDS = frozenset({"attempts", "processing_started_at", "error"})


def _bump_post_pages(rows) -> None:
    """New page versions for the KIMs and regions of posts.

    `rows` holds (community, province, regency) of each post."""
    for community_id, province_id, regency_id in set(rows):
        page_cache.bump(
            *page_cache.scopes_of(
                community_id=community_id, province_id=province_id, regency_id=regency_id
            )
        )


def _bump_published_posts(post_ids) -> None:
    """New page versions for those of the posts that are published (their photos changed)."""
    _bump_post_pages(
        Post.objects.filter(pk__in=list(post_ids), status=Post.Status.PUBLISHED).values_list(
            "community_id", "province_id", "regency_id"
        )
    )


class PostQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """Update, then invalidate the cached pages the rows appear on (see page_cache)."""
        if PAGE_NEUTRAL_POST_FIELDS.issuperset(kwargs):
            return super().update(**kwargs)
        rows = list(
            self.order_by().values_list("community_id", "province_id", "regency_id").distinct()
        )
        updated = super().update(**kwargs)
        if updated:
            _bump_post_pages(rows)
        return updated

    def for_community(self, community: Community) -> "PostQuerySet":
        return self.filter(community=community)

    def _published_and_due(self) -> "PostQuerySet":
        # PUBLIC is the condition of the public lists' partial indexes.
        return self.filter(PUBLIC, published_at__lte=timezone.now())

    def public(self) -> "PostQuerySet":
        """Published, not hidden by reports, of a live KIM, and due."""
        return self._published_and_due().filter(community__status=Community.Status.VERIFIED)

    def public_unjoined(self) -> "PostQuerySet":
        """The rows of public(), without joining each post to its KIM: the posts of the KIMs
        that are not live are left out by id (sign-ups under way and suspended KIMs, read
        through the status index and hashed once). For a scan of thousands of posts (search's
        probe of the newest) the join cost 2-5 times the scan itself; a short list keeps
        public(). tests/search/test_selectors.py checks that both give the same rows."""
        not_live = [s for s in Community.Status.values if s != Community.Status.VERIFIED]
        return self._published_and_due().exclude(
            community__in=Community.objects.filter(status__in=not_live).values("pk")
        )

    def in_moderation_scope(self, user) -> "PostQuerySet":
        from communities.permissions import staff_region_filter

        region_filter = staff_region_filter(user)
        return self.filter(region_filter) if region_filter is not None else self.none()


class PostManager(models.Manager.from_queryset(PostQuerySet)):
    def get_queryset(self) -> PostQuerySet:
        """Posts without their search vector: only the database reads it (in search filters and
        ranking), and loading it would add kilobytes to every row of every list."""
        return super().get_queryset().defer("search_vector")


# What public lists show (with a live KIM and a past publication time, checked in the query).
PUBLIC = Q(status="published", hidden_by_reports=False)
# The national lists (/hoaks/, /umkm/): one kind's public posts, across KIMs.
PUBLIC_HOAKS = PUBLIC & Q(kind="hoaks")
PUBLIC_UMKM = PUBLIC & Q(kind="umkm")
# What the moderation queue shows: submitted posts, and published ones with open reports.
NEEDS_ATTENTION = Q(status="submitted") | Q(status="published", open_reports__gt=0)


class Post(models.Model):
    class Kind(models.TextChoices):
        KEGIATAN = "kegiatan", _("Kegiatan")
        BERITA = "berita", _("Berita")
        POTENSI = "potensi", _("Potensi desa")
        UMKM = "umkm", _("UMKM")
        HOAKS = "hoaks", _("Klarifikasi hoaks")
        AGENDA = "agenda", _("Agenda")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Menunggu moderasi")
        SCHEDULED = "scheduled", _("Terjadwal")
        PUBLISHED = "published", _("Tayang")
        REJECTED = "rejected", _("Ditolak")
        TAKEN_DOWN = "taken_down", _("Diturunkan")

    class Verdict(models.TextChoices):
        HOAKS = "hoaks", _("Hoaks")
        DISINFORMASI = "disinformasi", _("Disinformasi")
        BENAR = "benar", _("Benar")
        BELUM_TERBUKTI = "belum_terbukti", _("Belum terbukti")

    class UmkmCategory(models.TextChoices):
        KULINER = "kuliner", _("Kuliner")
        KERAJINAN = "kerajinan", _("Kerajinan")
        FESYEN = "fesyen", _("Fesyen")
        PERTANIAN = "pertanian", _("Pertanian")
        PERIKANAN = "perikanan", _("Perikanan")
        PETERNAKAN = "peternakan", _("Peternakan")
        JASA = "jasa", _("Jasa")
        LAINNYA = "lainnya", _("Lainnya")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="posts")
    # Copied from the community so that moderation queues and region pages filter without joins.
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, null=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="posts",
        verbose_name=_("penulis"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.KEGIATAN)
    title = models.CharField(_("judul"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170)
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    body = models.TextField(_("isi"), blank=True)
    body_html = models.TextField(blank=True)  # rendered from body and sanitised on save
    tags = models.JSONField(_("tag"), default=list, blank=True)
    cover = models.ForeignKey(
        "Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foto sampul"),
    )

    # UMKM
    price = models.DecimalField(
        _("harga (Rp)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    order_whatsapp = models.CharField(_("WhatsApp pemesanan"), max_length=20, blank=True)
    # Blank on posts written before categories existed: shown and filtered as "lainnya".
    umkm_category = models.CharField(
        _("kategori UMKM"), max_length=12, choices=UmkmCategory.choices, blank=True
    )
    # Klarifikasi hoaks
    claim = models.TextField(_("klaim yang beredar"), blank=True)
    verdict = models.CharField(_("putusan"), max_length=16, choices=Verdict.choices, blank=True)
    sources = models.TextField(
        _("sumber"), blank=True, help_text=_("Satu sumber per baris, boleh memuat tautan")
    )
    # Agenda
    event_date = models.DateField(_("tanggal acara"), null=True, blank=True)
    event_time = models.TimeField(_("jam acara"), null=True, blank=True)
    event_place = models.CharField(_("tempat acara"), max_length=200, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(_("jadwal tayang"), null=True, blank=True)
    published_at = models.DateTimeField(_("tayang"), null=True, blank=True)
    # Moderation queue
    submitted_at = models.DateTimeField(null=True, blank=True)
    checks = models.JSONField(default=dict, blank=True)  # automatic check results
    checks_done = models.BooleanField(default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set when enough distinct visitors report the post, until an admin decides.
    hidden_by_reports = models.BooleanField(default=False)
    open_reports = models.PositiveIntegerField(default=0)
    decision_reason = models.TextField(blank=True)
    # Title (A), summary and tags (B), body and claim (C), KIM and village names (D), without
    # accents; written by a database trigger (posts/migrations/0004_search.py), never by Django.
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostManager()

    class Meta:
        verbose_name = _("tulisan")
        verbose_name_plural = _("tulisan")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="post_slug_per_community_uq")
        ]
        indexes = [
            # Public lists, newest first (keyset pagination on published_at, pk): partial on
            # what every public list requires, so they hold only the posts readers can see.
            models.Index(fields=["-published_at", "-id"], name="post_public_idx", condition=PUBLIC),
            models.Index(
                fields=["community", "-published_at", "-id"],
                name="post_public_community_idx",
                condition=PUBLIC,
            ),
            models.Index(
                fields=["community", "kind", "-published_at", "-id"],
                name="post_public_kind_idx",
                condition=PUBLIC,
            ),
            models.Index(
                fields=["regency", "-published_at", "-id"],
                name="post_public_regency_idx",
                condition=PUBLIC,
            ),
            models.Index(
                fields=["province", "-published_at", "-id"],
                name="post_public_province_idx",
                condition=PUBLIC,
            ),
            # /hoaks/ and /umkm/: each national list by itself, by region and by its own filter.
            models.Index(
                fields=["-published_at", "-id"],
                name="post_public_hoaks_idx",
                condition=PUBLIC_HOAKS,
            ),
            models.Index(
                fields=["verdict", "-published_at", "-id"],
                name="post_public_hoaks_verdict_idx",
                condition=PUBLIC_HOAKS,
            ),
            models.Index(
                fields=["province", "-published_at", "-id"],
                name="post_public_hoaks_prov_idx",
                condition=PUBLIC_HOAKS,
            ),
            models.Index(
                fields=["regency", "-published_at", "-id"],
                name="post_public_hoaks_reg_idx",
                condition=PUBLIC_HOAKS,
            ),
            models.Index(
                fields=["-published_at", "-id"], name="post_public_umkm_idx", condition=PUBLIC_UMKM
            ),
            models.Index(
                fields=["umkm_category", "-published_at", "-id"],
                name="post_public_umkm_cat_idx",
                condition=PUBLIC_UMKM,
            ),
            models.Index(
                fields=["province", "-published_at", "-id"],
                name="post_public_umkm_prov_idx",
                condition=PUBLIC_UMKM,
            ),
            models.Index(
                fields=["regency", "-published_at", "-id"],
                name="post_public_umkm_reg_idx",
                condition=PUBLIC_UMKM,
            ),
            # The moderation queue (posts.selectors.moderation_queue), in its order; it also
            # serves the escalation and recheck beats, which read submitted posts.
            NullsOrderedIndex(
                F("submitted_at").asc(nulls_first=True),
                F("id"),
                name="post_attention_idx",
                condition=NEEDS_ATTENTION,
            ),
            models.Index(
                fields=["publish_at"], name="post_scheduled_idx", condition=Q(status="scheduled")
            ),
            PortableGinIndex(
                fields=["search_vector"], name="post_search_idx", condition=Q(status="published")
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # A published post's pages are cached (kimportal.lib.page_cache); a change to one that is, or
    # was when loaded, published gives its KIM's and regions' pages new versions. Drafts and queued
    # posts (autosave, the editor) never touch the cache.
    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and PAGE_NEUTRAL_POST_FIELDS.issuperset(update_fields):
            return
        if self._shows_publicly():
            self._bump_pages()
        self._status_at_load = self.status

    def delete(self, *args, **kwargs):
        if self._shows_publicly():
            self._bump_pages()
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._status_at_load = instance.__dict__.get("status")
        return instance

    def _shows_publicly(self) -> bool:
        published = self.Status.PUBLISHED
        return self.status == published or getattr(self, "_status_at_load", None) == published

    def _bump_pages(self) -> None:
        _bump_post_pages([(self.community_id, self.province_id, self.regency_id)])

    @property
    def source_items(self) -> list[Source]:
        return parse_sources(self.sources)


class ImageQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """Update, then invalidate the cached pages of the published posts the photos belong to."""
        if PAGE_NEUTRAL_IMAGE_FIELDS.issuperset(kwargs):
            return super().update(**kwargs)
        post_ids = set(self.order_by().values_list("post_id", flat=True).distinct())
        updated = super().update(**kwargs)
        if updated:
            _bump_published_posts(post_ids)
        return updated


class Image(models.Model):
    """One photo of a post. The original is private; renditions are public files."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu diproses")
        PROCESSING = "processing", _("Sedang diproses")
        READY = "ready", _("Siap")
        FAILED = "failed", _("Gagal")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="images")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    original = models.FileField(upload_to="originals/%Y/%m/", storage=private_storage)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=200, blank=True)  # shown to the author, in Indonesian
    attempts = models.PositiveSmallIntegerField(default=0)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    placeholder = models.CharField(max_length=7, blank=True)
    # {"320": {"webp": "path", "jpeg": "path", "height": 240}, ...} in the public storage.
    renditions = models.JSONField(default=dict, blank=True)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    alt_text = models.CharField(
        _("teks alternatif"),
        max_length=200,
        blank=True,
        help_text=_("Gambarkan isi foto untuk pembaca yang tidak dapat melihatnya"),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto")
        ordering = ["sort_order", "pk"]
        indexes = [
            models.Index(fields=["community", "post", "sort_order"], name="image_post_idx"),
            models.Index(
                fields=["status", "updated_at"],
                name="image_unfinished_idx",
                condition=Q(status__in=["pending", "processing"]),
            ),
        ]

    def __str__(self) -> str:
        return self.caption or f"foto #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not PAGE_NEUTRAL_IMAGE_FIELDS.issuperset(update_fields):
            _bump_published_posts([self.post_id])

    def delete(self, *args, **kwargs):
        _bump_published_posts([self.post_id])
        return super().delete(*args, **kwargs)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY


class PendingPhoto(models.Model):
    """A photo chosen on the form of a post that does not exist yet, whose save was refused (a
    title left empty): kept for the same writer and the same form (its token) so that it need not
    be chosen again, and attached as an Image when the post is saved. The original stays in the
    private storage and is never served; only an Image made from it goes through the renditions
    pipeline. Swept after PENDING_PHOTO_TTL (posts.images.pending_photos_sweep)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    original = models.FileField(upload_to="pending/%Y/%m/", storage=private_storage)
    name = models.CharField(max_length=200)  # as the file was called on the writer's phone
    size = models.PositiveIntegerField()
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    alt_text = models.CharField(_("teks alternatif"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["community", "owner", "token"], name="pendingphoto_form_idx"),
            models.Index(fields=["created_at"], name="pendingphoto_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class PostRevisionQuerySet(models.QuerySet):
    def for_community(self, community: Community) -> "PostRevisionQuerySet":
        return self.filter(community=community)

    def pending(self) -> "PostRevisionQuerySet":
        return self.filter(status=PostRevision.Status.PENDING)

    def in_moderation_scope(self, user) -> "PostRevisionQuerySet":
        """Revisions of posts in the staff user's regions (the same scope as their posts)."""
        region_filter = staff_region_filter(user, prefix="post__")
        return self.filter(region_filter) if region_filter is not None else self.none()


class PostRevision(models.Model):
    """A proposed new text of a post that is on air (published or scheduled).

    Approval covers a version, not a post forever: when someone who may not publish directly edits
    a post on air, the edit waits here and the approved text stays public until a moderator
    approves this revision (which copies it onto the post) or rejects it.
    """

    # The text a revision carries: every field of the editor except the schedule and the photos.
    TEXT_FIELDS = (
        "kind", "title", "summary", "body", "tags", "price", "order_whatsapp", "umkm_category",
        "claim", "verdict", "sources", "event_date", "event_time", "event_place",
    )  # fmt: skip

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu moderasi")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        SUPERSEDED = "superseded", _("Digantikan perubahan lain")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("penulis"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Post.Kind.choices)
    title = models.CharField(_("judul"), max_length=150)
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    body = models.TextField(_("isi"), blank=True)
    tags = models.JSONField(_("tag"), default=list, blank=True)
    price = models.DecimalField(
        _("harga (Rp)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    order_whatsapp = models.CharField(_("WhatsApp pemesanan"), max_length=20, blank=True)
    umkm_category = models.CharField(
        _("kategori UMKM"), max_length=12, choices=Post.UmkmCategory.choices, blank=True
    )
    claim = models.TextField(_("klaim yang beredar"), blank=True)
    verdict = models.CharField(
        _("putusan"), max_length=16, choices=Post.Verdict.choices, blank=True
    )
    sources = models.TextField(_("sumber"), blank=True)
    event_date = models.DateField(_("tanggal acara"), null=True, blank=True)
    event_time = models.TimeField(_("jam acara"), null=True, blank=True)
    event_place = models.CharField(_("tempat acara"), max_length=200, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    checks = models.JSONField(default=dict, blank=True)  # automatic check results
    checks_done = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("perubahan tulisan")
        verbose_name_plural = _("perubahan tulisan")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "post"],
                condition=Q(status="pending"),
                name="revision_one_pending_per_post_uq",
            )
        ]
        indexes = [
            models.Index(fields=["community", "post", "-created_at"], name="revision_post_idx"),
            # The cross-KIM queue, like post_queue_idx: only pending rows, so it stays small.
            models.Index(
                fields=["status", "created_at"],
                name="revision_queue_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} · {self.get_status_display()}"

    @property
    def source_items(self) -> list[Source]:
        return parse_sources(self.sources)


def field_labels(names: list[str]) -> list[str]:
    """The editor's names of post fields (judul, isi, …), for histories and emails."""
    labels = []
    for name in names:
        if name == "photos":
            labels.append(str(_("foto")))
            continue
        try:
            labels.append(str(Post._meta.get_field(name).verbose_name))
        except models.FieldDoesNotExist:
            labels.append(name)
    return labels


class ModerationEvent(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        CHECKED = "checked", _("Diperiksa otomatis")
        APPROVED = "approved", _("Disetujui")
        PUBLISHED = "published", _("Diterbitkan")
        SCHEDULED = "scheduled", _("Dijadwalkan")
        REJECTED = "rejected", _("Ditolak")
        TAKEN_DOWN = "taken_down", _("Diturunkan")
        ESCALATED = "escalated", _("Dieskalasi ke provinsi")
        REPORTED = "reported", _("Dilaporkan pembaca")
        HIDDEN = "hidden", _("Disembunyikan karena laporan")
        REPORTS_DISMISSED = "reports_dismissed", _("Laporan ditolak")
        # Changes of the text of a post that is on air.
        EDITED = "edited", _("Diubah langsung")
        REVISION_SUBMITTED = "revision_submitted", _("Perubahan diajukan")
        REVISION_APPROVED = "revision_approved", _("Perubahan disetujui")
        REVISION_REJECTED = "revision_rejected", _("Perubahan ditolak")
        REQUEUED = "requeued", _("Dikembalikan ke antrean moderasi")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="moderation_events"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["community", "post", "created_at"], name="mod_event_idx")]

    def __str__(self) -> str:
        return f"{self.post} · {self.get_action_display()}"

    @property
    def changed_fields_display(self) -> str:
        """The changed parts of the text, named as in the editor (empty for other events)."""
        return ", ".join(field_labels((self.details or {}).get("fields") or []))


class Report(models.Model):
    class Reason(models.TextChoices):
        HOAKS = "hoaks", _("Hoaks atau informasi salah")
        SARA = "sara", _("SARA atau ujaran kebencian")
        SPAM = "spam", _("Spam atau iklan")
        PRIVACY = "privasi", _("Membuka data pribadi")
        OTHER = "lainnya", _("Lainnya")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="reports")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("alasan"), max_length=10, choices=Reason.choices)
    details = models.TextField(_("keterangan"), blank=True, max_length=2000)
    # Keyed hashes of the visitor's address and of its /24 or /64 network: the address limits
    # how often one visitor reports, the network decides how many people asked to hide a post;
    # neither stores who they are.
    reporter_key = models.CharField(max_length=64)
    network_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["community", "post", "resolved_at"], name="report_post_idx"),
            models.Index(fields=["reporter_key", "created_at"], name="report_rate_idx"),
            models.Index(fields=["network_key", "created_at"], name="report_network_rate_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter_key"],
                condition=Q(resolved_at__isnull=True),
                name="report_one_open_per_visitor_uq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} · {self.get_reason_display()}"


class BannedTerm(models.Model):
    """Words the automatic check flags in a submitted post; edited by national admins."""

    term = models.CharField(_("kata"), max_length=80, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
