"""Processes for the fault tests: a private Redis, a private PostgreSQL cluster, the web app as a
subprocess, and a small HTTP client that names the host it speaks to.

Everything here is private to one test: the shared servers on 5432 and 6379 are never stopped.
Every process is stopped in a `finally`, and every wait is bounded.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings

from tests.support import skip_or_fail, wait_for

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def stop(process: subprocess.Popen, *, timeout: float = 10) -> str:
    """Stop a child process (TERM, then KILL) and return what it printed."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.stdout.read() if process.stdout else ""


def this_test_database_url() -> str:
    """The URL of this test's (committed, transactional_db) PostgreSQL database."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# --- Redis -------------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own on a free port, which a test may stop and start again."""

    def __init__(self) -> None:
        if not shutil.which("redis-server"):
            skip_or_fail("needs redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        wait_for(lambda: port_open(self.port) or self.process.poll() is not None, timeout=10)
        if self.process.poll() is not None:
            raise RuntimeError("redis-server did not start:\n" + stop(self.process))

    def kill(self) -> None:
        """Redis dies (SIGKILL: no goodbye to its clients)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        wait_for(lambda: not port_open(self.port), timeout=10)

    def close(self) -> None:
        if self.process:
            stop(self.process)


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    try:
        redis.start()
        yield redis
    finally:
        redis.close()


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        skip_or_fail(f"needs PostgreSQL server binaries ({name}) in /usr/lib/postgresql/*/bin")
    return str(found[-1])


class PrivateCluster:
    """A PostgreSQL cluster of our own in a temporary folder, on a free port, trust auth.

    PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
    `postgres` user (runuser).
    """

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if not shutil.which("runuser"):
                skip_or_fail("needs runuser to start PostgreSQL as the postgres user")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="kim-faults-pg-"))
        self.data = self.dir / "data"
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *argv: str, timeout: float = 60) -> None:
        # Output to a file, not a pipe: the server that pg_ctl starts inherits it and would hold
        # a pipe open (run() would wait for its end until the timeout).
        output = self.dir / "ctl.out"
        with output.open("a") as out:
            result = subprocess.run(  # noqa: S603 - fixed argv
                [*self.as_user, *argv], stdout=out, stderr=subprocess.STDOUT, timeout=timeout
            )
        if result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed:\n{output.read_text()}")

    def init(self) -> None:
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
            "-w", "-t", "30", "start",
        )  # fmt: skip

    def restart(self) -> None:
        self._run(
            self.pg_ctl, "-D", str(self.data), "-l", str(self.dir / "log"), "-m", "fast",
            "-w", "-t", "30", "restart",
        )  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    cluster = PrivateCluster()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(cluster.dir, ignore_errors=True)


# --- The app -----------------------------------------------------------------------------------


def app_env(**overrides: str) -> dict[str, str]:
    """The environment of the app's processes: the real settings module, development mode."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        and not k.startswith("PYTEST_")
    }
    env.update(DJANGO_SETTINGS_MODULE="kimportal.settings", **overrides)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> None:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Browser:
    """Plain HTTP to the app subprocess, one cookie jar; `host` picks portal, kelola or a KIM."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 10  # a request that hangs longer than this fails the test

    def request(
        self,
        method: str,
        path: str,
        *,
        host: str = "localhost",
        fields: dict[str, str] | None = None,
        files: dict[str, list[tuple[str, bytes]]] | None = None,
    ) -> Response:
        headers = {"Host": f"{host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
            body, headers["Content-Type"] = multipart(fields, files or {})
            headers["Referer"] = f"http://{host}:{self.port}{path}"
        connection = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for value in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Response:
        return self.request("POST", path, **kwargs)


def multipart(fields: dict[str, str], files: dict[str, list[tuple[str, bytes]]]):
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, uploads in files.items():
        for filename, data in uploads:
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
            )
            parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@contextmanager
def app_server(env: dict[str, str]) -> Iterator[int]:
    """The web app as in production (gunicorn, one sync worker), on a free port."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            sys.executable, "-m", "gunicorn", "kimportal.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "--timeout", "60", "--graceful-timeout", "2",
        ],
        cwd=ROOT,
        env={**env, "PORTAL_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        try:
            wait_for(lambda: port_open(port) or process.poll() is not None, timeout=30)
        except TimeoutError:
            raise RuntimeError("the app did not start:\n" + stop(process)) from None
        if process.poll() is not None:
            raise RuntimeError("the app did not start:\n" + stop(process))
        yield port
    finally:
        output = stop(process)
        if os.environ.get("FAULTS_VERBOSE"):
            print(output)  # noqa: T201
