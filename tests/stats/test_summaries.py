"""The summary tables (stats.services.summaries_refresh): figures equal direct counts, a fixed
number of queries at any size, idempotent, and only live KIMs and public posts count."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community, Member
from posts.models import Post
from stats import services
from stats.models import CommunityActivity, PostVisitDay, RegionMonth, RegionSummary
from stats.tasks import refresh_summaries
from tests.aspirations.helpers import make_aspirasi
from tests.factories import make_community, make_post, make_role, make_user
from tests.siaran.helpers import make_siaran
from tests.stats.helpers import (
    SUMMARY_FIGURES,
    answered,
    direct_summary,
    figures,
    populate,
    public_posts,
    relay,
)

pytestmark = pytest.mark.django_db

AREAS = [
    ("nasional", ""),
    ("provinsi", "35"),
    ("provinsi", "32"),
    ("kabupaten", "35.78"),
    ("kabupaten", "35.07"),
    ("kabupaten", "32.73"),
]


@pytest.fixture
def w(world):
    return populate(world)


def summary(level: str, code: str = "") -> RegionSummary:
    return RegionSummary.objects.get(level=level, code=code)


def activity(community) -> CommunityActivity:
    return CommunityActivity.objects.get(community=community)


def snapshot() -> dict:
    """Every summary row with its figures (not when they were computed)."""
    return {
        "summaries": sorted(
            RegionSummary.objects.values_list("pk", "level", "code", *SUMMARY_FIGURES)
        ),
        "months": sorted(RegionMonth.objects.values_list("pk", "level", "code", "month", "posts")),
        "activity": [
            {name: value for name, value in row.items() if name != "computed_at"}
            for row in CommunityActivity.objects.values().order_by("community_id")
        ],
    }


# --- Figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "code"), AREAS)
def test_figures_match_direct_counts(w, level, code):
    services.summaries_refresh()
    assert figures(summary(level, code)) == direct_summary(level, code)


def test_national_figures_written_out_by_hand(w):
    """What the direct counts above must come to, worked out from tests.stats.helpers.populate:
    so that a rule missing from both the refresh and the direct count still fails here."""
    services.summaries_refresh()
    nation = summary("nasional")
    assert (nation.kims_verified, nation.members) == (3, 24)  # A, B (10 each) and C (4)
    assert (nation.villages, nation.villages_with_kim) == (4, 3)
    # A: 2 kegiatan, 2 hoaks, a relay (berita); B: UMKM, a relay of a withdrawn siaran
    # (kegiatan); C: a berita and a relay (kegiatan).
    assert nation.posts_public == 9
    assert nation.posts_by_kind == {
        "kegiatan": 4, "berita": 2, "potensi": 0, "umkm": 1, "hoaks": 2, "agenda": 0,
    }  # fmt: skip
    assert nation.hoax_published == 2
    assert nation.kims_active_90d == 2  # C's posts are 95 and 120 days old
    # Each live KIM: the national siaran and one regional (Jatim+Surabaya counts once for A).
    assert nation.siaran_targets == 6
    assert nation.siaran_relays == 2  # A's public relay, C's old one; not drafts or withdrawn
    assert (nation.aspirations_received, nation.aspirations_answered) == (6, 4)
    assert nation.answer_median_hours == 7.0  # 2.5 (no event: answered_at), 4, 10, 30
    jatim, surabaya = summary("provinsi", "35"), summary("kabupaten", "35.78")
    assert (jatim.province_id, jatim.regency_id) == ("35", None)
    assert (surabaya.province_id, surabaya.regency_id) == ("35", "35.78")
    assert surabaya.answer_median_hours == 10.0  # 4, 10, 30
    assert summary("kabupaten", "35.07").answer_median_hours is None  # nothing answered


def test_every_area_has_a_row_even_without_kims(w):
    services.summaries_refresh()
    assert RegionSummary.objects.filter(level="nasional").count() == 1
    assert RegionSummary.objects.filter(level="provinsi").count() == 2
    assert RegionSummary.objects.filter(level="kabupaten").count() == 3


def test_community_activity_and_the_top_konten_score(w):
    services.summaries_refresh()
    a, b, c = activity(w.kim_a), activity(w.kim_b), activity(w.kim_c)
    # A: 4 posts in 90 days (×10), 1 relay (×5), 2 answers (×5), 250 visits (2 points).
    assert (a.posts_90d, a.visits_90d, a.siaran_relayed) == (4, 250, 1)
    assert a.score_90d == 40 + 5 + 10 + 2
    # B: 2 posts, no counted relay, 1 answer, 99 visits (no point yet).
    assert b.score_90d == 20 + 5
    assert (c.posts_90d, c.siaran_relayed, c.score_90d) == (0, 1, 0)
    assert a.score_90d > b.score_90d > c.score_90d
    assert a.members == 10 and c.members == 4
    assert (a.posts_public, a.hoax_published) == (5, 2)
    assert (a.siaran_received, a.aspirations_received, a.aspirations_answered) == (2, 3, 2)
    assert (
        a.last_post_at
        == public_posts("nasional", "")
        .filter(community=w.kim_a)
        .latest("published_at")
        .published_at
    )
    w.a_editor.refresh_from_db()
    assert a.last_login_at == w.a_editor.last_login  # the newest of A's users with a role
    assert (a.province_id, a.regency_id) == ("35", "35.78")
    assert c.last_login_at is None  # nobody holds a role in C
    # One row per live KIM, none for pending or suspended ones.
    assert set(CommunityActivity.objects.values_list("community_id", flat=True)) == {
        w.kim_a.pk, w.kim_b.pk, w.kim_c.pk
    }  # fmt: skip


def test_the_score_counts_what_happened_in_90_days_only(w):
    services.summaries_refresh()
    before = activity(w.kim_c).score_90d
    make_post(w.kim_c, title="Baru", status="published")
    services.summaries_refresh()
    assert activity(w.kim_c).score_90d == before + services.SCORE_POST


def test_posts_per_month_match_direct_counts(w):
    old = make_post(w.kim_a, title="Dua tahun lalu", status="published",
                    published_at=timezone.now() - timedelta(days=800))  # fmt: skip
    services.summaries_refresh()
    months = services.months_window(timezone.now(), services.MONTHS)
    for level, code in AREAS:
        rows = dict(
            RegionMonth.objects.filter(level=level, code=code).values_list("month", "posts")
        )
        direct = {}
        for post in public_posts(level, code):
            local = timezone.localtime(post.published_at).date().replace(day=1)
            if local in months:
                direct[local] = direct.get(local, 0) + 1
        assert rows == direct, (level, code)
    assert timezone.localtime(old.published_at).date().replace(day=1) not in months
    assert sum(RegionMonth.objects.filter(level="nasional").values_list("posts", flat=True)) == 9


def test_months_are_those_of_jakarta(w, settings):
    """A post at 23:30 UTC on the last day of a month is in the next month in Jakarta.

    Last month's first day rather than this month's: on the 1st before 06:30 in Jakarta, this
    month's post would still lie in the future and count nowhere."""
    first = services.month_start(timezone.localdate(), 1)
    last_day = first - timedelta(days=1)
    utc_evening = datetime(last_day.year, last_day.month, last_day.day, 23, 30, tzinfo=UTC)
    Post.objects.all().delete()
    make_post(w.kim_b, title="Tengah malam", status="published", published_at=utc_evening)
    services.summaries_refresh()
    assert list(RegionMonth.objects.filter(level="nasional").values_list("month", "posts")) == [
        (first, 1)
    ]


def test_month_window_and_month_start():
    day = timezone.datetime(2026, 3, 15).date()
    assert services.month_start(day) == timezone.datetime(2026, 3, 1).date()
    assert services.month_start(day, 3) == timezone.datetime(2025, 12, 1).date()
    now = timezone.make_aware(timezone.datetime(2026, 3, 15, 12))
    window = services.months_window(now, 24)
    assert len(window) == 24 and window[0] == timezone.datetime(2024, 4, 1).date()
    assert window[-1] == timezone.datetime(2026, 3, 1).date()


def test_the_python_median_equals_percentile_cont(w):
    """SQLite computes the medians in Python: the same figures as PostgreSQL's."""
    python = services._median_hours_python()
    assert python[("nasional", "")] == 7.0
    if connection.vendor == "postgresql":
        assert {k: round(v, 6) for k, v in services._median_hours_postgresql().items()} == {
            k: round(v, 6) for k, v in python.items()
        }


# --- What never counts -------------------------------------------------------------------------


def test_a_suspended_kim_disappears_after_the_next_refresh(w, django_capture_on_commit_callbacks):
    services.summaries_refresh()
    assert summary("provinsi", "32").kims_verified == 1
    assert summary("provinsi", "32").posts_public == 2
    w.kim_b.status = Community.Status.SUSPENDED
    w.kim_b.save()
    assert summary("provinsi", "32").kims_verified == 1  # until the refresh: no scan per request
    services.summaries_refresh()
    jabar = summary("provinsi", "32")
    assert (jabar.kims_verified, jabar.members, jabar.villages_with_kim) == (0, 0, 0)
    assert (jabar.posts_public, jabar.siaran_targets, jabar.aspirations_received) == (0, 0, 0)
    assert summary("nasional").kims_verified == 2
    assert not CommunityActivity.objects.filter(community=w.kim_b).exists()
    for level, code in AREAS:
        assert figures(summary(level, code)) == direct_summary(level, code), (level, code)


def test_a_draft_or_a_taken_down_post_never_counts(w):
    services.summaries_refresh()
    before = summary("kabupaten", "32.73").posts_public
    post = make_post(w.kim_b, title="Baru", status="published", kind="agenda")
    make_post(w.kim_b, title="Draf agenda", status="draft", kind="agenda")
    make_post(w.kim_b, title="Ditolak", status="rejected", kind="agenda")
    make_post(w.kim_b, title="Menunggu", status="submitted", kind="agenda")
    services.summaries_refresh()
    bandung = summary("kabupaten", "32.73")
    assert bandung.posts_public == before + 1 and bandung.posts_by_kind["agenda"] == 1
    Post.objects.filter(pk=post.pk).update(status=Post.Status.TAKEN_DOWN)
    services.summaries_refresh()
    bandung = summary("kabupaten", "32.73")
    assert bandung.posts_public == before and bandung.posts_by_kind["agenda"] == 0
    assert activity(w.kim_b).posts_public == before


# --- Idempotence and cost -----------------------------------------------------------------------


def test_running_twice_changes_nothing(w):
    services.summaries_refresh()
    first = snapshot()
    assert first["summaries"] and first["months"] and first["activity"]
    refresh_summaries.delay()  # the beat task (eager in tests)
    assert snapshot() == first


def test_stale_rows_are_removed(w):
    services.summaries_refresh()
    make_post(w.kim_c, title="Baru", status="published")
    services.summaries_refresh()
    month = services.month_start(timezone.localdate())
    assert RegionMonth.objects.filter(level="kabupaten", code="35.07", month=month).exists()
    Post.objects.filter(community=w.kim_c).update(status=Post.Status.TAKEN_DOWN)
    services.summaries_refresh()
    assert not RegionMonth.objects.filter(code="35.07").exists()  # no zero rows are kept


def _grow(w, n: int) -> None:
    """n more live KIMs, each with members, a role, posts of two kinds, a relay, aspirations
    (one answered) and visits."""
    siaran = make_siaran(w.national_admin, title=f"Siaran tambahan {n}", national=True)
    for i in range(n):
        kim = make_community(
            village=w.regions.gegerkalong if i % 2 else w.regions.sumbersekar,
            slug=f"kim-tambah-{n}-{i}",
            members=3,
            nomor_induk=f"{n:02d}{i:010d}",
        )
        make_role(kim, make_user(f"admin-{n}-{i}@example.id"), "admin")
        post = make_post(kim, title=f"Kabar {i}", status="published", kind="umkm")
        make_post(kim, title=f"Hoaks {i}", status="published", kind="hoaks")
        relay(siaran, kim, make_post(kim, title=f"Relay {i}", status="published"))
        answered(kim, hours=i + 1)
        make_aspirasi(community=kim, text=f"Aspirasi {i}")
        PostVisitDay.objects.create(post=post, community=kim, day=timezone.localdate(), count=5)


def _refresh_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        services.summaries_refresh()
    return len(queries)


# Reads: the advisory lock (PostgreSQL), provinces, regencies, villages, KIMs, members, posts,
# siaran (national count, province and regency targets), relays, aspirations, sign-ins, visits,
# medians, months. Writes: summaries and their stale rows, the months (existing keys, stale rows
# upsert), activity and its stale rows; and the savepoint of the transaction.
REFRESH_QUERIES = 25


def test_the_refresh_costs_the_same_at_any_size(w, django_assert_max_num_queries):
    _grow(w, 2)
    services.summaries_refresh()
    small = _refresh_queries()
    _grow(w, 30)
    with django_assert_max_num_queries(REFRESH_QUERIES):
        services.summaries_refresh()
    large = _refresh_queries()
    assert small == large
    assert CommunityActivity.objects.count() == 3 + 32
    assert summary("nasional").members == 24 + 32 * 3
    for level, code in AREAS[:3]:
        assert figures(summary(level, code)) == direct_summary(level, code), (level, code)


def test_the_command_refreshes():
    out = StringIO()
    call_command("refresh_stats", stdout=out)
    assert RegionSummary.objects.filter(level="nasional").exists()
    assert out.getvalue().strip() == "Statistik diperbarui: 1 wilayah, 0 KIM."


def test_the_members_of_live_kims_only(w):
    services.summaries_refresh()
    assert (
        summary("kabupaten", "35.78").members == Member.objects.filter(community=w.kim_a).count()
    )  # not the pending or the suspended KIM's rosters


# --- The demo data ------------------------------------------------------------------------------


@pytest.mark.slow
def test_figures_match_direct_counts_on_the_demo_data(settings):
    """`seed_demo` on the real region tree ends with a refresh: every area with a KIM, the
    nation and a province without one equal their direct counts."""
    settings.DEBUG = True  # seed_demo is for development
    call_command("load_regions", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    live = Community.objects.live()
    areas = [("nasional", ""), ("provinsi", "11")]  # Aceh: no demo KIM
    areas += [("provinsi", code) for code in set(live.values_list("province_id", flat=True))]
    areas += [
        ("kabupaten", code)
        for code in set(live.exclude(regency=None).values_list("regency_id", flat=True))
    ]
    assert len(areas) >= 8
    for level, code in areas:
        assert figures(summary(level, code)) == direct_summary(level, code), (level, code)
    assert RegionSummary.objects.count() == 1 + 38 + 514
    nation = summary("nasional")
    # Enough for the pages to show something: posts, relays, answers, a median.
    assert nation.posts_public > 10 and nation.siaran_relays > 0
    assert nation.aspirations_answered > 0 and nation.answer_median_hours is not None
    assert RegionMonth.objects.filter(level="nasional", posts__gt=0).exists()
    assert CommunityActivity.objects.count() == live.count()
    assert CommunityActivity.objects.filter(score_90d__gt=0).count() >= 3
