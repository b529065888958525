"""The portal's siaran pages in the whole-page cache: dropped when a siaran or a relay changes."""

import pytest

from siaran import services
from tests.siaran.helpers import make_siaran
from tests.support import require_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture(autouse=True)
def _redis():
    require_services(redis=True)


def test_siaran_pages_are_cached_and_dropped_on_change(
    client, world, django_capture_on_commit_callbacks
):
    old = make_siaran(world.national_admin, title="Siaran lama", national=True)
    assert client.get("/siaran/")["X-Page-Cache"] == "miss"
    assert client.get("/siaran/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_siaran(
            world.national_admin, title="Siaran baru", national=True, status="draft"
        )
        services.siaran_publish(siaran=draft, actor=world.national_admin)
    response = client.get("/siaran/")
    assert response["X-Page-Cache"] == "miss" and "Siaran baru" in response.content.decode()
    detail = f"/siaran/{old.pk}-{old.slug}/"
    client.get(detail)
    assert client.get(detail)["X-Page-Cache"] == "hit"
    # A relayed post going on air shows on the siaran's page: the post's publication bumps it.
    with django_capture_on_commit_callbacks(execute=True):
        relay, _ = services.siaran_relay(siaran=old, community=world.kim_a, actor=world.a_admin)
        relay.post.status, relay.post.published_at = "published", relay.post.created_at
        relay.post.save()
    response = client.get(detail)
    assert response["X-Page-Cache"] == "miss" and relay.post.title in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.siaran_withdraw(siaran=old, actor=world.national_admin)
    assert client.get(detail).status_code == 404
