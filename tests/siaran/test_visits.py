"""The view beacon and the flush into PostVisitDay, with real Redis and without."""

import pytest
from django.utils import timezone

from stats import visits
from stats.models import PostVisitDay
from tests.factories import make_post
from tests.support import require_services

pytestmark = pytest.mark.django_db

HOST = "kim-ketabang.localhost"


@pytest.fixture
def redis_clean(settings):
    require_services(redis=True)
    client = visits._redis()
    for key in client.scan_iter(match="kim:vs:*"):
        client.delete(key)
    yield client
    for key in client.scan_iter(match="kim:vs:*"):
        client.delete(key)


def _view(client, post, address="203.0.113.7"):
    return client.get(f"/v/{post.pk}.gif", host=HOST, REMOTE_ADDR=address)


def test_beacon_answers_an_uncached_gif_without_cookie(client, world, redis_clean):
    post = make_post(world.kim_a, title="Dibaca", status="published")
    response = _view(client, post)
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert response.content.startswith(b"GIF89a")


def test_counts_once_per_address_per_day_then_flushes(client, world, redis_clean):
    post = make_post(world.kim_a, title="Dibaca", status="published")
    other = make_post(world.kim_b, title="Lain", status="published")
    for address in ("203.0.113.7", "203.0.113.7", "203.0.113.8"):
        _view(client, post, address)
    _view(client, other)  # B's post through A's host: never counted
    assert not PostVisitDay.objects.exists()  # counted in Redis, not in the table
    assert visits.visits_flush() == 1
    row = PostVisitDay.objects.get()
    assert (row.post_id, row.community_id, row.count) == (post.pk, world.kim_a.pk, 2)
    assert row.day == timezone.localdate()
    assert visits.visits_flush() == 0  # safe to run twice: nothing counted twice
    _view(client, post, "203.0.113.9")
    visits.visits_flush()
    assert PostVisitDay.objects.get().count == 3  # added to the day's row (upsert)


def test_an_ipv6_reader_is_its_64(client, world, redis_clean):
    """A phone changes its IPv6 address inside its /64 (privacy addresses, or at will): still
    one reader. Another /64 is another reader."""
    post = make_post(world.kim_a, title="Dibaca", status="published")
    for address in ("2001:db8:1:2::1", "2001:db8:1:2:a:b:c:d", "2001:db8:1:2::ffff"):
        _view(client, post, address)
    _view(client, post, "2001:db8:1:3::1")
    visits.visits_flush()
    assert PostVisitDay.objects.get().count == 2


def test_a_reader_is_counted_for_a_bounded_number_of_posts_a_day(
    client, world, redis_clean, monkeypatch
):
    """The beacon reads no database: made-up ids by the hundred would each store keys."""
    monkeypatch.setattr(visits, "READER_POSTS_PER_DAY", 2)
    posts = [make_post(world.kim_a, title=f"Dibaca {n}", status="published") for n in range(3)]
    for post in posts:
        assert _view(client, post).status_code == 200  # the pixel, counted or not
    for fake in (999_001, 999_002):
        response = client.get(f"/v/{fake}.gif", host=HOST, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 200
    assert len(list(redis_clean.scan_iter(match="kim:vs:s:*"))) == 2
    _view(client, posts[2], "203.0.113.99")  # another reader is counted
    other = make_post(world.kim_b, title="Dibaca di B", status="published")
    response = client.get(f"/v/{other.pk}.gif", host="kim-gegerkalong.localhost",
                          REMOTE_ADDR="203.0.113.7")  # fmt: skip
    assert response.status_code == 200  # the cap is per KIM: B's post is counted
    visits.visits_flush()
    counts = dict(PostVisitDay.objects.values_list("post__title", "count"))
    assert counts == {"Dibaca 0": 1, "Dibaca 1": 1, "Dibaca 2": 1, "Dibaca di B": 1}
    assert all(redis_clean.ttl(k) > 0 for k in redis_clean.scan_iter(match="kim:vs:r:*"))


def test_an_id_past_the_database_range_is_not_found(client, world, redis_clean):
    """The flush looks ids up: one past bigint would fail the whole day's hash."""
    for path in ("/v/9223372036854775808.gif", "/v/" + "9" * 4000 + ".gif"):
        assert client.get(path, host=HOST).status_code == 404
    assert not list(redis_clean.scan_iter(match="kim:vs:*"))
    assert client.get("/v/999999999999999999.gif", host=HOST).status_code == 200  # 18 digits


def test_a_flush_killed_after_the_rename_is_finished_by_the_next(world, redis_clean):
    post = make_post(world.kim_a, title="Dibaca", status="published")
    day = timezone.localdate().isoformat()
    redis_clean.hset(f"kim:vs:f:{day}:abc", f"{world.kim_a.pk}:{post.pk}", 5)
    visits.visits_flush()
    assert PostVisitDay.objects.get().count == 5


def test_without_redis_views_go_straight_into_the_table(client, world, settings):
    settings.REDIS_URL = ""
    post = make_post(world.kim_a, title="Dibaca", status="published")
    _view(client, post)
    _view(client, post, "203.0.113.8")
    assert PostVisitDay.objects.get(post=post).count == 2
    assert visits.visits_flush() == 0


def test_a_failing_redis_falls_back_to_the_table(world, monkeypatch):
    post = make_post(world.kim_a, title="Dibaca", status="published")

    class Down:
        def set(self, *args, **kwargs):
            raise ConnectionError("down")

    monkeypatch.setattr(visits, "_redis", lambda: Down())
    visits.visit_record(community_id=world.kim_a.pk, post_id=post.pk, address="203.0.113.7")
    assert PostVisitDay.objects.get(post=post).count == 1


def test_report_shows_the_visits_of_relayed_posts(client, world, redis_clean):
    from siaran.models import Relay
    from tests.siaran.helpers import make_siaran

    siaran = make_siaran(world.national_admin, national=True)
    post = make_post(world.kim_a, title="Terusan", status="published")
    Relay.objects.create(
        siaran=siaran, community=world.kim_a, post=post, province_id="35", regency_id="35.78"
    )
    for i in range(3):
        _view(client, post, f"203.0.113.{i}")
    visits.visits_flush()
    client.force_login(world.jatim_admin)
    page = client.get(f"/siaran/{siaran.pk}/", kelola=True).content.decode()
    assert "3 kunjungan" in page
