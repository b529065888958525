"""The world of the feed and sitemap tests: public posts in both KIMs, and every kind of post and
KIM that no feed or sitemap may show."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from posts.text import render_body
from tests.factories import make_community, make_post

# Titles that must never appear in a feed or a sitemap.
HIDDEN_TITLES = (
    "Draf rahasia",
    "Tulisan diturunkan",
    "Tulisan disembunyikan laporan",
    "Tulisan terjadwal",
    "Tulisan KIM dibekukan",
)


def published(community, title: str, *, days_ago: float = 0, **fields):
    body = fields.pop("body", f"Isi tulisan {title}.")
    return make_post(
        community,
        title=title,
        status=fields.pop("status", "published"),
        published_at=timezone.now() - timedelta(days=days_ago, minutes=1),
        body=body,
        body_html=render_body(body),
        **fields,
    )


@pytest.fixture
def w(world) -> SimpleNamespace:
    """The shared world plus posts: two public in A, one in B, and the hidden kinds in A (and one
    in a suspended KIM in Kabupaten Malang)."""
    world.a_old = published(world.kim_a, "Kerja bakti RW 03", days_ago=3, summary="Ringkasan A")
    world.a_new = published(world.kim_a, "Posyandu lansia", days_ago=1)
    world.b_post = published(world.kim_b, "Pasar murah Gegerkalong", days_ago=2)
    make_post(world.kim_a, title="Draf rahasia")
    published(world.kim_a, "Tulisan diturunkan", status="taken_down")
    published(world.kim_a, "Tulisan disembunyikan laporan", hidden_by_reports=True)
    make_post(
        world.kim_a,
        title="Tulisan terjadwal",
        status="scheduled",
        publish_at=timezone.now() + timedelta(days=1),
    )
    world.kim_c = make_community(
        village=world.regions.sumbersekar, slug="kim-sumbersekar", status="suspended"
    )
    published(world.kim_c, "Tulisan KIM dibekukan")
    return world
