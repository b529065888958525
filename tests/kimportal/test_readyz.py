"""/readyz on every host: 200 "ok" when the database, Redis and the media storage answer, 503
naming each part that does not; never cached, never logged."""

import logging
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.config import Config
from django.core.files.storage import Storage
from django.db import OperationalError, connection
from django.test import RequestFactory
from storages.backends.s3 import S3Storage

from kimportal import views
from kimportal.lib import page_cache
from tests.faults.harness import Browser, app_env, app_server, private_redis, this_test_database_url
from tests.support import require_services

KIM_A = "kim-ketabang.localhost"


def assert_not_cached(response) -> None:
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "public" not in cache_control
    assert not response.cookies


@pytest.mark.django_db
def test_ready_on_every_host(client, world):
    for host in ("localhost", "kelola.localhost", KIM_A):
        response = client.get("/readyz", host=host)
        assert response.status_code == 200, host
        assert response.content == b"ok"
        assert response["Content-Type"].startswith("text/plain")
        assert_not_cached(response)


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_named(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == "database: gagal\n"
    assert_not_cached(response)


@pytest.mark.django_db
def test_a_redis_that_does_not_answer_is_named(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == "redis: gagal\n"


@pytest.mark.django_db
def test_media_on_disk_must_be_a_writable_folder(client, settings, tmp_path):
    assert client.get("/readyz").status_code == 200  # the folders do not exist yet: that is fine
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("a file where the media folders should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "public"},
        },
        "private": {
            "BACKEND": "kimportal.lib.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": blocker / "private"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == "media: gagal\nmedia-privat: gagal\n"


# --- Object storage (S3): one HEAD request, no listing ------------------------------------------


class _FakeS3(BaseHTTPRequestHandler):
    """Answers every request with the status the test chose, and records it."""

    status = 404
    seen: list[str] = []

    def _answer(self) -> None:
        type(self).seen.append(f"{self.command} {self.path}")
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = do_PUT = do_DELETE = _answer  # noqa: N815

    def log_message(self, *args) -> None:
        pass


@contextmanager
def fake_s3(status: int):
    _FakeS3.status, _FakeS3.seen = status, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _FakeS3.seen
    finally:
        server.shutdown()
        server.server_close()


def s3_storage(endpoint: str) -> S3Storage:
    return S3Storage(
        bucket_name="kim",
        endpoint_url=endpoint,
        access_key="readyz",
        secret_key="readyz-secret",  # noqa: S106 - a fake server's
        region_name="us-east-1",
        location="private",
        client_config=Config(connect_timeout=1, read_timeout=1, retries={"max_attempts": 1}),
    )


def test_an_s3_bucket_that_answers_is_ready_after_one_head_request():
    with fake_s3(404) as (endpoint, seen):  # the probe name does not exist: the bucket answered
        assert views._storage_answers(s3_storage(endpoint))
    assert seen == ["HEAD /kim/private/readyz/probe"]


def test_an_s3_bucket_that_refuses_or_is_unreachable_is_not():
    with fake_s3(403) as (endpoint, _seen):  # wrong credentials, say
        assert not views._storage_answers(s3_storage(endpoint))
    assert not views._storage_answers(s3_storage("http://127.0.0.1:1"))


def test_any_other_storage_is_asked_for_one_name():
    class Broken(Storage):
        def exists(self, name):
            raise ConnectionError("down")

    class Fine(Storage):
        def exists(self, name):
            return False

    assert not views._storage_answers(Broken())
    assert views._storage_answers(Fine())


# --- Never cached, never logged ------------------------------------------------------------------


def test_the_page_cache_never_touches_it():
    request = RequestFactory().get("/readyz", HTTP_HOST="localhost")
    assert not page_cache._eligible(request)
    assert page_cache._eligible(RequestFactory().get("/privasi/", HTTP_HOST="localhost"))


@pytest.mark.django_db
def test_a_failure_is_not_logged(client, monkeypatch, caplog):
    monkeypatch.setattr(views, "_redis_answers", lambda: False)
    with caplog.at_level(logging.DEBUG):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert [r for r in caplog.records if "readyz" in r.getMessage()] == []


# --- Redis really dies under the running app (as tests/faults/test_redis_down.py) ---------------


@pytest.mark.faults
@pytest.mark.django_db(transaction=True)
def test_readyz_follows_redis_going_down_and_coming_back(tmp_path):
    require_services(postgresql=True)
    media = {
        "MEDIA_ROOT": str(tmp_path / "public"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    with private_redis() as redis:
        env = app_env(DATABASE_URL=this_test_database_url(), REDIS_URL=redis.url, **media)
        with app_server(env) as port:
            browser = Browser(port)
            ready = browser.get("/readyz")
            assert (ready.status, ready.text) == (200, "ok")

            redis.kill()
            for host in ("localhost", "kelola.localhost"):
                down = browser.get("/readyz", host=host)
                assert (down.status, down.text) == (503, "redis: gagal\n"), host
                assert "no-store" in down.headers["cache-control"]
            assert browser.get("/healthz").status == 200  # the process itself is alive

            redis.start()
            back = browser.get("/readyz")
            assert (back.status, back.text) == (200, "ok")
