import pytest

from kimportal.lib.hosts import RESERVED_SLUGS, HostMatch, SiteKind, resolve_host

P = SiteKind.PORTAL
K = SiteKind.KELOLA
C = SiteKind.COMMUNITY
R = SiteKind.RESERVED
U = SiteKind.UNKNOWN


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("kim.id", HostMatch(P)),
        ("www.kim.id", HostMatch(P)),
        ("KIM.ID", HostMatch(P)),
        ("kim.id.", HostMatch(P)),
        ("kim.id:443", HostMatch(P)),
        ("kelola.kim.id", HostMatch(K)),
        ("Kelola.Kim.Id:8000", HostMatch(K)),
        ("kelola.kim.id.", HostMatch(K)),
        ("sukamaju.kim.id", HostMatch(C, "sukamaju")),
        ("SukaMaju.KIM.id.", HostMatch(C, "sukamaju")),
        ("kim-suka-maju.kim.id:8000", HostMatch(C, "kim-suka-maju")),
        ("kim01.kim.id", HostMatch(C, "kim01")),
        ("api.kim.id", HostMatch(R, "api")),
        ("admin.kim.id", HostMatch(R, "admin")),
        ("static.kim.id:80", HostMatch(R, "static")),
        ("a.b.kim.id", HostMatch(U)),
        ("-bad.kim.id", HostMatch(U)),
        ("bad-.kim.id", HostMatch(U)),
        ("under_score.kim.id", HostMatch(U)),
        (".kim.id", HostMatch(U)),
        ("example.com", HostMatch(U)),
        ("evilkim.id", HostMatch(U)),
        ("kim.id.evil.com", HostMatch(U)),
        ("127.0.0.1:8000", HostMatch(U)),
        ("[::1]:8000", HostMatch(U)),
        ("", HostMatch(U)),
    ],
)
def test_resolve_host_on_production_domain(host, expected):
    assert resolve_host(host, "kim.id") == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost:8000", HostMatch(P)),
        ("www.localhost:8000", HostMatch(P)),
        ("kelola.localhost:8000", HostMatch(K)),
        ("kim-a.localhost:8000", HostMatch(C, "kim-a")),
        ("LOCALHOST.", HostMatch(P)),
        ("mail.localhost", HostMatch(R, "mail")),
    ],
)
def test_resolve_host_in_development(host, expected):
    assert resolve_host(host, "localhost") == expected


def test_every_reserved_slug_is_refused_as_a_community():
    for slug in RESERVED_SLUGS:
        assert resolve_host(f"{slug}.kim.id", "kim.id").kind in (R, P, K), slug
