"""Siaran photos on the worker: the robustness post photos have (kimportal.lib.renditions)."""

from unittest import mock

import pytest
from django.core.files.storage import default_storage

from kimportal.lib import renditions as files
from siaran import images, services
from siaran.models import Siaran, SiaranImage
from tests.factories import jpeg_upload
from tests.siaran.helpers import make_siaran

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(world):
    siaran = make_siaran(world.national_admin, national=True)
    # Its task is queued on commit, which never comes here: each test runs it.
    return services.siaran_image_add(siaran=siaran, actor=world.national_admin, file=jpeg_upload())


def test_a_killed_run_is_finished_in_the_same_folder(photo):
    assert images.image_process(image_id=photo.pk) == "ready"
    done = SiaranImage.objects.get(pk=photo.pk).renditions
    assert files.token_of(done) and all(p.startswith("s/") for p in files.paths(done))
    # As if the worker died after the first width: recorded, still "processing".
    first = next(iter(done))
    for width, entry in done.items():
        if width != first:
            for path in files.paths({width: entry}):
                default_storage.delete(path)
    SiaranImage.objects.filter(pk=photo.pk).update(
        status="processing", renditions={first: done[first]}, attempts=1
    )
    saved = []
    real_save = default_storage.save
    with mock.patch.object(
        default_storage, "save", side_effect=lambda n, c: saved.append(n) or real_save(n, c)
    ):
        assert images.image_process(image_id=photo.pk) == "ready"
    assert SiaranImage.objects.get(pk=photo.pk).renditions == done  # same folder, same names
    assert len(saved) == len(list(files.paths(done))) - 2
    assert all(default_storage.exists(p) for p in files.paths(done))


def test_an_unexpected_decoder_crash_is_recorded_not_raised(photo):
    with mock.patch.object(images.pipeline, "render", side_effect=MemoryError):
        assert images.image_process(image_id=photo.pk) == "failed"
    failed = SiaranImage.objects.get(pk=photo.pk)
    assert failed.status == "failed" and failed.error


def test_storage_errors_put_the_photo_back_for_a_retry(photo):
    with (
        mock.patch.object(default_storage, "save", side_effect=OSError("bucket down")),
        pytest.raises(OSError),
    ):
        images.image_process(image_id=photo.pk)
    assert SiaranImage.objects.get(pk=photo.pk).status == "pending"  # the sweep finds it
    assert images.image_process(image_id=photo.pk) == "ready"


def test_a_siaran_withdrawn_while_its_photo_is_made_gets_private_files(photo):
    real_render = images.pipeline.render

    def withdraw_meanwhile(data):
        Siaran.objects.filter(pk=photo.siaran_id).update(status=Siaran.Status.WITHDRAWN)
        return real_render(data)

    with mock.patch.object(images.pipeline, "render", side_effect=withdraw_meanwhile):
        assert images.image_process(image_id=photo.pk) == "ready"
    paths = list(files.paths(SiaranImage.objects.get(pk=photo.pk).renditions))
    assert paths and all(p.startswith("withdrawn/s/") for p in paths)
    assert not any(default_storage.exists(p.removeprefix("withdrawn/")) for p in paths)


def test_a_photo_a_worker_is_making_is_left_to_it_until_stale(photo):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    SiaranImage.objects.filter(pk=photo.pk).update(
        status="processing", processing_started_at=now, attempts=1
    )
    assert images.image_process(image_id=photo.pk) == "skipped"
    assert SiaranImage.objects.get(pk=photo.pk).attempts == 1
    SiaranImage.objects.filter(pk=photo.pk).update(
        processing_started_at=now - files.STALE_AFTER - timedelta(seconds=1)
    )
    assert images.image_process(image_id=photo.pk) == "ready"
    done = SiaranImage.objects.get(pk=photo.pk)
    assert done.attempts == 2 and done.processing_started_at is None


def test_the_sweep_requeues_lost_and_stale_photos_only(world):
    from datetime import timedelta

    from django.utils import timezone

    from kimportal.models import OutboxTask

    siaran = make_siaran(world.national_admin, national=True)
    rows = [
        services.siaran_image_add(siaran=siaran, actor=world.national_admin, file=jpeg_upload())
        for _ in range(4)
    ]
    long_ago = timezone.now() - files.STALE_AFTER - timedelta(minutes=1)
    fresh, lost, stale, busy = (row.pk for row in rows)
    SiaranImage.objects.filter(pk=lost).update(created_at=long_ago)
    SiaranImage.objects.filter(pk=stale).update(
        status="processing", processing_started_at=long_ago, created_at=long_ago
    )
    SiaranImage.objects.filter(pk=busy).update(
        status="processing", processing_started_at=timezone.now(), created_at=long_ago
    )
    OutboxTask.objects.all().delete()
    assert images.images_sweep() == 2
    queued = OutboxTask.objects.filter(task="siaran.tasks.process_image")
    assert sorted(row.args[0] for row in queued) == sorted([lost, stale])
    assert fresh not in [row.args[0] for row in queued]
