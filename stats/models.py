"""Statistics: counts of reads (visits per post and day) and the summary tables pages read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostVisitDay(models.Model):
    """Views of one post on one day (Asia/Jakarta), moved here from Redis by a beat task."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "day"], name="post_visit_day_uq"),
        ]
        indexes = [models.Index(fields=["community", "day"], name="post_visit_community_idx")]

    def __str__(self) -> str:
        return f"{self.post_id} · {self.day} · {self.count}"


# The page-cache scope (kimportal.lib.page_cache) of every public page that shows summary figures:
# bumped after each refresh commits (stats.services.summaries_refresh).
PAGE_SCOPE = "stat"


class Level(models.TextChoices):
    NATIONAL = "nasional", _("nasional")
    PROVINCE = "provinsi", _("provinsi")
    REGENCY = "kabupaten", _("kabupaten/kota")


class RegionSummary(models.Model):
    """The figures of one area (the nation, a province or a regency), refreshed by a beat task.

    Pages and dashboards read these rows instead of counting posts on a request; `computed_at` says
    how old the figures are. The national row has `code` "" and no province or regency.
    """

    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=13, blank=True)
    province = models.ForeignKey(
        "regions.Province", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    regency = models.ForeignKey(
        "regions.Regency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kims_verified = models.PositiveIntegerField(default=0)
    kims_active_90d = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    villages = models.PositiveIntegerField(default=0)
    villages_with_kim = models.PositiveIntegerField(default=0)
    posts_public = models.PositiveIntegerField(default=0)
    posts_by_kind = models.JSONField(default=dict)
    hoax_published = models.PositiveIntegerField(default=0)
    siaran_targets = models.PositiveIntegerField(default=0)
    siaran_relays = models.PositiveIntegerField(default=0)
    aspirations_received = models.PositiveIntegerField(default=0)
    aspirations_answered = models.PositiveIntegerField(default=0)
    answer_median_hours = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="stats_region_summary_uq"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code or 'ID'}"

    # Rates the pages show, from the stored counts (None where there is nothing to divide by).
    @property
    def coverage(self) -> float | None:
        """Villages with a live KIM per 100 villages."""
        return _percent(self.villages_with_kim, self.villages)

    @property
    def dormant(self) -> int:
        """Verified KIMs with no public post in the last 90 days."""
        return max(self.kims_verified - self.kims_active_90d, 0)

    @property
    def relay_rate(self) -> float | None:
        """Relays per 100 (siaran × KIM) targets."""
        return _percent(self.siaran_relays, self.siaran_targets)

    @property
    def answer_rate(self) -> float | None:
        """Answered aspirations per 100 received."""
        return _percent(self.aspirations_answered, self.aspirations_received)


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


class RegionMonth(models.Model):
    """Public posts published in one area in one month (Asia/Jakarta), for the charts."""

    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=13, blank=True)
    month = models.DateField()
    posts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "month"], name="stats_region_month_uq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code or 'ID'} {self.month:%Y-%m}"


class CommunityActivity(models.Model):
    """One KIM's activity, refreshed with the region summaries, for dashboards and "top konten"."""

    community = models.OneToOneField(
        "communities.Community", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    province = models.ForeignKey(
        "regions.Province", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    regency = models.ForeignKey(
        "regions.Regency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    members = models.PositiveIntegerField(default=0)
    posts_public = models.PositiveIntegerField(default=0)
    posts_90d = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    visits_90d = models.PositiveIntegerField(default=0)
    hoax_published = models.PositiveIntegerField(default=0)
    siaran_received = models.PositiveIntegerField(default=0)
    siaran_relayed = models.PositiveIntegerField(default=0)
    aspirations_received = models.PositiveIntegerField(default=0)
    aspirations_answered = models.PositiveIntegerField(default=0)
    score_90d = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["regency", "-score_90d"], name="stats_activity_regency_idx"),
            models.Index(fields=["province", "-score_90d"], name="stats_activity_province_idx"),
            models.Index(fields=["-score_90d"], name="stats_activity_score_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} · {self.score_90d}"
