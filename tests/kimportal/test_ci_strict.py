"""CI runs every test: what needs a missing service or tool skips on a laptop and fails under CI;
and no test asserts how long something took (timings belong in bench/)."""

import re
from pathlib import Path

import pytest

from tests.support import require_services, skip_or_fail

TESTS = Path(__file__).resolve().parents[1]


def outcome(call) -> BaseException:
    """What a skip or a failure raised (both are BaseException), caught so that the test itself
    neither skips nor fails with it."""
    with pytest.raises(BaseException) as raised:
        call()
    return raised.value


def test_a_missing_service_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = outcome(lambda: skip_or_fail("needs Chromium"))
    assert isinstance(result, pytest.skip.Exception) and "needs Chromium" in str(result)


def test_a_missing_service_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = outcome(lambda: skip_or_fail("needs Chromium"))
    assert isinstance(result, pytest.fail.Exception)
    assert "CI must run this test, but: needs Chromium" in str(result)


def test_require_services_names_what_is_missing(monkeypatch, settings):
    monkeypatch.setenv("CI", "true")
    settings.REDIS_URL = ""
    result = outcome(lambda: require_services(redis=True))
    assert isinstance(result, pytest.fail.Exception) and "REDIS_URL" in str(result)
    settings.REDIS_URL = "redis://127.0.0.1:6379/6"
    require_services(redis=True)  # present: nothing happens


def test_tests_skip_only_through_the_helper():
    """A bare pytest.skip / skipif would pass CI silently with the service missing."""
    offenders = {}
    for path in TESTS.rglob("*.py"):
        if path.name == "support.py" or path == Path(__file__):
            continue
        found = re.findall(r"pytest\.skip\(|skipif\(|importorskip\(", path.read_text())
        if found:
            offenders[str(path.relative_to(TESTS))] = found
    assert offenders == {}, "use tests.support.skip_or_fail / require_services"


def test_no_test_times_itself():
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path.name != "support.py"  # wait_for's deadline is a timeout, not an assertion
        and path != Path(__file__)
        and re.search(r"time\.monotonic\(|perf_counter\(", path.read_text())
    ]
    assert offenders == [], "timings belong in bench/"
