"""The task outbox: every Celery task is sent through here, never with `.delay()`.

`enqueue()` writes the task as a row in the caller's transaction (so a rolled-back change queues
nothing) and publishes it right after commit. When the broker is down the publish fails fast, is
logged, and the request goes on; `outbox_drain()` (beat every minute, and at worker start-up)
publishes what is left. A task can therefore arrive twice (published, then the marking failed, or
Redis restarted without persistence and a sweep re-queued it): every task must be idempotent.
"""

import logging
import threading
import time
from datetime import timedelta
from functools import partial

from celery import Task
from django.conf import settings
from django.core.signals import request_started
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from kimportal.models import OutboxTask

log = logging.getLogger(__name__)

# Sent rows are kept this long, for looking into "was this task ever sent?" (without the
# arguments of tasks that carry personal data: see holds_personal_data).
KEEP_SENT = timedelta(days=1)
DRAIN_BATCH = 100
# After a failed publish, the rest of the request (or, outside requests, of this many seconds)
# leaves its rows to the drain instead of waiting on the same dead broker again: a post with ten
# photos must not wait ten timeouts. Per thread, and only an optimisation: correctness rests on
# the rows, not on this.
BROKER_BACKOFF_SECONDS = 5.0
_local = threading.local()
# One drain publishes at most this many batches; the next run (a minute later) takes the rest.
DRAIN_MAX_BATCHES = 50


def _resolve(name: str) -> Task:
    task = import_string(name)
    if not isinstance(task, Task):
        raise TypeError(f"{name} is not a Celery task")
    return task


def enqueue(task: Task | str, /, *args, **kwargs) -> OutboxTask:
    """Queue `task(*args, **kwargs)` to run once the current transaction commits.

    `task` is a task object or its dotted name ("posts.tasks.process_image"); arguments must be
    JSON (ids, not rows). Never raises because the broker is down.
    """
    name = task if isinstance(task, str) else task.name
    _resolve(name)  # a typo fails here, in the developer's test, not in the drain weeks later
    row = OutboxTask.objects.create(task=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(partial(_publish_after_commit, row.pk, name, row.args, row.kwargs))
    return row


def enqueue_once(task: Task | str, /, *args, **kwargs) -> OutboxTask:
    """`enqueue`, unless the same call is already queued by the current transaction.

    For tasks that re-read their rows and check the latest state (a post's checks): one save
    that changes several things then queues one run, not one per change. Only the transaction's
    own pending publishes count; a row queued by another transaction may run before this one
    commits, and would check the old state.
    """
    name = task if isinstance(task, str) else task.name
    for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
        queued = getattr(callback, "args", None)
        if getattr(callback, "func", None) is _publish_after_commit and queued[1:] == (
            name,
            list(args),
            kwargs,
        ):
            return OutboxTask.objects.get(pk=queued[0])
    return enqueue(name, *args, **kwargs)


def holds_personal_data(task: Task) -> bool:
    """Tasks declared with `personal_data=True` (e.g. an email's rendered body and address)."""
    return bool(getattr(task, "personal_data", False))


def _send(name: str, args: list, kwargs: dict) -> None:
    task = _resolve(name)
    options = {}
    if holds_personal_data(task):
        # What Celery shows of the arguments in its logs, events and `inspect` output.
        options = {"argsrepr": f"<{len(args)} hidden>", "kwargsrepr": repr(sorted(kwargs))}
    # retry=False: the drain is the retry, and a request must not wait on a dead broker.
    task.apply_async(args=args, kwargs=kwargs, retry=False, **options)


def _sent(*, personal: bool) -> dict:
    """The update that marks rows sent. A sent row keeps its task name and times for tracing,
    not the personal data it carried."""
    fields = {"sent_at": timezone.now(), "attempts": F("attempts") + 1, "last_error": ""}
    if personal:
        fields.update(args=[], kwargs={})
    return fields


def _eager() -> bool:
    from kimportal.celery import app

    return bool(app.conf.task_always_eager)


def _mark_sent(pk: int, name: str) -> None:
    personal = holds_personal_data(_resolve(name))
    OutboxTask.objects.filter(pk=pk, sent_at__isnull=True).update(**_sent(personal=personal))


def _mark_failed(pk: int, exc: BaseException) -> None:
    OutboxTask.objects.filter(pk=pk).update(
        attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
    )


def _broker_resting() -> bool:
    return time.monotonic() < getattr(_local, "broker_down_until", 0.0)


def broker_backoff_reset(**_signal_kwargs) -> None:
    """Forget a failed publish of this thread: each request tries the broker again."""
    _local.broker_down_until = 0.0


request_started.connect(broker_backoff_reset, dispatch_uid="kimportal.outbox.backoff_reset")


def _publish_after_commit(pk: int, name: str, args: list, kwargs: dict) -> None:
    if _eager():
        # No broker (development, tests): the task runs here and now, and its errors propagate
        # as they would from `.delay()`, so a broken task fails its test.
        try:
            _send(name, args, kwargs)
        except Exception as exc:
            _mark_failed(pk, exc)
            raise
        _mark_sent(pk, name)
        return
    if _broker_resting():
        return  # the broker just failed this thread; the drain sends the row
    try:
        _send(name, args, kwargs)
    except Exception as exc:  # noqa: BLE001 - the row is safe; the drain sends it later
        _local.broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("outbox: could not publish %s #%s (the drain will retry): %s", name, pk, exc)
        try:
            _mark_failed(pk, exc)
        except Exception:  # noqa: BLE001 - bookkeeping only; the row is still unsent
            log.exception("outbox: could not record the failure of #%s", pk)
        return
    try:
        _mark_sent(pk, name)
    except Exception:  # noqa: BLE001 - at worst the drain publishes it again (tasks are idempotent)
        log.exception("outbox: #%s was published but could not be marked sent", pk)


def outbox_drain(*, min_age: timedelta | None = None, batch: int = DRAIN_BATCH) -> int:
    """Publish unsent rows older than `min_age` (default OUTBOX_DRAIN_AFTER_SECONDS; younger rows
    are still being published by their own commit), then forget rows sent over a day ago.

    Rows are claimed with SKIP LOCKED, so two drains never publish the same row. Stops at the
    first broker failure (the broker is down; the next drain tries again). Returns how many were
    published.
    """
    if min_age is None:
        min_age = timedelta(seconds=settings.OUTBOX_DRAIN_AFTER_SECONDS)
    eager = _eager()
    published = 0
    broker_down = False
    skipped: set[int] = set()
    for _ in range(DRAIN_MAX_BATCHES):
        cutoff = timezone.now() - min_age
        with transaction.atomic():
            rows = list(
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, created_at__lte=cutoff)
                .exclude(pk__in=skipped)
                .order_by("created_at", "pk")[:batch]
            )
            if not rows:
                break
            plain, personal = [], []
            for row in rows:
                try:
                    task = _resolve(row.task)
                except (ImportError, TypeError) as exc:
                    # A task renamed or removed since the row was written: it can never be
                    # sent, but it must not block the rows behind it either.
                    log.error("outbox: #%s names no task %r: %s", row.pk, row.task, exc)
                    _mark_failed(row.pk, exc)
                    skipped.add(row.pk)
                    continue
                try:
                    if eager:
                        with transaction.atomic():  # a failing task must not break the claim
                            _send(row.task, row.args, row.kwargs)
                    else:
                        _send(row.task, row.args, row.kwargs)
                except Exception as exc:  # noqa: BLE001
                    _mark_failed(row.pk, exc)
                    skipped.add(row.pk)
                    if eager:
                        log.exception("outbox: task %s #%s failed", row.task, row.pk)
                        continue
                    log.warning("outbox: broker unavailable, drain stops: %s", exc)
                    broker_down = True
                    break
                (personal if holds_personal_data(task) else plain).append(row.pk)
            for pks, forget in ((plain, False), (personal, True)):
                if pks:
                    OutboxTask.objects.filter(pk__in=pks).update(**_sent(personal=forget))
                    published += len(pks)
        if broker_down or len(rows) < batch:
            break
    OutboxTask.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    return published
