"""The media pipeline on a real Celery worker process, against real Redis and PostgreSQL."""

import os
import signal

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from bench.photos import big_png
from posts import images
from posts.models import Image
from tests.factories import jpeg_upload, make_post
from tests.support import celery_worker_process, require_services, tasks_through_broker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _real_services():
    """A real worker needs PostgreSQL and Redis: skipped without them, a failure under CI."""
    require_services(postgresql=True, redis=True)


def status_of(image_id: int) -> str:
    return Image.objects.get(pk=image_id).status


def worker_env() -> dict[str, str]:
    """The worker writes where this test's storages point (see tests/conftest.py)."""
    return {
        "MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        "PRIVATE_MEDIA_ROOT": str(settings.STORAGES["private"]["OPTIONS"]["location"]),
    }


def test_worker_makes_renditions_without_metadata_and_survives_poison(world):
    post = make_post(world.kim_a)
    with celery_worker_process(extra_env=worker_env()), tasks_through_broker():
        from bench.photos import phone_jpeg

        phone = SimpleUploadedFile("hp.jpg", phone_jpeg(orientation=6))
        good = images.image_add(post=post, file=phone)
        bomb_bytes = __import__("io").BytesIO()
        PILImage.new("1", (10_000, 6_000)).save(bomb_bytes, "PNG")
        bomb = images.image_add(
            post=post, file=SimpleUploadedFile("bom.png", bomb_bytes.getvalue())
        )
        fake = images.image_add(post=post, file=SimpleUploadedFile("x.jpg", b"teks biasa" * 50))
        broken = images.image_add(
            post=post, file=SimpleUploadedFile("r.jpg", jpeg_upload().read()[:800])
        )
        after = images.image_add(post=post, file=jpeg_upload("setelah.jpg"))
        wait_for(
            lambda: all(
                status_of(i.pk) in ("ready", "failed") for i in (good, bomb, fake, broken, after)
            ),
            timeout=60,
        )
    good.refresh_from_db()
    assert good.status == "ready", good.error
    assert (good.width, good.height) == (3000, 4000)
    assert sorted(good.renditions, key=int) == ["320", "640", "1024", "1600"]
    for entry in good.renditions.values():
        for key in ("webp", "jpeg"):
            with default_storage.open(entry[key]) as f:
                data = f.read()
            output = PILImage.open(__import__("io").BytesIO(data))
            assert not output.getexif() and b"KIMPhone" not in data
    assert [status_of(i.pk) for i in (bomb, fake, broken)] == ["failed"] * 3
    assert "50 megapiksel" in Image.objects.get(pk=bomb.pk).error
    # The worker lived through the poison: the photo queued after them was processed.
    assert status_of(after.pk) == "ready"


def test_worker_killed_mid_task_then_the_sweep_recovers(world):
    post = make_post(world.kim_a)
    upload = SimpleUploadedFile("besar.png", big_png())
    with celery_worker_process(extra_env=worker_env()) as worker, tasks_through_broker():
        image = images.image_add(post=post, file=upload)
        wait_for(lambda: status_of(image.pk) == "processing", timeout=30, interval=0.01)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    assert status_of(image.pk) == "processing"  # stranded: its worker is gone

    # Time passes: the photo's processing goes stale, and the periodic sweep hands it out again.
    Image.objects.filter(pk=image.pk).update(
        processing_started_at=timezone.now() - images.STALE_AFTER * 2
    )
    with celery_worker_process(extra_env=worker_env()), tasks_through_broker():
        assert images.images_sweep() == 1
        wait_for(lambda: status_of(image.pk) == "ready", timeout=60)
    image.refresh_from_db()
    assert len(image.renditions) == 4 and image.attempts == 2
