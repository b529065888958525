"""The aspirasi photo's copies survive a killed worker and a storage outage
(kimportal.lib.renditions): no stray copy of someone's photo, no seen copy left public."""

from unittest import mock

import pytest
from django.core.files.storage import default_storage

from aspirations import services
from aspirations.models import Aspirasi
from kimportal.lib.storage import private_storage
from kimportal.models import OutboxTask
from tests.aspirations.test_services import submit
from tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aspirasi, code = submit(world, photo=jpeg_upload())
    aspirasi.refresh_from_db()
    assert aspirasi.photo_status == "ready" and aspirasi.photo_clean and aspirasi.photo_public
    return aspirasi, code


def _names(storage, folder: str) -> list[str]:
    return storage.listdir(folder)[1]


def test_a_run_killed_before_recording_the_clean_copy_rewrites_the_same_file(shown):
    aspirasi, _code = shown
    clean = aspirasi.photo_clean
    # The worker died after writing (half of) the copy, before recording it.
    with private_storage().open(clean, "wb") as handle:
        handle.write(b"half")
    Aspirasi.objects.filter(pk=aspirasi.pk).update(photo_clean="", photo_status="pending")
    assert services.aspirasi_photo_process(aspirasi_id=aspirasi.pk) == "ready"
    assert Aspirasi.objects.get(pk=aspirasi.pk).photo_clean == clean
    assert _names(private_storage(), "aspirasi-bersih") == [clean.split("/")[-1]]
    with private_storage().open(clean, "rb") as handle:
        assert handle.read(2) == b"\xff\xd8"  # a whole JPEG again, not the broken one


def test_a_publish_killed_before_recording_leaves_no_stray_public_copy(shown):
    aspirasi, _code = shown
    public = aspirasi.photo_public
    Aspirasi.objects.filter(pk=aspirasi.pk).update(photo_public="")
    assert services.aspirasi_photo_follow(aspirasi_id=aspirasi.pk) is True
    assert Aspirasi.objects.get(pk=aspirasi.pk).photo_public == public
    assert _names(default_storage, "aspirasi") == [public.split("/")[-1]]


def test_the_public_copy_is_deleted_by_a_queued_task_that_survives_a_storage_outage(shown):
    aspirasi, code = shown
    public = aspirasi.photo_public
    services.aspirasi_withdraw(code=code)  # its commit (and the task) has not come yet
    queued = OutboxTask.objects.filter(task="aspirations.tasks.follow_photo", args=[aspirasi.pk])
    assert queued.exists()  # written with the withdrawal: never lost
    with (
        mock.patch.object(default_storage, "delete", side_effect=OSError("bucket down")),
        pytest.raises(OSError),
    ):
        services.aspirasi_photo_follow(aspirasi_id=aspirasi.pk)
    # Still recorded, so the task's retry knows what to delete.
    assert Aspirasi.objects.get(pk=aspirasi.pk).photo_public == public
    assert services.aspirasi_photo_follow(aspirasi_id=aspirasi.pk) is True
    assert Aspirasi.objects.get(pk=aspirasi.pk).photo_public == ""
    assert not default_storage.exists(public)
    assert services.aspirasi_photo_follow(aspirasi_id=aspirasi.pk) is False  # twice: nothing


class WorkerKilled(BaseException):
    """What the worker's death looks like from inside the task: nothing after it runs."""


def test_a_photo_that_keeps_killing_the_worker_ends_failed_and_the_aspirasi_stays(world):
    aspirasi, _code = submit(world, photo=jpeg_upload())  # its task never ran (no commit here)
    assert Aspirasi.objects.get(pk=aspirasi.pk).photo_status == "pending"
    with mock.patch.object(services.images, "reencode", side_effect=WorkerKilled):
        for _ in range(3):
            with pytest.raises(WorkerKilled):
                services.aspirasi_photo_process(aspirasi_id=aspirasi.pk)
    assert services.aspirasi_photo_process(aspirasi_id=aspirasi.pk) == "failed"
    row = Aspirasi.objects.get(pk=aspirasi.pk)
    assert row.photo_status == "failed" and "berulang kali" in row.photo_error
    assert row.status == "diterima" and row.text == aspirasi.text
    assert row.events.filter(action="photo_failed").count() == 1
    assert services.aspirasi_photo_process(aspirasi_id=aspirasi.pk) == "failed"  # settled


def test_the_sweep_requeues_photos_whose_task_was_lost(world):
    from datetime import timedelta

    from django.utils import timezone

    lost, _code = submit(world, photo=jpeg_upload())
    fresh, _code = submit(world, photo=jpeg_upload(), text="Aspirasi kedua dengan foto baru.")
    Aspirasi.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    OutboxTask.objects.all().delete()
    assert services.aspirasi_photos_sweep() == 1
    assert list(OutboxTask.objects.values_list("task", "args")) == [
        ("aspirations.tasks.process_photo", [lost.pk])
    ]
