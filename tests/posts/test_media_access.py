"""Files follow their post: a rendition is reachable only while its post and its KIM are public,
and its address cannot be derived from ids (issue 7, hole 3). Tasks run in-process here."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views.static import serve

from communities import services as community_services
from kimportal.lib.storage import private_storage
from posts import images, services
from posts.models import Image, Post
from tests.factories import jpeg_upload, make_post

pytestmark = pytest.mark.django_db

TOKEN_PATH = re.compile(r"^r/\d+/([A-Za-z0-9_-]{22,})/\d+\.(webp|jpg)$")


def _photo(post, django_capture_on_commit_callbacks) -> Image:
    with django_capture_on_commit_callbacks(execute=True):
        image = images.image_add(post=post, file=jpeg_upload(size=(700, 500)))
    image.refresh_from_db()
    assert image.status == "ready"
    return image


def _urls(image: Image) -> list[str]:
    image.refresh_from_db()
    return [
        default_storage.url(entry[fmt].removeprefix(images.WITHDRAWN_PREFIX))
        for entry in image.renditions.values()
        for fmt in ("webp", "jpeg")
    ]


class MediaClient:
    """What the development media route does (kimportal/urls/common.py: `static()` → `serve`),
    against this test's MEDIA_ROOT: the route itself is only mounted when DEBUG is on at import,
    and it fixes its folder then."""

    def get(self, url: str) -> HttpResponse:
        assert url.startswith(django_settings.MEDIA_URL), url
        request = RequestFactory().get(url)
        try:
            return serve(
                request, url.removeprefix(django_settings.MEDIA_URL), django_settings.MEDIA_ROOT
            )
        except Http404:
            return HttpResponse(status=404)


@pytest.fixture
def client() -> MediaClient:
    return MediaClient()


def _statuses(client, image: Image) -> set[int]:
    return {client.get(url).status_code for url in _urls(image)}


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    post = make_post(world.kim_a, author=world.a_editor, status="published")
    return post, _photo(post, django_capture_on_commit_callbacks)


def test_a_draft_photo_lives_at_a_random_path_not_derivable_from_ids(
    client, world, django_capture_on_commit_callbacks
):
    draft = make_post(world.kim_a, author=world.a_contributor)
    first = _photo(draft, django_capture_on_commit_callbacks)
    second = _photo(draft, django_capture_on_commit_callbacks)
    tokens = set()
    for image in (first, second):
        for entry in image.renditions.values():
            for fmt in ("webp", "jpeg"):
                match = TOKEN_PATH.match(entry[fmt])
                assert match, entry[fmt]
                tokens.add(match.group(1))
        # What an attacker walking ids would try: nothing there.
        for width in image.renditions:
            guessed = f"/media/r/{world.kim_a.pk}/{image.pk}/{width}.jpg"
            assert client.get(guessed).status_code == 404
    assert len(tokens) == 2  # one fresh token per photo processing
    assert _statuses(client, first) == {200}  # the editor still shows it, by its token path


def test_a_taken_down_post_loses_its_files_and_gets_them_back_when_republished(
    client, world, published, django_capture_on_commit_callbacks
):
    post, image = published
    public_urls = _urls(image)
    assert _statuses(client, image) == {200}
    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(post=post, actor=world.surabaya_admin, reason="Hoaks")
    assert {client.get(url).status_code for url in public_urls} == {404}
    image.refresh_from_db()
    for entry in image.renditions.values():
        for fmt in ("webp", "jpeg"):
            assert entry[fmt].startswith("withdrawn/r/")
            assert private_storage().exists(entry[fmt])
            assert not default_storage.exists(entry[fmt].removeprefix("withdrawn/"))
    # No path of its own to publish a taken-down post again yet: whoever adds one calls
    # post_files_follow, which brings the files back exactly as here.
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    images.images_follow_posts(post_ids=[post.pk])
    assert {client.get(url).status_code for url in public_urls} == {200}
    assert _urls(image) == public_urls


def test_a_post_hidden_by_reports_loses_its_files_until_the_reports_are_dismissed(
    client, world, published, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_TO_HIDE = 2
    post, image = published
    public_urls = _urls(image)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_create(post=post, reason="hoaks", details="", address="10.1.1.5")
    assert {client.get(url).status_code for url in public_urls} == {200}
    with django_capture_on_commit_callbacks(execute=True):
        services.report_create(post=post, reason="hoaks", details="", address="10.2.1.5")
    assert Post.objects.get(pk=post.pk).hidden_by_reports
    assert {client.get(url).status_code for url in public_urls} == {404}
    post.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.reports_dismiss(post=post, actor=world.surabaya_admin, reason="Bukan hoaks")
    assert {client.get(url).status_code for url in public_urls} == {200}


def test_a_post_sent_back_to_the_queue_loses_its_files_until_approved_again(
    client, world, published, django_capture_on_commit_callbacks
):
    post, image = published
    public_urls = _urls(image)
    # A flagged edit of a post on air sends it back to the queue (posts.services); it was
    # public, so its addresses are known: a guessable-or-not path is no protection any more.
    Post.objects.filter(pk=post.pk).update(status=Post.Status.SUBMITTED)
    images.images_follow_posts(post_ids=[post.pk])
    assert {client.get(url).status_code for url in public_urls} == {404}
    post.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=post, actor=world.surabaya_admin)
    assert {client.get(url).status_code for url in public_urls} == {200}


def test_suspending_a_kim_withdraws_every_photo_in_batches_and_reinstating_restores_them(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(images, "FOLLOW_BATCH", 2)  # several batches, each queueing the next
    posts = [
        make_post(world.kim_a, author=world.a_editor, title=f"Tulisan {i}", status=status)
        for i, status in enumerate(["published", "published", "draft"])
    ]
    photos = [_photo(p, django_capture_on_commit_callbacks) for p in posts]
    photos.append(_photo(posts[0], django_capture_on_commit_callbacks))
    other_kim = _photo(
        make_post(world.kim_b, author=world.b_editor, status="published"),
        django_capture_on_commit_callbacks,
    )
    urls = [url for photo in photos for url in _urls(photo)]
    with django_capture_on_commit_callbacks(execute=True):
        community_services.community_suspend(
            community=world.kim_a, actor=world.surabaya_admin, reason="Melanggar aturan"
        )
    assert {client.get(url).status_code for url in urls} == {404}
    assert _statuses(client, other_kim) == {200}  # another KIM's photos are untouched
    world.kim_a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        community_services.community_reinstate(
            community=world.kim_a, actor=world.surabaya_admin, reason="Sudah diperbaiki"
        )
    assert {client.get(url).status_code for url in urls} == {200}


def test_a_refused_suspension_moves_nothing(
    client, world, published, django_capture_on_commit_callbacks
):
    _post, image = published
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        community_services.community_suspend(
            community=world.kim_a, actor=world.surabaya_admin, reason=""
        )
    assert _statuses(client, image) == {200}


def test_moving_twice_is_harmless_and_a_killed_move_is_finished(
    client, world, published, django_capture_on_commit_callbacks
):
    post, image = published
    Post.objects.filter(pk=post.pk).update(status=Post.Status.TAKEN_DOWN)
    assert images.images_follow_posts(post_ids=[post.pk]) == 1
    withdrawn = Image.objects.get(pk=image.pk).renditions
    assert images.images_follow_posts(post_ids=[post.pk]) == 0
    assert Image.objects.get(pk=image.pk).renditions == withdrawn
    # A worker killed after copying one file and deleting its source, before recording:
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    images.images_follow_posts(post_ids=[post.pk])
    image.refresh_from_db()
    entry = image.renditions["640"]
    private_storage().save("withdrawn/" + entry["jpeg"], ContentFile(b"half"))
    with default_storage.open(entry["webp"], "rb") as handle:
        private_storage().save("withdrawn/" + entry["webp"], ContentFile(handle.read()))
    default_storage.delete(entry["webp"])
    Post.objects.filter(pk=post.pk).update(status=Post.Status.TAKEN_DOWN)
    images.images_follow_posts(post_ids=[post.pk])
    image.refresh_from_db()
    for fmt in ("webp", "jpeg"):
        path = image.renditions["640"][fmt]
        assert path == "withdrawn/" + entry[fmt]  # the very name, not a renamed copy
        assert private_storage().size(path) > 4
        assert not default_storage.exists(entry[fmt])


def test_a_photo_processed_after_its_post_was_taken_down_is_withdrawn_at_once(
    client, world, published, django_capture_on_commit_callbacks
):
    post, _image = published
    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(post=post, actor=world.surabaya_admin, reason="Hoaks")
    late = images.image_add(post=post, file=jpeg_upload())  # its task had not run yet
    images.image_process(image_id=late.pk)
    late.refresh_from_db()
    assert late.status == "ready"
    assert all(
        entry[fmt].startswith("withdrawn/")
        for entry in late.renditions.values()
        for fmt in ("webp", "jpeg")
    )
    assert _statuses(client, late) == {404}


def test_removing_a_withdrawn_photo_deletes_its_private_files(
    world, published, django_capture_on_commit_callbacks
):
    post, image = published
    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(post=post, actor=world.surabaya_admin, reason="Hoaks")
    image.refresh_from_db()
    paths = [e[f] for e in image.renditions.values() for f in ("webp", "jpeg")]
    with django_capture_on_commit_callbacks(execute=True):
        images.image_remove(image=image)
    assert not any(private_storage().exists(p) for p in paths)


def test_legacy_id_paths_are_moved_to_token_paths_by_the_command(
    client, world, published, django_capture_on_commit_callbacks
):
    post, image = published
    # A photo processed before paths carried a token, and a taken-down post's one.
    legacy = {}
    for width, entry in image.renditions.items():
        legacy[width] = dict(entry)
        for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
            old = f"r/{image.community_id}/{image.pk}/{width}.{ext}"
            with default_storage.open(entry[fmt], "rb") as handle:
                default_storage.save(old, ContentFile(handle.read()))
            default_storage.delete(entry[fmt])
            legacy[width][fmt] = old
    Image.objects.filter(pk=image.pk).update(renditions=legacy)
    # Taken down before files followed their post: its photo is still public.
    hidden = make_post(world.kim_a, author=world.a_editor, title="Lama", status="published")
    hidden_photo = _photo(hidden, django_capture_on_commit_callbacks)
    Post.objects.filter(pk=hidden.pk).update(status=Post.Status.TAKEN_DOWN)
    assert _statuses(client, hidden_photo) == {200}
    assert client.get(f"/media/r/{image.community_id}/{image.pk}/640.jpg").status_code == 200

    call_command("renditions_secure", verbosity=0)
    call_command("renditions_secure", verbosity=0)  # a second run finds nothing to do

    assert client.get(f"/media/r/{image.community_id}/{image.pk}/640.jpg").status_code == 404
    image.refresh_from_db()
    for entry in image.renditions.values():
        for fmt in ("webp", "jpeg"):
            assert TOKEN_PATH.match(entry[fmt]), entry[fmt]
    assert _statuses(client, image) == {200}
    assert _statuses(client, hidden_photo) == {404}
