"""Thin test override: the suite runs on the same settings as the app, minus slow hashing."""

import os
from urllib.parse import urlsplit, urlunsplit

from kimportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run in-process in ordinary tests; tests/kimportal/test_worker.py runs a real worker
# against Redis instead (when REDIS_URL is set).
CELERY_TASK_ALWAYS_EAGER = True

# Pages are invalidated when a transaction commits, and a test's transaction never does: the
# whole-page cache is off except in the tests of it (tests/kimportal/test_page_cache.py), which
# run the commit callbacks.
PAGE_CACHE_SECONDS = 0

# Under pytest-xdist each test process gets its own Redis database (the test database is already
# per process), so one process's cache.clear() or queue purge never touches another's.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _xdist_worker.startswith("gw"):  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = int(_url.path.strip("/") or 0) + 8 * int(_xdist_worker[2:])
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db}"))
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL
