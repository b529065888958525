"""The search pages: /cari/ on the portal and on a subsite."""

import pytest
from django.db import connection

from communities.models import Community
from kimportal.lib import page_cache
from posts import search
from tests.search.conftest import published

pytestmark = pytest.mark.django_db

HOST = "kim-ketabang.localhost"
# The ranked ids (the newest posts, then the index when they hold few matches), the page's posts,
# their photos, the KIMs (twice when the first finds none), the province and regency choices;
# the index path runs under a time bound (posts.search.within_timeout): a savepoint, SET LOCAL
# statement_timeout and the savepoint's release (outside a test's transaction, the SET alone).
BOUND = 3
PORTAL_QUERIES = 8 + BOUND
# The ranked ids (one or two), the page's posts, their photos (the KIM comes from the host).
SUBSITE_QUERIES = 5 + BOUND


def test_portal_search_finds_posts_and_kims(client, world):
    published(world.kim_a, "Kerja bakti", body="Warga membersihkan saluran air.")
    published(world.kim_b, "Lomba", body="Lapangan desa ramai.")
    response = client.get("/cari/", {"q": "saluran"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kerja bakti" in html and "Lomba" not in html
    assert "<mark>saluran</mark>" in html
    assert "http://kim-ketabang.localhost:8000/kabar/kerja-bakti/" in html
    response = client.get("/cari/", {"q": "gegerkalong"})
    html = response.content.decode()
    assert "KIM <mark>Gegerkalong</mark> Sejahtera" in html  # the KIM, highlighted
    assert "Lomba" in html  # and its post, by its village
    assert "Kerja bakti" not in html


def test_subsite_search_finds_only_its_own_posts(client, world):
    published(world.kim_a, "Kerja bakti A", body="saluran")
    published(world.kim_b, "Kerja bakti B", body="saluran")
    html = client.get("/cari/", {"q": "saluran"}, host=HOST).content.decode()
    assert "Kerja bakti A" in html and "Kerja bakti B" not in html
    assert 'href="/kabar/kerja-bakti-a/"' in html
    assert 'href="/cari/" aria-current="page"' in html


def test_highlight_keeps_html_as_text(client, world):
    published(
        world.kim_a,
        "Awas <b>hoaks</b>",
        body='<script>alert("x")</script> hoaks <img src=x onerror=alert(1)> beredar',
    )
    html = client.get("/cari/", {"q": "hoaks"}).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "Awas &lt;b&gt;<mark>hoaks</mark>&lt;/b&gt;" in html
    # The query itself is echoed escaped too.
    html = client.get("/cari/", {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in html


def test_search_pages_are_cacheable_public_pages(client, world):
    published(world.kim_a, "Kerja bakti", body="saluran")
    for host, scope in (
        (None, page_cache.NATIONAL),
        (HOST, page_cache.community_scope(world.kim_a.pk)),
    ):
        response = client.get("/cari/", {"q": "saluran"}, host=host)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert not response.cookies
        assert response.page_scopes == (scope,)
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_form_is_labelled_and_plain_get(client, world):
    html = client.get("/cari/").content.decode()
    assert 'method="get"' in html and 'role="search"' in html
    for name in ("q", "jenis", "provinsi", "kabupaten", "dari", "sampai"):
        assert f'<label for="id_{name}">' in html
    assert '/cari/">Cari</a></li>' in html  # the header's link
    html = client.get("/", host=HOST).content.decode()
    assert '<a href="/cari/">Cari</a></li>' in html


def test_invalid_filters_are_reported_and_ignored(client, world):
    published(world.kim_a, "Kerja bakti", body="saluran")
    response = client.get(
        "/cari/", {"q": "saluran", "dari": "kemarin", "provinsi": "99", "jenis": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kerja bakti" in html
    assert 'class="error"' in html
    response = client.get("/cari/", {"q": "saluran", "dari": "2026-05-02", "sampai": "2026-05-01"})
    assert "Tanggal akhir harus sesudah tanggal awal." in response.content.decode()


def test_pages_stop_at_the_last_candidate(client, world, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "CANDIDATES", 4)
    for i in range(6):
        published(world.kim_a, f"Tulisan nomor {i}", body="gotong royong", days_ago=i)
    html = client.get("/cari/", {"q": "royong", "page": "9"}).content.decode()
    assert "Halaman 2 dari 2" in html
    assert "4 tulisan terbaru yang cocok" in html


def test_query_count_does_not_grow_with_data(client, world, django_assert_max_num_queries):
    published(world.kim_a, "Tulisan awal", body="gotong royong")
    with django_assert_max_num_queries(PORTAL_QUERIES):
        client.get("/cari/", {"q": "royong", "provinsi": "35", "kabupaten": "35.78"})
    with django_assert_max_num_queries(SUBSITE_QUERIES):
        client.get("/cari/", {"q": "royong"}, host=HOST)
    for i in range(15):
        published(world.kim_a if i % 2 else world.kim_b, f"Tulisan {i}", body="gotong royong")
    Community.objects.filter(pk=world.kim_b.pk).update(name="KIM Gotong Royong")
    with django_assert_max_num_queries(PORTAL_QUERIES):
        response = client.get("/cari/", {"q": "royong", "provinsi": "35", "kabupaten": "35.78"})
    assert response.content.decode().count('class="search-result"') == 8
    with django_assert_max_num_queries(PORTAL_QUERIES):
        response = client.get("/cari/", {"q": "royong"})
    assert response.content.decode().count('class="search-result"') == search.PAGE_SIZE
    with django_assert_max_num_queries(SUBSITE_QUERIES):
        client.get("/cari/", {"q": "royong"}, host=HOST)


def test_fallback_without_postgresql_finds_by_substring(client, world, monkeypatch):
    """`make run` on SQLite: icontains instead of full-text search; the page works the same."""
    published(world.kim_a, "Kerja bakti", body="Warga membersihkan saluran air.")
    if connection.vendor == "postgresql":
        # Force the fallback branch on PostgreSQL too, so CI runs it.
        monkeypatch.setattr(search, "is_postgresql", lambda _connection: False)
        monkeypatch.setattr("communities.search.is_postgresql", lambda _connection: False)
    html = client.get("/cari/", {"q": "salur"}).content.decode()
    assert "Kerja bakti" in html
    html = client.get("/cari/", {"q": "ketabang"}).content.decode()
    assert "KIM <mark>Ketabang</mark> Maju" in html
    html = client.get("/cari/", {"q": "salur"}, host=HOST).content.decode()
    assert "Kerja bakti" in html
