"""Moderation of posts on kelola (moderation:*): the queue, the detail page, the decisions, the
banned terms."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from posts.models import BannedTerm, Image, ModerationEvent, Post, Report
from tests.factories import make_post

pytestmark = pytest.mark.django_db

CLEAN = {
    "photos_ready": True,
    "banned_terms": [],
    "links": 0,
    "too_many_links": False,
    "duplicate_of": None,
    "clean": True,
}
# Session (when not cached), user, the device of the second step, staff scopes, the provinces
# of the region select, the KIMs with items (filter), the count and one page of items with
# their KIMs, the count and one page of pending revisions with their posts.
QUEUE_QUERIES = 10
# A province admin in one of its regions (?wilayah=): that region's name, the provinces and the
# regencies of the region select on top.
QUEUE_QUERIES_IN_REGION = QUEUE_QUERIES + 2
# Session (when not cached), user, staff scopes, the post with its KIM, village and author, the
# photos shown, the photos not ready, the history with the actors, the reports.
DETAIL_QUERIES = 8


def body(response) -> str:
    return response.content.decode()


def submitted(community, *, title: str, hours_ago: float = 1, checks=None, **fields) -> Post:
    return make_post(
        community,
        title=title,
        status="submitted",
        submitted_at=timezone.now() - timedelta(hours=hours_ago),
        checks=CLEAN if checks is None else checks,
        checks_done=True,
        **fields,
    )


def report(post, key: str, *, reason="hoaks", details="") -> Report:
    created = Report.objects.create(
        community=post.community, post=post, reason=reason, details=details, reporter_key=key
    )
    Post.objects.filter(pk=post.pk).update(
        open_reports=Report.objects.filter(post=post, resolved_at__isnull=True).count()
    )
    return created


def titles_in(page: str, titles: list[str]) -> list[str]:
    """The given titles in the order they appear on the page."""
    found = [(page.find(f">{t}</a>"), t) for t in titles if f">{t}</a>" in page]
    return [t for _pos, t in sorted(found)]


@pytest.fixture
def items(world):
    """Queue items in A (Surabaya, Jatim) and B (Bandung, Jabar), and some that are not."""
    w = world
    w.a_old = submitted(w.kim_a, title="A lama", hours_ago=50, author=w.a_contributor)
    w.a_new = submitted(
        w.kim_a,
        title="A baru",
        hours_ago=2,
        kind="umkm",
        author=w.a_editor,
        checks={**CLEAN, "banned_terms": ["judi"], "clean": False},
    )
    w.a_escalated = submitted(
        w.kim_a, title="A eskalasi", hours_ago=60, escalated_at=timezone.now()
    )
    w.a_reported = make_post(
        w.kim_a,
        title="A dilaporkan",
        status="published",
        submitted_at=timezone.now() - timedelta(hours=30),
        author=w.a_contributor,
    )
    report(w.a_reported, "k1", details="Foto ini dari tahun lalu")
    report(w.a_reported, "k2", reason="spam")
    w.b_item = submitted(w.kim_b, title="B menunggu", hours_ago=10, author=w.b_contributor)
    make_post(w.kim_a, title="A draf", author=w.a_contributor)
    make_post(w.kim_a, title="A tayang", status="published")
    make_post(w.kim_b, title="B tayang", status="published")
    return w


ALL = ["A lama", "A baru", "A eskalasi", "A dilaporkan", "B menunggu", "A draf", "A tayang"]


# --- Queue -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("surabaya_admin", ["A eskalasi", "A lama", "A dilaporkan", "A baru"]),
        ("jatim_admin", ["A eskalasi", "A lama", "A dilaporkan", "A baru"]),
        ("malang_admin", []),
        ("bandung_admin", ["B menunggu"]),
        ("jabar_admin", ["B menunggu"]),
        ("national_admin", ["A eskalasi", "A lama", "A dilaporkan", "B menunggu", "A baru"]),
    ],
)
def test_queue_shows_the_scope_oldest_first(client, items, actor, expected):
    client.force_login(getattr(items, actor))
    page = body(client.get("/moderasi/", kelola=True))
    assert titles_in(page, ALL) == expected


def test_queue_rows_show_kim_kind_wait_flags_and_reports(client, items):
    client.force_login(items.surabaya_admin)
    page = body(client.get("/moderasi/", kelola=True))
    assert "KIM Ketabang Maju · UMKM" in page
    assert "Kata terlarang: judi" in page
    assert "Dieskalasi" in page and "Dilaporkan pembaca" in page
    assert re.search(r"<dt>Laporan</dt><dd>2</dd>", page)
    assert "2\xa0hari" in page or "2 hari" in page  # A lama waits 50 hours
    # One-click approve only for clean submitted items.
    approve_forms = re.findall(r'action="/moderasi/(\d+)/setujui/"', page)
    assert sorted(map(int, approve_forms)) == sorted([items.a_old.pk, items.a_escalated.pk])


def test_queue_flags_photos_links_and_duplicates(client, world):
    submitted(
        world.kim_a,
        title="Bermasalah",
        checks={
            "photos_ready": False,
            "banned_terms": [],
            "links": 9,
            "too_many_links": True,
            "duplicate_of": 4242,
            "clean": False,
        },
    )
    client.force_login(world.surabaya_admin)
    page = body(client.get("/moderasi/", kelola=True))
    assert "Foto belum siap" in page
    assert "Terlalu banyak tautan (9)" in page
    assert "Mirip tulisan #4242" in page
    assert "/setujui/" not in page


def test_queue_filters(client, items):
    client.force_login(items.national_admin)
    page = body(client.get(f"/moderasi/?kim={items.kim_b.pk}", kelola=True))
    assert titles_in(page, ALL) == ["B menunggu"]
    page = body(client.get("/moderasi/?kind=umkm", kelola=True))
    assert titles_in(page, ALL) == ["A baru"]
    page = body(client.get("/moderasi/?checks=flagged", kelola=True))
    assert titles_in(page, ALL) == ["A baru"]
    page = body(client.get("/moderasi/?checks=clean", kelola=True))
    assert titles_in(page, ALL) == ["A eskalasi", "A lama", "B menunggu"]
    # The KIM select offers only KIMs in scope that have items.
    client.force_login(items.surabaya_admin)
    page = body(client.get("/moderasi/", kelola=True))
    options = re.findall(r'<option value="(\d+)"', page)
    assert options == [str(items.kim_a.pk)]
    page = body(client.get(f"/moderasi/?kim={items.kim_b.pk}", kelola=True))
    assert "Pilih KIM dari daftar." in page and "B menunggu" not in page


@pytest.mark.parametrize(
    ("actor", "wilayah", "expected"),
    [
        ("national_admin", "ID", ["A eskalasi", "A lama", "A dilaporkan", "B menunggu", "A baru"]),
        ("national_admin", "32", ["B menunggu"]),
        ("national_admin", "35.78", ["A eskalasi", "A lama", "A dilaporkan", "A baru"]),
        ("national_admin", "35.07", []),
        ("jatim_admin", "35.78", ["A eskalasi", "A lama", "A dilaporkan", "A baru"]),
        ("surabaya_admin", "35.78", ["A eskalasi", "A lama", "A dilaporkan", "A baru"]),
    ],
)
def test_queue_narrows_to_a_region_of_the_scope(client, items, actor, wilayah, expected):
    client.force_login(getattr(items, actor))
    page = body(client.get(f"/moderasi/?wilayah={wilayah}", kelola=True))
    assert titles_in(page, ALL) == expected


@pytest.mark.parametrize(
    ("actor", "wilayah"),
    [
        ("surabaya_admin", "35"),  # the whole province around the user's regency
        ("surabaya_admin", "35.07"),
        ("surabaya_admin", "32.73"),
        ("jatim_admin", "32"),
        ("jatim_admin", "32.73"),
        ("jatim_admin", "ID"),
        ("bandung_admin", "35.78"),
        ("national_admin", "99"),  # no such province
    ],
)
def test_a_region_outside_the_scope_is_not_found(client, items, actor, wilayah):
    client.force_login(getattr(items, actor))
    assert client.get(f"/moderasi/?wilayah={wilayah}", kelola=True).status_code == 404


def test_the_region_select_offers_the_regions_of_the_scope(client, items):
    client.force_login(items.national_admin)
    page = body(client.get("/moderasi/", kelola=True))
    select = re.search(r'<select name="wilayah".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == ["ID", "32", "35"]
    # In a province, its regencies too.
    client.force_login(items.jatim_admin)
    page = body(client.get("/moderasi/?wilayah=35", kelola=True))
    select = re.search(r'<select name="wilayah".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "35", "35.07", "35.78"]
    # A regency admin has one region: nothing to choose.
    client.force_login(items.surabaya_admin)
    assert 'name="wilayah"' not in body(client.get("/moderasi/", kelola=True))


def test_past_the_limit_the_kim_select_gives_way_to_the_region(client, items, monkeypatch):
    """A national queue spans thousands of KIMs: past KIM_CHOICES_MAX the KIM select is not
    offered, and the page asks for a narrower region, where it comes back."""
    from posts import selectors

    monkeypatch.setattr(selectors, "KIM_CHOICES_MAX", 1)
    client.force_login(items.national_admin)
    page = body(client.get("/moderasi/", kelola=True))
    assert 'name="kim"' not in page
    assert "Lebih dari 1 KIM punya tulisan yang menunggu." in page
    assert titles_in(page, ALL) == ["A eskalasi", "A lama", "A dilaporkan", "B menunggu", "A baru"]
    page = body(client.get("/moderasi/?wilayah=32", kelola=True))
    select = re.search(r'<select name="kim".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"', select)
    assert options == [str(items.kim_b.pk)]
    page = body(client.get(f"/moderasi/?wilayah=32&kim={items.kim_b.pk}", kelola=True))
    assert titles_in(page, ALL) == ["B menunggu"]
    # A KIM of another region than the one chosen is refused, not shown.
    page = body(client.get(f"/moderasi/?wilayah=32&kim={items.kim_a.pk}", kelola=True))
    assert "Pilih KIM dari daftar." in page


def test_queue_query_count_is_constant(client, world, django_assert_max_num_queries):
    client.force_login(world.national_admin)
    for i in range(3):
        submitted(world.kim_a, title=f"Satu {i}", hours_ago=i)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert client.get("/moderasi/", kelola=True).status_code == 200
    for i in range(30):
        community = world.kim_a if i % 2 else world.kim_b
        post = submitted(community, title=f"Dua {i}", hours_ago=i, escalated_at=timezone.now())
        report(post, f"k{i}")
    with django_assert_max_num_queries(QUEUE_QUERIES):
        page = body(client.get("/moderasi/", kelola=True))
    assert "33 tulisan" in page and "Halaman 1 dari 2" in page
    client.force_login(world.jatim_admin)
    with django_assert_max_num_queries(QUEUE_QUERIES_IN_REGION):
        page = body(client.get("/moderasi/?wilayah=35.78", kelola=True))
    assert "18 tulisan" in page


# --- Detail --------------------------------------------------------------------------------------


def test_detail_shows_preview_checks_reports_and_history(client, items):
    post = items.a_reported
    Image.objects.create(
        community=post.community,
        post=post,
        original="o.jpg",
        status="ready",
        width=800,
        height=600,
        alt_text="Warga di balai",
        renditions={"320": {"webp": "r/1/1/320.webp", "jpeg": "r/1/1/320.jpg", "height": 240}},
    )
    Post.objects.filter(pk=post.pk).update(body_html="<p>Isi <strong>tebal</strong></p>")
    ModerationEvent.objects.create(
        community=post.community, post=post, actor=items.jatim_admin, action="approved"
    )
    client.force_login(items.surabaya_admin)
    page = body(client.get(f"/moderasi/{post.pk}/", kelola=True))
    assert "A dilaporkan" in page and "<p>Isi <strong>tebal</strong></p>" in page
    assert 'alt="Warga di balai"' in page and "320.webp 320w" in page
    assert "Hoaks atau informasi salah" in page and "Foto ini dari tahun lalu" in page
    assert "Spam atau iklan" in page
    assert "Disetujui" in page and "Diskominfo-Jatim" in page
    # Published with open reports: take down or dismiss; no approve/reject.
    assert "/turunkan/" in page and "/abaikan-laporan/" in page
    assert "/setujui/" not in page and "/tolak/" not in page


def test_detail_of_a_submitted_post_offers_approve_and_reject(client, items):
    client.force_login(items.surabaya_admin)
    page = body(client.get(f"/moderasi/{items.a_new.pk}/", kelola=True))
    assert f"/moderasi/{items.a_new.pk}/setujui/" in page and "/tolak/" in page
    assert "/turunkan/" not in page
    assert "Kata terlarang: judi" in page and "Pemeriksaan otomatis memberi tanda" in page


def test_detail_query_count_is_constant(client, items, django_assert_max_num_queries):
    post = items.a_reported
    client.force_login(items.surabaya_admin)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(f"/moderasi/{post.pk}/", kelola=True).status_code == 200
    for i in range(10):
        report(post, f"lagi{i}")
        ModerationEvent.objects.create(
            community=post.community, post=post, actor=items.national_admin, action="reported"
        )
        Image.objects.create(
            community=post.community, post=post, original=f"o{i}.jpg", status="ready",
            renditions={"320": {"jpeg": f"r/{i}.jpg", "height": 240}}, width=320, height=240,
        )  # fmt: skip
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(f"/moderasi/{post.pk}/", kelola=True).status_code == 200


def test_a_post_with_many_reports_and_events_shows_the_latest(
    client, items, monkeypatch, django_assert_max_num_queries
):
    """Reports can come from many addresses and each adds an event: the detail page shows the
    first REPORTS_SHOWN reports (open, newest first) and the latest HISTORY_SHOWN events, and
    says how many it leaves out; so does the writer's editor."""
    from posts import selectors

    monkeypatch.setattr(selectors, "REPORTS_SHOWN", 3)
    monkeypatch.setattr(selectors, "HISTORY_SHOWN", 4)
    post = items.a_reported  # two open reports already
    for i in range(5):
        report(post, f"banyak{i}", details=f"Laporan nomor {i}")
        ModerationEvent.objects.create(
            community=post.community, post=post, action="reported", reason=f"Peristiwa {i}"
        )
    client.force_login(items.surabaya_admin)
    with django_assert_max_num_queries(DETAIL_QUERIES + 2):  # the two counts of what is left out
        page = body(client.get(f"/moderasi/{post.pk}/", kelola=True))
    shown = re.findall(r"Laporan nomor (\d)", page)
    assert shown == ["4", "3", "2"]
    assert "4 laporan lain tidak ditampilkan." in page
    assert re.findall(r"Peristiwa (\d)", page) == ["1", "2", "3", "4"]
    assert "1 catatan yang lebih lama tidak ditampilkan." in page
    client.force_login(items.a_admin)
    page = body(client.get(f"/kim/kim-ketabang/tulisan/{post.pk}/", kelola=True))
    assert re.findall(r"Peristiwa (\d)", page) == ["1", "2", "3", "4"]
    assert "1 catatan yang lebih lama tidak ditampilkan." in page


# --- Decisions -------------------------------------------------------------------------------


def test_approve_publishes(client, items, django_capture_on_commit_callbacks):
    client.force_login(items.surabaya_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/moderasi/{items.a_old.pk}/setujui/", kelola=True)
    assert response.status_code == 302 and response["Location"] == f"/moderasi/{items.a_old.pk}/"
    post = Post.objects.get(pk=items.a_old.pk)
    assert post.status == "published" and post.published_at is not None
    event = post.events.get()
    assert (event.action, event.actor) == ("approved", items.surabaya_admin)
    assert "disetujui dan kini tayang" in body(client.get(response["Location"], kelola=True))


def test_approve_of_a_scheduled_post_schedules_it(client, items):
    when = timezone.now() + timedelta(days=3)
    Post.objects.filter(pk=items.a_old.pk).update(publish_at=when)
    client.force_login(items.surabaya_admin)
    client.post(f"/moderasi/{items.a_old.pk}/setujui/", kelola=True)
    post = Post.objects.get(pk=items.a_old.pk)
    assert (post.status, post.published_at) == ("scheduled", when)


def test_one_click_approve_from_the_queue_returns_to_the_queue(client, items):
    client.force_login(items.surabaya_admin)
    response = client.post(
        f"/moderasi/{items.a_old.pk}/setujui/", {"next": "/moderasi/?checks=clean"}, kelola=True
    )
    assert response.status_code == 302 and response["Location"] == "/moderasi/?checks=clean"
    assert Post.objects.get(pk=items.a_old.pk).status == "published"
    # Never to another host.
    response = client.post(
        f"/moderasi/{items.a_escalated.pk}/setujui/",
        {"next": "https://jahat.example.com/"},
        kelola=True,
    )
    assert response["Location"] == f"/moderasi/{items.a_escalated.pk}/"


def test_reject_needs_a_reason_and_emails_the_author(
    client, items, django_capture_on_commit_callbacks
):
    client.force_login(items.surabaya_admin)
    url = f"/moderasi/{items.a_old.pk}/tolak/"
    response = client.post(url, {"reason": "   "}, kelola=True)
    assert response.status_code == 200
    assert "Tuliskan alasannya agar penulis dapat memperbaikinya." in body(response)
    assert Post.objects.get(pk=items.a_old.pk).status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Lengkapi nama kegiatan."}, kelola=True)
    assert response.status_code == 302
    post = Post.objects.get(pk=items.a_old.pk)
    assert (post.status, post.decision_reason) == ("rejected", "Lengkapi nama kegiatan.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [items.a_contributor.email]
    assert "Lengkapi nama kegiatan." in message.body
    assert f"/kim/kim-ketabang/tulisan/{post.pk}/" in message.body


def test_take_down_emails_the_author_and_resolves_reports(
    client, items, django_capture_on_commit_callbacks
):
    client.force_login(items.jatim_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderasi/{items.a_reported.pk}/turunkan/",
            {"reason": "Foto lama disajikan sebagai baru."},
            kelola=True,
        )
    assert response.status_code == 302
    post = Post.objects.get(pk=items.a_reported.pk)
    assert (post.status, post.open_reports) == ("taken_down", 0)
    assert not Report.objects.filter(post=post, resolved_at__isnull=True).exists()
    assert [m.to for m in mail.outbox] == [[items.a_contributor.email]]
    assert "Foto lama disajikan sebagai baru." in mail.outbox[0].body
    # Gone from the queue.
    assert "A dilaporkan" not in titles_in(body(client.get("/moderasi/", kelola=True)), ALL)


def test_dismiss_reports_keeps_the_post_up(client, items):
    Post.objects.filter(pk=items.a_reported.pk).update(hidden_by_reports=True)
    client.force_login(items.surabaya_admin)
    response = client.post(
        f"/moderasi/{items.a_reported.pk}/abaikan-laporan/", {"reason": "Foto benar."}, kelola=True
    )
    assert response.status_code == 302
    post = Post.objects.get(pk=items.a_reported.pk)
    assert (post.status, post.open_reports, post.hidden_by_reports) == ("published", 0, False)
    event = post.events.get(action="reports_dismissed")
    assert (event.actor, event.reason) == (items.surabaya_admin, "Foto benar.")
    assert "A dilaporkan" not in titles_in(body(client.get("/moderasi/", kelola=True)), ALL)


def test_two_admins_approving_the_same_post_decide_once(client, items):
    url = f"/moderasi/{items.a_old.pk}/setujui/"
    client.force_login(items.surabaya_admin)
    assert client.post(url, kelola=True).status_code == 302
    client.force_login(items.jatim_admin)
    response = client.post(url, kelola=True)
    assert response.status_code == 200
    page = body(response)
    assert "Tulisan ini sudah diputuskan oleh admin lain." in page
    assert 'role="alert"' in page
    assert ModerationEvent.objects.filter(post=items.a_old, action="approved").count() == 1
    assert Post.objects.get(pk=items.a_old.pk).claimed_by == items.surabaya_admin
    # A late reject is refused the same way, and changes nothing.
    response = client.post(f"/moderasi/{items.a_old.pk}/tolak/", {"reason": "x"}, kelola=True)
    assert "sudah diputuskan oleh admin lain" in body(response)
    assert Post.objects.get(pk=items.a_old.pk).status == "published"
    # From the queue, the message comes back to the queue.
    response = client.post(url, {"next": "/moderasi/"}, kelola=True, follow=True)
    assert "sudah diputuskan oleh admin lain" in body(response)


def test_take_down_of_a_post_not_on_air_shows_the_service_message(client, items):
    client.force_login(items.surabaya_admin)
    response = client.post(f"/moderasi/{items.a_old.pk}/turunkan/", {"reason": "x"}, kelola=True)
    assert response.status_code == 200
    assert "Tulisan ini tidak sedang tayang." in body(response)
    assert Post.objects.get(pk=items.a_old.pk).status == "submitted"


def test_decision_views_are_post_only(client, items):
    client.force_login(items.national_admin)
    for action in ("setujui", "tolak", "turunkan", "abaikan-laporan"):
        assert client.get(f"/moderasi/{items.a_old.pk}/{action}/", kelola=True).status_code == 405
    assert Post.objects.get(pk=items.a_old.pk).status == "submitted"


# --- Banned terms ------------------------------------------------------------------------------


def test_banned_terms_are_listed_added_and_removed_by_national_admins(client, world):
    client.force_login(world.national_admin)
    response = client.post("/moderasi/kata/", {"term": "  Judi   Online "}, kelola=True)
    assert response.status_code == 302
    term = BannedTerm.objects.get()
    assert (term.term, term.created_by) == ("judi online", world.national_admin)
    page = body(client.get("/moderasi/kata/", kelola=True))
    assert "judi online" in page and f"/moderasi/kata/{term.pk}/hapus/" in page
    response = client.post("/moderasi/kata/", {"term": ""}, kelola=True)
    assert response.status_code == 200 and "Isi kata yang akan ditandai." in body(response)
    assert client.post(f"/moderasi/kata/{term.pk}/hapus/", kelola=True).status_code == 302
    assert not BannedTerm.objects.exists()


def test_banned_terms_flag_a_submitted_post(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.national_admin)
    client.post("/moderasi/kata/", {"term": "judi"}, kelola=True)
    client.force_login(world.a_contributor)
    post = make_post(world.kim_a, author=world.a_contributor, body="Ayo main judi")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/kim/kim-ketabang/tulisan/{post.pk}/kirim/", kelola=True)
    client.force_login(world.surabaya_admin)
    page = body(client.get("/moderasi/?checks=flagged", kelola=True))
    assert "Kerja bakti" in page and "Kata terlarang: judi" in page


# --- Valid HTML ----------------------------------------------------------------------------------


def test_editor_and_moderation_pages_are_valid_html(client, items, tmp_path, monkeypatch):
    from posts import selectors
    from tests.test_html_valid import validate

    post = items.a_new
    ready = Image.objects.create(
        community=post.community, post=post, original="o.jpg", status="ready", width=640,
        height=480, placeholder="#336699", alt_text="Foto", caption="Keterangan",
        renditions={"320": {"webp": "r/1.webp", "jpeg": "r/1.jpg", "height": 240}},
    )  # fmt: skip
    Image.objects.create(
        community=post.community, post=post, original="p.jpg", status="failed", error="Rusak"
    )
    Post.objects.filter(pk=post.pk).update(
        claim="Klaim", sources="https://a.example.id", price=25000, order_whatsapp="6281234567890"
    )
    base = "/kim/kim-ketabang/tulisan"
    pages = {}
    client.force_login(items.a_editor)
    for label, url in (
        ("list", f"{base}/"),
        ("create", f"{base}/baru/"),
        ("edit (editor)", f"{base}/{post.pk}/"),
        ("photo", f"{base}/{post.pk}/foto/{ready.pk}/"),
        ("edit published", f"{base}/{items.a_reported.pk}/"),
    ):
        pages[label] = body(client.get(url, kelola=True))
    pages["create with errors"] = body(client.post(f"{base}/baru/", {"kind": "x"}, kelola=True))
    client.force_login(items.a_contributor)
    pages["edit (contributor, read-only)"] = body(
        client.get(f"{base}/{items.a_old.pk}/", kelola=True)
    )
    client.force_login(items.national_admin)
    BannedTerm.objects.create(term="judi")
    for label, url in (
        ("queue", "/moderasi/"),
        ("detail submitted", f"/moderasi/{post.pk}/"),
        ("detail reported", f"/moderasi/{items.a_reported.pk}/"),
        ("banned terms", "/moderasi/kata/"),
    ):
        pages[label] = body(client.get(url, kelola=True))
    pages["reject with error"] = body(
        client.post(f"/moderasi/{post.pk}/tolak/", {"reason": ""}, kelola=True)
    )
    monkeypatch.setattr(selectors, "KIM_CHOICES_MAX", 1)
    pages["queue (too many KIMs: a region first)"] = body(client.get("/moderasi/", kelola=True))
    errors = validate(pages, tmp_path)
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize(
    ("actor", "shown"),
    [("surabaya_admin", True), ("national_admin", True), ("a_admin", False), ("outsider", False)],
)
def test_kelola_nav_links_to_moderation_for_staff_admins(client, world, actor, shown):
    client.force_login(getattr(world, actor))
    page = body(client.get("/", kelola=True))
    assert ('href="/moderasi/"' in page) is shown
