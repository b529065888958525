"""Counts of reads: anonymous views of public post pages, per post and day."""

from django.db import models


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
