"""Load benchmark of the public pages, against a minimal Django app as the floor.

    python bench/load.py [--duration 10] [--database-url ...] [--redis-url ...]
    python bench/load.py --smoke          # CI: a throwaway database, 100 KIMs, 1 s per page

Starts two gunicorns with the same flags: kimportal with DEBUG off on PostgreSQL (the scale data
of `seed_demo --communities 10000 --posts 1000000`, database kim_scale by default) and Redis, and
bench/hello (one view, no middleware, no database). Then drives them with wrk on 127.0.0.1 (32
connections, `--duration` seconds per run), the floor interleaved between the pages so that both
see the same machine, and prints requests/s, p50, p99 and the ratio to the floor of each page as a
cache hit (one URL, warmed up) and a cache miss (bench/wrk.lua adds a parameter unique to each
request: the whole-page cache keys on host, path and query).

Workers: on 2 cores, 2 gthread workers with 4 threads each (`--workers 2 --threads 4`, the
default). Rendering a page is CPU work, so more processes than cores only adds switching; the
threads overlap a request's waits (PostgreSQL, Redis, the client) with another's CPU, and unlike
sync workers they keep connections alive, as nginx in front does. `--threads 1` gives sync
workers for comparison.
"""

import argparse
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    ROOT,
    Page,
    collect_static,
    run_wrk,
    server_env,
    smoke_database,
)

FLOOR = Page("hello-world floor", "localhost", "/")
# Targets of issue 8, as ratios to the floor's requests/s and p99 bounds in ms.
TARGETS = {"hit": (0.8, 50.0), "miss": (0.15, 100.0)}


@dataclass
class Result:
    page: Page
    mode: str  # "floor", "hit", "miss"
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cache_header: str = ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(wsgi: str, env: dict, *, workers: int, threads: int, connections: int) -> tuple:
    """Start gunicorn on a free port; returns the process and the port.

    Each gthread worker holds at most its share of wrk's connections (`--worker-connections`).
    wrk opens them all at once and keeps them alive, and without the bound the worker that
    wakes first may accept nearly all of them: the run then uses one core, for its whole length.
    That happened in about one run in four (hits and the floor alike at a third of their
    balanced rate); a worker at its bound leaves the rest in the listen queue to the other."""
    port = _free_port()
    argv = [
        sys.executable, "-m", "gunicorn", wsgi,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--worker-connections", str(-(-connections // workers)),
        "--backlog", "2048",
        "--keep-alive", "5",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(argv, cwd=ROOT, env=env)  # noqa: S603 - fixed argv
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn {wsgi} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn {wsgi} did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(port: int, page: Page) -> tuple[int, str]:
    """GET a page as a visitor; returns the status and the X-Page-Cache header."""
    request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
        f"http://127.0.0.1:{port}{page.path}", headers={"Host": page.host}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
            return response.status, response.headers.get("X-Page-Cache", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("X-Page-Cache", "")


def measure(port: int, page: Page, mode: str, args) -> Result | None:
    probe = page
    if mode == "miss":  # what the server says of a URL it has never seen
        separator = "&" if "?" in page.path else "?"
        probe = Page(page.label, page.host, f"{page.path}{separator}b=probe{time.time_ns()}")
    status, header = fetch(port, probe)
    if status != 200:
        print(f"  {page.label}: HTTP {status} at {page.host}{page.path}; not measured")
        return None
    if mode == "hit":
        for _ in range(3):  # warm: the first renders and stores, the next ones hit
            status, header = fetch(port, page)
    url = f"http://127.0.0.1:{port}{page.path}"
    rps, p50, p99, errors = run_wrk(url, [f"Host: {page.host}"], miss=mode == "miss", args=args)
    result = Result(page, mode, rps, p50, p99, errors, header or "-")
    print(f"  {page.label:<20} {mode:<5} {rps:8.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:7.1f} ms")
    return result


def table(results: list[Result], floor_rps: float) -> str:
    head = (
        f"| {'page':<20} | cache | {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} | "
        f"{'× floor':>7} | errors | X-Page-Cache | target |"
    )
    lines = [head, "|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|"]
    for r in results:
        ratio = r.rps / floor_rps if floor_rps else 0.0
        verdict = ""
        if r.mode in TARGETS:
            min_ratio, max_p99 = TARGETS[r.mode]
            verdict = "met" if ratio >= min_ratio and r.p99_ms < max_p99 else "missed"
        lines.append(
            f"| {r.page.label:<20} | {r.mode:<5} | {r.rps:7.0f} | {r.p50_ms:7.1f} | "
            f"{r.p99_ms:7.1f} | {ratio:6.2f}× | {r.errors:6d} | {r.cache_header:<12} | "
            f"{verdict:<6} |"
        )
    return "\n".join(lines)


def bench(args, database_url: str, media_root: str | None) -> list[Result]:
    from bench.common import public_pages, setup_django

    env = server_env(database_url=database_url, redis_url=args.redis_url, media_root=media_root)
    setup_django(env)
    pages, note = public_pages()
    if note:
        print(note)
    if args.only:
        wanted = {label.strip() for label in args.only.split(",")}
        pages = [p for p in pages if p.label in wanted]
    _clear_cache()  # the first hit run starts cold
    collect_static(env)
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.hello.settings"}
    sizes = {"workers": args.workers, "threads": args.threads, "connections": args.connections}
    app, app_port = start_gunicorn("kimportal.wsgi", env, **sizes)
    floor, floor_port = start_gunicorn("bench.hello.wsgi", floor_env, **sizes)
    results: list[Result] = []
    floors: list[Result] = []
    try:
        print(
            f"wrk: {args.connections} connections, {args.duration} s per run; gunicorn: "
            f"{args.workers} workers × {args.threads} threads"
        )
        for index, page in enumerate(pages):
            if index % 2 == 0:  # the floor between every two pages
                floors.append(measure(floor_port, FLOOR, "floor", args))
            for mode in ("hit", "miss"):
                result = measure(app_port, page, mode, args)
                if result:
                    results.append(result)
        floors.append(measure(floor_port, FLOOR, "floor", args))
    finally:
        stop(app)
        stop(floor)
    floors = [f for f in floors if f]
    floor_result = Result(
        FLOOR,
        "floor",
        sum(f.rps for f in floors) / len(floors),
        sum(f.p50_ms for f in floors) / len(floors),
        max(f.p99_ms for f in floors),
        sum(f.errors for f in floors),
        "-",
    )
    print()
    print(table([floor_result, *results], floor_result.rps))
    print(
        f"\nfloor: mean of {len(floors)} interleaved runs (p99: the worst). Targets (issue 8): "
        "hit ≥ 0.8× floor and p99 < 50 ms; miss ≥ 0.15× floor and p99 < 100 ms."
    )
    return [floor_result, *results]


def _clear_cache() -> None:
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception as exc:  # noqa: BLE001 - a benchmark without Redis says so below
        print(f"could not clear the cache: {exc}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="per worker; 1 = sync workers")
    parser.add_argument("--only", default="", help='pages to measure, e.g. "post page,search"')
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI: a throwaway database next to --database-url with 100 KIMs and 3,000 posts, "
        "1 s per run, then bench/queries.py on it",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    if not args.smoke:
        results = bench(args, args.database_url, None)
        return 0 if all(r.errors == 0 for r in results) else 1
    args.duration = 1
    with smoke_database(args.database_url) as (url, media):
        results = bench(args, url, media)
        queries = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, str(ROOT / "bench" / "queries.py"), "--database-url", url,
             "--redis-url", args.redis_url, "--media-root", media],
            cwd=ROOT,
            check=False,
        )  # fmt: skip
    measured = {r.page.label for r in results}
    ok = all(r.errors == 0 for r in results) and len(measured) >= 7
    return 0 if ok and queries.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
