"""Counting anonymous views of public post pages without touching the page cache.

The post page carries a 1×1 image (the beacon) that is never cached; each request counts once per
reader, post and day, a reader being an IPv4 address or an IPv6 /64. With Redis: a short-lived
SET NX key per (day, post, reader) and an HINCRBY into one hash per day, moved into PostVisitDay
by `visits_flush` (beat). Without Redis (or while it is down): straight into the table, one
upsert per view.
"""

import logging
import uuid
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kimportal.lib.client import one_client
from kimportal.lib.keyed import keyed_hash
from posts.models import Post

log = logging.getLogger(__name__)

_DAY = "kim:vs:d:"  # kim:vs:d:<yyyy-mm-dd> → hash "<community>:<post>" → count
_FLUSHING = "kim:vs:f:"  # a day's hash taken by a flush: kim:vs:f:<yyyy-mm-dd>:<uuid>
_SEEN = "kim:vs:s:"  # one key per (day, post, reader), expiring after the day
_READER = "kim:vs:r:"  # how many posts of a KIM a reader was counted for on a day
SEEN_SECONDS = 26 * 3600
# Nobody reads more posts of one KIM a day (a village behind one carrier address included);
# past it a reader's views of that KIM are not counted, so ids made up by the hundred (the
# beacon reads no database) store no more keys.
READER_POSTS_PER_DAY = 300


def _redis():
    """The Redis client of the cache, or None where the cache is not Redis."""
    if not settings.REDIS_URL:
        return None
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except (ImportError, NotImplementedError, AttributeError):
        return None


def _reader_key(address: str) -> str:
    """Who counts once (kimportal.lib.client.one_client: per address, an IPv6 client could add
    a view and a Redis key per request). A keyed hash: Redis never holds a reader's address."""
    return keyed_hash(one_client(address))[:24]


def visit_record(*, community_id: int, post_id: int, address: str) -> None:
    """Count one view (at most one per reader, post and day). Never raises."""
    day = timezone.localdate().isoformat()
    redis = _redis()
    if redis is not None:
        try:
            reader = _reader_key(address)
            counted = f"{_READER}{day}:{community_id}:{reader}"
            if int(redis.get(counted) or 0) >= READER_POSTS_PER_DAY:
                return
            if redis.set(f"{_SEEN}{day}:{post_id}:{reader}", 1, nx=True, ex=SEEN_SECONDS):
                redis.set(counted, 0, nx=True, ex=SEEN_SECONDS)  # made with its expiry
                redis.incr(counted)
                redis.hincrby(_DAY + day, f"{community_id}:{post_id}", 1)
            return
        except Exception:  # noqa: BLE001 - Redis down: count into the table instead
            log.warning("visits: Redis unavailable, counting into the database", exc_info=True)
    try:
        _upsert({(community_id, post_id): 1}, date.fromisoformat(day))
    except Exception:  # noqa: BLE001 - a lost count must never fail the page
        log.exception("visits: could not count a view of post %s", post_id)


def _upsert(counts: dict[tuple[int, int], int], day: date) -> int:
    """Add counts to PostVisitDay; ids that name no post of that KIM are dropped. Returns rows."""
    if not counts:
        return 0
    valid = set(
        Post.objects.filter(pk__in={post for _c, post in counts}).values_list("community_id", "pk")
    )
    rows = [
        (post, community, day, n)
        for (community, post), n in counts.items()
        if (community, post) in valid
    ]
    if not rows:
        return 0
    sql = (
        "INSERT INTO stats_postvisitday (post_id, community_id, day, count) "
        "VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (post_id, day) DO UPDATE SET count = stats_postvisitday.count + EXCLUDED.count"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def _parse(raw: dict) -> dict[tuple[int, int], int]:
    counts = {}
    for field, value in raw.items():
        field = field.decode() if isinstance(field, bytes) else field
        try:
            community, post = (int(part) for part in field.split(":"))
            counts[(community, post)] = int(value)
        except ValueError:
            continue
    return counts


def visits_flush() -> int:
    """Move the counts from Redis into PostVisitDay. Returns how many rows were written.

    Each day's hash is first renamed (atomically: views counted meanwhile start a new hash), then
    added to the table, then deleted. A run killed after the rename leaves the renamed hash,
    which the next run flushes first.
    """
    redis = _redis()
    if redis is None:
        return 0
    written = 0
    for key in redis.scan_iter(match=_DAY + "*", count=100):
        key = key.decode() if isinstance(key, bytes) else key
        day = key.removeprefix(_DAY)
        try:
            redis.rename(key, f"{_FLUSHING}{day}:{uuid.uuid4().hex}")
        except Exception:  # noqa: BLE001 - gone since the scan (another flush took it)
            log.info("visits: %s was taken by another flush", key)
            continue
    for key in redis.scan_iter(match=_FLUSHING + "*", count=100):
        key = key.decode() if isinstance(key, bytes) else key
        day = date.fromisoformat(key.removeprefix(_FLUSHING).split(":")[0])
        written += _upsert(_parse(redis.hgetall(key)), day)
        redis.delete(key)
    return written
