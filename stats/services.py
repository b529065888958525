"""Writes of statistics: the summary tables that pages, dashboards and open data read.

`summaries_refresh()` recomputes every RegionSummary (the nation, each province, each regency),
RegionMonth (public posts per area and month, the last MONTHS months) and CommunityActivity (one
row per live KIM) with a fixed number of grouped queries, whatever the number of KIMs and posts,
then writes them in one transaction (bulk upserts in batches of WRITE_BATCH rows, stale rows
deleted). Beat runs it every STATS_REFRESH_MINUTES (stats.tasks.refresh_summaries); pages never
count posts on a request. The definitions (docs/statistics.md says the same):

- **Live KIMs** are the ones the directory lists: `Community.objects.live()` (verified; forum
  KIMs included). A suspended KIM leaves every figure at the next refresh, with its posts,
  members, relays and the aspirations sent to it.
- **Members**: Member rows (the roster) of live KIMs.
- **Coverage**: villages with at least one live KIM per 100 villages of the area
  (`villages_with_kim`, `villages`; the page divides).
- **Posts** are public posts (`Post.objects.public()`: published, not hidden by reports, due, of
  a live KIM); `posts_by_kind` counts them by kind; `hoax_published` those of kind hoaks. Drafts,
  queued, rejected, scheduled and taken-down posts never count. An area's posts are its live
  KIMs' posts; RegionMonth groups by the post's own province and regency (copied from its KIM),
  in months of the site's time zone (Asia/Jakarta).
- **Siaran targets**: pairs (published siaran that has reached inboxes × live KIM inside its
  target: national, the KIM's province or the KIM's regency), as the inbox decides
  (siaran.models.target_q), counted per KIM from the target lists, never per KIM by query.
- **Siaran relays**: relays of a published siaran whose post is public (a relay still in
  moderation, rejected or taken down does not count), so relays / targets is the relay rate.
- **Aspirations received**: aspirations that are not spam and not withdrawn, sent to a regency
  or to a live KIM. **Answered**: those of them that got a public answer (`answered_at` is set:
  status ditanggapi, or closed or merged after an answer). **Median hours to answer**: from
  receipt to the first public answer event (or `answered_at` where no event exists), per area;
  PostgreSQL computes it with percentile_cont; on SQLite (development) it is computed in Python
  over the newest SQLITE_MEDIAN_ROWS answered aspirations.
- **Active KIMs (90 days)**: live KIMs with a public post published in the last ACTIVE_DAYS days.
- **CommunityActivity**: per live KIM the same figures, plus `last_post_at` (newest public
  post), `last_login_at` (newest sign-in of a user holding a Role in the KIM), `visits_90d`
  (stats.PostVisitDay of the last ACTIVE_DAYS days) and `score_90d`, the "top konten" score:
  SCORE_POST × public posts published in 90 days + SCORE_RELAY × relays (as above) made in 90
  days + SCORE_ANSWER × aspirations answered in 90 days + visits in 90 days // VISITS_PER_POINT.
"""

import logging
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from aspirations.models import Aspirasi, AspirasiEvent
from communities.models import Community, Member, Role
from kimportal.lib import page_cache
from posts.models import Post
from regions.models import Province, Regency, Village
from siaran.models import Relay, Siaran
from stats.models import (
    PAGE_SCOPE,
    CommunityActivity,
    Level,
    PostVisitDay,
    RegionMonth,
    RegionSummary,
)

log = logging.getLogger(__name__)

ACTIVE_DAYS = 90
MONTHS = 24
# Rows per INSERT … ON CONFLICT statement: the reads are a fixed number of queries, the writes
# grow by one statement per WRITE_BATCH rows (553 areas; one activity row per live KIM).
WRITE_BATCH = 2000
SQLITE_MEDIAN_ROWS = 20_000
# "Top konten": points per public post, relay and answered aspiration of the last 90 days, and
# one point per VISITS_PER_POINT visits.
SCORE_POST = 10
SCORE_RELAY = 5
SCORE_ANSWER = 5
VISITS_PER_POINT = 100
# One refresh at a time (PostgreSQL advisory lock key: "stat" in ASCII).
_LOCK_KEY = 0x73746174

NATIONAL_KEY = (Level.NATIONAL.value, "")

Key = tuple[str, str]


@dataclass
class _Area:
    province_id: str | None = None
    regency_id: str | None = None
    kims_verified: int = 0
    kims_active_90d: int = 0
    members: int = 0
    villages: int = 0
    covered: set = field(default_factory=set)
    posts_public: int = 0
    posts_by_kind: Counter = field(default_factory=Counter)
    hoax_published: int = 0
    siaran_targets: int = 0
    siaran_relays: int = 0
    aspirations_received: int = 0
    aspirations_answered: int = 0
    answer_median_hours: float | None = None


@dataclass
class _Kim:
    province_id: str | None
    regency_id: str | None
    village_id: str | None
    members: int = 0
    posts_public: int = 0
    posts_by_kind: Counter = field(default_factory=Counter)
    posts_90d: int = 0
    last_post_at: datetime | None = None
    last_login_at: datetime | None = None
    visits_90d: int = 0
    hoax_published: int = 0
    siaran_received: int = 0
    siaran_relayed: int = 0
    relays_90d: int = 0
    aspirations_received: int = 0
    aspirations_answered: int = 0
    answered_90d: int = 0

    @property
    def score(self) -> int:
        return (
            SCORE_POST * self.posts_90d
            + SCORE_RELAY * self.relays_90d
            + SCORE_ANSWER * self.answered_90d
            + self.visits_90d // VISITS_PER_POINT
        )


def area_keys(province_id: str | None, regency_id: str | None) -> list[Key]:
    """The areas a row of this province and regency counts in: the nation and its regions."""
    keys = [NATIONAL_KEY]
    if province_id:
        keys.append((Level.PROVINCE.value, province_id))
    if regency_id:
        keys.append((Level.REGENCY.value, regency_id))
    return keys


def month_start(day: date, back: int = 0) -> date:
    """The first day of the month `back` months before the month of `day`."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def months_window(now: datetime, count: int) -> list[date]:
    """The first days of the last `count` months (the site's time zone), oldest first."""
    today = timezone.localdate(now, timezone.get_default_timezone())
    return [month_start(today, back) for back in range(count - 1, -1, -1)]


# --- Reads: a fixed number of grouped queries --------------------------------------------------


def _areas() -> dict[Key, _Area]:
    """Every area with its number of villages (three queries)."""
    areas = {NATIONAL_KEY: _Area()}
    for code in Province.objects.order_by("code").values_list("code", flat=True):
        areas[(Level.PROVINCE.value, code)] = _Area(province_id=code)
    regencies = dict(Regency.objects.order_by("code").values_list("code", "province_id"))
    for code, province_id in regencies.items():
        areas[(Level.REGENCY.value, code)] = _Area(province_id=province_id, regency_id=code)
    villages = (
        Village.objects.order_by()
        .values("district__regency_id")
        .annotate(n=Count("pk"))
        .values_list("district__regency_id", "n")
    )
    for regency_id, n in villages:
        for key in area_keys(regencies.get(regency_id), regency_id):
            if key in areas:
                areas[key].villages += n
    return areas


def _live_kims() -> dict[int, _Kim]:
    rows = (
        Community.objects.live()
        .order_by()
        .values_list("pk", "province_id", "regency_id", "village_id")
    )
    return {pk: _Kim(province, regency, village) for pk, province, regency, village in rows}


def _count_members(kims: dict[int, _Kim]) -> None:
    rows = (
        Member.objects.filter(community__status=Community.Status.VERIFIED)
        .order_by()
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    for community_id, n in rows:
        if community_id in kims:
            kims[community_id].members = n


def _count_posts(kims: dict[int, _Kim], *, since: datetime) -> None:
    rows = (
        Post.objects.public()
        .order_by()
        .values("community_id", "kind")
        .annotate(
            n=Count("pk"),
            recent=Count("pk", filter=Q(published_at__gte=since)),
            newest=Max("published_at"),
        )
        .values_list("community_id", "kind", "n", "recent", "newest")
    )
    for community_id, kind, n, recent, newest in rows:
        kim = kims.get(community_id)
        if kim is None:  # verified after the KIM list was read: the next refresh counts it
            continue
        kim.posts_public += n
        kim.posts_by_kind[kind] += n
        kim.posts_90d += recent
        if kind == Post.Kind.HOAKS:
            kim.hoax_published += n
        if kim.last_post_at is None or newest > kim.last_post_at:
            kim.last_post_at = newest


def _count_months(areas: dict[Key, _Area], months: list[date]) -> dict[tuple[str, str, date], int]:
    """Public posts per area and month (one query grouped by the post's regency and month)."""
    zone = timezone.get_default_timezone()  # Asia/Jakarta unless TIME_ZONE says otherwise
    start = timezone.make_aware(datetime.combine(months[0], datetime.min.time()), zone)
    rows = (
        Post.objects.public()
        .filter(published_at__gte=start)
        .annotate(month=TruncMonth("published_at", tzinfo=zone))
        .order_by()
        .values("province_id", "regency_id", "month")
        .annotate(n=Count("pk"))
        .values_list("province_id", "regency_id", "month", "n")
    )
    counts: dict[tuple[str, str, date], int] = defaultdict(int)
    window = set(months)
    for province_id, regency_id, month, n in rows:
        month = month.date() if isinstance(month, datetime) else month
        if month not in window:
            continue
        for level, code in area_keys(province_id, regency_id):
            if (level, code) in areas:
                counts[(level, code, month)] += n
    return counts


def _count_siaran(kims: dict[int, _Kim], *, now: datetime) -> None:
    """Per live KIM, the published siaran whose target covers it (three queries, set-based: a
    siaran targets the nation, provinces or regencies, so the targets are read once and each
    KIM's count is the national ones plus the union of its province's and regency's)."""
    published = Siaran.objects.published().filter(inbox_at__isnull=False, inbox_at__lte=now)
    national = published.filter(national=True).count()
    by_province: dict[str, set[int]] = defaultdict(set)
    by_regency: dict[str, set[int]] = defaultdict(set)
    not_national = published.filter(national=False).values("pk")
    for siaran_id, province_id in Siaran.provinces.through.objects.filter(
        siaran_id__in=not_national
    ).values_list("siaran_id", "province_id"):
        by_province[province_id].add(siaran_id)
    for siaran_id, regency_id in Siaran.regencies.through.objects.filter(
        siaran_id__in=not_national
    ).values_list("siaran_id", "regency_id"):
        by_regency[regency_id].add(siaran_id)
    empty: set[int] = set()
    for kim in kims.values():
        regional = by_province.get(kim.province_id, empty) | by_regency.get(kim.regency_id, empty)
        kim.siaran_received = national + len(regional)


def _count_relays(kims: dict[int, _Kim], *, since: datetime, now: datetime) -> None:
    rows = (
        Relay.objects.filter(
            siaran__status=Siaran.Status.PUBLISHED,
            post__status=Post.Status.PUBLISHED,
            post__hidden_by_reports=False,
            post__published_at__lte=now,
            community__status=Community.Status.VERIFIED,
        )
        .order_by()
        .values("community_id")
        .annotate(n=Count("pk"), recent=Count("pk", filter=Q(created_at__gte=since)))
        .values_list("community_id", "n", "recent")
    )
    for community_id, n, recent in rows:
        if community_id in kims:
            kims[community_id].siaran_relayed = n
            kims[community_id].relays_90d = recent


def received_aspirations():
    """Aspirations that count as received: not spam, not withdrawn, to a regency or a live KIM."""
    return (
        Aspirasi.objects.filter(is_spam=False)
        .exclude(status=Aspirasi.Status.WITHDRAWN)
        .filter(Q(community__isnull=True) | Q(community__status=Community.Status.VERIFIED))
    )


def _count_aspirations(areas: dict[Key, _Area], kims: dict[int, _Kim], *, since: datetime) -> None:
    rows = (
        received_aspirations()
        .order_by()
        .values("province_id", "regency_id", "community_id")
        .annotate(
            n=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            recent=Count("pk", filter=Q(answered_at__gte=since)),
        )
        .values_list("province_id", "regency_id", "community_id", "n", "answered", "recent")
    )
    for province_id, regency_id, community_id, n, answered, recent in rows:
        for key in area_keys(province_id, regency_id):
            if key in areas:
                areas[key].aspirations_received += n
                areas[key].aspirations_answered += answered
        kim = kims.get(community_id) if community_id else None
        if kim is not None:
            kim.aspirations_received += n
            kim.aspirations_answered += answered
            kim.answered_90d += recent


def _median_hours_postgresql() -> dict[Key, float]:
    """Median hours to the first public answer per regency, province and nation: one query
    (GROUPING SETS), percentile_cont over the answered aspirations."""
    received = received_aspirations().filter(answered_at__isnull=False).values("pk")
    received_sql, params = received.query.sql_with_params()
    event_table = AspirasiEvent._meta.db_table
    table = Aspirasi._meta.db_table
    sql = f"""
        SELECT a.province_id, a.regency_id, GROUPING(a.province_id, a.regency_id),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY
                   EXTRACT(EPOCH FROM (COALESCE(first.at, a.answered_at) - a.created_at)) / 3600.0)
        FROM {table} a
        LEFT JOIN (
            SELECT aspirasi_id, MIN(created_at) AS at FROM {event_table}
            WHERE action = %s AND is_public GROUP BY aspirasi_id
        ) first ON first.aspirasi_id = a.id
        WHERE a.id IN ({received_sql})
        GROUP BY GROUPING SETS ((a.province_id, a.regency_id), (a.province_id), ())
    """  # noqa: S608 - table names from the models, values as parameters
    medians = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [AspirasiEvent.Action.ANSWERED, *params])
        for province_id, regency_id, grouping, hours in cursor.fetchall():
            if hours is None:  # the national grouping set when nothing was answered
                continue
            if grouping == 3:
                key = NATIONAL_KEY
            elif grouping == 1:
                key = (Level.PROVINCE.value, province_id)
            else:
                key = (Level.REGENCY.value, regency_id)
            medians[key] = max(float(hours), 0.0)
    return medians


def _median_hours_python() -> dict[Key, float]:
    """The same medians in Python over the newest answered aspirations (SQLite: development)."""
    rows = list(
        received_aspirations()
        .filter(answered_at__isnull=False)
        .order_by("-answered_at", "-pk")
        .values_list("pk", "province_id", "regency_id", "created_at", "answered_at")[
            :SQLITE_MEDIAN_ROWS
        ]
    )
    first_answers = dict(
        AspirasiEvent.objects.filter(
            action=AspirasiEvent.Action.ANSWERED,
            is_public=True,
            aspirasi_id__in=received_aspirations().filter(answered_at__isnull=False).values("pk"),
        )
        .order_by()
        .values("aspirasi_id")
        .annotate(at=Min("created_at"))
        .values_list("aspirasi_id", "at")
    )
    hours: dict[Key, list[float]] = defaultdict(list)
    for pk, province_id, regency_id, created_at, answered_at in rows:
        answered = first_answers.get(pk) or answered_at
        value = max((answered - created_at).total_seconds() / 3600, 0.0)
        for key in area_keys(province_id, regency_id):
            hours[key].append(value)
    return {key: statistics.median(values) for key, values in hours.items()}


def _last_logins(kims: dict[int, _Kim]) -> None:
    rows = (
        Role.objects.filter(community__status=Community.Status.VERIFIED)
        .order_by()
        .values("community_id")
        .annotate(at=Max("user__last_login"))
        .values_list("community_id", "at")
    )
    for community_id, at in rows:
        if community_id in kims:
            kims[community_id].last_login_at = at


def _count_visits(kims: dict[int, _Kim], *, since: datetime) -> None:
    rows = (
        PostVisitDay.objects.filter(
            day__gte=timezone.localdate(since, timezone.get_default_timezone()),
            community__status=Community.Status.VERIFIED,
        )
        .order_by()
        .values("community_id")
        .annotate(n=Sum("count"))
        .values_list("community_id", "n")
    )
    for community_id, n in rows:
        if community_id in kims:
            kims[community_id].visits_90d = n or 0


def _add_kims(areas: dict[Key, _Area], kims: dict[int, _Kim]) -> None:
    """Each live KIM's figures into the nation, its province and its regency."""
    for kim in kims.values():
        for key in area_keys(kim.province_id, kim.regency_id):
            area = areas.get(key)
            if area is None:
                continue
            area.kims_verified += 1
            area.kims_active_90d += 1 if kim.posts_90d else 0
            area.members += kim.members
            if kim.village_id:
                area.covered.add(kim.village_id)
            area.posts_public += kim.posts_public
            area.posts_by_kind.update(kim.posts_by_kind)
            area.hoax_published += kim.hoax_published
            area.siaran_targets += kim.siaran_received
            area.siaran_relays += kim.siaran_relayed


# --- The refresh ---------------------------------------------------------------------------------

_SUMMARY_FIELDS = (
    "province",
    "regency",
    "kims_verified",
    "kims_active_90d",
    "members",
    "villages",
    "villages_with_kim",
    "posts_public",
    "posts_by_kind",
    "hoax_published",
    "siaran_targets",
    "siaran_relays",
    "aspirations_received",
    "aspirations_answered",
    "answer_median_hours",
    "computed_at",
)
_ACTIVITY_FIELDS = (
    "province",
    "regency",
    "members",
    "posts_public",
    "posts_90d",
    "last_post_at",
    "last_login_at",
    "visits_90d",
    "hoax_published",
    "siaran_received",
    "siaran_relayed",
    "aspirations_received",
    "aspirations_answered",
    "score_90d",
    "computed_at",
)


def _summary_rows(areas: dict[Key, _Area], *, now: datetime) -> list[RegionSummary]:
    return [
        RegionSummary(
            level=level,
            code=code,
            province_id=area.province_id,
            regency_id=area.regency_id,
            kims_verified=area.kims_verified,
            kims_active_90d=area.kims_active_90d,
            members=area.members,
            villages=area.villages,
            villages_with_kim=len(area.covered),
            posts_public=area.posts_public,
            # Every kind, in the order of Post.Kind, zeros included: readers need no defaults.
            posts_by_kind={kind: area.posts_by_kind.get(kind, 0) for kind in Post.Kind.values},
            hoax_published=area.hoax_published,
            siaran_targets=area.siaran_targets,
            siaran_relays=area.siaran_relays,
            aspirations_received=area.aspirations_received,
            aspirations_answered=area.aspirations_answered,
            answer_median_hours=(
                round(area.answer_median_hours, 2) if area.answer_median_hours is not None else None
            ),
            computed_at=now,
        )
        for (level, code), area in areas.items()
    ]


def _activity_rows(kims: dict[int, _Kim], *, now: datetime) -> list[CommunityActivity]:
    return [
        CommunityActivity(
            community_id=pk,
            province_id=kim.province_id,
            regency_id=kim.regency_id,
            members=kim.members,
            posts_public=kim.posts_public,
            posts_90d=kim.posts_90d,
            last_post_at=kim.last_post_at,
            last_login_at=kim.last_login_at,
            visits_90d=kim.visits_90d,
            hoax_published=kim.hoax_published,
            siaran_received=kim.siaran_received,
            siaran_relayed=kim.siaran_relayed,
            aspirations_received=kim.aspirations_received,
            aspirations_answered=kim.aspirations_answered,
            score_90d=kim.score,
            computed_at=now,
        )
        for pk, kim in sorted(kims.items())
    ]


def _write_months(counts: dict[tuple[str, str, date], int]) -> None:
    """Upsert the non-zero months; delete every other row (zero now, or out of the window)."""
    existing = {
        (level, code, month): pk
        for pk, level, code, month in RegionMonth.objects.values_list(
            "pk", "level", "code", "month"
        )
    }
    stale = [pk for key, pk in existing.items() if key not in counts]
    if stale:
        RegionMonth.objects.filter(pk__in=stale).delete()
    _upsert(
        RegionMonth,
        (
            RegionMonth(level=level, code=code, month=month, posts=n)
            for (level, code, month), n in sorted(counts.items())
        ),
        ["level", "code", "month"],
        ("posts",),
    )


def summaries_refresh(*, now: datetime | None = None) -> None:
    """Recompute every summary row (see the module's docstring) and write them in one
    transaction; pages that show statistics get a new version once it commits.

    Idempotent: a second run writes the same figures (only `computed_at` moves). Two runs never
    interleave (an advisory lock on PostgreSQL; SQLite serialises writers anyway).
    """
    now = now or timezone.now()
    since = now - timedelta(days=ACTIVE_DAYS)
    months = months_window(now, MONTHS)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        areas = _areas()
        kims = _live_kims()
        _count_members(kims)
        _count_posts(kims, since=since)
        _count_siaran(kims, now=now)
        _count_relays(kims, since=since, now=now)
        _count_aspirations(areas, kims, since=since)
        _last_logins(kims)
        _count_visits(kims, since=since)
        _add_kims(areas, kims)
        medians = (
            _median_hours_postgresql()
            if connection.vendor == "postgresql"
            else _median_hours_python()
        )
        for key, hours in medians.items():
            if key in areas:
                areas[key].answer_median_hours = hours
        month_counts = _count_months(areas, months)

        _upsert(RegionSummary, _summary_rows(areas, now=now), ["level", "code"], _SUMMARY_FIELDS)
        RegionSummary.objects.exclude(computed_at=now).delete()  # areas no longer in the tree
        _write_months(month_counts)
        _upsert(CommunityActivity, _activity_rows(kims, now=now), ["community"], _ACTIVITY_FIELDS)
        CommunityActivity.objects.exclude(computed_at=now).delete()  # KIMs no longer live
        page_cache.bump(PAGE_SCOPE)  # after the commit
    log.info("stats: refreshed %d areas and %d KIMs", len(areas), len(kims))


def _upsert(model, rows: Iterable, unique: list[str], fields: tuple[str, ...]) -> None:
    model.objects.bulk_create(
        list(rows),
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=unique,
        update_fields=list(fields),
    )
