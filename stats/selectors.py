"""Reads of the public statistics (/statistik/, the portal's map, the region pages' sections).

Only summary rows are read (stats.services.summaries_refresh writes them): a page costs the same
few queries at any number of KIMs and posts.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from communities.models import Community
from regions.models import Province, Regency
from stats.models import CommunityActivity, Level, RegionMonth, RegionSummary
from stats.services import months_window

CHART_MONTHS = 12
TOP_NATIONAL = 20
TOP_REGION = 10


@dataclass
class AreaStats:
    """What a statistics section shows of one area."""

    summary: RegionSummary | None
    months: list[tuple[date, int]] = field(default_factory=list)
    top: list[CommunityActivity] = field(default_factory=list)
    children: list[RegionSummary] = field(default_factory=list)  # a province's regencies
    provinces: list[RegionSummary] = field(default_factory=list)  # the nation's provinces


def province_summaries() -> list[RegionSummary]:
    """Every province's summary with its province (the map, the national table): one query."""
    return list(
        RegionSummary.objects.filter(level=Level.PROVINCE, province__isnull=False)
        .select_related("province")
        .order_by("province__name")
    )


def area_months(level: str, code: str, *, count: int = CHART_MONTHS) -> list[tuple[date, int]]:
    """Public posts per month of an area, the last `count` months, zeros included: one query."""
    window = months_window(timezone.now(), count)
    stored = dict(
        RegionMonth.objects.filter(level=level, code=code, month__gte=window[0]).values_list(
            "month", "posts"
        )
    )
    return [(month, stored.get(month, 0)) for month in window]


def top_kims(
    *, limit: int, province_id: str | None = None, regency_id: str | None = None
) -> list[CommunityActivity]:
    """The most active live KIMs of the last 90 days (score_90d > 0), best first: one query."""
    queryset = CommunityActivity.objects.filter(
        score_90d__gt=0, community__status=Community.Status.VERIFIED
    )
    if regency_id:
        queryset = queryset.filter(regency_id=regency_id)
    elif province_id:
        queryset = queryset.filter(province_id=province_id)
    return list(
        queryset.select_related("community", "regency")
        .only(
            "community_id",
            "regency_id",
            "posts_90d",
            "score_90d",
            "community__name",
            "community__slug",
            "regency__name",
        )
        .order_by("-score_90d", "community_id")[:limit]
    )


def national_stats() -> AreaStats:
    """/statistik/: the nation, its provinces, its months and its top KIMs (three queries)."""
    rows = list(
        RegionSummary.objects.filter(
            Q(level=Level.NATIONAL) | Q(level=Level.PROVINCE, province__isnull=False)
        )
        .select_related("province")
        .order_by("province__name")
    )
    national = next((r for r in rows if r.level == Level.NATIONAL), None)
    return AreaStats(
        summary=national,
        months=area_months(Level.NATIONAL, "") if national else [],
        top=top_kims(limit=TOP_NATIONAL) if national else [],
        provinces=[r for r in rows if r.level == Level.PROVINCE],
    )


def province_stats(province: Province) -> AreaStats:
    """A province page's section: its figures and its regencies' (one query), months, top."""
    rows = list(
        RegionSummary.objects.filter(
            Q(level=Level.PROVINCE, code=province.code)
            | Q(level=Level.REGENCY, province_id=province.code, regency__isnull=False)
        )
        .select_related("regency")
        .order_by("regency__name")
    )
    summary = next((r for r in rows if r.level == Level.PROVINCE), None)
    return AreaStats(
        summary=summary,
        months=area_months(Level.PROVINCE, province.code) if summary else [],
        top=top_kims(limit=TOP_REGION, province_id=province.code) if summary else [],
        children=[r for r in rows if r.level == Level.REGENCY],
    )


def regency_stats(regency: Regency) -> AreaStats:
    """A regency page's section: its figures, months and top KIMs (three queries)."""
    summary = RegionSummary.objects.filter(level=Level.REGENCY, code=regency.code).first()
    return AreaStats(
        summary=summary,
        months=area_months(Level.REGENCY, regency.code) if summary else [],
        top=top_kims(limit=TOP_REGION, regency_id=regency.code) if summary else [],
    )
