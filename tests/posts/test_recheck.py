"""The beat sweep that queues again the automatic checks of submitted posts left unchecked (their
task was lost: Redis restarted without its queue, a worker killed past its retries)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from posts import images, services
from posts.models import Image, Post
from posts.services import PostData
from tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db


def submitted_and_lost(world, author, minutes_ago: int, django_capture_on_commit_callbacks):
    """A post submitted `minutes_ago` whose check task never ran."""
    post = services.post_create(
        community=world.kim_a,
        author=author,
        data=PostData(
            kind="kegiatan", title=f"Kerja bakti {minutes_ago}", body="Warga bersih-bersih."
        ),
    )
    with django_capture_on_commit_callbacks(execute=False):  # the task is lost
        services.post_submit(post=post, actor=author)
    Post.objects.filter(pk=post.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return post


def test_lost_checks_are_queued_again_only_for_old_unchecked_posts(
    world, django_capture_on_commit_callbacks
):
    after = settings.POST_RECHECK_AFTER_MINUTES
    lost = submitted_and_lost(
        world, world.a_contributor, after + 5, django_capture_on_commit_callbacks
    )
    recent = submitted_and_lost(
        world, world.a_contributor, after - 5, django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.posts_recheck_unchecked() == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.checks_done and lost.status == Post.Status.SUBMITTED  # a contributor: the queue
    assert not recent.checks_done  # its own task may still be on its way
    with django_capture_on_commit_callbacks(execute=True):
        assert services.posts_recheck_unchecked() == 0  # checked posts are left alone


def test_posts_whose_photos_are_still_being_made_wait(world, django_capture_on_commit_callbacks):
    post = services.post_create(
        community=world.kim_a,
        author=world.a_contributor,
        data=PostData(kind="kegiatan", title="Foto", body="Dengan foto."),
    )
    with django_capture_on_commit_callbacks(execute=False):  # photo and checks both lost
        images.image_add(post=post, file=jpeg_upload())
        services.post_submit(post=post, actor=world.a_contributor)
    Post.objects.filter(pk=post.pk).update(submitted_at=timezone.now() - timedelta(hours=1))
    assert services.posts_recheck_unchecked() == 0
    Image.objects.filter(post=post).update(status=Image.Status.READY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.posts_recheck_unchecked() == 1
    assert Post.objects.get(pk=post.pk).checks_done


def test_a_recheck_publishes_as_the_submission_would_have(
    world, django_capture_on_commit_callbacks
):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    post = submitted_and_lost(world, world.a_editor, 60, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.posts_recheck_unchecked() == 1
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED


def test_the_sweep_runs_on_beat():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"posts.tasks.recheck_unchecked", "kimportal.tasks.drain_outbox"} <= schedule
