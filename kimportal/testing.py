"""Shared test helpers: a client that speaks to a named host, and a small region world.

Lives in the package (not tests/) so that tests of every app, and the demo seeding, can use it.
"""

from django.conf import settings
from django.test import Client

from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import host_for


class HostClient(Client):
    """A test client whose requests name their host: `client.get(url, host="kim-a.localhost")`.

    Without `host=` requests go to the national portal. `kelola=True` is short for the
    management host.
    """

    def generic(self, method, path, *args, host: str | None = None, kelola: bool = False, **extra):
        if kelola:
            host = host_for(SiteKind.KELOLA)
        extra.setdefault("HTTP_HOST", host or settings.PORTAL_DOMAIN)
        return super().generic(method, path, *args, **extra)
