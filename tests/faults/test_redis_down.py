"""Redis dies while people work: nobody sees an error, and nothing is lost.

The app runs as in production (gunicorn subprocess, real settings) against this test's PostgreSQL
database and a private Redis, which the test kills and starts again; the shared Redis is never
touched. Tasks written while Redis was down wait in the outbox, and a worker started after Redis
returns sends them (its start-up drain).
"""

from collections import Counter

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kimportal.models import OutboxTask
from posts.models import Image, Post
from tests.factories import jpeg_upload, make_post
from tests.faults.harness import Browser, app_env, app_server, private_redis, this_test_database_url
from tests.support import celery_worker_process, require_services, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

KELOLA = "kelola.localhost"
SUBSITE = "kim-ketabang.localhost"


def session_of(user) -> str:
    """Sign a user in: a session row in the database (cached_db reads it when Redis is away)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post_fields(title: str) -> dict[str, str]:
    fields = dict.fromkeys(
        ("summary", "tags", "price", "order_whatsapp", "claim", "verdict", "sources",
         "event_date", "event_time", "event_place"),
        "",
    )  # fmt: skip
    return {**fields, "kind": "kegiatan", "title": title, "body": "Warga bergotong royong."}


def test_a_redis_outage_fails_no_request_and_loses_no_task(world, tmp_path):
    require_services(postgresql=True)  # the app and the worker share this test's database
    mail = tmp_path / "mail"
    mail.mkdir()
    draft = make_post(world.kim_a, author=world.a_contributor, title="Kerja bakti")
    waiting = [
        make_post(
            world.kim_a, author=world.a_editor, title=title, status="submitted",
            submitted_at=timezone.now(), checks_done=True,
        )
        for title in ("Posyandu balita", "Lomba tujuhbelasan")
    ]  # fmt: skip
    media = {
        "MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        "PRIVATE_MEDIA_ROOT": str(settings.STORAGES["private"]["OPTIONS"]["location"]),
        "EMAIL_URL": f"file://{mail}",
    }
    photo = jpeg_upload().read()

    with private_redis() as redis:
        env = app_env(DATABASE_URL=this_test_database_url(), REDIS_URL=redis.url, **media)
        with app_server(env) as port:
            writer = Browser(port, {settings.SESSION_COOKIE_NAME: session_of(world.a_contributor)})
            admin = Browser(port, {settings.SESSION_COOKIE_NAME: session_of(world.surabaya_admin)})
            editor_page = f"/kim/kim-ketabang/tulisan/{draft.pk}/"
            # Redis is up: pages render (and the host lookup and sessions are cached in Redis).
            assert writer.get(editor_page, host=KELOLA).status == 200
            assert admin.get("/moderasi/", host=KELOLA).status == 200
            assert Browser(port).get("/", host=SUBSITE).status == 200

            redis.kill()

            # "Simpan & kirim" with two photos: saved, photos stored, post submitted.
            response = writer.post(
                f"{editor_page}kirim/",
                host=KELOLA,
                fields=post_fields("Kerja bakti RW 3"),
                files={"photos": [("satu.jpg", photo), ("dua.jpg", photo)]},
            )
            assert response.status == 302, response.text[:2000]
            assert response.location == editor_page
            page = writer.get(editor_page, host=KELOLA)
            assert page.status == 200 and "Tulisan dikirim" in page.text
            # A moderator sends a post back: its author is emailed (later).
            response = admin.post(
                f"/moderasi/{waiting[0].pk}/tolak/", host=KELOLA, fields={"reason": "Foto buram"}
            )
            assert response.status == 302, response.text[:2000]
            # The subsite still renders, for a visitor and a signed-in member: the host lookup
            # and the session fall back to the database.
            assert Browser(port).get("/", host=SUBSITE).status == 200
            assert writer.get("/", host=SUBSITE).status == 200

            post = Post.objects.get(pk=draft.pk)
            assert post.status == Post.Status.SUBMITTED and not post.checks_done
            assert list(Image.objects.filter(post=post).values_list("status", flat=True)) == [
                "pending",
                "pending",
            ]
            unsent = OutboxTask.objects.filter(sent_at__isnull=True)
            kept = Counter(unsent.values_list("task", flat=True))
            assert kept["posts.tasks.process_image"] == 2
            assert kept["posts.tasks.check_post"] == 1
            assert kept["kimportal.tasks.send_email"] == 1
            assert any(row.last_error for row in unsent)  # tried at commit, failed fast

            # Redis comes back; a worker starts, and its start-up drain sends what was kept.
            redis.start()
            worker_env = {**media, "OUTBOX_DRAIN_AFTER_SECONDS": "0"}
            with celery_worker_process(redis_url=redis.url, extra_env=worker_env):

                def done() -> bool:
                    post.refresh_from_db()
                    images = list(Image.objects.filter(post=post).values_list("status", flat=True))
                    return post.checks_done and images == ["ready", "ready"] and any(mail.iterdir())

                wait_for(done, timeout=60)
                assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()

                # The app's own publishing recovered too: a new task is sent at its commit.
                response = admin.post(
                    f"/moderasi/{waiting[1].pk}/tolak/", host=KELOLA, fields={"reason": "Ganda"}
                )
                assert response.status == 302
                assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()
                wait_for(lambda: len(list(mail.iterdir())) >= 2, timeout=30)

    assert post.status == Post.Status.SUBMITTED  # a contributor's post waits for moderation
    assert post.checks["photos_ready"]
    messages = "\n".join(path.read_text() for path in mail.iterdir())
    assert "To: a-editor@example.id" in messages
    assert "Posyandu balita" in messages and "Lomba tujuhbelasan" in messages
