"""Photo uploads and processing through the services (tasks run in-process here)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from posts import images
from posts.models import Image
from tests.factories import jpeg_upload, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(world):
    return make_post(world.kim_a, author=world.a_contributor)


def add(post, upload=None, **kw):
    return images.image_add(post=post, file=upload or jpeg_upload(), **kw)


def test_upload_is_stored_privately_then_processed_on_commit(
    post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image = add(post, caption="Kerja bakti", alt_text="Warga membersihkan selokan")
    # Saving returned before any image work: the photo waits for its task.
    assert Image.objects.get(pk=image.pk).status == "pending"
    assert len(callbacks) == 1
    callbacks[0]()
    image.refresh_from_db()
    assert image.status == "ready"
    assert (image.width, image.height) == (1200, 900)
    assert sorted(image.renditions) == ["1024", "320", "640"]
    for entry in image.renditions.values():
        assert default_storage.exists(entry["webp"]) and default_storage.exists(entry["jpeg"])
    assert image.placeholder.startswith("#")
    assert image.community_id == post.community_id
    # The original lives in private storage, which has no URL.
    with pytest.raises(ValueError):
        image.original.url  # noqa: B018


def test_processing_twice_makes_nothing_new(post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = add(post)
    with mock.patch.object(images.default_storage, "save") as save:
        assert images.image_process(image_id=image.pk) == "skipped"
    save.assert_not_called()


def test_a_killed_run_is_finished_by_making_only_the_missing_renditions(post):
    image = add(post)
    # Simulate a run that wrote two files and died: rows say "processing", long ago.
    first = images.media.render(image.original.open("rb").read())
    done = {}
    token = images.rendition_token()
    for rendition in first.renditions[:2]:
        path = images.rendition_path(image, rendition.width, rendition.fmt, token)
        done.setdefault(str(rendition.width), {"height": rendition.height})[rendition.fmt] = (
            default_storage.save(path, SimpleUploadedFile("x", rendition.data))
        )
    Image.objects.filter(pk=image.pk).update(
        status="processing",
        renditions=done,
        attempts=1,
        processing_started_at=timezone.now() - timedelta(hours=1),
    )
    saved = []
    real_save = default_storage.save
    with mock.patch.object(
        images.default_storage, "save", side_effect=lambda p, c: saved.append(p) or real_save(p, c)
    ):
        assert images.image_process(image_id=image.pk) == "ready"
    assert len(saved) == len(first.renditions) - 2
    assert not set(saved) & {v for e in done.values() for k, v in e.items() if k != "height"}
    # The run is finished in the same random folder.
    image.refresh_from_db()
    assert {
        p.split("/")[2] for e in image.renditions.values() for k, p in e.items() if k != "height"
    } == {token}


def test_a_photo_being_processed_is_not_taken_twice(post):
    image = add(post)
    Image.objects.filter(pk=image.pk).update(
        status="processing", processing_started_at=timezone.now()
    )
    assert images.image_process(image_id=image.pk) == "skipped"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image, renamed to .jpg", "bukan foto"),
        (jpeg_upload(size=(800, 600)).read()[:900], "rusak"),
    ],
)
def test_a_poison_photo_fails_with_a_message_and_leaves_the_others(
    post, content, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        good = add(post)
        bad = add(post, SimpleUploadedFile("rusak.jpg", content))
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == "ready"
    assert bad.status == "failed" and message in bad.error
    # Replacing the failed photo touches nothing else.
    with django_capture_on_commit_callbacks(execute=True):
        images.image_replace(image=bad, file=jpeg_upload("ganti.jpg"))
    bad.refresh_from_db()
    good_after = Image.objects.get(pk=good.pk)
    assert bad.status == "ready" and bad.error == ""
    assert good_after.renditions == good.renditions


def test_an_unexpected_decoder_crash_is_recorded_not_raised(post):
    image = add(post)
    with mock.patch.object(images.media, "render", side_effect=MemoryError):
        assert images.image_process(image_id=image.pk) == "failed"
    assert Image.objects.get(pk=image.pk).status == "failed"


def test_storage_errors_put_the_photo_back_for_a_retry(post):
    image = add(post)
    with (
        mock.patch.object(images.default_storage, "save", side_effect=OSError("bucket down")),
        pytest.raises(OSError),
    ):
        images.image_process(image_id=image.pk)
    assert Image.objects.get(pk=image.pk).status == "pending"
    assert images.image_process(image_id=image.pk) == "ready"


def test_too_many_attempts_end_as_failed(post):
    image = add(post)
    Image.objects.filter(pk=image.pk).update(attempts=images.MAX_ATTEMPTS)
    assert images.image_process(image_id=image.pk) == "failed"
    assert "berulang kali" in Image.objects.get(pk=image.pk).error


def test_at_most_ten_photos(post):
    for _ in range(images.MAX_PHOTOS):
        add(post, jpeg_upload(size=(40, 30)))
    with pytest.raises(ValidationError):
        add(post)


def test_sweep_requeues_lost_and_stale_photos_only(post, django_capture_on_commit_callbacks):
    lost = add(post)
    stale = add(post)
    fresh = add(post)
    long_ago = timezone.now() - timedelta(hours=1)
    Image.objects.filter(pk=lost.pk).update(updated_at=long_ago)
    Image.objects.filter(pk=stale.pk).update(status="processing", processing_started_at=long_ago)
    Image.objects.filter(pk=fresh.pk).update(
        status="processing", processing_started_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):  # the sweep's tasks go out on commit
        assert images.images_sweep() == 2
    assert Image.objects.get(pk=lost.pk).status == "ready"
    assert Image.objects.get(pk=stale.pk).status == "ready"
    assert Image.objects.get(pk=fresh.pk).status == "processing"
