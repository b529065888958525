"""Thin test override: the suite runs on the same settings as the app, minus slow hashing."""

from kimportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
