"""Summary rows for the staff dashboard tests, written directly (the beat task that refreshes
them, stats.services.summaries_refresh, has tests of its own)."""

from datetime import timedelta

from django.utils import timezone

from stats.models import CommunityActivity, Level, RegionSummary


def make_activity(community, **fields) -> CommunityActivity:
    """A CommunityActivity row for `community`, active by default (a post 3 days ago)."""
    now = timezone.now()
    values = {
        "province_id": community.province_id,
        "regency_id": community.regency_id,
        "members": 10,
        "posts_public": 12,
        "posts_90d": 4,
        "last_post_at": now - timedelta(days=3),
        "last_login_at": now - timedelta(days=1),
        "siaran_received": 4,
        "siaran_relayed": 1,
        "aspirations_received": 2,
        "aspirations_answered": 1,
        "score_90d": 9,
        "computed_at": now,
    }
    values.update(fields)
    return CommunityActivity.objects.create(community=community, **values)


def make_summary(level: str, code: str = "", **fields) -> RegionSummary:
    """A RegionSummary of the nation (code ""), a province or a regency."""
    values = {
        "province_id": code[:2] if level != Level.NATIONAL else None,
        "regency_id": code if level == Level.REGENCY else None,
        "kims_verified": 1,
        "kims_active_90d": 1,
        "members": 10,
        "villages": 4,
        "villages_with_kim": 1,
        "posts_public": 12,
        "posts_by_kind": {"kegiatan": 8, "hoaks": 4},
        "hoax_published": 4,
        "siaran_targets": 4,
        "siaran_relays": 1,
        "aspirations_received": 2,
        "aspirations_answered": 1,
        "answer_median_hours": 5.5,
        "computed_at": timezone.now(),
    }
    values.update(fields)
    return RegionSummary.objects.create(level=level, code=code, **values)


def make_world_summaries(w) -> None:
    """Activity rows for KIM A (Surabaya) and KIM B (Bandung) and a summary for each area of
    the shared world, every one with a figure no other area shows (its member count)."""
    make_activity(w.kim_a, members=111)
    make_activity(w.kim_b, members=222, last_post_at=None, posts_90d=0, posts_public=0)
    make_summary(Level.NATIONAL, "", members=901)
    make_summary(Level.PROVINCE, "35", members=351)
    make_summary(Level.PROVINCE, "32", members=321)
    make_summary(Level.REGENCY, "35.78", members=378)
    make_summary(Level.REGENCY, "35.07", members=307, kims_verified=0)
    make_summary(Level.REGENCY, "32.73", members=273)
