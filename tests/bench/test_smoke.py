"""The benchmark scripts work: `bench/load.py --smoke` seeds a throwaway PostgreSQL database
(100 KIMs, 3,000 posts), serves it with gunicorn beside the hello-world floor, drives every page
with wrk for a second as a cache hit and a miss, then runs bench/queries.py on it.

Figures are not asserted (no timing asserts): only that every page answered 200 without errors
and that both reports were printed.
"""

import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests.support import require_services, skip_or_fail

pytestmark = pytest.mark.django_db


def test_smoke_run_measures_every_page():
    require_services(postgresql=True, redis=True)
    if shutil.which("wrk") is None:
        skip_or_fail("needs wrk (apt-get install wrk)")
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    database_url = f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/postgres"
    result = subprocess.run(  # noqa: S603 - fixed argv
        [
            sys.executable, "bench/load.py", "--smoke",
            "--database-url", database_url, "--redis-url", settings.REDIS_URL,
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for page in (
        "hello-world floor", "portal home", "province page", "directory", "subsite home",
        "subsite post list", "post page",
    ):  # fmt: skip
        assert f"| {page:<20} |" in output, page
    assert "| portal home          | hit   |" in output
    assert "| portal home          | miss  |" in output
    assert "slowest query per page" in output
