"""What the route guard's public entries are made of: a request with the status a stranger must
get, and the shared world's names no public page may show.

Apps with public routes list theirs in a `routes` module of their own (tests/<app>/routes.py)
built from these; tests/test_route_guard.py merges them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import host_for


@dataclass(frozen=True)
class Call:
    """One request to a public route, with the status written out by hand."""

    label: str
    path: Callable[[SimpleNamespace], str]
    status: int
    method: str = "get"
    data: dict = field(default_factory=dict)
    host: Callable[[SimpleNamespace], str] | None = None  # default: the host of the table
    actor: str | None = None  # an attribute of the world; None is anonymous
    absent: tuple[str, ...] = ()  # text the answer must not contain


def on(slug: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: host_for(SiteKind.COMMUNITY, slug)


MISSING_KIM = on("kim-tidak-ada")
PENDING_KIM = on("kim-kapasari")  # pending_a: signed up, not verified
# Drafts and unverified KIMs, which no public page may show; and on A's subsite, B's post.
HIDDEN = ("KIM Kapasari", "KIM Geger Dua", "Draf rahasia A")
HIDDEN_ON_A = (*HIDDEN, "Berita B")

HIDDEN_SLUGS = ("draf-rahasia-a", "kim-kapasari", "kim-geger-dua")
