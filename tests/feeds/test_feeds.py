"""Atom and RSS feeds of the portal, the region pages and each KIM (kimportal.feeds)."""

import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kimportal import feeds
from kimportal.lib import page_cache
from posts.models import Image
from tests.feeds.conftest import HIDDEN_TITLES, published

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
KIM_A = "kim-ketabang.localhost"
KIM_B = "kim-gegerkalong.localhost"

# (path, host, what its posts are): every feed, Atom and RSS.
FEEDS = [
    ("/feed/", None),
    ("/wilayah/jawa-timur/feed/", None),
    ("/wilayah/jawa-timur/kota-surabaya/feed/", None),
    ("/feed/", KIM_A),
]
RSS_FEEDS = [(path + "rss/", host) for path, host in FEEDS]


def atom(client, path: str, host: str | None = None) -> ET.Element:
    response = client.get(path, host=host)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def rss(client, path: str, host: str | None = None) -> ET.Element:
    response = client.get(path, host=host)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def entry_titles(root: ET.Element) -> list[str]:
    return [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]


def item_titles(channel: ET.Element) -> list[str]:
    return [i.findtext("title") for i in channel.findall("item")]


# --- What a feed holds ---------------------------------------------------------------------------


def test_portal_atom_feed_has_the_required_elements_and_only_public_posts(client, w):
    root = atom(client, "/feed/")
    for tag in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{tag}"), tag
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"].endswith("/feed/") and links["alternate"] == "http://localhost:8000/"
    # Newest first; nothing hidden.
    assert entry_titles(root) == ["Posyandu lansia", "Pasar murah Gegerkalong", "Kerja bakti RW 03"]
    entry = root.find(f"{ATOM}entry")
    for tag in ("id", "title", "updated", "published", "summary"):
        assert entry.findtext(f"{ATOM}{tag}"), tag
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "http://kim-ketabang.localhost:8000/kabar/posyandu-lansia/"
    )
    assert entry.findtext(f"{ATOM}id") == f"tag:localhost,2026:kabar/{w.a_new.pk}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "KIM Ketabang Maju"


def test_portal_rss_feed_has_the_required_elements_and_only_public_posts(client, w):
    channel = rss(client, "/feed/rss/")
    for tag in ("title", "link", "description"):
        assert channel.findtext(tag), tag
    assert item_titles(channel) == [
        "Posyandu lansia",
        "Pasar murah Gegerkalong",
        "Kerja bakti RW 03",
    ]
    item = channel.find("item")
    assert item.findtext("link") == "http://kim-ketabang.localhost:8000/kabar/posyandu-lansia/"
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.findtext("pubDate")


@pytest.mark.parametrize(("path", "host"), FEEDS + RSS_FEEDS)
def test_no_feed_shows_a_hidden_post(client, w, path, host):
    page = client.get(path, host=host).content.decode()
    for title in HIDDEN_TITLES:
        assert title not in page, (path, title)


def test_region_and_subsite_feeds_hold_their_own_posts(client, w):
    a_posts = ["Posyandu lansia", "Kerja bakti RW 03"]
    assert entry_titles(atom(client, "/wilayah/jawa-timur/feed/")) == a_posts
    assert entry_titles(atom(client, "/wilayah/jawa-timur/kota-surabaya/feed/")) == a_posts
    assert entry_titles(atom(client, "/wilayah/jawa-timur/kabupaten-malang/feed/")) == []
    assert entry_titles(atom(client, "/wilayah/jawa-barat/feed/")) == ["Pasar murah Gegerkalong"]
    assert entry_titles(atom(client, "/feed/", KIM_A)) == a_posts
    assert item_titles(rss(client, "/feed/rss/", KIM_B)) == ["Pasar murah Gegerkalong"]
    subsite = atom(client, "/feed/", KIM_A)
    assert subsite.findtext(f"{ATOM}title") == "Kabar KIM Ketabang Maju"
    assert subsite.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "http://kim-ketabang.localhost:8000/kabar/"
    )


@pytest.mark.parametrize(
    ("path", "host"),
    [
        ("/wilayah/provinsi-tidak-ada/feed/", None),
        ("/wilayah/jawa-barat/kota-surabaya/feed/", None),  # a regency of another province
        ("/wilayah/jawa-timur/kota-tidak-ada/feed/rss/", None),
        ("/feed/", "kim-kapasari.localhost"),  # pending
        ("/feed/", "kim-sumbersekar.localhost"),  # suspended
    ],
)
def test_missing_regions_and_kims_have_no_feed(client, w, path, host):
    assert client.get(path, host=host).status_code == 404


def test_feeds_are_bounded(client, w, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    assert entry_titles(atom(client, "/feed/")) == ["Posyandu lansia", "Pasar murah Gegerkalong"]
    assert len(item_titles(rss(client, "/feed/rss/", KIM_A))) == 2


def test_thirty_newest_by_default(client, w):
    for i in range(feeds.FEED_ITEMS + 2):
        published(w.kim_b, f"Kabar {i}", days_ago=0.001 * i)
    titles = entry_titles(atom(client, "/feed/"))
    assert len(titles) == feeds.FEED_ITEMS == 30
    assert titles[:2] == ["Kabar 0", "Kabar 1"]


# --- Summaries -----------------------------------------------------------------------------------


def test_summary_is_the_post_summary_or_plain_text_of_the_body(client, w):
    published(
        w.kim_a,
        "Tulisan dengan markah",
        body="**Tebal** dan <script>alert(1)</script> [tautan](https://contoh.id) " + "kata " * 100,
    )
    root = atom(client, "/feed/", KIM_A)
    summaries = {
        e.findtext(f"{ATOM}title"): e.find(f"{ATOM}summary") for e in root.findall(f"{ATOM}entry")
    }
    assert summaries["Kerja bakti RW 03"].text == "Ringkasan A"
    summary = summaries["Tulisan dengan markah"]
    assert summary.get("type") == "html"
    # Read as HTML, the summary is text: no element, the script shown as characters.
    assert "<" not in summary.text and "&lt;script&gt;" in summary.text
    assert summary.text.startswith("Tebal dan &lt;script&gt;alert(1)&lt;/script&gt; tautan kata")
    assert summary.text.endswith("…")
    assert len(summary.text.split()) <= feeds.SUMMARY_WORDS + 1


# --- Enclosures ----------------------------------------------------------------------------------


def _cover(post, *, files: bool = True) -> Image:
    renditions = {}
    for width in (320, 1024, 1600):
        path = f"r/{post.community_id}/tokentokentokentoken{post.pk:02d}/{width}.jpg"
        if files:
            path = default_storage.save(path, ContentFile(b"\xff\xd8" + b"x" * width))
        renditions[str(width)] = {"jpeg": path, "webp": path[:-3] + "webp", "height": width}
    image = Image.objects.create(
        community_id=post.community_id,
        post=post,
        original="originals/x.jpg",
        status="ready",
        width=1600,
        height=1200,
        renditions=renditions,
    )
    post.cover = image
    post.save(update_fields=["cover"])
    return image


def test_the_cover_is_an_enclosure_with_its_size(client, w):
    image = _cover(w.a_new)
    entry = atom(client, "/feed/", KIM_A).find(f"{ATOM}entry")
    enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("type") == "image/jpeg"
    assert (
        enclosure.get("href")
        == "http://kim-ketabang.localhost/media/" + (image.renditions["1024"]["jpeg"])
    )
    assert enclosure.get("length") == str(2 + 1024)
    item = rss(client, "/feed/rss/").find("item")
    assert item.find("enclosure").get("length") == str(2 + 1024)
    assert item.find("enclosure").get("url").endswith(image.renditions["1024"]["jpeg"])


def test_no_enclosure_when_the_size_is_unknown(client, w, monkeypatch):
    _cover(w.a_new, files=False)  # the rows say ready, the files are gone
    entry = atom(client, "/feed/", KIM_A).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link[@rel='enclosure']") is None
    image = _cover(w.a_old)
    # Files withdrawn to private storage (the post was taken down) are never offered.
    withdrawn = {
        width: {**entry, "jpeg": "withdrawn/" + entry["jpeg"]}
        for width, entry in image.renditions.items()
    }
    Image.objects.filter(pk=image.pk).update(renditions=withdrawn)
    assert not atom(client, "/feed/", KIM_A).findall(f".//{ATOM}link[@rel='enclosure']")
    Image.objects.filter(pk=image.pk).update(renditions=image.renditions)
    assert atom(client, "/feed/", KIM_A).findall(f".//{ATOM}link[@rel='enclosure']")
    # A storage that cannot tell a size cheaply (a bucket: one request per photo) gives none.
    monkeypatch.setattr(feeds, "FileSystemStorage", type("Bucket", (), {}))
    assert not atom(client, "/feed/", KIM_A).findall(f".//{ATOM}link[@rel='enclosure']")
    assert "<enclosure" not in client.get("/feed/rss/").content.decode()


# --- Cost and caching ----------------------------------------------------------------------------


def _queries(client, path: str, host: str | None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, host=host).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("path", "host"), FEEDS + RSS_FEEDS)
def test_query_count_does_not_grow_with_posts(client, w, path, host):
    client.get(path, host=host)  # the host lookup is cached from here on
    before = _queries(client, path, host)
    for i in range(12):
        post = published(w.kim_a if i % 2 else w.kim_b, f"Tambahan {i}")
        _cover(post, files=False)
    assert _queries(client, path, host) == before
    assert before <= 4  # the region, the posts with their KIMs, their photos (+ savepoints)


@pytest.mark.parametrize(
    ("path", "host", "scope"),
    [
        ("/feed/", None, lambda w: page_cache.NATIONAL),
        ("/feed/rss/", None, lambda w: page_cache.NATIONAL),
        ("/wilayah/jawa-timur/feed/", None, lambda w: page_cache.province_scope("35")),
        ("/wilayah/jawa-timur/kota-surabaya/feed/rss/", None,
         lambda w: page_cache.regency_scope("35.78")),
        ("/feed/", KIM_A, lambda w: page_cache.community_scope(w.kim_a.pk)),
    ],
)  # fmt: skip
def test_feeds_are_public_pages_with_their_scope(client, w, path, host, scope):
    response = client.get(path, host=host)
    assert response.page_scopes == (scope(w),)
    assert "public" in response["Cache-Control"]
    assert not response.cookies


# --- Discovery -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "host", "feed"),
    [
        ("/", None, "/feed/"),
        ("/wilayah/jawa-timur/", None, "/wilayah/jawa-timur/feed/"),
        ("/wilayah/jawa-timur/kota-surabaya/", None, "/wilayah/jawa-timur/kota-surabaya/feed/"),
        ("/", KIM_A, "/feed/"),
        ("/kabar/", KIM_A, "/feed/"),
        ("/profil/", KIM_A, "/feed/"),
    ],
)
def test_pages_link_their_feeds(client, w, page, host, feed):
    html = client.get(page, host=host).content.decode()
    head = html.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert f'href="{feed}"' in head and f'href="{feed}rss/"' in head
    assert client.get(feed, host=host).status_code == 200
