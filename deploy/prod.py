"""The production stack on one machine without Docker: `make prod`, `make prod-stop`.

    python deploy/prod.py start     # prints the addresses; state, logs and pids in .prod/
    python deploy/prod.py stop
    python deploy/prod.py status

Everything on 127.0.0.1, under one folder of run state (PROD_DIR, default .prod/): the machine's
PostgreSQL (a database created if missing: DATABASE_URL, default kim_prod) and Redis
(REDIS_URL, default db 4), an S3-compatible store (moto_server from moto[server], in memory:
objects are lost when it stops) with the two buckets, then the roles of deploy/entrypoint.sh as
docker-compose.yml runs them (setup: migrate, load_regions, collectstatic, buckets; web:
gunicorn; worker and beat: Celery), and nginx (deploy/nginx.conf.template) with a self-signed
certificate for PORTAL_DOMAIN and *.PORTAL_DOMAIN (default kim.localhost, which browsers send to
the loopback). DEBUG=false, a SECRET_KEY generated once and kept in the state folder.

Ports are picked free at start unless PROD_HTTPS_PORT / PROD_HTTP_PORT / PROD_S3_PORT are set.
`stop` ends exactly the processes `start` recorded (each in its own process group).
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent

# The roles of deploy/entrypoint.sh, as docker-compose.yml runs them (tests/prod/test_compose.py
# compares the two). SETUP runs to completion first; PROCESSES keep running.
SETUP = ["deploy/entrypoint.sh", "setup"]
PROCESSES = {
    "web": ["deploy/entrypoint.sh", "web"],
    "worker": ["deploy/entrypoint.sh", "worker"],
    "beat": ["deploy/entrypoint.sh", "beat"],
}
PUBLIC_BUCKET = "kim-publik"
PRIVATE_BUCKET = "kim-privat"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")


def state_dir() -> Path:
    return Path(os.environ.get("PROD_DIR", ROOT / ".prod")).resolve()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log(message: str) -> None:
    print(f"[prod] {message}", flush=True)


# --- State -------------------------------------------------------------------------------------


def _stack_file(state: Path) -> Path:
    return state / "stack.json"


def load_stack(state: Path | None = None) -> dict:
    """What `start` recorded: addresses, ports, the certificate, the app's environment."""
    path = _stack_file(state or state_dir())
    return json.loads(path.read_text()) if path.exists() else {}


def _secret_key(state: Path) -> str:
    path = state / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def _certificate(state: Path, domain: str) -> tuple[Path, Path]:
    """A self-signed certificate for the domain and its subdomains, made once."""
    cert, key = state / "tls" / "cert.pem", state / "tls" / "key.pem"
    if not cert.exists():
        cert.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - fixed argv
            [  # noqa: S607 - Debian's openssl from PATH
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
                "-subj", f"/CN={domain}", "-keyout", str(key), "-out", str(cert),
                "-addext", f"subjectAltName=DNS:{domain},DNS:*.{domain}",
                "-addext", "basicConstraints=critical,CA:TRUE",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        key.chmod(0o600)
    return cert, key


def app_environment(state: Path, ports: dict, domain: str) -> dict:
    """The environment of every app process: DEBUG off, behind one proxy of ours, media on S3."""
    media_domain = f"media.{domain}:{ports['https']}"
    return {
        "DJANGO_SETTINGS_MODULE": "kimportal.settings",
        "DEBUG": "false",
        "SECRET_KEY": _secret_key(state),
        "PORTAL_DOMAIN": domain,
        "PORTAL_SCHEME": "https",
        "PORTAL_PORT": str(ports["https"]),
        "ALLOWED_HOSTS": f"{domain},.{domain}",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kim_prod"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4"),
        # nginx alone in front: it appends the client's address and sets the scheme.
        "TRUSTED_PROXY_HOPS": "1",
        "TRUST_X_FORWARDED_PROTO": "true",
        # A local domain and a self-signed certificate: no HSTS pinning of browsers.
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "false",
        "STATIC_ROOT": str(state / "static"),
        "S3_BUCKET": PUBLIC_BUCKET,
        "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
        "S3_ACCESS_KEY_ID": "kim-lokal",
        "S3_SECRET_ACCESS_KEY": "kim-lokal-rahasia",
        "S3_REGION": "us-east-1",
        # Public media through nginx's media host: same scheme as the pages, no mixed content.
        "S3_PUBLIC_DOMAIN": media_domain,
        "WEB_BIND": f"unix:{state / 'run' / 'web.sock'}",
        "BEAT_SCHEDULE": str(state / "run" / "celerybeat-schedule"),
        "EMAIL_URL": f"file://{state / 'mail'}",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


# --- Processes ---------------------------------------------------------------------------------


def _spawn(state: Path, name: str, argv: list[str], env: dict) -> int:
    """Start a long-running process in its own process group; record its pid."""
    log = open(state / "log" / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        argv,
        cwd=ROOT,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (state / "pids" / f"{name}.pid").write_text(str(process.pid))
    return process.pid


def _alive(pid: int) -> bool:
    try:  # a child of this process (the smoke test starts the stack itself) is reaped first
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _recorded(state: Path) -> dict[str, int]:
    pids = {}
    for path in sorted((state / "pids").glob("*.pid")):
        try:
            pids[path.stem] = int(path.read_text().strip())
        except ValueError:
            path.unlink()
    return pids


def _wait(what: str, ready, *, seconds: float = 60, pids: tuple[int, ...] = ()) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        for pid in pids:
            if not _alive(pid):
                raise SystemExit(f"[prod] {what}: the process exited (see the logs)")
        time.sleep(0.2)
    raise SystemExit(f"[prod] {what}: not ready after {seconds:.0f} s")


def _http_ok(url: str, context: ssl.SSLContext | None = None, host: str = "") -> bool:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=2, context=context) as response:  # noqa: S310
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def tls_context(stack: dict) -> ssl.SSLContext:
    """Trusts the stack's own certificate. Connections go to 127.0.0.1 with the Host header of
    the site asked for, so the name is not checked (the chain is)."""
    context = ssl.create_default_context(cafile=stack["tls_cert"])
    context.check_hostname = False
    return context


def _ensure_database(url: str) -> None:
    db = dj_database_url.parse(url)
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (db["NAME"],)
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            _log(f"database {db['NAME']} created")


def _nginx_environment(state: Path, ports: dict, domain: str, env: dict, cert, key) -> dict:
    conf_dir = state / "nginx" / "conf"
    for part in ("modules", "http"):
        (conf_dir / part).mkdir(parents=True, exist_ok=True)
    if BROTLI_MODULE.exists():
        shutil.copy(DEPLOY / "nginx" / "brotli-modules.conf", conf_dir / "modules" / "brotli.conf")
        shutil.copy(DEPLOY / "nginx" / "brotli.conf", conf_dir / "http" / "brotli.conf")
    return {
        # As root, the workers run as www-data (Debian's nginx user); otherwise as whoever runs
        # this (nginx then ignores the directive).
        "NGINX_USER": "www-data" if os.geteuid() == 0 else os.environ.get("USER", "nobody"),
        "NGINX_STATE": str(state / "nginx"),
        "NGINX_CONF_DIR": str(conf_dir),
        "NGINX_ACCESS_LOG": str(state / "log" / "nginx-access.log"),
        "NGINX_ERROR_LOG": str(state / "log" / "nginx-error.log"),
        "NGINX_HTTP_LISTEN": f"127.0.0.1:{ports['http']}",
        "NGINX_HTTPS_LISTEN": f"127.0.0.1:{ports['https']}",
        "NGINX_HTTPS_PORT": str(ports["https"]),
        "TLS_CERT": str(cert),
        "TLS_KEY": str(key),
        "PORTAL_DOMAIN": domain,
        "STATIC_ROOT": env["STATIC_ROOT"],
        "KIM_UPSTREAM": env["WEB_BIND"],
        "MAX_UPLOAD_MB": os.environ.get("MAX_UPLOAD_MB", "160"),
        "MEDIA_UPSTREAM": f"{env['S3_ENDPOINT_URL']}/{PUBLIC_BUCKET}/public/",
    }


def _start_nginx(state: Path, nginx_env: dict) -> None:
    for part in ("cache", "tmp"):
        (state / "nginx" / part).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # the workers (www-data) write the cache and temporary files
        for path in (state / "nginx" / "cache", state / "nginx" / "tmp"):
            shutil.chown(path, "www-data", "www-data")
        subprocess.run(["chmod", "-R", "a+rX", nginx_env["STATIC_ROOT"]], check=True)  # noqa: S603,S607
    conf = state / "nginx" / "nginx.conf"
    subprocess.run(  # noqa: S603 - fixed argv
        [str(DEPLOY / "nginx" / "render.sh"), str(DEPLOY / "nginx.conf.template"), str(conf)],
        env={**os.environ, **nginx_env},
        check=True,
    )
    nginx = ["nginx", "-c", str(conf), "-p", str(state / "nginx")]
    subprocess.run([*nginx, "-t", "-q"], check=True)  # noqa: S603
    # nginx daemonises; its master's pid is read from its own pid file.
    subprocess.run(nginx, check=True)  # noqa: S603
    pid_file = state / "nginx" / "nginx.pid"
    _wait("nginx", pid_file.exists, seconds=10)
    (state / "pids" / "nginx.pid").write_text(pid_file.read_text().strip())


# --- Commands ----------------------------------------------------------------------------------


def start() -> dict:
    """Start the whole stack (or say it is already running); returns what load_stack returns."""
    state = state_dir()
    running = {name: pid for name, pid in _recorded(state).items() if _alive(pid)}
    if running:
        raise SystemExit(f"[prod] already running ({', '.join(running)}): make prod-stop first")
    for part in ("log", "pids", "run", "mail"):
        (state / part).mkdir(parents=True, exist_ok=True)
    (state / ".gitignore").write_text("*\n")  # run state never belongs in the repository
    # nginx's workers (www-data when run as root) pass through to the socket and static files.
    state.chmod(state.stat().st_mode | 0o111)
    domain = os.environ.get("PROD_DOMAIN", "kim.localhost")
    ports = {
        name: int(os.environ.get(f"PROD_{name.upper()}_PORT") or _free_port())
        for name in ("https", "http", "s3")
    }
    cert, key = _certificate(state, domain)
    env = app_environment(state, ports, domain)
    stack = {
        "domain": domain,
        "ports": ports,
        "tls_cert": str(cert),
        "portal": f"https://{domain}:{ports['https']}/",
        "kelola": f"https://kelola.{domain}:{ports['https']}/",
        "env": env,
    }
    _stack_file(state).write_text(json.dumps(stack, indent=2))
    try:
        _ensure_database(env["DATABASE_URL"])
        _log(f"object store (moto_server) on 127.0.0.1:{ports['s3']}")
        s3 = _spawn(
            state, "s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(ports["s3"])], {}
        )
        _wait("moto_server", lambda: _http_ok(env["S3_ENDPOINT_URL"] + "/"), pids=(s3,))
        _log("setup: migrate, load_regions, collectstatic, buckets")
        subprocess.run(SETUP, cwd=ROOT, env={**os.environ, **env}, check=True)  # noqa: S603
        pids = tuple(_spawn(state, name, argv, env) for name, argv in PROCESSES.items())
        socket_path = Path(env["WEB_BIND"].removeprefix("unix:"))
        _wait("gunicorn", socket_path.exists, pids=pids)
        _start_nginx(state, _nginx_environment(state, ports, domain, env, cert, key))
        health = f"https://127.0.0.1:{ports['https']}/healthz"
        _wait(
            "the portal through nginx",
            lambda: _http_ok(health, tls_context(stack), host=f"{domain}:{ports['https']}"),
        )
    except BaseException:
        stop()
        raise
    _log(f"portal {stack['portal']}  kelola {stack['kelola']}  (self-signed: {cert})")
    _log(f"logs in {state / 'log'}; stop with `make prod-stop`")
    return stack


def _end(name: str, pid: int, *, seconds: float = 20) -> None:
    """End one recorded process and its group: TERM (nginx: QUIT, a graceful stop), then KILL."""
    if not _alive(pid):
        return
    sig = signal.SIGQUIT if name == "nginx" else signal.SIGTERM
    try:
        if name == "nginx":
            os.kill(pid, sig)  # nginx's workers follow their master
        else:
            os.killpg(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    if _alive(pid):
        _log(f"{name} ({pid}) did not stop in {seconds:.0f} s: killed")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def stop() -> None:
    state = state_dir()
    # The front first, the store last.
    order = ["nginx", *reversed(PROCESSES), "s3"]
    recorded = _recorded(state)
    for name in sorted(recorded, key=lambda n: order.index(n) if n in order else -1):
        _end(name, recorded[name])
        (state / "pids" / f"{name}.pid").unlink(missing_ok=True)
        _log(f"{name} stopped")
    socket_path = state / "run" / "web.sock"
    socket_path.unlink(missing_ok=True)


def status() -> int:
    recorded = _recorded(state_dir())
    for name, pid in recorded.items():
        print(f"{name:8} {pid:>8}  {'running' if _alive(pid) else 'gone'}")
    stack = load_stack()
    if stack:
        print(f"portal   {stack['portal']}")
    return 0 if recorded and all(_alive(pid) for pid in recorded.values()) else 1


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "start":
        start()
    elif command == "stop":
        stop()
    elif command == "status":
        sys.exit(status())
    else:
        raise SystemExit("usage: deploy/prod.py start|stop|status")
