"""The audit log's screen (kelola audit/) and its CSV: filters, pages, queries, valid HTML."""

import csv
import io
import re
from datetime import datetime, timedelta

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from audit import selectors
from audit.models import Action, AuditEvent
from tests.isolation import content_of
from tests.test_html_valid import validate

pytestmark = pytest.mark.django_db

COLUMNS = [
    "waktu", "tindakan", "tindakan_label", "pelaku_id", "peran_pelaku", "sasaran_jenis",
    "sasaran_id", "sasaran", "kode_provinsi", "kode_kabupaten", "rincian",
]  # fmt: skip


def at(day: str, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day}T{hour:02d}:00:00"))


def event(label: str, *, when: datetime, **fields) -> AuditEvent:
    values = {
        "action": Action.KIM_VERIFIED, "target_kind": "kim", "target_id": 1,
        "actor_id": 10, "actor_role": "admin nasional", **fields,
    }  # fmt: skip
    return AuditEvent.objects.create(target_label=label, occurred_at=when, **values)


@pytest.fixture
def log(world):
    """Five events, each different in the one thing a filter looks at."""
    event(
        "Verifikasi Surabaya",
        when=at("2026-03-01"),
        province_code="35",
        regency_code="35.78",
        actor_id=11,
        actor_role="admin Kota Surabaya",
    )
    event(
        "Verifikasi Malang",
        when=at("2026-03-05"),
        province_code="35",
        regency_code="35.07",
        actor_id=12,
        actor_role="admin Kabupaten Malang",
    )
    event(
        "Pembekuan Bandung",
        when=at("2026-03-10"),
        action=Action.KIM_SUSPENDED,
        province_code="32",
        regency_code="32.73",
        detail={"reason": "Alasan bandung"},
    )
    event(
        "Siaran nasional",
        when=at("2026-03-15"),
        action=Action.SIARAN_PUBLISHED,
        target_kind="siaran",
    )
    event("Cakupan baru", when=at("2026-03-20", 23), action=Action.SCOPE_GRANTED,
          target_kind="account", province_code="32")  # fmt: skip
    return world


def page_of(client, world, query: str = "") -> str:
    client.force_login(world.national_admin)
    response = client.get(f"/audit/{query}", kelola=True)
    assert response.status_code == 200
    return response.content.decode()


def labels(page: str) -> list[str]:
    names = [
        "Verifikasi Surabaya", "Verifikasi Malang", "Pembekuan Bandung", "Siaran nasional",
        "Cakupan baru",
    ]  # fmt: skip
    found = [(page.index(name), name) for name in names if name in page]
    return [name for _position, name in sorted(found)]


def test_newest_first(client, log):
    assert labels(page_of(client, log)) == [
        "Cakupan baru", "Siaran nasional", "Pembekuan Bandung", "Verifikasi Malang",
        "Verifikasi Surabaya",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("?aksi=kim.suspended", ["Pembekuan Bandung"]),
        ("?pelaku=12", ["Verifikasi Malang"]),
        ("?provinsi=35", ["Verifikasi Malang", "Verifikasi Surabaya"]),
        ("?provinsi=32", ["Cakupan baru", "Pembekuan Bandung"]),
        ("?kabupaten=35.78", ["Verifikasi Surabaya"]),
        ("?provinsi=35&kabupaten=35.07", ["Verifikasi Malang"]),
        ("?dari=2026-03-05", ["Cakupan baru", "Siaran nasional", "Pembekuan Bandung",
                              "Verifikasi Malang"]),
        # The end date is inclusive: an event at 23:00 that day is in.
        ("?sampai=2026-03-20", ["Cakupan baru", "Siaran nasional", "Pembekuan Bandung",
                                "Verifikasi Malang", "Verifikasi Surabaya"]),
        ("?dari=2026-03-05&sampai=2026-03-10", ["Pembekuan Bandung", "Verifikasi Malang"]),
        ("?aksi=kim.verified&provinsi=35&pelaku=11", ["Verifikasi Surabaya"]),
        ("?aksi=siaran.withdrawn", []),
    ],
)  # fmt: skip
def test_each_filter(client, log, query, shown):
    page = page_of(client, log, query)
    assert labels(page) == shown
    if not shown:
        assert "Tidak ada peristiwa yang cocok dengan saringan ini." in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?pelaku=abc", "pelaku", "Isi ID akun berupa angka"),
        ("?dari=kemarin", "dari", "Tulis tanggal seperti 2026-01-31."),
        ("?dari=2026-03-10&sampai=2026-03-01", "sampai", "tidak boleh sebelum"),
        ("?provinsi=32&kabupaten=35.78", "kabupaten", "tidak berada di provinsi itu"),
        ("?aksi=kim.dihapus", "aksi", "Masukkan pilihan yang valid"),
    ],
)
def test_a_bad_filter_is_explained_and_keeps_what_was_typed(client, log, query, field, message):
    page = page_of(client, log, query)
    assert message in page
    assert f'aria-describedby="id_{field}_error"' in page
    assert labels(page) == []  # nothing shown rather than the unfiltered log
    if field == "pelaku":
        assert 'value="abc"' in page


def test_the_csv_of_a_bad_filter_is_refused(client, log):
    client.force_login(log.national_admin)
    response = client.get("/audit/unduh.csv?pelaku=abc", kelola=True)
    assert response.status_code == 400
    assert "Isi ID akun berupa angka" in response.content.decode()


def test_pages_walk_every_event_once(client, world):
    start = timezone.now() - timedelta(days=1)
    for i in range(selectors.PAGE_SIZE * 2 + 5):
        event(f"Peristiwa {i:03d}.", when=start + timedelta(seconds=i // 2))  # ties share a time
    client.force_login(world.national_admin)
    seen, url = [], "/audit/?aksi=kim.verified"
    while url:
        page = client.get(url, kelola=True).content.decode()
        seen += re.findall(r"Peristiwa (\d{3})\.", page)
        found = re.search(r'rel="next" href="([^"]+)"', page)
        url = "/audit/" + found.group(1).replace("&amp;", "&") if found else ""
        if found:
            assert "aksi=kim.verified" in url  # the filters follow the pages
    assert seen == [f"{i:03d}" for i in reversed(range(selectors.PAGE_SIZE * 2 + 5))]


@pytest.mark.parametrize("rows", [3, 60])
def test_queries_do_not_grow_with_rows(client, world, rows, django_assert_max_num_queries):
    for i in range(rows):
        event(f"Peristiwa {i}", when=timezone.now(), detail={"reason": "x"})
    client.force_login(world.national_admin)
    # Session, user, staff scopes, provinces, regencies, one page of events.
    with django_assert_max_num_queries(6):
        response = client.get("/audit/?provinsi=35&dari=2020-01-01", kelola=True)
    assert response.status_code == 200


def test_the_page_is_valid_html_and_links_its_guide(client, log, tmp_path):
    pages = {
        "audit log": page_of(client, log, "?dari=2026-03-01"),
        "audit log with errors": page_of(
            client, log, "?pelaku=x&dari=2026-03-02&sampai=2026-03-01"
        ),
        "audit log, empty": page_of(client, log, "?aksi=siaran.withdrawn"),
    }
    assert "/panduan/log-audit/" in pages["audit log"]
    assert validate(pages, tmp_path) == []


def test_the_menu_links_the_log_for_national_admins_only(client, world):
    client.force_login(world.national_admin)
    assert 'href="/audit/"' in client.get("/", kelola=True).content.decode()
    client.force_login(world.jatim_admin)
    assert 'href="/audit/"' not in client.get("/", kelola=True).content.decode()


def test_the_detail_is_shown_in_bahasa_indonesia(client, log):
    page = page_of(client, log, "?aksi=kim.suspended")
    assert "<dt>alasan</dt><dd>Alasan bandung</dd>" in page


# --- The CSV -------------------------------------------------------------------------------------


def download(client, world, query: str = "") -> tuple[StreamingHttpResponse, list[dict]]:
    client.force_login(world.national_admin)
    response = client.get(f"/audit/unduh.csv{query}", kelola=True)
    assert response.status_code == 200
    return response, list(csv.DictReader(io.StringIO(content_of(response))))


def test_the_csv_has_stable_columns_and_every_row(client, log):
    response, rows = download(client, log)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="log-audit-')
    assert "no-store" in response["Cache-Control"]
    assert [c.name for c in selectors.CSV_COLUMNS] == COLUMNS
    assert list(rows[0]) == COLUMNS
    guide = open("guides/content/log-audit.md").read()  # noqa: SIM115 - read once
    assert all(name in guide for name in COLUMNS)
    # The national admin's own sign-in (force_login) is in the log too.
    assert [r["sasaran"] for r in rows if r["sasaran"]] == [
        "Cakupan baru", "Siaran nasional", "Pembekuan Bandung", "Verifikasi Malang",
        "Verifikasi Surabaya",
    ]  # fmt: skip
    bandung = next(r for r in rows if r["sasaran"] == "Pembekuan Bandung")
    assert bandung == {
        "waktu": "2026-03-10T12:00:00+07:00", "tindakan": "kim.suspended",
        "tindakan_label": "KIM dibekukan", "pelaku_id": "10", "peran_pelaku": "admin nasional",
        "sasaran_jenis": "kim", "sasaran_id": "1", "sasaran": "Pembekuan Bandung",
        "kode_provinsi": "32", "kode_kabupaten": "32.73",
        "rincian": '{"reason": "Alasan bandung"}',
    }  # fmt: skip


def test_the_csv_takes_the_same_filters(client, log):
    _response, rows = download(client, log, "?provinsi=35&sampai=2026-03-03")
    assert [r["sasaran"] for r in rows] == ["Verifikasi Surabaya"]


def test_no_csv_cell_runs_as_a_formula(client, world):
    event('=HYPERLINK("http://contoh.id")', when=timezone.now(), detail={"reason": "+1"})
    _response, rows = download(client, world, "?aksi=kim.verified")
    assert rows[0]["sasaran"] == '\'=HYPERLINK("http://contoh.id")'
    assert rows[0]["rincian"] == '{"reason": "+1"}'  # JSON starts with a brace: harmless
