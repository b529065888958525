import pytest

from regions.models import District, Village

pytestmark = pytest.mark.django_db

# Session-less anonymous pages: the region, the paginator's count and one page of children.
REGION_PAGE_QUERIES = 3


def test_province_index_lists_provinces_with_regency_counts(
    client, regions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jawa Timur" in body and "Jawa Barat" in body
    assert "2 kabupaten/kota" in body


def test_province_page_lists_its_regencies(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/jawa-timur/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kota Surabaya" in body and "Kabupaten Malang" in body
    assert "Kota Bandung" not in body
    assert 'href="/wilayah/jawa-timur/kota-surabaya/"' in body


def test_regency_page_has_breadcrumbs_and_districts(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/jawa-timur/kota-surabaya/")
    body = response.content.decode()
    assert 'href="/wilayah/jawa-timur/"' in body
    assert 'aria-current="page">Kota Surabaya' in body
    assert "Genteng" in body and "Dau" not in body


def test_district_page_lists_villages(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        response = client.get("/wilayah/jawa-timur/kota-surabaya/genteng/")
    body = response.content.decode()
    assert "Ketabang" in body and "Kapasari" in body and "Sumbersekar" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/tidak-ada/",
        "/wilayah/jawa-barat/kota-surabaya/",  # a real regency under the wrong province
        "/wilayah/jawa-timur/kota-surabaya/dau/",  # a real district under the wrong regency
        "/wilayah/jawa-timur/kota-surabaya/genteng/ketabang/",
    ],
)
def test_wrong_paths_are_404(client, regions, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_query_count_does_not_grow_with_children(client, regions, django_assert_max_num_queries):
    district = regions.genteng
    Village.objects.bulk_create(
        Village(
            code=f"35.78.09.2{i:03}",
            district=district,
            name=f"Desa {i}",
            slug=f"desa-{i}",
            kind="desa",
        )
        for i in range(150)
    )
    District.objects.bulk_create(
        District(code=f"35.78.{i:02}", regency=regions.surabaya, name=f"Kec {i}", slug=f"kec-{i}")
        for i in range(10, 90)
    )
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        first = client.get("/wilayah/jawa-timur/kota-surabaya/genteng/")
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        last = client.get("/wilayah/jawa-timur/kota-surabaya/genteng/?page=3")
    with django_assert_max_num_queries(REGION_PAGE_QUERIES):
        regency = client.get("/wilayah/jawa-timur/kota-surabaya/?page=2")
    assert "Halaman 1 dari 3" in first.content.decode()
    assert "Halaman 3 dari 3" in last.content.decode()
    assert "Halaman 2 dari 2" in regency.content.decode()
