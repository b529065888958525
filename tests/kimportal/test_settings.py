"""Settings are parsed at import, so each case runs Django in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 30 + "-production-secret-key-for-tests-only"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "kim.id,.kim.id",
    "PORTAL_DOMAIN": "kim.id",
    "DATABASE_URL": "postgres://kim:secret@db.internal:5432/kim",
    "REDIS_URL": "redis://redis.internal:6379/0",
}


def run_django(env_vars: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_vars, DJANGO_SETTINGS_MODULE="kimportal.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_development_starts_with_no_variables():
    result = run_django({}, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must list"),
        ("DATABASE_URL", "DATABASE_URL must point at PostgreSQL"),
        ("REDIS_URL", "REDIS_URL must point at Redis"),
        ("PORTAL_DOMAIN", "PORTAL_DOMAIN must be the public domain"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "refuses to start with DEBUG off" in result.stderr
    assert message in result.stderr


def test_production_refuses_the_development_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": "short"}
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_malformed_boolean_is_an_error_not_false():
    result = run_django({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_deploy_check_is_clean_in_production():
    result = run_django(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
