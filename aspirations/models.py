"""Citizens' aspirations (aspirasi) to a KIM or to a regency's Diskominfo, and their history.

The sender's contact (name, phone, email) is private: it is shown only on the queue's detail
page on kelola, and in emails to the sender themself. The tracking code is stored only as a keyed
hash (aspirations.codes); the public page is addressed by the row's number.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, private_storage
from kimportal.lib import page_cache

# Scopes of the cached public pages that show aspirations (kimportal.lib.page_cache). Our own
# names, not the regions' scopes: an aspirasi changing must not drop every cached post page.
ALL_SCOPE = "asp"


def province_scope(code: str) -> str:
    return f"asp-p{code}"


def regency_scope(code: str) -> str:
    return f"asp-r{code}"


def community_scope(community_id: int) -> str:
    return f"asp-k{community_id}"


def item_scope(pk: int) -> str:
    return f"asp-i{pk}"


def scopes_of(*, pk: int, community_id: int | None, province_id: str, regency_id: str) -> list:
    scopes = [ALL_SCOPE, province_scope(province_id), regency_scope(regency_id), item_scope(pk)]
    if community_id:
        scopes.append(community_scope(community_id))
    return scopes


class Topic(models.TextChoices):
    INFRASTRUKTUR = "infrastruktur", _("Infrastruktur")
    LAYANAN_PUBLIK = "layanan_publik", _("Layanan publik")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    EKONOMI = "ekonomi", _("Ekonomi")
    LINGKUNGAN = "lingkungan", _("Lingkungan")
    KEAMANAN = "keamanan", _("Keamanan")
    BENCANA = "bencana", _("Bencana")
    LAINNYA = "lainnya", _("Lainnya")


# What public pages may show: public, not spam, not withdrawn by the sender.
PUBLIC = Q(is_public=True, is_spam=False) & ~Q(status="ditarik")
# What public lists show: the public ones that were not merged into another.
LISTED = PUBLIC & ~Q(status="digabung")
# Still waiting for the queue to finish with it.
OPEN_STATUSES = ("diterima", "diteruskan")


class AspirasiQuerySet(models.QuerySet):
    def public(self) -> "AspirasiQuerySet":
        return self.filter(PUBLIC)

    def listed(self) -> "AspirasiQuerySet":
        return self.filter(LISTED)

    def open(self) -> "AspirasiQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def for_community(self, community: Community) -> "AspirasiQuerySet":
        return self.filter(community=community)

    def in_staff_scope(self, user) -> "AspirasiQuerySet":
        """Aspirations to a regency in the user's staff scopes, and to KIMs there."""
        from communities.permissions import staff_region_filter

        region_filter = staff_region_filter(user)
        return self.filter(region_filter) if region_filter is not None else self.none()


class Aspirasi(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "diterima", _("Diterima")
        FORWARDED = "diteruskan", _("Diteruskan")
        ANSWERED = "ditanggapi", _("Ditanggapi")
        CLOSED = "ditutup", _("Ditutup")
        WITHDRAWN = "ditarik", _("Ditarik pengirim")
        MERGED = "digabung", _("Digabung dengan aspirasi lain")

    class PhotoStatus(models.TextChoices):
        NONE = "", _("Tanpa foto")
        PENDING = "pending", _("Sedang diproses")
        READY = "ready", _("Siap")
        FAILED = "failed", _("Gagal diproses")

    # The target: a KIM (community set) or a regency's Diskominfo (community null). The regency
    # and province are always stored, so staff scopes filter without joins.
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="aspirations"
    )
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "regions.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(_("topik"), max_length=20, choices=Topic.choices)
    text = models.TextField(_("isi aspirasi"), max_length=4000)
    is_public = models.BooleanField(_("dipublikasikan"), default=True)

    # Private contact: shown only in the queue and used only to write to the sender.
    contact_name = models.CharField(_("nama"), max_length=120, blank=True)
    contact_phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)

    # One photo: the original stays private, as does the stripped, re-encoded copy made from it
    # by a task (photo_clean, which the queue shows); a second copy of that is public while the
    # aspirasi is (photo_public, a path in the default storage under an unguessable name).
    photo = models.FileField(upload_to="aspirasi/%Y/%m/", storage=private_storage, blank=True)
    photo_clean = models.CharField(max_length=200, blank=True)  # the stripped copy, private
    photo_public = models.CharField(max_length=200, blank=True)
    photo_status = models.CharField(
        max_length=10, choices=PhotoStatus.choices, default="", blank=True
    )
    photo_error = models.CharField(max_length=200, blank=True)
    # Runs of the photo task; a photo whose runs keep ending without an outcome (one that kills
    # the worker, say) is failed after kimportal.lib.renditions.MAX_ATTEMPTS.
    photo_attempts = models.PositiveSmallIntegerField(default=0)

    code_hash = models.CharField(max_length=64, unique=True)
    # Keyed hashes of the sender's address and its /24 or /64, for the rate limit only.
    sender_key = models.CharField(max_length=64)
    network_key = models.CharField(max_length=64)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    is_spam = models.BooleanField(default=False)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    answer = models.TextField(_("tanggapan"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    forwarded_to = models.CharField(_("diteruskan ke"), max_length=200, blank=True)
    forward_note = models.TextField(_("catatan penerusan"), blank=True)
    close_reason = models.TextField(_("alasan penutupan"), blank=True)

    # The last time the queue did something with it (creation counts): the deadline runs from it.
    acted_at = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AspirasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("aspirasi")
        verbose_name_plural = _("aspirasi")
        ordering = ["created_at", "pk"]
        indexes = [
            # Public lists, newest first (keyset on created_at, pk).
            models.Index(fields=["-created_at", "-id"], name="asp_public_idx", condition=LISTED),
            models.Index(
                fields=["province", "-created_at", "-id"],
                name="asp_public_province_idx",
                condition=LISTED,
            ),
            models.Index(
                fields=["regency", "-created_at", "-id"],
                name="asp_public_regency_idx",
                condition=LISTED,
            ),
            models.Index(
                fields=["community", "-created_at", "-id"],
                name="asp_public_community_idx",
                condition=LISTED,
            ),
            # The queues (oldest first) and the escalation beat read open rows only.
            models.Index(
                fields=["community", "created_at"],
                name="asp_queue_community_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                fields=["regency", "created_at"],
                name="asp_queue_regency_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                fields=["acted_at"],
                name="asp_overdue_idx",
                condition=Q(status__in=OPEN_STATUSES, escalated_at__isnull=True),
            ),
            models.Index(fields=["sender_key", "created_at"], name="asp_rate_idx"),
            models.Index(fields=["network_key", "created_at"], name="asp_rate_network_idx"),
        ]

    def __str__(self) -> str:
        return f"Aspirasi #{self.pk}"

    @property
    def number(self) -> int:
        """The public number (the page is /aspirasi/<number>/); never the tracking code."""
        return self.pk

    @property
    def is_shown_publicly(self) -> bool:
        return self.is_public and not self.is_spam and self.status != self.Status.WITHDRAWN

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def target_name(self) -> str:
        return self.community.name if self.community_id else self.regency.name

    def page_scopes(self) -> list[str]:
        return scopes_of(
            pk=self.pk,
            community_id=self.community_id,
            province_id=self.province_id,
            regency_id=self.regency_id,
        )

    def bump_pages(self) -> None:
        """New versions of every cached page this aspirasi can show on (after commit)."""
        page_cache.bump(*self.page_scopes())


class AspirasiEvent(models.Model):
    class Action(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        FORWARDED = "forwarded", _("Diteruskan")
        ANSWERED = "answered", _("Ditanggapi")
        CLOSED = "closed", _("Ditutup")
        WITHDRAWN = "withdrawn", _("Ditarik pengirim")
        MERGED = "merged", _("Digabung")
        SPAM = "spam", _("Ditandai spam")
        ESCALATED = "escalated", _("Dieskalasi ke provinsi")
        PHOTO_FAILED = "photo_failed", _("Foto gagal diproses")

    # The tenant columns, copied from the aspirasi (child tables carry them too).
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    aspirasi = models.ForeignKey(Aspirasi, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    # Shown on the public page and to the sender (received, forwarded to whom, answered, closed).
    is_public = models.BooleanField(default=False)
    public_text = models.TextField(blank=True)  # what the public timeline says of this step
    note = models.TextField(blank=True)  # internal: only the queue sees it
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["regency", "aspirasi", "created_at"], name="asp_event_idx")]

    def __str__(self) -> str:
        return f"{self.aspirasi} · {self.get_action_display()}"
