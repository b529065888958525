"""The task outbox: written with the change, published after commit, drained when the broker was
down, never published twice by two drains, forgotten a day after it was sent."""

import logging
import re
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery import shared_task
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from kimportal import outbox
from kimportal.models import OutboxTask
from tests.support import require_services, tasks_through_broker

pytestmark = pytest.mark.django_db

RAN = []


@shared_task
def remember(value: int, *, tag: str = "") -> None:
    RAN.append((value, tag))


TASK = "tests.kimportal.test_outbox.remember"


@pytest.fixture(autouse=True)
def _nothing_ran():
    RAN.clear()
    outbox.broker_backoff_reset()
    yield
    RAN.clear()
    outbox.broker_backoff_reset()


@pytest.fixture
def broker(monkeypatch):
    """Tasks go to a broker instead of running in-process; `broker.up = False` takes it down."""
    state = SimpleNamespace(up=True, published=[], lock=threading.Lock(), delay=0.0, tries=0)

    def apply_async(args=None, kwargs=None, **options):
        state.tries += 1
        if not state.up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
        time.sleep(state.delay)
        with state.lock:
            state.published.append((tuple(args or ()), kwargs or {}))

    monkeypatch.setattr(remember, "apply_async", apply_async)
    with tasks_through_broker():
        yield state


def aged(seconds: float = 60) -> None:
    """Time passes: every row is older than the drain's grace period."""
    OutboxTask.objects.update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_the_row_is_written_in_the_callers_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = outbox.enqueue(TASK, 7, tag="a")
        assert OutboxTask.objects.get(pk=row.pk).sent_at is None  # not yet: nothing committed
        assert RAN == []
    assert len(callbacks) == 1
    row.refresh_from_db()
    assert (row.task, row.args, row.kwargs) == (TASK, [7], {"tag": "a"})
    assert row.sent_at is not None and row.attempts == 1
    assert RAN == [(7, "a")]  # eager mode: the task ran after commit


def test_a_rolled_back_change_queues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(remember, 1)
        raise RuntimeError("the change fails")
    assert callbacks == []
    assert not OutboxTask.objects.exists()
    assert RAN == []


def test_a_typo_in_the_task_name_fails_at_once():
    with pytest.raises(ImportError):
        outbox.enqueue("posts.tasks.no_such_task", 1)
    assert not OutboxTask.objects.exists()


def test_broker_down_on_publish_is_logged_and_the_row_kept(
    broker, django_capture_on_commit_callbacks, caplog
):
    broker.up = False
    with (
        caplog.at_level(logging.WARNING, logger="kimportal.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = outbox.enqueue(TASK, 1)  # no exception reaches the request
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1
    assert "Connection refused" in row.last_error
    assert "drain will retry" in caplog.text
    assert broker.published == []


def test_the_drain_sends_it_later_and_marks_it_sent(broker, django_capture_on_commit_callbacks):
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(TASK, 1, tag="nanti")
    assert outbox.outbox_drain() == 0  # too young: its own publish may still be under way
    aged()
    assert outbox.outbox_drain() == 0  # broker still down
    broker.up = True
    assert outbox.outbox_drain() == 1
    assert broker.published == [((1,), {"tag": "nanti"})]
    row.refresh_from_db()
    assert row.sent_at is not None and row.last_error == ""
    assert outbox.outbox_drain() == 0  # sent rows are never sent again
    assert len(broker.published) == 1


def test_a_published_row_is_not_drained_again(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(TASK, 1)
    aged()
    assert outbox.outbox_drain() == 0
    assert broker.published == [((1,), {})]


def test_one_failed_publish_spares_the_rest_of_the_request_the_wait(
    broker, client, django_capture_on_commit_callbacks
):
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        for value in range(3):
            outbox.enqueue(TASK, value)  # e.g. three photos of one post
    assert broker.tries == 1  # the other two rows wait for the drain without trying
    assert OutboxTask.objects.filter(sent_at__isnull=True).count() == 3
    client.get("/")  # the next request tries the broker again
    broker.up = True
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(TASK, 3)
    assert broker.published == [((3,), {})]


def test_the_drain_stops_at_the_first_broker_failure(broker, django_capture_on_commit_callbacks):
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        for value in range(3):
            outbox.enqueue(TASK, value)
    aged()
    assert outbox.outbox_drain() == 0
    # One publish tried at commit, the drain tried only the first row before stopping.
    assert sorted(OutboxTask.objects.values_list("attempts", flat=True)) == [0, 0, 2]
    broker.up = True
    assert outbox.outbox_drain() == 3
    assert [args for args, _kwargs in broker.published] == [(0,), (1,), (2,)]


def test_a_row_naming_a_removed_task_does_not_block_the_rest(broker):
    gone = OutboxTask.objects.create(task="posts.tasks.renamed_long_ago", args=[1])
    kept = OutboxTask.objects.create(task=TASK, args=[2])
    aged()
    assert outbox.outbox_drain() == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.sent_at is None and "renamed_long_ago" in gone.last_error
    assert kept.sent_at is not None


def test_the_drain_runs_tasks_in_process_without_a_broker():
    """Development and tests: no broker, the drain runs what is left."""
    row = OutboxTask.objects.create(task=TASK, args=[5])
    aged()
    assert outbox.outbox_drain() == 1
    assert RAN == [(5, "")]
    row.refresh_from_db()
    assert row.sent_at is not None


def test_sent_rows_are_forgotten_after_a_day():
    now = timezone.now()
    old = OutboxTask.objects.create(task=TASK, sent_at=now - timedelta(days=1, minutes=1))
    recent = OutboxTask.objects.create(task=TASK, sent_at=now - timedelta(hours=23))
    unsent = OutboxTask.objects.create(task="posts.tasks.renamed_long_ago")
    OutboxTask.objects.filter(pk=unsent.pk).update(created_at=now - timedelta(days=3))
    outbox.outbox_drain()
    assert set(OutboxTask.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
    assert not OutboxTask.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_drains_never_send_the_same_row(broker, django_capture_on_commit_callbacks):
    require_services(postgresql=True)  # SQLite has no row locks to skip
    for value in range(6):
        OutboxTask.objects.create(task=TASK, args=[value])
    aged()
    broker.delay = 0.1  # both drains are publishing at the same time
    start = threading.Barrier(2)
    counts = []

    def drain() -> None:
        try:
            start.wait(timeout=10)
            counts.append(outbox.outbox_drain(batch=3))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    sent = sorted(args for args, _kwargs in broker.published)
    assert sent == [(value,) for value in range(6)]  # each row once, none twice
    assert sum(counts) == 6
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()


def test_no_task_is_sent_around_the_outbox():
    """`.delay()` / `.apply_async()` after a commit fail the request when Redis is down and lose
    the task; every task goes through kimportal.outbox.enqueue."""
    root = Path(settings.BASE_DIR)
    allowed = {root / "kimportal" / "outbox.py", root / "kimportal" / "celery.py"}
    offenders = [
        str(path.relative_to(root))
        for package in ("accounts", "communities", "kimportal", "posts", "regions", "demo")
        for path in (root / package).rglob("*.py")
        if path not in allowed
        and re.search(r"\.(delay|apply_async|send_task|signature|s)\(", path.read_text())
    ]
    assert offenders == []


@shared_task(personal_data=True)
def remember_privately(value: int, *, tag: str = "") -> None:
    RAN.append((value, tag))


PRIVATE_TASK = "tests.kimportal.test_outbox.remember_privately"


def test_a_drained_task_with_personal_data_is_hidden_from_celery_and_forgotten_once_sent(
    monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    up = SimpleNamespace(value=False)

    def apply_async(args=None, kwargs=None, **options):
        if not up.value:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
        published.append((args, kwargs, options))

    monkeypatch.setattr(remember_privately, "apply_async", apply_async)
    monkeypatch.setattr(remember, "apply_async", apply_async)
    with tasks_through_broker():
        with django_capture_on_commit_callbacks(execute=True):
            private = outbox.enqueue(PRIVATE_TASK, 7, tag="kode ASP-AAAA-BBBB-CCCC")
            plain = outbox.enqueue(TASK, 8, tag="biasa")
        aged()
        up.value = True
        assert outbox.outbox_drain() == 2
    (args, kwargs, options), (_args, _kwargs, plain_options) = published
    assert (args, kwargs) == ([7], {"tag": "kode ASP-AAAA-BBBB-CCCC"})  # the task gets them
    assert "ASP-AAAA" not in options["kwargsrepr"] + options["argsrepr"]
    assert "argsrepr" not in plain_options
    private.refresh_from_db()
    plain.refresh_from_db()
    assert private.sent_at and private.args == [] and private.kwargs == {}
    assert plain.sent_at and plain.args == [8] and plain.kwargs == {"tag": "biasa"}


def test_a_task_with_personal_data_run_in_process_is_forgotten_too(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(PRIVATE_TASK, 9, tag="rahasia")
    assert RAN == [(9, "rahasia")]
    row.refresh_from_db()
    assert row.sent_at and row.args == [] and row.kwargs == {}


@pytest.mark.django_db(transaction=True)  # real commits: each clears its pending publishes
def test_enqueue_once_queues_one_run_per_transaction():
    with transaction.atomic():
        first = outbox.enqueue_once(TASK, 1)
        again = outbox.enqueue_once(TASK, 1)
        other = outbox.enqueue_once(TASK, 2)
    assert again.pk == first.pk and other.pk != first.pk
    assert sorted(RAN) == [(1, ""), (2, "")]
    with transaction.atomic():
        outbox.enqueue_once(TASK, 1)  # a new transaction queues its own run
    assert OutboxTask.objects.filter(task=TASK, args=[1]).count() == 2


def test_enqueue_once_forgets_what_a_rolled_back_savepoint_queued():
    with transaction.atomic():
        try:
            with transaction.atomic():
                rolled_back = outbox.enqueue_once(TASK, 3)
                raise RuntimeError
        except RuntimeError:
            pass
        kept = outbox.enqueue_once(TASK, 3)
        assert kept.pk != rolled_back.pk
