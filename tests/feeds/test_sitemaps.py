"""Sitemaps of the portal (an index of bounded sections) and of each KIM (kimportal.sitemaps)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from kimportal import sitemaps
from kimportal.lib import page_cache
from posts.models import Post
from tests.factories import make_community
from tests.feeds.conftest import HIDDEN_TITLES, published

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PORTAL = "http://localhost:8000"
KIM_A = "kim-ketabang.localhost"
# The protocol's limits: URLs per file, and bytes per file (uncompressed).
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024


def _get(client, url: str):
    """GET an absolute URL on its own host."""
    scheme_host, _, path = url.removeprefix("http://").partition("/")
    response = client.get("/" + path, host=scheme_host.split(":")[0])
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response


def index(client, url: str = f"{PORTAL}/sitemap.xml") -> dict[str, str | None]:
    """{section URL: lastmod} of a sitemap index."""
    root = ET.fromstring(_get(client, url).content)
    assert root.tag == f"{NS}sitemapindex"
    return {
        s.findtext(f"{NS}loc"): s.findtext(f"{NS}lastmod") for s in root.findall(f"{NS}sitemap")
    }


def urlset(client, url: str) -> dict[str, str | None]:
    """{URL: lastmod} of a sitemap."""
    root = ET.fromstring(_get(client, url).content)
    assert root.tag == f"{NS}urlset"
    urls = root.findall(f"{NS}url")
    assert 0 < len(urls) <= sitemaps.SECTION_SIZE
    return {u.findtext(f"{NS}loc"): u.findtext(f"{NS}lastmod") for u in urls}


def everything(client, url: str = f"{PORTAL}/sitemap.xml") -> dict[str, str | None]:
    """Every URL of an index's sections."""
    urls = {}
    for section in index(client, url):
        found = urlset(client, section)
        assert not set(found) & set(urls), "a URL in two sections"
        urls.update(found)
    return urls


def w3c(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def post_url(post: Post) -> str:
    return f"http://{post.community.slug}.localhost:8000/kabar/{post.slug}/"


# --- The portal's index --------------------------------------------------------------------------


def test_portal_index_lists_its_sections(client, w):
    sections = index(client)
    assert list(sections) == [
        f"{PORTAL}/sitemap-halaman.xml",
        f"{PORTAL}/sitemap-wilayah-1.xml",
        f"{PORTAL}/sitemap-kim-1.xml",
        f"{PORTAL}/sitemap-kabar-1.xml",
    ]
    # Nationwide sections carry no lastmod (it would take a scan of every public post); their
    # URLs do (test_lastmod_of_posts_and_kims).
    assert set(sections.values()) == {None}


def test_portal_sitemap_covers_pages_regions_live_kims_and_public_posts_only(client, w):
    urls = everything(client)
    assert {f"{PORTAL}/", f"{PORTAL}/wilayah/", f"{PORTAL}/kim/"} <= set(urls)
    regions = {
        f"{PORTAL}/wilayah/jawa-timur/",
        f"{PORTAL}/wilayah/jawa-barat/",
        f"{PORTAL}/wilayah/jawa-timur/kota-surabaya/",
        f"{PORTAL}/wilayah/jawa-timur/kabupaten-malang/",
        f"{PORTAL}/wilayah/jawa-barat/kota-bandung/",
        f"{PORTAL}/wilayah/jawa-timur/kota-surabaya/genteng/",
        f"{PORTAL}/wilayah/jawa-timur/kabupaten-malang/dau/",
        f"{PORTAL}/wilayah/jawa-barat/kota-bandung/sukasari/",
    }
    assert regions <= set(urls)
    homes = {u for u in urls if u.endswith(".localhost:8000/")}
    assert homes == {
        "http://kim-ketabang.localhost:8000/",
        "http://kim-gegerkalong.localhost:8000/",
    }
    posts = {u for u in urls if "/kabar/" in u}
    assert posts == {post_url(p) for p in (w.a_old, w.a_new, w.b_post)}
    for title in HIDDEN_TITLES:
        assert not any(title.lower().replace(" ", "-") in u for u in urls), title


def test_lastmod_of_posts_and_kims(client, w):
    later = timezone.now() + datetime.timedelta(hours=1)
    Post.objects.filter(pk=w.a_old.pk).update(updated_at=later)  # edited after publication
    urls = everything(client)
    for post in (w.a_old, w.a_new, w.b_post):
        post.refresh_from_db()
        assert urls[post_url(post)] == w3c(max(post.updated_at, post.published_at))
    assert urls[post_url(w.a_old)] == w3c(later)
    # A KIM: its newest public post, or its profile when that changed later.
    w.kim_b.refresh_from_db()
    assert urls["http://kim-ketabang.localhost:8000/"] == w3c(
        max(w.kim_a.updated_at, w.a_new.published_at)
    )
    Community.objects.filter(pk=w.kim_b.pk).update(updated_at=later)
    assert everything(client)["http://kim-gegerkalong.localhost:8000/"] == w3c(later)


# --- Splitting -----------------------------------------------------------------------------------


def test_n_plus_one_posts_make_two_sections(client, w, monkeypatch):
    Post.objects.all().delete()
    size = 4
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", size)
    posts = [published(w.kim_a, f"Kabar {i}") for i in range(size + 1)]
    sections = [s for s in index(client) if "/sitemap-kabar-" in s]
    assert len(sections) == 2
    urls = {}
    for section in sections:
        found = urlset(client, section)
        assert len(found) <= size
        urls.update(found)
    assert set(urls) == {post_url(p) for p in posts}


def test_sections_follow_pk_ranges_and_skip_empty_ones(client, w, monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", 1)
    sections = [s for s in index(client) if "/sitemap-kabar-" in s or "/sitemap-kim-" in s]
    public = sorted([w.a_old.pk, w.a_new.pk, w.b_post.pk])
    kims = sorted([w.kim_a.pk, w.kim_b.pk])
    assert sections == [f"{PORTAL}/sitemap-kim-{pk}.xml" for pk in kims] + [
        f"{PORTAL}/sitemap-kabar-{pk}.xml" for pk in public
    ]
    # A range without a public post has no section.
    hidden = Post.objects.get(title="Draf rahasia")
    assert client.get(f"/sitemap-kabar-{hidden.pk}.xml").status_code == 404
    assert client.get(f"/sitemap-kim-{w.pending_a.pk}.xml").status_code == 404


def test_regions_split_too(client, w, monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", 3)
    sections = [s for s in index(client) if "/sitemap-wilayah-" in s]
    assert len(sections) == 3  # 2 provinces + 3 regencies + 3 districts
    urls = [u for s in sections for u in urlset(client, s)]
    assert len(urls) == len(set(urls)) == 8


def test_a_full_section_stays_under_the_size_limit(w):
    """The longest URL the data allows, 50,000 times, is still under 50 MB."""
    post = Post(slug="x" * 170, updated_at=timezone.now(), published_at=timezone.now())
    post.community = Community(slug="k" * 40)
    url = {
        "location": post_url(post).replace("localhost:8000", "kim.id"),
        "lastmod": post.updated_at,
    }
    entry = b"".join(x.encode() for x in [sitemaps.urlset([url]).content.decode().splitlines()[2]])
    assert len(entry) * MAX_URLS + 200 < MAX_BYTES
    assert sitemaps.SECTION_SIZE == MAX_URLS


@pytest.mark.parametrize(
    "path",
    ["/sitemap-tidak-ada.xml", "/sitemap-kabar.xml", "/sitemap-halaman-1.xml",
     "/sitemap-kabar-0.xml", "/sitemap-kabar-999999.xml", "/sitemap-wilayah-2.xml",
     "/sitemap-kabar-1.xml?p=2"],
)  # fmt: skip
def test_unknown_sections_are_not_found(client, w, path):
    response = client.get(path)
    # No paging parameter: a query string is sent to the section's one address.
    assert response.status_code == (301 if path.endswith("?p=2") else 404)


# --- A KIM's sitemap -----------------------------------------------------------------------------


def test_subsite_sitemap_lists_its_pages_and_public_posts(client, w):
    urls = urlset(client, "http://kim-ketabang.localhost:8000/sitemap.xml")
    home = "http://kim-ketabang.localhost:8000/"
    assert list(urls)[:5] == [home + p for p in ("", "kabar/", "profil/", "pengurus/", "kontak/")]
    assert set(list(urls)[5:]) == {post_url(w.a_old), post_url(w.a_new)}
    w.kim_a.refresh_from_db()
    newest = max(max(p.updated_at, p.published_at) for p in (w.a_old, w.a_new))
    assert urls[home] == w3c(max(newest, w.kim_a.updated_at))
    assert urls[home + "profil/"] == w3c(w.kim_a.updated_at)
    assert urls[home + "pengurus/"] is None


def test_a_big_kim_gets_an_index(client, w, monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", 6)  # the 5 pages and one post per file
    sections = index(client, "http://kim-ketabang.localhost:8000/sitemap.xml")
    assert list(sections)[0] == "http://kim-ketabang.localhost:8000/sitemap-halaman.xml"
    ranges = {(post.pk - 1) // 6 + 1 for post in (w.a_old, w.a_new)}
    assert list(sections)[1:] == [
        f"http://kim-ketabang.localhost:8000/sitemap-kabar-{n}.xml" for n in sorted(ranges)
    ]
    urls = everything(client, "http://kim-ketabang.localhost:8000/sitemap.xml")
    assert len(urls) == 5 + 2 and post_url(w.b_post) not in urls
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", 5)  # the pages fill a file: always an index
    ranges = {(post.pk - 1) // 5 + 1 for post in (w.a_old, w.a_new)}
    assert len(index(client, "http://kim-ketabang.localhost:8000/sitemap.xml")) == 1 + len(ranges)
    assert client.get(f"/sitemap-kabar-{w.b_post.pk}.xml", host=KIM_A).status_code == 404


def test_missing_and_suspended_kims_have_no_sitemap(client, w):
    for host in ("kim-kapasari.localhost", "kim-sumbersekar.localhost", "kim-tidak-ada.localhost"):
        assert client.get("/sitemap.xml", host=host).status_code == 404


# --- Cost and caching ----------------------------------------------------------------------------


def _queries(client, path: str, host: str | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, host=host).status_code == 200, path
    return len(ctx.captured_queries)


PAGES = [
    ("/sitemap.xml", None),
    ("/sitemap-halaman.xml", None),
    ("/sitemap-wilayah-1.xml", None),
    ("/sitemap-kim-1.xml", None),
    ("/sitemap-kabar-1.xml", None),
    ("/sitemap.xml", KIM_A),
    ("/sitemap-halaman.xml", KIM_A),
]


def test_query_counts_do_not_grow_with_data(client, w):
    for path, host in PAGES:
        client.get(path, host=host)
    before = {page: _queries(client, *page) for page in PAGES}
    for i in range(10):
        published(w.kim_a if i % 2 else w.kim_b, f"Tambahan {i}")
        make_community(
            village=w.regions.sumbersekar, slug=f"kim-baru-{i}", nomor_induk=f"35072020050{i}"
        )
    assert {page: _queries(client, *page) for page in PAGES} == before
    # The region counts, then one query each for KIMs and posts that probes every block of
    # 50,000 pks (test_the_index_costs_the_same_however_many_sections).
    assert before[("/sitemap.xml", None)] <= 5
    assert before[("/sitemap-kabar-1.xml", None)] == 1
    assert before[("/sitemap.xml", KIM_A)] == 1


@pytest.mark.parametrize(("path", "host"), PAGES)
def test_sitemaps_are_public_pages_with_their_scope(client, w, path, host):
    response = client.get(path, host=host)
    scope = page_cache.community_scope(w.kim_a.pk) if host else page_cache.NATIONAL
    assert response.page_scopes == (scope,)
    assert "public" in response["Cache-Control"] and not response.cookies
    assert response["X-Robots-Tag"] == "noindex"


def test_the_index_costs_the_same_however_many_sections(client, w, monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", 1)  # a section per row
    first = _queries(client, "/sitemap.xml")
    before = len(index(client))
    for i in range(6):
        published(w.kim_a, f"Tambahan {i}")
        make_community(
            village=w.regions.sumbersekar, slug=f"kim-baru-{i}", nomor_induk=f"35072020050{i}"
        )
    assert _queries(client, "/sitemap.xml") == first
    assert len(index(client)) == before + 12
