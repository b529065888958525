"""Media on a real S3-compatible server, over HTTP as a browser sees it (issue 12, "Object
storage"): photos go through the real pipeline into the public bucket with a long cache lifetime;
originals and SK scans sit in the private bucket, refused without a signature and reached only
through a short-lived signed URL after the permission check; a take-down or a suspension removes
the public object itself, not only the row's path."""

import re
import time
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from django.core.files.storage import default_storage

from communities import services as community_services
from kimportal.lib.storage import PUBLIC_CACHE_CONTROL, private_storage
from posts import images, services
from posts.models import Post
from tests.factories import jpeg_upload, make_post
from tests.storage.conftest import URL_SECONDS, fetch

# s3_media before any other fixture: the shared world's SK scans go to the buckets too.
pytestmark = [pytest.mark.usefixtures("s3_media"), pytest.mark.django_db]

JPEG_MAGIC = b"\xff\xd8\xff"
# Withdrawn from the public bucket: gone (404), or refused where listing is not allowed (403).
GONE = {403, 404}


def _is_image(body: bytes) -> bool:
    return body.startswith(JPEG_MAGIC) or (body[:4] == b"RIFF" and body[8:12] == b"WEBP")


def _photo(post, capture):
    with capture(execute=True):
        image = images.image_add(post=post, file=jpeg_upload(size=(700, 500)))
    image.refresh_from_db()
    assert image.status == "ready", image.error
    return image


def _public_urls(image) -> list[str]:
    image.refresh_from_db()
    return [
        default_storage.url(entry[fmt].removeprefix(images.WITHDRAWN_PREFIX))
        for entry in image.renditions.values()
        for fmt in ("webp", "jpeg")
    ]


def _page_media_urls(html: str, endpoint: str) -> set[str]:
    """Every address of the object store that the page shows (src, srcset)."""
    return set(re.findall(re.escape(endpoint) + r"/[^\s\"',]+", html))


def _unsigned(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(query=""))


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    post = make_post(world.kim_a, author=world.a_editor, status="published")
    return post, _photo(post, django_capture_on_commit_callbacks)


def test_a_photo_is_served_from_the_public_bucket_with_a_long_cache_lifetime(
    client, s3_endpoint, published
):
    post, image = published
    page = client.get(f"/kabar/{post.slug}/", host="kim-ketabang.localhost")
    assert page.status_code == 200
    shown = _page_media_urls(page.content.decode(), s3_endpoint)
    assert shown, "the post page shows no address on the object store"
    assert shown <= set(_public_urls(image))
    for url in shown:
        got = fetch(url)
        assert got.status == 200, url
        assert _is_image(got.body), url
        assert got.headers["cache-control"] == PUBLIC_CACHE_CONTROL
    # The original (EXIF, GPS and all) is in the private bucket: no address works without a
    # signature, and the public bucket has no copy.
    original = image.original
    assert private_storage().exists(original.name)
    assert fetch(_unsigned(private_storage().url(original.name))).status == 403
    assert not default_storage.exists(original.name)


def test_an_sk_scan_is_reached_only_by_a_short_lived_signed_url_after_the_permission_check(
    client, world
):
    scan = world.pending_a.sk_file
    path = f"/verifikasi/{world.pending_a.pk}/sk/"

    client.force_login(world.bandung_admin)  # another regency: the scan's existence is not told
    refused = client.get(path, kelola=True)
    assert refused.status_code == 404 and "Location" not in refused

    client.force_login(world.surabaya_admin)
    response = client.get(path, kelola=True)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    got = fetch(signed)
    assert got.status == 200
    assert got.body.startswith(b"%PDF")
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["content-type"] == "application/pdf"

    # Without its signature the same object is refused.
    assert fetch(_unsigned(signed)).status == 403
    assert private_storage().exists(scan.name)

    # The signature covers a lifetime of URL_SECONDS from now.
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == [str(URL_SECONDS)]
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 30


def _store_checks_signatures(url: str) -> bool:
    tampered = re.sub(r"X-Amz-Signature=[0-9a-f]", "X-Amz-Signature=x", url)
    return fetch(tampered).status == 403


def test_a_signed_url_stops_working_when_it_expires(world):
    """moto_server (CI's store) checks neither signatures nor expiry: there the URL's own
    lifetime is what is checked; a store that checks them (MinIO, AWS) must refuse it after."""
    name = world.pending_a.sk_file.name
    url = private_storage().url(name, expire=1)
    assert fetch(url).status == 200
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["1"]
    if _store_checks_signatures(url):
        time.sleep(2.5)
        assert fetch(url).status == 403


def test_a_taken_down_post_loses_its_public_objects_and_gets_them_back_when_republished(
    world, published, django_capture_on_commit_callbacks
):
    post, image = published
    urls = _public_urls(image)
    assert {fetch(url).status for url in urls} == {200}
    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(post=post, actor=world.surabaya_admin, reason="Hoaks")
    assert {fetch(url).status for url in urls} <= GONE
    image.refresh_from_db()
    for entry in image.renditions.values():
        for fmt in ("webp", "jpeg"):
            withdrawn = entry[fmt]
            assert withdrawn.startswith(images.WITHDRAWN_PREFIX)
            assert private_storage().exists(withdrawn)  # kept, privately, for an appeal
            assert fetch(_unsigned(private_storage().url(withdrawn))).status == 403
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    images.images_follow_posts(post_ids=[post.pk])
    assert {fetch(url).status for url in urls} == {200}


def test_suspending_a_kim_removes_its_photos_from_the_public_bucket(
    world, published, django_capture_on_commit_callbacks
):
    _post, image = published
    urls = _public_urls(image)
    with django_capture_on_commit_callbacks(execute=True):
        community_services.community_suspend(
            community=world.kim_a, actor=world.surabaya_admin, reason="Melanggar aturan"
        )
    assert {fetch(url).status for url in urls} <= GONE
    world.kim_a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        community_services.community_reinstate(
            community=world.kim_a, actor=world.surabaya_admin, reason="Sudah diperbaiki"
        )
    assert {fetch(url).status for url in urls} == {200}


def test_readiness_asks_both_buckets(client):
    assert client.get("/readyz").content == b"ok"
