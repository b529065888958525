"""What the bench scripts share: the server environment, the pages measured, the throwaway
database of the smoke run, and the wrk runner."""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# DEBUG=false refuses PORTAL_DOMAIN=localhost (settings.py), so the benchmark serves a domain of
# the reserved .test TLD; wrk and the client name it in the Host header, no DNS is involved.
DOMAIN = "kim.test"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kim_scale"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/6"
SMOKE_COMMUNITIES, SMOKE_POSTS = 100, 3000
SEARCH_QUERY = "kerja bakti"


@dataclass(frozen=True)
class Page:
    label: str
    host: str
    path: str


def server_env(*, database_url: str, redis_url: str, media_root: str | None = None) -> dict:
    """kimportal as in production (DEBUG off) on this machine's PostgreSQL and Redis."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kimportal.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "PORTAL_DOMAIN": DOMAIN,
        "ALLOWED_HOSTS": f"{DOMAIN},.{DOMAIN}",
        "PORTAL_SCHEME": "http",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "false",
        "LOG_LEVEL": "WARNING",
    }
    if media_root:
        env["MEDIA_ROOT"] = str(Path(media_root) / "public")
        env["PRIVATE_MEDIA_ROOT"] = str(Path(media_root) / "private")
        # A throwaway run (the CI smoke) collects its static files there too, never into the
        # working tree, where a test process's whitenoise may be reading them at that moment.
        env["STATIC_ROOT"] = str(Path(media_root) / "static")
    return env


def setup_django(env: dict) -> None:
    """Configure this process like the server (call before importing any model)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def public_pages() -> tuple[list[Page], str]:
    """The pages measured, on the data loaded: the portal's home, the province with the most
    KIMs, the directory, search, and the subsite, post list and newest post of the KIM with the
    most posts. Returns them and a note (empty, or why a page is missing)."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from communities.models import Community
    from posts.models import Post

    portal = "kimportal.urls.portal"
    subsite = "kimportal.urls.subsite"
    province = (
        Community.objects.live()
        .values("province__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    busiest = (
        Post.objects.filter(status=Post.Status.PUBLISHED)
        .values("community_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if province is None or busiest is None:
        raise SystemExit("no data: run `manage.py seed_demo --communities N --posts M` first")
    kim = Community.objects.get(pk=busiest["community_id"])
    post = Post.objects.public().filter(community=kim).order_by("-published_at").first()
    kim_host = f"{kim.slug}.{DOMAIN}"
    pages = [
        Page("portal home", DOMAIN, reverse("home", urlconf=portal)),
        Page(
            "province page",
            DOMAIN,
            reverse(
                "regions:province",
                urlconf=portal,
                kwargs={"province_slug": province["province__slug"]},
            ),
        ),
        Page("directory", DOMAIN, reverse("directory:index", urlconf=portal)),
        Page("statistics", DOMAIN, reverse("stats_portal:index", urlconf=portal)),
    ]
    note = ""
    try:
        search = reverse("search:index", urlconf=portal)
        pages.append(Page("search", DOMAIN, f"{search}?q={SEARCH_QUERY.replace(' ', '+')}"))
    except NoReverseMatch:
        note = "search: no /cari/ route on the portal; not measured"
    pages += [
        Page("subsite home", kim_host, reverse("subsite:home", urlconf=subsite)),
        Page("subsite post list", kim_host, reverse("kabar:list", urlconf=subsite)),
        Page(
            "post page",
            kim_host,
            reverse("kabar:detail", urlconf=subsite, kwargs={"slug": post.slug}),
        ),
    ]
    return pages, note


def _admin_url(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _manage(env: dict, *args: str) -> None:
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def collect_static(env: dict) -> None:
    """Collect the static files with their manifest: DEBUG off serves them through whitenoise's
    manifest as in production, and a page without it fails to render (a fresh clone has none)."""
    _manage(env, "collectstatic", "--noinput", "-v0")


SMOKE_SEED = """
import django
django.setup()
from demo.scale import seed_scale
seed_scale(communities={communities}, posts={posts}, password="kimdemo2026", out=lambda _: None)
"""


@contextmanager
def smoke_database(
    base_url: str, *, communities: int = SMOKE_COMMUNITIES, posts: int = SMOKE_POSTS
) -> Iterator[tuple[str, str]]:
    """A throwaway PostgreSQL database on the server of `base_url`, migrated, with the region tree
    and the scale data; yields (its URL, a media folder) and drops it afterwards."""
    import psycopg

    admin_url, _name = _admin_url(base_url)
    name = f"kim_bench_smoke_{os.getpid()}"
    url = urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="kim-bench-media-") as media:
            # Seeding is development work (seed_demo refuses DEBUG off with the demo password).
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "kimportal.settings",
                "DEBUG": "true",
                "DATABASE_URL": url,
                "MEDIA_ROOT": str(Path(media) / "public"),
                "PRIVATE_MEDIA_ROOT": str(Path(media) / "private"),
                "LOG_LEVEL": "WARNING",
            }
            env.pop("REDIS_URL", None)  # tasks run in-process; no broker needed to seed
            _manage(env, "migrate", "--noinput", "-v0")
            _manage(env, "load_regions")
            # The scale data alone: the small demo (its photos go through every service) would
            # take most of the smoke run's time and adds nothing the pages need.
            subprocess.run(  # noqa: S603 - fixed argv
                [sys.executable, "-c", SMOKE_SEED.format(communities=communities, posts=posts)],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            yield url, media
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


WRK_LUA = ROOT / "bench" / "wrk.lua"


def run_wrk(url: str, headers: list[str], *, miss: bool, args) -> tuple[float, float, float, int]:
    """Drive `url` with wrk and bench/wrk.lua (`args`: duration, connections, wrk_threads);
    returns requests/s, p50 and p99 in ms, and errors (non-2xx answers and socket errors)."""
    argv = [
        "wrk", "-t", str(args.wrk_threads), "-c", str(args.connections),
        # A slow answer is measured, not dropped: wrk counts a request past --timeout as a socket
        # error, which would fail the CI smoke on a starved machine instead of showing its p99.
        "-d", f"{args.duration}s", "--timeout", "30s", "-s", str(WRK_LUA),
        *(part for header in headers for part in ("-H", header)), url,
    ]  # fmt: skip
    env = {**os.environ, "BENCH_MISS": "1" if miss else "0"}
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(x for x in out.splitlines() if x.startswith("BENCH_RESULT "))
    data = json.loads(line.removeprefix("BENCH_RESULT "))
    rps = data["requests"] / (data["duration_us"] / 1e6)
    errors = data["non_2xx"] + data["socket_errors"]
    return rps, data["p50_us"] / 1000, data["p99_us"] / 1000, errors
