"""`seed_demo --communities N --posts M`: scale data for query plans and benchmarks (demo/scale.py).

Runs on the small test region tree (plus a few villages) so that it works on SQLite and
PostgreSQL alike; the 10,000 / 1,000,000 load is measured by `make bench-seed`.
"""

import itertools
import re
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from accounts.models import User
from communities.models import SLUG_RE, Community, Member, Role, VerificationEvent
from demo import scale
from posts.models import Image, Post
from posts.text import render_body
from regions.models import District, Province, Regency, Village
from tests.factories import make_region_tree

pytestmark = pytest.mark.django_db

PASSWORD = "Kunci-Skala-7391"  # noqa: S105 - a test value


@pytest.fixture
def villages(db):
    """The test tree plus a third province, and enough villages for a dozen KIMs."""
    tree = make_region_tree()
    bali = Province.objects.create(code="51", name="Bali", slug="bali")
    gianyar = Regency.objects.create(
        code="51.04",
        province=bali,
        name="Kabupaten Gianyar",
        slug="kabupaten-gianyar",
        kind="kabupaten",
    )
    ubud = District.objects.create(code="51.04.05", regency=gianyar, name="Ubud", slug="ubud")
    for district, prefix in (
        (tree.dau, "35.07.20"),
        (tree.sukasari, "32.73.01"),
        (ubud, "51.04.05"),
    ):
        for n in range(5):
            Village.objects.create(
                code=f"{prefix}.{2100 + n}",
                district=district,
                name=f"Desa {district.name} {chr(65 + n)}",
                slug=f"desa-{district.slug}-{chr(97 + n)}",
                kind="desa",
            )
    return tree


@pytest.fixture(autouse=True)
def _small_photos(monkeypatch):
    """Three small source photos: the pipeline runs for real, just on fewer pixels."""
    monkeypatch.setattr(scale, "SOURCE_PHOTOS", 3)
    monkeypatch.setattr(scale, "PHOTO_SIZE", (480, 360))


def seed(communities: int = 12, posts: int = 600) -> tuple[scale.ScaleReport, str]:
    out = StringIO()
    report = scale.seed_scale(
        communities=communities, posts=posts, password=PASSWORD, out=lambda s: out.write(s + "\n")
    )
    return report, out.getvalue()


def scale_kims():
    return Community.objects.filter(email__endswith="@" + scale.SCALE_DOMAIN)


def test_loads_verified_kims_on_distinct_villages_of_every_province(villages):
    report, output = seed()
    kims = list(scale_kims().select_related("village__district__regency"))
    assert report.communities == len(kims) == 12
    assert {k.status for k in kims} == {Community.Status.VERIFIED}
    assert len({k.village_id for k in kims}) == 12
    assert {k.province_id for k in kims} == {"35", "32", "51"}
    for kim in kims:
        assert SLUG_RE.match(kim.slug)
        assert kim.nomor_induk == kim.village_id.replace(".", "") + "01"
        assert kim.regency_id == kim.village.district.regency_id == kim.district.regency_id
        assert kim.province_id == kim.village.district.regency.province_id
        assert kim.verified_at and kim.submitted_at < kim.verified_at
    # The roster a sign-up needs, an admin and an editor who can sign in, a verification history.
    for kim in kims:
        assert kim.members.count() >= 10
        assert kim.members.filter(position=Member.Position.KETUA).count() == 1
        roles = dict(Role.objects.filter(community=kim).values_list("role", "user__email"))
        assert set(roles) == {Role.Kind.ADMIN, Role.Kind.EDITOR}
        assert kim.applicant.email == roles[Role.Kind.ADMIN]
        assert kim.verification_events.filter(action=VerificationEvent.Action.VERIFIED).exists()
    admin = User.objects.get(email=roles[Role.Kind.ADMIN])
    assert admin.check_password(PASSWORD)
    assert "KIM: 12" in output and "tulisan: 600/600" in output


def test_posts_are_consistent_with_their_kim_and_what_other_code_derives(villages):
    report, _output = seed()
    posts = list(Post.objects.filter(community__in=scale_kims()).select_related("community"))
    assert report.posts == len(posts) == 600
    assert {p.kind for p in posts} == set(Post.Kind.values)
    statuses = [p.status for p in posts]
    assert statuses.count(Post.Status.PUBLISHED) > 0.75 * len(posts)
    assert {Post.Status.DRAFT, Post.Status.SUBMITTED, Post.Status.TAKEN_DOWN} <= set(statuses)
    for post in posts:
        assert (post.regency_id, post.province_id) == (
            post.community.regency_id,
            post.community.province_id,
        )
        assert post.body_html == render_body(post.body), post.pk
        assert post.tags and post.title and post.summary
        if post.status in (Post.Status.PUBLISHED, Post.Status.TAKEN_DOWN):
            assert post.community.verified_at < post.published_at
        else:
            assert post.published_at is None
        assert (post.price is not None) == (post.kind == Post.Kind.UMKM)
        assert bool(post.verdict and post.claim) == (post.kind == Post.Kind.HOAKS)
        assert (post.event_date is not None) == (post.kind == Post.Kind.AGENDA)
    assert len({(p.community_id, p.slug) for p in posts}) == len(posts)
    days = [p.published_at for p in posts if p.published_at]
    assert (max(days) - min(days)).days > 365


def test_photos_are_real_renditions_shared_by_posts_on_air(villages):
    seed()
    images = Image.objects.filter(community__in=scale_kims()).select_related("post")
    sources = {img.renditions["320"]["webp"] for img in images}
    assert 1 < len(sources) <= scale.SOURCE_PHOTOS < images.count()
    for path in sources:
        assert default_storage.exists(path)
    for image in images:
        assert image.status == Image.Status.READY and image.width and image.alt_text
        assert image.community_id == image.post.community_id
        assert image.post.status in (Post.Status.PUBLISHED, Post.Status.SCHEDULED)
    covers = Post.objects.filter(community__in=scale_kims()).exclude(cover=None)
    assert covers.count() > 0
    for post in covers.select_related("cover"):
        assert post.cover.post_id == post.pk


def loaded_posts():
    """The scale posts the loaders wrote (not the few photo posts made through the services)."""
    return Post.objects.filter(community__in=scale_kims()).exclude(title__startswith="Galeri ")


def test_post_ids_follow_the_time_posts_were_written(villages):
    """As in a live table: the newer a post, the higher its id, across every KIM (the loaders
    write KIM by KIM, which would otherwise number each KIM's posts together)."""
    seed()
    # Published 2 h after it was begun (created_at itself is the row's insert time on SQLite,
    # where bulk_create sets it).
    on_air = loaded_posts().exclude(published_at=None).order_by("pk")
    rows = list(on_air.values_list("community_id", "published_at"))
    assert len({kim for kim, _at in rows}) == 12
    times = [at for _kim, at in rows]
    assert times == sorted(times)
    # Not KIM by KIM: the KIM changes far more often than there are KIMs.
    changes = sum(a[0] != b[0] for a, b in itertools.pairwise(rows))
    assert changes > 100


def test_a_second_run_changes_nothing(villages):
    seed()
    counts = (Community.objects.count(), Post.objects.count(), Image.objects.count())
    report, output = seed()
    assert report.skipped
    assert "sudah lengkap" in output
    assert (Community.objects.count(), Post.objects.count(), Image.objects.count()) == counts


def test_an_interrupted_load_is_finished_by_the_same_command(villages):
    seed()
    total = Post.objects.count()
    # As if the last batches never committed: some KIMs have no posts yet.
    lost = list(scale_kims().order_by("-pk").values_list("pk", flat=True)[:4])
    Image.objects.filter(community__in=lost).delete()
    Post.objects.filter(community__in=lost).delete()
    assert Post.objects.count() < total
    report, _output = seed()
    assert not report.skipped
    assert Post.objects.count() == total
    # The posts that finish the load take new ids, after every other post's.
    finished = Post.objects.filter(community__in=lost)
    others = loaded_posts().exclude(community__in=lost)
    assert min(finished.values_list("pk", flat=True)) > max(others.values_list("pk", flat=True))


def test_other_numbers_on_loaded_data_are_refused(villages):
    seed()
    with pytest.raises(scale.ScaleError, match="sudah berisi data skala dengan 12 KIM"):
        seed(communities=13)
    with pytest.raises(scale.ScaleError, match="lebih dari 100"):
        seed(posts=100)


def test_refuses_without_the_region_tree(db):
    with pytest.raises(scale.ScaleError, match="load_regions"):
        seed()


def test_refuses_more_kims_than_free_villages(villages):
    with pytest.raises(scale.ScaleError, match="tidak cukup"):
        seed(communities=500)
    assert not scale_kims().exists()


def test_command_options_go_together(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--communities dan --posts"):
        call_command("seed_demo", "--communities", "5", stdout=StringIO())


def test_scale_pages_render(villages, client):
    seed()
    post = Post.objects.public().filter(community__in=scale_kims()).exclude(cover=None).first()
    host = f"{post.community.slug}.localhost"
    assert client.get("/", host=host).status_code == 200
    assert client.get("/kabar/", host=host).status_code == 200
    response = client.get(f"/kabar/{post.slug}/", host=host)
    assert response.status_code == 200
    assert post.title in response.content.decode()
    assert re.search(r"/media/r/\d+/", response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_the_load_ends_with_a_vacuum_outside_a_transaction():
    """After a bulk load the search indexes must not answer from GIN pending lists and the
    visibility map must be set (CI's PostgreSQL runs without autovacuum): the seeder vacuums
    what it filled when it can, that is outside a transaction."""
    from django.db import connection

    from tests.support import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("VACUUM is PostgreSQL's")
    make_region_tree()
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        (before,) = cursor.fetchone()
        scale._vacuum((Village, Community))
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum >= %s "
            "AND relname IN ('regions_village', 'communities_community')",
            [before],
        )
        assert {row[0] for row in cursor.fetchall()} == {"regions_village", "communities_community"}


@pytest.mark.django_db(transaction=True)
def test_cluster_rewrites_a_table_in_primary_key_order():
    """The loaders write KIM by KIM; _cluster lays the posts table out in id order, the order in
    which a live table holds rows it only appends to."""
    from django.db import connection

    from tests.support import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("CLUSTER is PostgreSQL's")
    make_region_tree()

    def physical_order() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT code FROM regions_village ORDER BY ctid")
            return [row[0] for row in cursor.fetchall()]

    first = min(physical_order())
    # An updated row is written again at the end of the table.
    Village.objects.filter(code=first).update(name="Ketabang")
    assert physical_order()[-1] == first
    scale._cluster(Village)
    assert physical_order() == sorted(physical_order())
