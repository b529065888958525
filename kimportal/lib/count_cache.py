"""Generations of cached counts: a cheap way to drop every cached count of one kind at once.

Counts that are expensive at scale (verified KIMs per region: a grouped COUNT over 80,000 rows)
are cached under a key that carries the current generation of their kind. Starting a new
generation after a change commits makes every older entry unreachable (they expire on their
own); nothing has to know which keys exist. It lives below the apps so that models (which see
every status change) and selectors (which read the counts) both import it.
"""

import time

from django.core.cache import cache
from django.db import transaction


def _generation_key(kind: str) -> str:
    return f"countgen:{kind}"


def changed(kind: str) -> None:
    """Start a new generation of `kind` once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(_generation_key(kind), time.time_ns(), None))


def generation(kind: str) -> int | None:
    """The current generation of `kind`, or None when the cache is unreachable (then: no cache)."""
    key = _generation_key(kind)
    current = cache.get(key)
    if current is None:
        cache.add(key, time.time_ns(), None)
        current = cache.get(key)
    return current
