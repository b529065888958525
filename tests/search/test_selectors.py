"""What search finds, and what it never finds (PostgreSQL: tsvector, triggers, trigrams)."""

import datetime

import pytest
from django.utils import timezone

from communities.models import Community
from communities.search import community_search
from posts import search
from posts.models import Post
from regions.models import Village
from tests.factories import make_community, make_post
from tests.search.conftest import published

pytestmark = pytest.mark.usefixtures("pg")


def found(query: str, **kwargs) -> list[str]:
    return [Post.objects.get(pk=pk).title for pk in search.ranked_ids(query=query, **kwargs)]


def test_a_body_word_finds_its_post(world):
    published(world.kim_a, "Kerja bakti", body="Warga membersihkan saluran air di kampung.")
    published(world.kim_b, "Lomba layang-layang", body="Anak-anak bermain di lapangan.")
    assert found("saluran") == ["Kerja bakti"]
    assert found("SALURAN air") == ["Kerja bakti"]
    assert found("saluran lapangan") == []  # every word must match
    assert set(found("saluran or lapangan")) == {"Kerja bakti", "Lomba layang-layang"}
    assert found("air -kampung") == []


def test_title_summary_tags_and_claim_are_searched(world):
    published(world.kim_a, "Panen raya jagung")
    published(world.kim_a, "Rapat", summary="Membahas posyandu balita")
    published(world.kim_a, "Pelatihan", tags=["literasi", "digital"])
    published(world.kim_a, "Klarifikasi", kind="hoaks", claim="Beredar pesan berantai vaksin")
    assert found("jagung") == ["Panen raya jagung"]
    assert found("posyandu") == ["Rapat"]
    assert found("literasi") == ["Pelatihan"]
    assert found("berantai") == ["Klarifikasi"]


def test_ranking_puts_a_title_match_before_a_body_match(world):
    published(world.kim_a, "Kabar pekan ini", body="Ada festival durian di balai desa.", days_ago=0)
    published(world.kim_a, "Festival durian", body="Meriah.", days_ago=5)
    assert found("durian") == ["Festival durian", "Kabar pekan ini"]


def test_a_village_word_finds_its_posts_and_its_kim(world):
    published(world.kim_a, "Kerja bakti")
    published(world.kim_b, "Lomba")
    # kim_a is in Kelurahan Ketabang; its name does not say so in this test.
    Community.objects.filter(pk=world.kim_a.pk).update(name="KIM Maju Bersama")
    assert found("ketabang") == ["Kerja bakti"]
    assert [c.pk for c in community_search(query="ketabang")] == [world.kim_a.pk]


def test_a_misspelt_village_finds_its_kim(world):
    Community.objects.filter(pk=world.kim_a.pk).update(name="KIM Maju Bersama")
    assert [c.pk for c in community_search(query="Ketabng")] == [world.kim_a.pk]
    assert [c.pk for c in community_search(query="gegerkalog")] == [world.kim_b.pk]
    assert [c.pk for c in community_search(query="maju bersma")] == [world.kim_a.pk]
    # Two letters swapped break too many trigrams for word similarity; a fuzzier second query
    # (only when the first finds nothing) still finds it.
    assert [c.pk for c in community_search(query="Ketbaang")] == [world.kim_a.pk]


def test_search_is_accent_insensitive(world):
    published(world.kim_a, "Pentas seni di Café Warga", body="Tarian remaja.")
    published(world.kim_b, "Kopi desa", body="Dijual di kafe cafe lokal.")
    assert set(found("cafe")) == {"Pentas seni di Café Warga", "Kopi desa"}
    assert set(found("CAFÉ")) == {"Pentas seni di Café Warga", "Kopi desa"}
    # The village's name with an accent, the KIM's name without the village: both still found.
    Community.objects.filter(pk=world.kim_a.pk).update(name="KIM Maju Bersama")
    Village.objects.filter(pk=world.regions.ketabang.pk).update(name="Kétabang")
    assert found("ketabang") == ["Pentas seni di Café Warga"]
    assert [c.pk for c in community_search(query="ketabang")] == [world.kim_a.pk]


def test_posts_that_are_not_public_are_never_found(world):
    word = "rahasiakata"
    published(world.kim_a, "Terbit", body=word)
    make_post(world.kim_a, title="Draf", body=word)
    make_post(world.kim_a, title="Menunggu", body=word, status="submitted")
    taken_down = published(world.kim_a, "Diturunkan", body=word)
    Post.objects.filter(pk=taken_down.pk).update(status="taken_down")
    published(world.kim_a, "Disembunyikan", body=word, hidden_by_reports=True)
    published(world.kim_a, "Nanti", body=word, published_at=timezone.now() + datetime.timedelta(1))
    published(world.pending_a, "KIM belum terverifikasi", body=word)
    suspended = make_community(
        village=world.regions.sumbersekar, slug="kim-beku", status="suspended"
    )
    published(suspended, "KIM dibekukan", body=word)
    assert found(word) == ["Terbit"]
    assert found(word, community=world.kim_a) == ["Terbit"]
    assert community_search(query="KIM Sumbersekar") == []
    assert community_search(query="Kapasari") == []  # pending_a


def test_filters(world):
    old = timezone.now() - datetime.timedelta(days=40)
    published(world.kim_a, "Berita Surabaya", kind="berita", body="pasar")
    published(world.kim_a, "Agenda Surabaya", kind="agenda", body="pasar", published_at=old)
    published(world.kim_b, "Berita Bandung", kind="berita", body="pasar")
    f = search.PostFilters
    assert set(found("pasar", filters=f(kind="berita"))) == {"Berita Surabaya", "Berita Bandung"}
    assert set(found("pasar", filters=f(province_code="35"))) == {
        "Berita Surabaya",
        "Agenda Surabaya",
    }
    assert found("pasar", filters=f(regency_code="32.73")) == ["Berita Bandung"]
    day = timezone.localdate(old)
    assert found("pasar", filters=f(date_to=day)) == ["Agenda Surabaya"]
    assert found("pasar", filters=f(date_from=day, date_to=day)) == ["Agenda Surabaya"]
    after = day + datetime.timedelta(days=1)
    assert "Agenda Surabaya" not in found("pasar", filters=f(date_from=after))
    assert found("pasar", community=world.kim_b) == ["Berita Bandung"]
    assert [c.pk for c in community_search(query="KIM", province_code="32")] == [world.kim_b.pk]


def test_the_vector_follows_every_kind_of_write(world):
    post = published(world.kim_a, "Judul lama", body="isi lama")
    Post.objects.filter(pk=post.pk).update(body="isi baru tentang sepeda")
    assert found("sepeda") == ["Judul lama"]
    post.refresh_from_db()
    post.title = "Judul segar"
    post.save()
    assert found("segar") == ["Judul segar"]
    assert found("sepeda") == ["Judul segar"]  # a full save does not write a stale vector back
    Post.objects.bulk_create(
        [
            Post(community=world.kim_b, title="Massal", slug="massal", status="published",
                 published_at=timezone.now() - datetime.timedelta(minutes=1), body="perahu")
        ]
    )  # fmt: skip
    assert found("perahu") == ["Massal"]
    # A KIM renamed or a village renamed: their posts follow.
    Community.objects.filter(pk=world.kim_a.pk).update(name="KIM Cempaka Wangi")
    assert found("cempaka") == ["Judul segar"]
    Village.objects.filter(pk=world.regions.gegerkalong.pk).update(name="Gegerkalong Hilir")
    assert found("hilir") == ["Massal"]


def test_the_unjoined_public_posts_are_exactly_the_public_ones(world):
    """Post.objects.public_unjoined() (search's scans) and public() (every list) agree in every
    state that hides a post: a KIM suspended, pending or rejected, a post hidden by reports, not
    yet due, a draft or taken down."""
    shown = published(world.kim_a, "Tayang")
    published(world.kim_a, "Tersembunyi", hidden_by_reports=True)
    published(world.kim_a, "Terjadwal", published_at=timezone.now() + datetime.timedelta(hours=1))
    make_post(world.kim_a, title="Draf")
    taken_down = published(world.kim_a, "Diturunkan")
    Post.objects.filter(pk=taken_down.pk).update(status="taken_down")
    other = published(world.kim_b, "Tayang juga")

    def both():
        joined = set(Post.objects.public().values_list("pk", flat=True))
        assert set(Post.objects.public_unjoined().values_list("pk", flat=True)) == joined
        return joined

    assert both() == {shown.pk, other.pk}
    for status in ("suspended", "pending", "rejected", "draft"):
        Community.objects.filter(pk=world.kim_b.pk).update(status=status)
        assert both() == {shown.pk}
    Community.objects.filter(pk=world.kim_b.pk).update(status="verified")
    assert both() == {shown.pk, other.pk}


def test_the_kim_search_keys_follow_every_kind_of_write(world):
    """Community.search_name and search_village are the database's (a trigger): whatever a save,
    an update, a bulk insert or a renamed village does, they hold both names without accents."""

    def keys(pk):
        row = Community.objects.filter(pk=pk).values_list("search_name", "search_village")
        return tuple(row[0])

    kim = world.kim_a
    assert keys(kim.pk) == (kim.name, kim.village.name)
    Community.objects.filter(pk=kim.pk).update(name="KIM Cendrawasih Café")
    assert keys(kim.pk)[0] == "KIM Cendrawasih Cafe"
    kim.refresh_from_db()
    kim.search_name = "anything"  # a full save writes whatever Django holds; it is replaced
    kim.name = "KIM Merpati"
    kim.save()
    assert keys(kim.pk) == ("KIM Merpati", kim.village.name)
    kim.village = world.regions.gegerkalong
    kim.save(update_fields=["village"])
    assert keys(kim.pk)[1] == world.regions.gegerkalong.name
    Village.objects.filter(pk=world.regions.gegerkalong.pk).update(name="Gegerkalöng Hilir")
    assert keys(kim.pk)[1] == keys(world.kim_b.pk)[1] == "Gegerkalong Hilir"
    assert {c.pk for c in community_search(query="hilir")} == {kim.pk, world.kim_b.pk}
    (bulk,) = Community.objects.bulk_create(
        [Community(name="KIM Massal", slug="massal", status="verified", village=kim.village)]
    )
    assert keys(bulk.pk) == ("KIM Massal", "Gegerkalong Hilir")


def test_common_words_rank_only_the_newest_candidates(world, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    for i in range(5):
        published(world.kim_a, f"Tulisan {i}", body="gotong royong", days_ago=i)
    result = search.post_search(query="royong")
    assert result.capped
    assert result.count == 3
    assert {p.title for p in result.page.object_list} == {"Tulisan 0", "Tulisan 1", "Tulisan 2"}


def test_a_query_of_only_symbols_finds_nothing(world):
    published(world.kim_a, "Kerja bakti")
    assert found("!!! ???") == []
    assert found("'\"&|") == []


def test_a_word_rare_among_the_newest_posts_is_found_through_the_index(world, monkeypatch):
    monkeypatch.setattr(search, "PROBE", 2)
    published(world.kim_a, "Pentas wayang", body="dalang", days_ago=30)
    for i in range(3):
        published(world.kim_a, f"Baru {i}", body="dalang muda", days_ago=i)
    assert found("wayang") == ["Pentas wayang"]
    assert set(found("dalang")) == {"Pentas wayang", "Baru 0", "Baru 1", "Baru 2"}
