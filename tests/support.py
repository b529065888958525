"""Shared test helpers: a client that speaks to a named host, and a real Celery worker.

Lives in tests/ (not in the shipped package): nothing in production imports it.
"""

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from subprocess import PIPE, STDOUT, Popen, TimeoutExpired
from typing import NoReturn

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import host_for


def skip_or_fail(reason: str) -> NoReturn:
    """Skip a test that needs something this machine lacks; under CI (CI set, as .ci/run does)
    fail instead, so that a green CI run means every test ran."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test, but: {reason}", pytrace=False)
    pytest.skip(reason)


def require_services(*, postgresql: bool = False, redis: bool = False) -> None:
    """Skip (or, under CI, fail) unless the test database is PostgreSQL and/or REDIS_URL is set."""
    missing = []
    if postgresql and connection.vendor != "postgresql":
        missing.append("a PostgreSQL DATABASE_URL")
    if redis and not settings.REDIS_URL:
        missing.append("REDIS_URL")
    if missing:
        skip_or_fail(f"needs {' and '.join(missing)} (.ci/run sets both)")


class HostClient(Client):
    """A test client whose requests name their host: `client.get(url, host="kim-a.localhost")`.

    Without `host=` requests go to the national portal. `kelola=True` is short for the
    management host.
    """

    def generic(self, method, path, *args, host: str | None = None, kelola: bool = False, **extra):
        if kelola:
            host = host_for(SiteKind.KELOLA)
        extra.setdefault("HTTP_HOST", host or settings.PORTAL_DOMAIN)
        return super().generic(method, path, *args, **extra)


# The device a forced sign-in names where django_otp.login() puts the one that accepted a code:
# a confirmed recovery-code device without codes, made for the person on first use.
FORCED_SECOND_STEP = "tests: forced sign-in"
_django_force_login = Client.force_login


def force_login_past_second_step(self: Client, user, backend=None) -> None:
    """`force_login` means "fully signed in": past the second step too (accounts.mfa), as if
    the person had typed a code. Tests of the second step itself sign in through the forms.

    Installed on django.test.Client below, so that every test client (HostClient and the plain
    Client some tests use) behaves alike.
    """
    _django_force_login(self, user, backend)
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=FORCED_SECOND_STEP, defaults={"confirmed": True}
    )
    session = self.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


Client.force_login = force_login_past_second_step


def give_authenticator(user):
    """A confirmed authenticator (django-otp TOTP device) for `user`, as set-up makes one."""
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)


def authenticator_code(device) -> str:
    """The 6 digits the person's app shows now, never a time step already used (django-otp
    accepts each step once): the next step's code when this one was used, after waiting for it
    if even that is too far ahead."""
    if device.pk:  # a saved device: its last used time step as stored now
        device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(totp.t(), device.last_t + 1)
    while step > totp.t() + device.tolerance:
        time.sleep(0.5)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


@contextmanager
def celery_worker_process(
    *, extra_env: dict[str, str] | None = None, redis_url: str = "", loglevel: str = "INFO"
) -> Iterator[Popen]:
    """Run a real Celery worker (a separate process) against REDIS_URL (or `redis_url`, e.g. a
    test's private Redis) and the test database.

    The test's rows must be committed for the worker to see them (use `transactional_db`).
    """
    db = settings.DATABASES["default"]
    redis_url = redis_url or settings.REDIS_URL
    if db["ENGINE"] != "django.db.backends.postgresql" or not redis_url:
        raise RuntimeError("a real worker needs PostgreSQL and Redis")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kimportal.settings",
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        **(extra_env or {}),
    }
    from celery import Celery

    from kimportal.celery import app

    if redis_url != settings.REDIS_URL:
        # Speaks to that broker only, and never becomes the current app (shared tasks would
        # follow it to a Redis that a fault test may have stopped).
        app = Celery("kimportal-test", broker=redis_url, set_as_current=False)
    app.control.purge()
    process = Popen(  # noqa: S603 - fixed argv
        [
            sys.executable, "-m", "celery", "-A", "kimportal", "worker", "--pool=solo",
            f"--loglevel={loglevel}", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"test-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=PIPE,
        stderr=STDOUT,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start:\n" + (process.stdout.read() or ""))
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def tasks_through_broker() -> Iterator[None]:
    """Send tasks to the real broker instead of running them in-process (test settings)."""
    from kimportal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.2):
    """Poll until `predicate()` is truthy; return its value or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError("condition not met in time")
