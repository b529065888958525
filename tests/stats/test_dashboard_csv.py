"""The staff dashboard's CSV (statistik/unduh.csv on kelola): stable columns, every row of the
area with the page's filters, streamed, no contact of anyone, no cell a spreadsheet would run."""

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from communities.models import Community
from stats import dashboards
from tests.factories import make_community
from tests.opendata.helpers import assert_no_secrets, populate
from tests.stats.helpers_dashboards import make_activity, make_world_summaries

pytestmark = pytest.mark.django_db

# Written out by hand: Diskominfo spreadsheets read these names, so a rename must break this test.
COLUMNS = [
    "id", "nama", "nomor_induk", "kode_provinsi", "kode_kabupaten", "nama_kabupaten",
    "anggota", "kabar_publik", "kabar_90_hari", "kabar_terakhir", "masuk_terakhir", "dorman",
    "kunjungan_90_hari", "klarifikasi_hoaks", "siaran_diterima", "siaran_diteruskan",
    "aspirasi_diterima", "aspirasi_ditanggapi", "skor_90_hari", "situs", "dihitung",
]  # fmt: skip


def download(client, user, query: str = "") -> tuple[StreamingHttpResponse, list[dict]]:
    client.force_login(user)
    response = client.get(f"/statistik/unduh.csv{query}", kelola=True)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return response, list(csv.DictReader(io.StringIO(text)))


def test_columns_are_stable_and_documented(client, world):
    make_world_summaries(world)
    response, rows = download(client, world.national_admin)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="statistik-kim-ID-')
    assert "no-store" in response["Cache-Control"]
    assert list(rows[0]) == COLUMNS
    assert [c.name for c in dashboards.CSV_COLUMNS] == COLUMNS
    assert all(c.description for c in dashboards.CSV_COLUMNS)
    guide = open("guides/content/statistik-wilayah.md").read()  # noqa: SIM115 - read once
    assert all(name in guide for name in COLUMNS)


def test_a_row_carries_the_kims_figures(client, world):
    now = timezone.now()
    make_activity(
        world.kim_a, members=23, posts_public=40, posts_90d=6, last_post_at=now - timedelta(days=2),
        last_login_at=None, visits_90d=321, hoax_published=2, siaran_received=8,
        siaran_relayed=6, aspirations_received=5, aspirations_answered=4, score_90d=77,
    )  # fmt: skip
    make_activity(world.kim_b, last_post_at=now - timedelta(days=120))
    _response, rows = download(client, world.national_admin)
    b, a = rows  # by name: Gegerkalong, Ketabang
    assert a["id"] == str(world.kim_a.pk) and a["nama"] == "KIM Ketabang Maju"
    assert a["nomor_induk"] == world.kim_a.nomor_induk
    assert (a["kode_provinsi"], a["kode_kabupaten"], a["nama_kabupaten"]) == (
        "35", "35.78", "Kota Surabaya",
    )  # fmt: skip
    assert [a[c] for c in ("anggota", "kabar_publik", "kabar_90_hari", "kunjungan_90_hari",
                           "klarifikasi_hoaks", "siaran_diterima", "siaran_diteruskan",
                           "aspirasi_diterima", "aspirasi_ditanggapi", "skor_90_hari")] == [
        "23", "40", "6", "321", "2", "8", "6", "5", "4", "77"
    ]  # fmt: skip
    assert a["kabar_terakhir"].endswith("+07:00") and a["masuk_terakhir"] == ""
    assert a["dorman"] == "tidak" and b["dorman"] == "ya"
    assert a["situs"] == "http://kim-ketabang.localhost:8000/"


def test_every_row_of_the_area_with_the_pages_filters_and_order(client, world, monkeypatch):
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 1)
    monkeypatch.setattr(dashboards, "MAX_PAGES", 1)
    make_world_summaries(world)  # A active, B never posted
    for i in range(3):
        community = make_community(
            village=world.regions.ketabang, slug=f"kim-csv-{i}", name=f"KIM Csv {i}",
            nomor_induk=f"9900000000{i:02d}",
        )  # fmt: skip
        make_activity(community, members=50 + i)
    _response, rows = download(client, world.national_admin)
    assert len(rows) == 5  # no page cap in the file
    _response, rows = download(client, world.jatim_admin, "?urut=-anggota")  # 111, 52, 51, 50
    assert [r["nama"] for r in rows] == [
        "KIM Ketabang Maju", "KIM Csv 2", "KIM Csv 1", "KIM Csv 0",
    ]  # fmt: skip
    _response, rows = download(client, world.national_admin, "?dorman=on")
    assert [r["nama"] for r in rows] == ["KIM Gegerkalong Sejahtera"]
    _response, rows = download(client, world.national_admin, "?provinsi=32")
    assert [r["nama"] for r in rows] == ["KIM Gegerkalong Sejahtera"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_no_cell_starts_a_formula(client, world, start):
    name = f'{start}HYPERLINK("http://jahat.example/","klik")'
    Community.objects.filter(pk=world.kim_a.pk).update(name=name)
    make_activity(world.kim_a)
    _response, rows = download(client, world.surabaya_admin)
    assert rows[0]["nama"] == "'" + name


def test_no_contact_of_anyone_leaves_in_the_file(client, world):
    populate(world)  # KIM contacts, members' phones, aspiration senders (tests.opendata.helpers)
    make_world_summaries(world)
    client.force_login(world.national_admin)
    text = b"".join(client.get("/statistik/unduh.csv", kelola=True).streaming_content).decode()
    assert "KIM Ketabang Maju" in text and "KIM Gegerkalong Sejahtera" in text
    assert_no_secrets(text)
