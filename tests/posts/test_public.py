"""Reading posts: a KIM's list and post pages, the portal's and the region pages' latest posts."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posts import images as post_images
from posts.models import Image, Post
from posts.public_selectors import LIST_KEYSET
from posts.text import render_body
from tests.factories import jpeg_upload, make_community, make_post

pytestmark = pytest.mark.django_db

HOST = "kim-ketabang.localhost"
OTHER_HOST = "kim-gegerkalong.localhost"


def published(community, title: str, *, days_ago: float = 0, **fields) -> Post:
    body = fields.pop("body", f"Isi tulisan {title}.")
    return make_post(
        community,
        title=title,
        status="published",
        published_at=timezone.now() - timedelta(days=days_ago, minutes=1),
        body=body,
        body_html=render_body(body),
        **fields,
    )


def add_photos(post, capture, n: int = 1, *, size=(1200, 900), **fields) -> list[Image]:
    """Upload `n` photos through the service and process them (on commit, in-process)."""
    added = []
    with capture(execute=True):
        for i in range(n):
            added.append(
                post_images.image_add(
                    post=post,
                    file=jpeg_upload(f"foto-{i}.jpg", size=size, colour=(20 * i % 255, 120, 60)),
                    caption=fields.get("caption", f"Keterangan foto {i + 1}"),
                    alt_text=fields.get("alt_text", f"Warga bekerja bakti, foto {i + 1}"),
                )
            )
    for image in added:
        image.refresh_from_db()
        assert image.status == "ready"
    return added


def folder(image: Image) -> str:
    """The random folder of a photo's renditions ("r/<kim>/<token>")."""
    return image.renditions["320"]["jpeg"].rsplit("/", 1)[0]


def fake_photos(post, n: int) -> None:
    """Ready photos without files, for query counts (the pages only read the rows)."""
    Image.objects.bulk_create(
        Image(
            community_id=post.community_id,
            post=post,
            original=f"originals/fake-{post.pk}-{i}.upload",
            status="ready",
            width=1200,
            height=900,
            placeholder="#336699",
            renditions={
                str(w): {
                    "webp": f"r/{post.community_id}/{post.pk}-{i}/{w}.webp",
                    "jpeg": f"r/{post.community_id}/{post.pk}-{i}/{w}.jpg",
                    "height": w * 3 // 4,
                }
                for w in (320, 640, 1024)
            },
            alt_text=f"Foto {i}",
            sort_order=i,
        )
        for i in range(n)
    )


def get(client, path: str, host: str | None = HOST):
    response = client.get(path, host=host)
    return response, response.content.decode()


def titles(body: str) -> list[str]:
    return re.findall(r'<h3 class="post-card__title"><a href="[^"]*">([^<]+)</a></h3>', body)


def json_ld(body: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return [json.loads(block) for block in blocks]


# --- The list ------------------------------------------------------------------------------------


def test_list_shows_the_kims_published_posts_newest_first_as_cards(client, world):
    kim = world.kim_a
    published(kim, "Kerja bakti RW 03", days_ago=3, kind="kegiatan", summary="Warga bersih-bersih.")
    published(kim, "Sambal Bu Siti", days_ago=1, kind="umkm")
    published(kim, "Posyandu balita", days_ago=2, kind="berita")
    make_post(kim, title="Draf rahasia")
    published(world.kim_b, "Kabar dari Bandung")

    response, body = get(client, "/kabar/")
    assert response.status_code == 200
    assert "<title>Kabar · KIM Ketabang Maju · kim.id</title>" in body
    assert titles(body) == ["Sambal Bu Siti", "Posyandu balita", "Kerja bakti RW 03"]
    assert "3 tulisan" in body
    assert '<a href="/kabar/kerja-bakti-rw-03/">Kerja bakti RW 03</a>' in body
    assert '<span class="post-badge post-badge--umkm">UMKM</span>' in body
    assert "Warga bersih-bersih." in body
    assert re.search(
        r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00">\d+ \w+ \d{4}</time>', body
    )
    assert "Draf rahasia" not in body and "Kabar dari Bandung" not in body
    assert "css/posts-public.css" in body


def test_list_filters_by_kind_and_ignores_an_unknown_kind(client, world):
    published(world.kim_a, "Sambal Bu Siti", kind="umkm")
    published(world.kim_a, "Kerja bakti", kind="kegiatan")
    _, body = get(client, "/kabar/?jenis=umkm")
    assert titles(body) == ["Sambal Bu Siti"]
    assert '<a href="/kabar/?jenis=umkm" aria-current="page">UMKM</a>' in body
    assert "<title>UMKM · KIM Ketabang Maju · kim.id</title>" in body
    _, body = get(client, "/kabar/?jenis=agenda")
    assert titles(body) == [] and "Belum ada tulisan jenis ini." in body
    _, body = get(client, "/kabar/?jenis=bukan-jenis")
    assert len(titles(body)) == 2
    assert '<a href="/kabar/" aria-current="page">Semua</a>' in body


def test_list_is_paginated_by_twelve_and_keeps_the_filter(client, world):
    for i in range(14):
        published(world.kim_a, f"Kegiatan nomor {i:02d}", days_ago=i, kind="kegiatan")
    published(world.kim_a, "Sebuah berita", days_ago=0.5, kind="berita")
    _, first = get(client, "/kabar/?jenis=kegiatan")
    assert len(titles(first)) == 12 and "14 tulisan" in first
    assert 'rel="prev"' not in first
    after = re.search(r'rel="next" href="\?jenis=kegiatan&amp;setelah=([\w-]+)"', first)
    assert after, "the next link keeps the kind"
    _, second = get(client, f"/kabar/?jenis=kegiatan&setelah={after[1]}")
    assert titles(second) == ["Kegiatan nomor 12", "Kegiatan nomor 13"]
    assert 'rel="next"' not in second and "14 tulisan" in second
    before = re.search(r'rel="prev" href="\?jenis=kegiatan&amp;sebelum=([\w-]+)"', second)
    assert before
    _, back = get(client, f"/kabar/?jenis=kegiatan&sebelum={before[1]}")
    assert titles(back) == titles(first)
    _, empty = get(client, "/kabar/", host=OTHER_HOST)
    assert "Belum ada kegiatan atau berita yang diterbitkan." in empty


def test_cards_show_the_cover_or_else_the_first_ready_photo_lazily(
    client, world, django_capture_on_commit_callbacks
):
    with_cover = published(world.kim_a, "Dengan sampul")
    first, second = add_photos(with_cover, django_capture_on_commit_callbacks, 2, size=(700, 525))
    Post.objects.filter(pk=with_cover.pk).update(cover=second)
    without_cover = published(world.kim_a, "Tanpa sampul", days_ago=1)
    failed = post_images.image_add(post=without_cover, file=jpeg_upload())
    Image.objects.filter(pk=failed.pk).update(status="failed")
    (ready,) = add_photos(without_cover, django_capture_on_commit_callbacks, 1, size=(700, 525))
    published(world.kim_a, "Tanpa foto", days_ago=2)

    _, body = get(client, "/kabar/")
    cards = body.split('<article class="post-card">')[1:]
    assert len(cards) == 3
    assert second.renditions["640"]["jpeg"] in cards[0]
    assert folder(first) not in cards[0]
    assert f"{ready.renditions['320']['webp']} 320w" in cards[1]
    assert "<picture>" not in cards[2]
    for card in cards[:2]:
        assert 'loading="lazy"' in card and 'alt=""' in card  # the title says it all
        assert 'width="700" height="525"' in card


# --- The post page -------------------------------------------------------------------------------


def test_detail_shows_the_post_with_photos_as_pictures(
    client, world, django_capture_on_commit_callbacks
):
    post = published(
        world.kim_a,
        "Kerja bakti bersih saluran",
        kind="kegiatan",
        summary="Warga RW 03 membersihkan saluran.",
        body="Warga **bergotong royong** sejak pagi.\n\n<script>alert(1)</script>",
        tags=["kerja bakti", "lingkungan"],
    )
    photos = add_photos(post, django_capture_on_commit_callbacks, 3)
    Post.objects.filter(pk=post.pk).update(cover=photos[1])

    response, body = get(client, "/kabar/kerja-bakti-bersih-saluran/")
    assert response.status_code == 200
    assert "<title>Kerja bakti bersih saluran · KIM Ketabang Maju · kim.id</title>" in body
    assert '<h1 class="post-title">Kerja bakti bersih saluran</h1>' in body
    assert '<a href="http://kim-ketabang.localhost:8000/">KIM Ketabang Maju</a>' in body
    assert "<strong>bergotong royong</strong>" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "<li>#kerja bakti</li>" in body and "<li>#lingkungan</li>" in body
    # Photos: the cover first and eager, the others lazy; srcsets of both formats, sizes,
    # declared dimensions, captions and alt text.
    pictures = re.findall(r"<figure.*?</figure>", body, re.S)
    assert len(pictures) == 3
    order = [re.search(r"(r/\d+/[^/]+)/", p).group(1) for p in pictures]
    assert order == [folder(photos[1]), folder(photos[0]), folder(photos[2])]
    lead = pictures[0]
    assert 'loading="lazy"' not in lead
    assert all('loading="lazy"' in p for p in pictures[1:])
    base = f"/media/{folder(photos[1])}"
    assert (
        f'<source type="image/webp" srcset="{base}/320.webp 320w, {base}/640.webp 640w, '
        f'{base}/1024.webp 1024w" sizes="(min-width: 48rem) 46rem, calc(100vw - 2rem)">'
    ) in lead
    assert f'src="{base}/640.jpg"' in lead
    assert 'width="1200" height="900"' in lead
    assert 'alt="Warga bekerja bakti, foto 2"' in lead
    assert "<figcaption>Keterangan foto 2</figcaption>" in lead
    # Share links and the report form.
    url = "http://kim-ketabang.localhost:8000/kabar/kerja-bakti-bersih-saluran/"
    encoded = "http%3A%2F%2Fkim-ketabang.localhost%3A8000%2Fkabar%2Fkerja-bakti-bersih-saluran%2F"
    assert f'href="https://wa.me/?text=Kerja%20bakti%20bersih%20saluran%20{encoded}"' in body
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={encoded}"' in body
    assert f'href="https://t.me/share/url?url={encoded}&amp;text=' in body
    assert f'href="https://twitter.com/intent/tweet?url={encoded}&amp;text=' in body
    assert f'<input type="text" id="tautan-tulisan" value="{url}" readonly>' in body
    assert "Salin tautan" in body
    # Reporting lives on a page of its own: this page carries no form and no CSRF token.
    assert '<a href="/kabar/kerja-bakti-bersih-saluran/laporkan/">Laporkan tulisan ini</a>' in body
    assert "csrfmiddlewaretoken" not in body and "<form" not in body


def test_agenda_post_shows_date_time_and_place(client, world):
    published(
        world.kim_a,
        "Kelas literasi digital",
        kind="agenda",
        event_date=date(2026, 12, 5),
        event_time=time(19, 30),
        event_place="Balai RW 03",
    )
    _, body = get(client, "/kabar/kelas-literasi-digital/")
    assert "Waktu dan tempat" in body
    assert '<time datetime="2026-12-05">Sabtu, 5 Desember 2026</time>' in body
    assert '<time datetime="19:30">19.30</time>' in body
    assert "<dd>Balai RW 03</dd>" in body
    assert "Harga dan pemesanan" not in body and "Putusan" not in body


def test_umkm_post_shows_price_in_rupiah_and_a_whatsapp_order_link(client, world):
    published(
        world.kim_a,
        "Sambal bawang & teri Bu Siti",
        kind="umkm",
        price=Decimal("25000"),
        order_whatsapp="0812-3170-4401",
    )
    _, body = get(client, "/kabar/sambal-bawang-teri-bu-siti/")
    assert "<strong>Rp 25.000</strong>" in body
    assert (
        'href="https://wa.me/6281231704401?text=Halo%2C%20saya%20ingin%20memesan%20'
        'Sambal%20bawang%20%26%20teri%20Bu%20Siti"'
    ) in body
    assert "Waktu dan tempat" not in body


@pytest.mark.parametrize(
    ("verdict", "label", "icon"),
    [
        ("hoaks", "HOAKS", "✗"),
        ("disinformasi", "DISINFORMASI", "!"),
        ("benar", "BENAR", "✓"),
        ("belum_terbukti", "BELUM TERBUKTI", "?"),
    ],
)
def test_hoax_clarification_shows_the_verdict_claim_and_sources(
    client, world, verdict, label, icon
):
    published(
        world.kim_a,
        "Pesan berantai pemadaman air",
        kind="hoaks",
        verdict=verdict,
        claim="Air PDAM padam tiga hari se-Surabaya.",
        sources="https://pdam-sby.example.id/siaran-pers\nKeterangan petugas kelurahan",
    )
    _, body = get(client, "/kabar/pesan-berantai-pemadaman-air/")
    banner = re.search(r'<div class="post-verdict post-verdict--(\w+)">(.*?)</div>', body, re.S)
    assert banner.group(1) == verdict
    assert f'<span class="post-verdict__icon" aria-hidden="true">{icon}</span>' in banner.group(2)
    assert f"Putusan: <strong>{label}</strong>" in " ".join(banner.group(2).split())
    assert "<blockquote><p>Air PDAM padam tiga hari se-Surabaya.</p></blockquote>" in body
    assert (
        '<a href="https://pdam-sby.example.id/siaran-pers" rel="nofollow ugc noopener">'
    ) in body
    assert "<li>Keterangan petugas kelurahan</li>" in body


def test_open_graph_and_twitter_tags(client, world, django_capture_on_commit_callbacks):
    post = published(world.kim_a, "Kerja bakti", summary="Warga bersih-bersih saluran.")
    (photo,) = add_photos(post, django_capture_on_commit_callbacks, 1, alt_text="Warga di saluran")
    _, body = get(client, "/kabar/kerja-bakti/")
    url = "http://kim-ketabang.localhost:8000/kabar/kerja-bakti/"
    image = f"http://kim-ketabang.localhost/media/{photo.renditions['1024']['jpeg']}"
    assert '<meta property="og:type" content="article">' in body
    assert '<meta property="og:type" content="website">' not in body
    assert '<meta property="og:title" content="Kerja bakti">' in body
    assert '<meta property="og:description" content="Warga bersih-bersih saluran.">' in body
    assert f'<meta property="og:url" content="{url}">' in body
    assert f'<link rel="canonical" href="{url}">' in body
    assert f'<meta property="og:image" content="{image}">' in body
    assert '<meta property="og:image:alt" content="Warga di saluran">' in body
    published_time = timezone.localtime(post.published_at).replace(microsecond=0).isoformat()
    assert f'<meta property="article:published_time" content="{published_time}">' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body
    assert '<meta name="twitter:title" content="Kerja bakti">' in body
    assert f'<meta name="twitter:image" content="{image}">' in body
    assert '<meta name="description" content="Warga bersih-bersih saluran.">' in body


def test_json_ld_news_article(client, world, django_capture_on_commit_callbacks):
    post = published(world.kim_a, "Kerja bakti", summary="Ringkasan.", tags=["warga"])
    (photo,) = add_photos(post, django_capture_on_commit_callbacks, 1)
    _, body = get(client, "/kabar/kerja-bakti/")
    (article,) = json_ld(body)
    assert article["@context"] == "https://schema.org" and article["@type"] == "NewsArticle"
    assert article["headline"] == "Kerja bakti"
    assert article["description"] == "Ringkasan."
    assert article["url"] == "http://kim-ketabang.localhost:8000/kabar/kerja-bakti/"
    published_time = timezone.localtime(post.published_at).replace(microsecond=0)
    assert article["datePublished"] == published_time.isoformat()
    assert article["dateModified"] >= article["datePublished"]
    assert article["image"] == [
        f"http://kim-ketabang.localhost/media/{photo.renditions['1024']['jpeg']}"
    ]
    assert article["author"] == {
        "@type": "Organization",
        "name": "KIM Ketabang Maju",
        "url": "http://kim-ketabang.localhost:8000/",
    }
    assert article["publisher"]["name"] == "kim.id"
    assert article["publisher"]["url"] == "http://localhost:8000/"
    assert article["keywords"] == "warga"


def test_json_ld_claim_review_of_a_hoax_clarification_cannot_be_broken_out_of(client, world):
    published(
        world.kim_a,
        "Cek fakta </script><script>alert(1)</script>",
        slug="cek-fakta",
        kind="hoaks",
        verdict="disinformasi",
        claim='Video banjir lama "baru" terjadi </script> kemarin & hari ini.',
    )
    _, body = get(client, "/kabar/cek-fakta/")
    assert "<script>alert(1)</script>" not in body
    article, review = json_ld(body)
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Cek fakta </script><script>alert(1)</script>"
    assert review["@type"] == "ClaimReview"
    assert (
        review["claimReviewed"] == 'Video banjir lama "baru" terjadi </script> kemarin & hari ini.'
    )
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["reviewRating"]["@type"] == "Rating"
    assert review["reviewRating"]["alternateName"] == "Disinformasi"
    assert review["author"]["name"] == "KIM Ketabang Maju"
    assert review["url"] == "http://kim-ketabang.localhost:8000/kabar/cek-fakta/"


def test_no_claim_review_for_other_kinds(client, world):
    published(world.kim_a, "Berita biasa", kind="berita", verdict="hoaks", claim="x")
    _, body = get(client, "/kabar/berita-biasa/")
    assert [block["@type"] for block in json_ld(body)] == ["NewsArticle"]
    assert "post-verdict" not in body


# --- Nothing that is not public leaks ------------------------------------------------------------


NON_PUBLIC = {
    "draft": {"status": "draft"},
    "submitted": {"status": "submitted"},
    "rejected": {"status": "rejected"},
    "taken_down": {"status": "taken_down"},
    "scheduled": {"status": "scheduled"},
    "published_in_the_future": {"status": "published", "days_ago": -1},
    "hidden_by_reports": {"status": "published", "hidden_by_reports": True},
}


@pytest.mark.parametrize("case", NON_PUBLIC)
def test_non_public_posts_are_404_and_listed_nowhere(client, world, case):
    fields = dict(NON_PUBLIC[case])
    status = fields.pop("status")
    days_ago = fields.pop("days_ago", 0)
    make_post(
        world.kim_a,
        title="Tulisan tersembunyi",
        status=status,
        published_at=timezone.now() - timedelta(days=days_ago, minutes=1),
        **fields,
    )
    published(world.kim_a, "Tulisan tayang", days_ago=2)
    response, body = get(client, "/kabar/tulisan-tersembunyi/")
    assert response.status_code == 404
    assert "Tulisan tersembunyi" not in body
    report = client.post("/kabar/tulisan-tersembunyi/laporkan/", {"reason": "spam"}, host=HOST)
    assert report.status_code == 404
    for path, host in [
        ("/kabar/", HOST),
        ("/", HOST),
        ("/", None),
        ("/wilayah/jawa-timur/kota-surabaya/", None),
    ]:
        _, body = get(client, path, host=host)
        assert "Tulisan tayang" in body, path
        assert "Tulisan tersembunyi" not in body, path


def test_posts_of_a_kim_that_is_not_live_are_hidden_on_the_portal(client, world):
    published(world.kim_a, "Kabar KIM yang dibekukan")
    world.kim_a.status = "suspended"
    world.kim_a.save()
    _, body = get(client, "/", host=None)
    assert "Kabar KIM yang dibekukan" not in body
    _, body = get(client, "/wilayah/jawa-timur/", host=None)
    assert "Kabar KIM yang dibekukan" not in body


def test_another_kims_post_is_404_on_this_subsite(client, world):
    published(world.kim_b, "Kabar Gegerkalong")
    assert client.get("/kabar/kabar-gegerkalong/", host=OTHER_HOST).status_code == 200
    response, body = get(client, "/kabar/kabar-gegerkalong/")
    assert response.status_code == 404 and "Kabar Gegerkalong" not in body
    assert client.get("/kabar/tidak-ada/").status_code == 404


def test_same_slug_in_two_kims_shows_each_kims_own_post(client, world):
    published(world.kim_a, "Kerja bakti", body="Isi dari Ketabang.")
    published(world.kim_b, "Kerja bakti", body="Isi dari Gegerkalong.")
    _, body = get(client, "/kabar/kerja-bakti/")
    assert "Isi dari Ketabang." in body and "Gegerkalong." not in body


# --- Beranda, portal home and region pages -------------------------------------------------------


def test_beranda_shows_the_four_newest_posts_and_links_the_list(client, world):
    for i in range(6):
        published(world.kim_a, f"Kabar ke-{i}", days_ago=i)
    _, body = get(client, "/")
    assert titles(body) == ["Kabar ke-0", "Kabar ke-1", "Kabar ke-2", "Kabar ke-3"]
    assert "Kegiatan terbaru" in body
    assert 'href="/kabar/"' in body and "Lihat semua kabar" in body
    assert "Belum ada kegiatan" not in body


def test_portal_home_shows_the_eight_newest_posts_of_all_kims(client, world):
    for i in range(5):
        published(world.kim_a, f"Ketabang {i}", days_ago=2 * i)
        published(world.kim_b, f"Gegerkalong {i}", days_ago=2 * i + 1)
    _, body = get(client, "/", host=None)
    assert titles(body) == [
        "Ketabang 0", "Gegerkalong 0", "Ketabang 1", "Gegerkalong 1",
        "Ketabang 2", "Gegerkalong 2", "Ketabang 3", "Gegerkalong 3",
    ]  # fmt: skip
    assert (
        '<h3 class="post-card__title"><a href="http://kim-ketabang.localhost:8000/kabar/'
        'ketabang-0/">Ketabang 0</a></h3>'
    ) in body
    assert '<p class="post-card__kim">KIM Ketabang Maju · Kelurahan Ketabang</p>' in body
    assert '<p class="post-card__kim">KIM Gegerkalong Sejahtera · Kelurahan Gegerkalong</p>' in body
    assert "Belum ada kabar dari KIM" not in body
    assert "KIM yang baru bergabung" in body  # the rest of the home page stays


@pytest.fixture
def region_posts(world):
    """Ketabang (Genteng, Surabaya), Sumbersekar (Dau, Malang), Gegerkalong (Bandung)."""
    malang = make_community(
        village=world.regions.sumbersekar, slug="kim-sumbersekar", name="KIM Sumbersekar"
    )
    published(world.kim_a, "Kabar Ketabang", days_ago=1)
    published(malang, "Kabar Sumbersekar", days_ago=2)
    published(world.kim_b, "Kabar Gegerkalong", days_ago=3)
    return world


@pytest.mark.parametrize(
    ("path", "heading", "shown"),
    [
        ("/wilayah/jawa-timur/", "Jawa Timur", ["Kabar Ketabang", "Kabar Sumbersekar"]),
        ("/wilayah/jawa-timur/kota-surabaya/", "Kota Surabaya", ["Kabar Ketabang"]),
        ("/wilayah/jawa-timur/kabupaten-malang/", "Kabupaten Malang", ["Kabar Sumbersekar"]),
        ("/wilayah/jawa-timur/kota-surabaya/genteng/", "Genteng", ["Kabar Ketabang"]),
        ("/wilayah/jawa-timur/kabupaten-malang/dau/", "Dau", ["Kabar Sumbersekar"]),
        ("/wilayah/jawa-barat/", "Jawa Barat", ["Kabar Gegerkalong"]),
    ],
)
def test_region_pages_show_the_regions_latest_posts(client, region_posts, path, heading, shown):
    response, body = get(client, path, host=None)
    assert response.status_code == 200
    assert f"Kabar terbaru dari {heading}" in body
    assert titles(body) == shown


def test_region_page_shows_six_posts_at_most(client, world):
    for i in range(8):
        published(world.kim_a, f"Kabar {i}", days_ago=i)
    _, body = get(client, "/wilayah/jawa-timur/kota-surabaya/genteng/", host=None)
    assert titles(body) == [f"Kabar {i}" for i in range(6)]
    _, body = get(client, "/wilayah/jawa-timur/kabupaten-malang/", host=None)
    assert "Belum ada kabar dari KIM di wilayah ini." in body


# --- Query counts --------------------------------------------------------------------------------


def _count(client, path: str, host: str | None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, host=host)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


# A page after a cursor (a post far in the future): the keyset query with its bound.
LATER_PAGE = LIST_KEYSET.encode(
    SimpleNamespace(published_at=datetime(2100, 1, 1, tzinfo=UTC), pk=10**9)
)
PAGES = [
    ("/kabar/", HOST),
    (f"/kabar/?jenis=kegiatan&setelah={LATER_PAGE}", HOST),
    ("/kabar/kabar-0/", HOST),
    ("/", HOST),
    ("/", None),
    ("/wilayah/jawa-timur/", None),
    ("/wilayah/jawa-timur/kota-surabaya/", None),
    ("/wilayah/jawa-timur/kota-surabaya/genteng/", None),
]
# With the host's KIM cached. The list: the post count, the page, its photos. The post
# page: the post, its photos. Beranda: the posts and their photos. The portal home: the KIM
# totals (cached after the first request), the newest KIMs, the posts and their photos. Region
# pages: 5 for the region and its KIMs (see tests/regions/test_views.py), 2 for the posts.
MAX_QUERIES = {
    "/kabar/": 3,
    f"/kabar/?jenis=kegiatan&setelah={LATER_PAGE}": 3,
    "/kabar/kabar-0/": 2,
    "/": 4,
}


def test_query_counts_stay_constant_as_posts_and_photos_grow(client, world):
    def grow(start: int, stop: int) -> None:
        for i in range(start, stop):
            for kim in (world.kim_a, world.kim_b):
                post = published(kim, f"Kabar {i}", days_ago=i, kind="kegiatan")
                fake_photos(post, 10 if i == 0 else 3)

    grow(0, 5)
    for path, host in PAGES:
        client.get(path, host=host)  # warm the host cache
    before = {(path, host): _count(client, path, host) for path, host in PAGES}
    grow(5, 40)
    after = {(path, host): _count(client, path, host) for path, host in PAGES}
    assert after == before
    assert before[("/kabar/", HOST)] == 3
    assert before[("/kabar/kabar-0/", HOST)] == 2
    assert before[("/", HOST)] == 2
    assert before[("/", None)] == 3 + 1  # + the statistics map's region summaries
    assert max(before[(p, None)] for p, _h in PAGES if p.startswith("/wilayah/")) <= 7
    _, body = get(client, "/kabar/kabar-0/")
    assert body.count("<figure") == 10
    _, body = get(client, "/kabar/")
    assert len(titles(body)) == 12 and body.count("<picture>") == 12
    # A cold cache costs one more query (the host lookup), whatever the data.
    cache.clear()
    assert _count(client, "/kabar/", HOST) == before[("/kabar/", HOST)] + 1
