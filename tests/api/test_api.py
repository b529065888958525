"""The read API (/api/v1/): only public rows and columns, filters, keyset pages, headers, and a
query count that does not grow with the data."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from opendata import schemas
from opendata.columns import KIM
from tests.factories import make_community, make_post
from tests.opendata.helpers import HIDDEN_TEXTS, assert_no_secrets

pytestmark = pytest.mark.django_db

LISTS = ("/api/v1/kim", "/api/v1/kabar", "/api/v1/siaran?cakupan=semua", "/api/v1/aspirasi")


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    return response


def walk(client, url: str) -> list[dict]:
    """Every item of a list, following `next` links."""
    items = []
    while url:
        page = get(client, url).json()
        items += page["items"]
        url = page["next"] and urlsplit(page["next"])._replace(scheme="", netloc="").geturl()
    return items


def titles(items, field="judul") -> set[str]:
    return {item[field] for item in items}


# --- Columns ------------------------------------------------------------------------------------


def test_a_kim_has_the_columns_of_the_open_data():
    assert list(schemas.Kim.model_fields) == KIM.names


def test_no_schema_has_a_contact_field():
    fields = {
        name
        for schema in (schemas.Kim, schemas.Post, schemas.Siaran, schemas.Aspirasi)
        for name in schema.model_fields
    }
    for word in ("email", "phone", "telepon", "whatsapp", "kontak", "contact", "penulis", "nama_"):
        assert not [
            f
            for f in fields
            if word in f
            and f not in {"nama_provinsi", "nama_kabupaten", "nama_kecamatan", "nama_desa"}
        ], word


# --- Only public rows, never a contact -----------------------------------------------------------


def test_lists_show_only_public_rows(client, w):
    kims = walk(client, "/api/v1/kim")
    assert titles(kims, "nama") == {"KIM Ketabang Maju", "KIM Gegerkalong Sejahtera"}
    posts = walk(client, "/api/v1/kabar")
    assert titles(posts) == {"Berita A", "Keripik tempe", "Berita B"}
    assert titles(walk(client, "/api/v1/siaran")) == {"Siaran vaksinasi"}
    assert titles(walk(client, "/api/v1/siaran?cakupan=semua")) == {
        "Siaran vaksinasi",
        "Siaran banjir lalu",
    }
    aspirations = walk(client, "/api/v1/aspirasi")
    assert {a["nomor"] for a in aspirations} == {w.asp_public.pk, w.asp_regency.pk}
    answered = next(a for a in aspirations if a["nomor"] == w.asp_public.pk)
    assert answered["tanggapan"] == "Sudah diperbaiki."
    assert answered["kim_id"] == w.kim_a.pk


def test_no_response_carries_an_email_a_phone_or_a_hidden_row(client, w):
    urls = [
        "/api/v1/provinsi",
        "/api/v1/provinsi/35/kabupaten",
        "/api/v1/kabupaten/35.78/kecamatan",
        "/api/v1/kecamatan/35.78.09/desa",
        *LISTS,
        "/api/v1/siaran",
        f"/api/v1/kabar?kim={w.kim_a.pk}",
        f"/api/v1/aspirasi?kim={w.kim_a.pk}",
        "/api/v1/kabar?jenis=umkm",
    ]
    for url in urls:
        text = get(client, url).content.decode()
        assert_no_secrets(text)
        for hidden in HIDDEN_TEXTS:
            assert hidden not in text, (url, hidden)


def test_a_kim_is_the_directory_row(client, w):
    kim = next(k for k in walk(client, "/api/v1/kim") if k["id"] == w.kim_a.pk)
    assert kim == {
        "id": w.kim_a.pk,
        "nomor_induk": "357809100301",
        "nama": "KIM Ketabang Maju",
        "jenis": "kim",
        "subdomain": "kim-ketabang",
        "url": kim["url"],
        "kode_provinsi": "35",
        "nama_provinsi": "Jawa Timur",
        "kode_kabupaten": "35.78",
        "nama_kabupaten": "Kota Surabaya",
        "kode_kecamatan": "35.78.09",
        "nama_kecamatan": "Genteng",
        "kode_desa": "35.78.09.1003",
        "nama_desa": "Ketabang",
        "status": "verified",
        "tanggal_verifikasi": timezone.localdate(w.kim_a.verified_at).isoformat(),
        "bidang_fokus": ["umkm", "pertanian"],
        "jumlah_anggota": 10,
    }
    assert urlsplit(kim["url"]).netloc.startswith("kim-ketabang.")


# --- Filters ------------------------------------------------------------------------------------


def test_kim_filters(client, w):
    assert titles(walk(client, "/api/v1/kim?provinsi=32"), "nama") == {"KIM Gegerkalong Sejahtera"}
    assert titles(walk(client, "/api/v1/kim?kabupaten=35.78"), "nama") == {"KIM Ketabang Maju"}
    assert titles(walk(client, "/api/v1/kim?kabupaten=35.07"), "nama") == set()
    assert titles(walk(client, "/api/v1/kim?q=ketabang"), "nama") == {"KIM Ketabang Maju"}
    # A pending KIM is not found by its name either.
    assert walk(client, "/api/v1/kim?q=kapasari") == []


def test_post_filters(client, w):
    assert titles(walk(client, f"/api/v1/kabar?kim={w.kim_b.pk}")) == {"Berita B"}
    assert titles(walk(client, "/api/v1/kabar?jenis=umkm")) == {"Keripik tempe"}
    assert titles(walk(client, "/api/v1/kabar?provinsi=32")) == {"Berita B"}
    assert titles(walk(client, "/api/v1/kabar?kabupaten=35.78")) == {"Berita A", "Keripik tempe"}
    since = (timezone.now() - timedelta(minutes=90)).isoformat().replace("+", "%2B")
    assert titles(walk(client, f"/api/v1/kabar?sejak={since}")) == {"Keripik tempe"}
    assert walk(client, f"/api/v1/kabar?kim={w.pending_a.pk}") == []


def test_aspiration_filters(client, w):
    assert [a["nomor"] for a in walk(client, "/api/v1/aspirasi?kabupaten=32.73")] == [
        w.asp_regency.pk
    ]
    assert [a["nomor"] for a in walk(client, f"/api/v1/aspirasi?kim={w.kim_a.pk}")] == [
        w.asp_public.pk
    ]
    assert walk(client, "/api/v1/aspirasi?topik=bencana") == []


def test_an_answer_shows_only_while_the_aspiration_stands_answered(client, w):
    """As on its public page: a closed aspirasi's earlier answer is not shown."""
    from tests.aspirations.helpers import make_aspirasi

    closed = make_aspirasi(community=w.kim_b, status="ditutup", answer="Jawaban yang dicabut.")
    item = next(a for a in walk(client, "/api/v1/aspirasi") if a["nomor"] == closed.pk)
    assert (item["tanggapan"], item["ditanggapi_pada"]) == ("", None)


def test_regions_by_parent(client, w):
    provinces = get(client, "/api/v1/provinsi").json()["items"]
    assert provinces == [{"kode": "32", "nama": "Jawa Barat"}, {"kode": "35", "nama": "Jawa Timur"}]
    regencies = get(client, "/api/v1/provinsi/35/kabupaten").json()["items"]
    assert [r["kode"] for r in regencies] == ["35.07", "35.78"]
    villages = get(client, "/api/v1/kecamatan/35.78.09/desa").json()["items"]
    assert [v["nama"] for v in villages] == ["Ketabang", "Kapasari"]
    get(client, "/api/v1/provinsi/99/kabupaten", 404)
    get(client, "/api/v1/kabupaten/99.99/kecamatan", 404)
    get(client, "/api/v1/kabupaten/35.78/kecamatan/", 404)  # no such route


def test_bad_parameters_are_the_clients_error(client, w):
    assert get(client, "/api/v1/kim?cursor=bukan-kursor", 400).json()["detail"]
    get(client, "/api/v1/kim?limit=101", 422)
    get(client, "/api/v1/kim?limit=0", 422)
    get(client, "/api/v1/kim?provinsi=jatim", 422)
    get(client, "/api/v1/kabar?jenis=rahasia", 422)
    get(client, "/api/v1/kabar?kim=99999999999999999999", 422)
    get(client, "/api/v1/kabar?sejak=9999-12-31T23:59:59-23:59", 400)


# --- Pages --------------------------------------------------------------------------------------


def test_keyset_pages_walk_every_row_once_in_order(client, w):
    for i in range(5):
        make_post(
            w.kim_b, title=f"Kabar {i}", status="published", published_at=w.post_b.published_at
        )  # ties broken by id
    everything = walk(client, "/api/v1/kabar?limit=100")
    paged = walk(client, "/api/v1/kabar?limit=2")
    assert [p["id"] for p in paged] == [p["id"] for p in everything]
    assert len(everything) == 8
    first = get(client, "/api/v1/kabar?limit=2&jenis=").json()
    assert "limit=2" in first["next"] and "cursor=" in first["next"]
    assert first["next"].startswith("http")
    last = get(client, "/api/v1/kabar?limit=100").json()
    assert last["next"] is None


def test_kims_page_by_name(client, w):
    for i in range(3):
        make_community(
            village=w.regions.sumbersekar,
            slug=f"kim-sumber-{i}",
            name=f"KIM Sumber {i}",
            members=1,
            nomor_induk=f"3507202005{i + 10}",
        )
    paged = walk(client, "/api/v1/kim?limit=1")
    assert [k["nama"] for k in paged] == sorted(k["nama"] for k in paged)
    assert len(paged) == 5


# --- Headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/provinsi", "/api/v1/openapi.json"])
def test_read_only_public_headers(client, w, url):
    response = get(client, url)
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    assert not response.cookies


def test_errors_are_json_with_cors_too(client, w):
    response = get(client, "/api/v1/provinsi/99/kabupaten", 404)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {"detail": "wilayah tidak ditemukan"}


def test_the_description_names_every_list_and_no_docs_page(client, w):
    schema = get(client, "/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/provinsi",
        "/api/v1/provinsi/{kode}/kabupaten",
        "/api/v1/kabupaten/{kode}/kecamatan",
        "/api/v1/kecamatan/{kode}/desa",
        "/api/v1/kim",
        "/api/v1/kabar",
        "/api/v1/siaran",
        "/api/v1/aspirasi",
    }
    get(client, "/api/v1/docs", 404)


# --- Query counts -------------------------------------------------------------------------------


def _grow(w, n: int) -> None:
    from tests.aspirations.helpers import make_aspirasi
    from tests.siaran.helpers import make_siaran

    for i in range(n):
        kim = make_community(
            village=w.regions.sumbersekar,
            slug=f"kim-tambah-{i}",
            name=f"KIM Tambah {i}",
            members=2,
            nomor_induk=f"3507202005{i + 50}",
        )
        make_post(kim, title=f"Kabar tambahan {i}", status="published")
        make_siaran(
            w.national_admin,
            title=f"Siaran {i}",
            provinces=[w.regions.jatim],
            regencies=[w.regions.malang],
        )
        make_aspirasi(community=kim, text=f"Aspirasi {i}")


BOUNDS = {
    "/api/v1/kim": 2,  # the page, the members' counts
    "/api/v1/kabar": 1,
    "/api/v1/siaran?cakupan=semua": 3,  # the page, its provinces, its regencies
    "/api/v1/aspirasi": 1,
    "/api/v1/provinsi": 1,
    "/api/v1/kecamatan/35.07.20/desa": 1,
}


@pytest.mark.parametrize("rows", [1, 20])
@pytest.mark.parametrize("url", sorted(BOUNDS))
def test_query_count_does_not_grow_with_the_data(
    client, w, django_assert_max_num_queries, rows, url
):
    _grow(w, rows)
    with django_assert_max_num_queries(BOUNDS[url] + 1):  # + the host lookup
        page = get(client, url + ("&" if "?" in url else "?") + "limit=100").json()
    if "provinsi" not in url and "desa" not in url:
        assert len(page["items"]) >= rows
