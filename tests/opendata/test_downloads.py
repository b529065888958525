"""Open data at /data/: stable columns, only verified KIMs and public posts, never a contact,
streamed in keyset batches, figures that match direct counts, bounded queries."""

import csv
import io
import json

import pytest
from django.utils import timezone

from opendata import selectors
from opendata.columns import DATASETS, KIM, STATS_PROVINCE, STATS_REGENCY
from stats.services import summaries_refresh
from tests.factories import make_community, make_post
from tests.opendata.helpers import HIDDEN_TEXTS, assert_no_secrets

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    "/data/kim.csv",
    "/data/kim.json",
    "/data/statistik-provinsi.csv",
    "/data/statistik-provinsi.json",
    "/data/statistik-kabupaten.csv",
    "/data/statistik-kabupaten.json",
]

# Written out by hand: changing a column breaks every consumer, so it must break this test too.
KIM_COLUMNS = [
    "id",
    "nomor_induk",
    "nama",
    "jenis",
    "subdomain",
    "url",
    "kode_provinsi",
    "nama_provinsi",
    "kode_kabupaten",
    "nama_kabupaten",
    "kode_kecamatan",
    "nama_kecamatan",
    "kode_desa",
    "nama_desa",
    "status",
    "tanggal_verifikasi",
    "bidang_fokus",
    "jumlah_anggota",
]
STAT_COLUMNS = [
    "jumlah_kim",
    "jumlah_desa",
    "desa_dengan_kim",
    "cakupan_per_100_desa",
    "jumlah_kabar",
]
PROVINCE_COLUMNS = ["kode_provinsi", "nama_provinsi", *STAT_COLUMNS]
REGENCY_COLUMNS = [
    "kode_provinsi",
    "nama_provinsi",
    "kode_kabupaten",
    "nama_kabupaten",
    *STAT_COLUMNS,
]


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, body(response)


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_columns_are_stable():
    assert KIM.names == KIM_COLUMNS
    assert STATS_PROVINCE.names == PROVINCE_COLUMNS
    assert STATS_REGENCY.names == REGENCY_COLUMNS


def test_the_page_documents_every_column_and_links_every_file(client, w):
    response = client.get("/data/")
    assert response.status_code == 200
    page = response.content.decode()
    for dataset in DATASETS.values():
        for name in dataset.names:
            assert f"<code>{name}</code>" in page, name
    for url in DOWNLOADS:
        assert f'href="{url}"' in page, url
    assert 'href="/api/v1/openapi.json"' in page
    assert "CC BY 4.0" in page
    assert not response.cookies


@pytest.mark.parametrize("url", DOWNLOADS)
def test_no_download_carries_a_contact_or_a_hidden_row(client, w, url):
    response, text = download(client, url)
    assert_no_secrets(text)
    for hidden in HIDDEN_TEXTS:
        assert hidden not in text, hidden
    assert not response.cookies


@pytest.mark.parametrize("url", DOWNLOADS)
def test_a_download_is_a_dated_attachment(client, w, url):
    response, _ = download(client, url)
    stem, extension = url.rsplit("/", 1)[1].rsplit(".", 1)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{stem}-{today}.{extension}"'
    assert response["Content-Type"].startswith(
        "text/csv" if extension == "csv" else "application/json"
    )
    assert "public" in response["Cache-Control"]


def test_the_kim_directory_lists_verified_kims_only(client, w):
    _, text = download(client, "/data/kim.csv")
    rows = csv_rows(text)
    assert list(rows[0]) == KIM_COLUMNS
    assert [r["nama"] for r in rows] == ["KIM Ketabang Maju", "KIM Gegerkalong Sejahtera"]
    a = rows[0]
    assert a["nomor_induk"] == "357809100301"
    assert a["kode_desa"] == "35.78.09.1003" and a["nama_desa"] == "Ketabang"
    assert a["bidang_fokus"] == "umkm;pertanian"
    assert a["jumlah_anggota"] == "10"
    assert a["status"] == "verified"
    _, text = download(client, "/data/kim.json")
    document = json.loads(text)
    assert document["kolom"] == KIM_COLUMNS and document["lisensi"] == "CC BY 4.0"
    assert [list(r) for r in document["data"]] == [KIM_COLUMNS, KIM_COLUMNS]
    assert document["data"][0]["bidang_fokus"] == ["umkm", "pertanian"]
    assert document["data"][0]["jumlah_anggota"] == 10


def test_the_kim_directory_streams_in_keyset_batches(client, w, monkeypatch):
    for i in range(5):
        make_community(
            village=w.regions.sumbersekar,
            slug=f"kim-sumber-{i}",
            name=f"KIM Sumber {i}",
            members=1,
            nomor_induk=f"3507202005{i + 10}",
        )
    monkeypatch.setattr(selectors, "BATCH_SIZE", 2)
    response = client.get("/data/kim.csv")
    assert response.streaming
    rows = csv_rows(body(response))
    assert len(rows) == 7
    ids = [int(r["id"]) for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == 7
    document = json.loads(body(client.get("/data/kim.json")))
    assert [r["id"] for r in document["data"]] == ids


def test_region_figures_match_direct_counts(client, w):
    provinces = {
        r["kode_provinsi"]: r
        for r in json.loads(body(client.get("/data/statistik-provinsi.json")))["data"]
    }
    # Jawa Timur: KIM A only (pending Kapasari is not counted); 3 villages, 1 with a KIM; A's two
    # public posts (the draft, the hidden and the future ones are not).
    assert provinces["35"] == {
        "kode_provinsi": "35",
        "nama_provinsi": "Jawa Timur",
        "jumlah_kim": 1,
        "jumlah_desa": 3,
        "desa_dengan_kim": 1,
        "cakupan_per_100_desa": 33.3,
        "jumlah_kabar": 2,
    }
    assert provinces["32"]["jumlah_kabar"] == 1 and provinces["32"]["cakupan_per_100_desa"] == 100.0
    regencies = {
        r["kode_kabupaten"]: r for r in csv_rows(body(client.get("/data/statistik-kabupaten.csv")))
    }
    assert list(regencies) == ["32.73", "35.07", "35.78"]
    assert (
        regencies["35.07"]["jumlah_kim"] == "0"
        and regencies["35.07"]["cakupan_per_100_desa"] == "0.0"
    )
    assert (
        regencies["35.78"]["jumlah_desa"] == "2"
        and regencies["35.78"]["cakupan_per_100_desa"] == "50.0"
    )


def test_region_figures_follow_a_verification_at_the_next_refresh(
    client, w, django_capture_on_commit_callbacks
):
    assert selectors.region_stats("province")[1]["jumlah_kim"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        w.pending_a.status = "verified"
        w.pending_a.nomor_induk = "357809100501"
        w.pending_a.save()
    assert selectors.region_stats("province")[1]["jumlah_kim"] == 1  # read from the summaries
    summaries_refresh()
    jatim = selectors.region_stats("province")[1]
    assert (jatim["jumlah_kim"], jatim["desa_dengan_kim"]) == (2, 2)


def test_region_figures_are_empty_before_the_first_refresh(client, world):
    assert selectors.region_stats("province") == []
    assert csv_rows(body(client.get("/data/statistik-kabupaten.csv"))) == []


def _grow(w, n: int) -> None:
    for i in range(n):
        kim = make_community(
            village=w.regions.sumbersekar,
            slug=f"kim-tambah-{i}",
            name=f"KIM Tambah {i}",
            members=2,
            nomor_induk=f"3507202005{i + 50}",
        )
        make_post(kim, title=f"Kabar tambahan {i}", status="published")


BOUNDS = {
    "/data/": 0,
    "/data/kim.csv": 3,  # a batch, its members' counts, the empty batch after it
    "/data/kim.json": 3,
    "/data/statistik-provinsi.csv": 1,  # the summaries (stats.RegionSummary)
    "/data/statistik-kabupaten.json": 1,
}


@pytest.mark.parametrize("rows", [1, 20])
@pytest.mark.parametrize("url", sorted(BOUNDS))
def test_query_count_does_not_grow_with_the_data(
    client, w, django_assert_max_num_queries, rows, url
):
    _grow(w, rows)
    with django_assert_max_num_queries(BOUNDS[url] + 1):  # + the host lookup
        response = client.get(url)
        text = body(response)
    assert response.status_code == 200
    if url.startswith("/data/kim"):
        assert f"KIM Tambah {rows - 1}" in text


def test_the_page_is_valid_html(client, w, tmp_path):
    from tests.test_html_valid import validate

    assert validate({"/data/": client.get("/data/").content.decode()}, tmp_path) == []
