"""A Forum KIM's home lists the KIMs of its regency or province and their newest posts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community
from kimportal.lib import page_cache
from tests.factories import make_community, make_post

pytestmark = pytest.mark.django_db

FORUM_HOST = "forum-kim-surabaya.localhost"
# The host lookup (first request only), the forum's own latest posts, the area's KIMs, the
# area's latest posts and their card photos.
FORUM_HOME_QUERIES = 5


def make_forum(world, *, kind="forum_regency", slug="forum-kim-surabaya") -> Community:
    forum = make_community(
        village=world.regions.ketabang, slug=slug, name="Forum KIM Kota Surabaya", kind=kind,
        nomor_induk=f"forum-{slug}"[:12],
    )  # fmt: skip
    forum.village = forum.district = None
    forum.nomor_induk = None
    forum.save()
    return forum


def test_a_regency_forum_lists_its_regencys_kims_and_their_posts(client, world):
    make_forum(world)
    make_post(world.kim_a, title="Kerja bakti Ketabang", status="published")
    make_post(world.kim_b, title="Kabar Gegerkalong", status="published")
    make_community(village=world.regions.sumbersekar, slug="kim-dau", name="KIM Dau Raya")
    response = client.get("/", host=FORUM_HOST)
    text = response.content.decode()
    area = text.split('id="kim-anggota-forum"')[1]
    assert "KIM di Kota Surabaya" in text
    assert "KIM Ketabang Maju" in area
    assert "KIM Gegerkalong Sejahtera" not in area  # another province
    assert "KIM Dau Raya" not in area  # another regency of the province
    assert "KIM Kapasari" not in area  # pending
    assert "Forum KIM Kota Surabaya</a>" not in area  # the forum is not its own member
    assert "Kerja bakti Ketabang" in area and "Kabar Gegerkalong" not in area
    assert "?wilayah=35.78" in area
    assert "Set-Cookie" not in response.headers and "csrfmiddlewaretoken" not in text


def test_a_province_forum_lists_the_whole_province(client, world):
    make_forum(world, kind="forum_province", slug="forum-kim-jatim")
    Community.objects.filter(slug="forum-kim-jatim").update(regency=None)
    make_community(village=world.regions.sumbersekar, slug="kim-dau", name="KIM Dau Raya")
    text = client.get("/", host="forum-kim-jatim.localhost").content.decode()
    area = text.split('id="kim-anggota-forum"')[1]
    assert "KIM di Jawa Timur" in text
    assert "KIM Ketabang Maju" in area and "KIM Dau Raya" in area
    assert "KIM Gegerkalong Sejahtera" not in area


def test_a_kim_home_has_no_forum_section(client, world):
    text = client.get("/", host="kim-ketabang.localhost").content.decode()
    assert 'id="kim-anggota-forum"' not in text


def _queries(client, host) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/", host=host).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [1, 20])
def test_the_forum_home_reads_the_same_whatever_the_number_of_kims(client, world, n):
    make_forum(world)
    for i in range(n):
        kim = make_community(
            village=world.regions.ketabang,
            slug=f"kim-uji-{i}",
            name=f"KIM Uji {i:02}",
            members=1,
            nomor_induk=f"3578091003{i + 10:02}",
        )
        make_post(kim, title=f"Kabar {i}", status="published")
    assert _queries(client, FORUM_HOST) <= FORUM_HOME_QUERIES


def test_the_forums_page_depends_on_its_area(client, world):
    forum = make_forum(world)
    response = client.get("/", host=FORUM_HOST)
    # A change of any KIM or post of the regency bumps its scope (page_cache.scopes_of).
    assert response.page_scopes == (
        page_cache.community_scope(forum.pk),
        page_cache.regency_scope("35.78"),
    )
    assert page_cache.regency_scope("35.78") in page_cache.scopes_of(
        community_id=world.kim_a.pk, province_id="35", regency_id="35.78"
    )
    plain = client.get("/", host="kim-ketabang.localhost")
    assert plain.page_scopes == (page_cache.community_scope(world.kim_a.pk),)


def test_a_position_is_not_repeated_on_the_public_roster(client, world):
    world.kim_a.members.filter(position="anggota").update(
        position="seksi", position_detail="Seksi Humas"
    )
    member = world.kim_a.members.filter(position="seksi").first()
    member.position_detail = "Humas"
    member.save()
    text = client.get("/pengurus/", host="kim-ketabang.localhost").content.decode()
    assert "Seksi Humas" in text and "Seksi · Humas" in text
    assert "Seksi · Seksi" not in text
