"""Bench row of issue 12: a hot anonymous page through nginx, against nginx's own static files.

    python bench/nginx.py [--duration 10] [--database-url ...] [--redis-url ...]
    python bench/nginx.py --smoke      # CI: that it runs, 1 s per run

Starts the production stack of deploy/prod.py (nginx, gunicorn, worker, beat, the object store)
on its own state folder, a fresh database (seeded with the demo KIMs) and Redis database, then
drives nginx over HTTPS with wrk (32 connections, the same bench/wrk.lua as bench/load.py,
`Accept-Encoding: gzip` as browsers send it):
a static file nginx serves itself (the portal's stylesheet, the floor of this row) interleaved
with anonymous pages that nginx's proxy cache answers once warm (X-Cache: HIT). Prints req/s,
p50 and p99 of each and the ratio of each page to the static file's mean; the target of issue 12
is at least 0.5×. Stops everything it started.
"""

import argparse
import gzip
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

import prod  # noqa: E402 - deploy/prod.py, found through the path above

from bench.common import run_wrk  # noqa: E402

TARGET = 0.5
# As browsers ask (nginx then sends the stylesheet's .gz and the pages as the app stored them).
ACCEPT_ENCODING = "gzip"
# (label, host prefix, path): host prefix "" is the portal, else a demo KIM's subsite.
PAGES = [
    ("portal home", "", "/"),
    ("directory", "", "/kim/"),
    ("statistics", "", "/statistik/"),
    ("subsite home", "kim-ketabang.", "/"),
]


def fetch(stack: dict, host: str, path: str) -> tuple[int, dict, bytes]:
    port = stack["ports"]["https"]
    request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
        f"https://127.0.0.1:{port}{path}",
        headers={"Host": f"{host}:{port}", "Accept-Encoding": ACCEPT_ENCODING},
    )
    handler = urllib.request.HTTPSHandler(context=prod.tls_context(stack))
    with urllib.request.build_opener(handler).open(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def wrk(stack: dict, host: str, path: str, args) -> tuple[float, float, float, int]:
    port = stack["ports"]["https"]
    headers = [f"Host: {host}:{port}", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    return run_wrk(f"https://127.0.0.1:{port}{path}", headers, miss=False, args=args)


def row(*cells: str) -> None:
    print("| " + " | ".join(cells) + " |")


def seed(stack: dict) -> None:
    # DEBUG is off: the demo accounts need a password of their own (never used here).
    env = {**os.environ, **stack["env"], "DEMO_PASSWORD": secrets.token_urlsafe(16)}
    for argv in (["manage.py", "seed_demo", "--allow-production"], ["manage.py", "refresh_stats"]):
        subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, *argv], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/kim_bench_nginx"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument(
        "--smoke", action="store_true", help="CI: 1 s per run; fails only if a page is not a HIT"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.duration = 1
    if shutil.which("wrk") is None or shutil.which("nginx") is None:
        print("wrk and nginx are needed: apt-get install wrk nginx", file=sys.stderr)
        return 2
    redis.Redis.from_url(args.redis_url).flushdb()  # no page cached by an earlier run
    state = Path(tempfile.mkdtemp(prefix="kim-bench-nginx-"))
    os.environ.update(PROD_DIR=str(state), DATABASE_URL=args.database_url, REDIS_URL=args.redis_url)
    try:
        stack = prod.start()
        seed(stack)
        domain = stack["domain"]
        _status, _headers, home = fetch(stack, domain, "/")
        home = gzip.decompress(home) if home[:2] == b"\x1f\x8b" else home
        stylesheet = re.search(rb'<link rel="stylesheet" href="([^"]+)"', home).group(1).decode()
        css_size = len(fetch(stack, domain, stylesheet)[2])
        floor_runs, rows = [], []
        for label, prefix, path in PAGES:
            host = prefix + domain
            for _ in range(3):  # the first fills nginx's cache, the next ones hit it
                status, headers, body = fetch(stack, host, path)
            cache = headers.get("X-Cache", "-")
            floor_runs.append(wrk(stack, domain, stylesheet, args))
            print(f"  static file         {floor_runs[-1][0]:8.0f} req/s", flush=True)
            result = wrk(stack, host, path, args)
            rows.append((label, status, cache, len(body), *result))
            print(f"  {label:<19} {result[0]:8.0f} req/s  (X-Cache {cache})", flush=True)
        floor_runs.append(wrk(stack, domain, stylesheet, args))
        floor = sum(r[0] for r in floor_runs) / len(floor_runs)
        print()
        row("through nginx", "size", "req/s", "p50 ms", "p99 ms", "× static", "X-Cache", "goal")
        row(*["---"] * 8)
        row(
            "static file (floor)",
            f"{css_size / 1024:.1f} KB",
            f"{floor:.0f}",
            "",
            "",
            "1.00×",
            "",
            "",
        )
        failed = False
        for label, status, cache, size, rps, p50, p99, errors in rows:
            ratio = rps / floor
            served = status == 200 and cache == "HIT" and errors == 0
            met = served and ratio >= TARGET
            failed |= not (served if args.smoke else met)  # a smoke run only checks it runs
            row(label, f"{size / 1024:.1f} KB", f"{rps:.0f}", f"{p50:.1f}", f"{p99:.1f}",
                f"{ratio:.2f}×", cache, "met" if met else "missed")  # fmt: skip
        runs = len(floor_runs)
        print(f"\nfloor: mean of {runs} interleaved runs; target: ≥ {TARGET}× (issue 12)")
        return 1 if failed else 0
    finally:
        prod.stop()
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
