"""Keyed hashes, and the hourly counters of abuse limits kept under them.

What we store or count by instead of a person's address, email or tracking code is an HMAC of it
with SECRET_KEY: the database and Redis never hold the value itself, and nobody without the key
can test a guess against them. The parts are joined with "|" ("aspirasi|code|…"), so each use
names its purpose and kind and the hashes of different uses never meet.

The counters live in the cache and give way when it is down: a limit that cannot be counted lets
the request through (each caller says why that is acceptable for what it protects).
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

HOUR = 3600


def keyed_hash(*parts: str) -> str:
    message = "|".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def hour_count(key: str, *, what: str) -> int | None:
    """How many times `key` was counted in its current hour; None when the cache is down."""
    try:
        return cache.get(key, 0)
    except Exception:  # noqa: BLE001 - the cache may be down; the caller lets the request go on
        log.warning("%s: limit unavailable (cache down)", what)
        return None


def hour_count_add(key: str, *, what: str) -> int | None:
    """Count one more for `key` (its hour starts at the first count) and return the new count;
    None when the cache is down."""
    try:
        cache.add(key, 0, timeout=HOUR)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 - see hour_count
        log.warning("%s: could not count (cache down)", what)
        return None
