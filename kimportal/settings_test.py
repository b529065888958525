"""Thin test override: the suite runs on the same settings as the app, minus slow hashing."""

from kimportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run in-process in ordinary tests; tests/kimportal/test_worker.py runs a real worker
# against Redis instead (when REDIS_URL is set).
CELERY_TASK_ALWAYS_EAGER = True
