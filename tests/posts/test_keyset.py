"""Keyset pagination (kimportal.lib.keyset) on the public lists: every item exactly once, in
order, forwards and back, ties included; a cursor that is not ours gives the first page."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kimportal.lib.keyset import Keyset
from posts.models import Post
from posts.public_selectors import LIST_KEYSET, PAGE_SIZE
from tests.factories import make_community, make_post

pytestmark = pytest.mark.django_db

HOST = "kim-ketabang.localhost"


def _titles(body: str) -> list[str]:
    return re.findall(r'<h3 class="post-card__title"><a href="[^"]+">([^<]+)</a>', body)


def _link(body: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', body)
    return found[1].replace("&amp;", "&") if found else None


def walk(client, start: str, *, host: str | None, items) -> tuple[list[list[str]], list[str]]:
    """Follow the next links from `start` to the end; return the pages and the previous links."""
    pages, previous, url = [], [], start
    base = start.split("?")[0]
    while url:
        body = client.get(url, host=host).content.decode()
        pages.append(items(body))
        previous.append(_link(body, "prev"))
        nxt = _link(body, "next")
        url = base + nxt if nxt else None
        assert len(pages) < 20, "the walk ends"
    return pages, previous


def posts_with_ties(community, n: int, *, kind=None) -> list[Post]:
    """`n` published posts, five at a time sharing one publication time (pages of 12 split
    the groups)."""
    moment = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    return [
        make_post(
            community,
            title=f"Kabar {i:02d}",
            status="published",
            kind=kind or ("umkm" if i % 3 == 0 else "kegiatan"),
            published_at=moment - timedelta(seconds=i // 5),
        )
        for i in range(n)
    ]


def test_the_post_list_walks_every_post_once_in_order_ties_included(client, world):
    posts_with_ties(world.kim_a, 40)
    make_post(world.kim_a, title="Draf", status="draft")
    expected = [
        p.title
        for p in Post.objects.filter(community=world.kim_a, status="published").order_by(
            "-published_at", "-pk"
        )
    ]
    pages, previous = walk(client, "/kabar/", host=HOST, items=_titles)
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, 4]
    assert [t for page in pages for t in page] == expected
    assert previous[0] is None and all(previous[1:])
    # Back from the last page: the same pages, in reverse.
    for page, prev in zip(pages[:-1], previous[1:], strict=True):
        body = client.get("/kabar/" + prev, host=HOST).content.decode()
        assert _titles(body) == page


def test_the_kind_filter_is_kept_while_walking(client, world):
    posts_with_ties(world.kim_a, 45)
    expected = [
        p.title
        for p in Post.objects.filter(community=world.kim_a, kind="kegiatan").order_by(
            "-published_at", "-pk"
        )
    ]
    pages, _previous = walk(client, "/kabar/?jenis=kegiatan", host=HOST, items=_titles)
    assert len(pages) == 3
    assert [t for page in pages for t in page] == expected


def _kim_names(body: str) -> list[str]:
    return re.findall(r'<h3><a href="http://([\w-]+)\.localhost', body)


def test_the_directory_walks_every_kim_once_even_with_equal_names(client, world):
    village = world.regions.kapasari
    for i in range(50):
        make_community(
            village=village,
            slug=f"kim-sama-{i:02d}",
            name=f"KIM Kembar {i // 5}",  # five KIMs share each name
            members=1,
            nomor_induk=village.code.replace(".", "")[:8] + f"7{i:03d}",
        )
    pages, previous = walk(client, "/kim/?provinsi=35", host=None, items=_kim_names)
    slugs = [s for page in pages for s in page]
    assert len(slugs) == len(set(slugs)) == 51  # and KIM Ketabang Maju
    assert [len(p) for p in pages] == [24, 24, 3]
    body = client.get("/kim/" + previous[2]).content.decode()
    assert _kim_names(body) == pages[1]


@pytest.mark.parametrize(
    "cursor",
    ["x", "%00", "WzEsMl0", "bm90IGpzb24", "W251bGwsMV0", "WyJ4IiwxXQ", "WyIyMDI2LTAxLTAxIiwxXQ"],
)
def test_a_cursor_that_is_not_ours_gives_the_first_page(client, world, cursor):
    posts_with_ties(world.kim_a, 20)
    first = _titles(client.get("/kabar/", host=HOST).content.decode())
    for name in ("setelah", "sebelum"):
        response = client.get(f"/kabar/?{name}={cursor}", host=HOST)
        assert response.status_code == 200
        assert _titles(response.content.decode()) == first


def test_a_cursor_past_the_end_gives_the_first_page(client, world):
    posts_with_ties(world.kim_a, 20)
    first = _titles(client.get("/kabar/", host=HOST).content.decode())
    past = LIST_KEYSET.encode(SimpleNamespace(published_at=datetime(1990, 1, 1, tzinfo=UTC), pk=1))
    assert _titles(client.get(f"/kabar/?setelah={past}", host=HOST).content.decode()) == first


def test_cursors_decode_only_what_they_encode():
    keyset = Keyset("published_at", descending=True, kind=datetime)
    moment = datetime(2026, 5, 1, 10, 30, 15, 123456, tzinfo=UTC)
    cursor = keyset.encode(SimpleNamespace(published_at=moment, pk=42))
    assert re.fullmatch(r"[\w-]+", cursor)
    assert keyset.decode(cursor) == (moment, 42)
    naive = Keyset("name").encode(SimpleNamespace(name="2026-05-01T10:30:00", pk=1))
    assert keyset.decode(naive) is None  # no time zone
    assert Keyset("name").decode(Keyset("name").encode(SimpleNamespace(name="a\x00", pk=1))) is None
    assert Keyset("name").decode("WyJhIiwtMV0") is None  # ["a", -1]
    assert Keyset("name").decode("WyJhIix0cnVlXQ") is None  # ["a", true]
