"""The route guard: no route of any kind of host goes untested for who may call it.

Walks the whole URL resolver of each host (every route, named or not, in every namespace) and
fails, naming the route, when it is covered neither by an isolation matrix (kelola only: the
test_isolation modules listed in MATRICES) nor by an explicit public entry (below, or in an app's
routes module listed in EXTENSIONS). Each public entry is a list of requests made against the
shared world with a foreign, missing or otherwise off-limits object, and the status written out
by hand.

Adding a route? Add its rows to an isolation matrix (kelola) or a public entry here, with the
status a stranger must get.
"""

from dataclasses import dataclass
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, include, path, re_path
from django.urls.resolvers import RegexPattern

from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import URLCONFS, host_for
from posts.models import Report
from tests.factories import make_post
from tests.route_calls import (
    HIDDEN,
    HIDDEN_ON_A,
    HIDDEN_SLUGS,
    MISSING_KIM,
    PENDING_KIM,
    Call,
    on,
)

# Kelola isolation matrices (each exposes GET_PAGES and POST_ACTIONS, rows named "<route>-<case>").
MATRICES = [
    *(
        import_module(f"tests.{app}.test_isolation")
        for app in ("communities", "posts", "siaran", "aspirations", "stats", "audit")
    ),
    import_module("tests.accounts.test_mfa_isolation"),  # two-step sign-in (accounts:mfa_*)
    import_module("tests.accounts.test_account_isolation"),  # one's own account (/akun/)
]
# Public route entries kept beside an app's own tests (PORTAL_PUBLIC, SUBSITE_PUBLIC, FORM_PAGES).
EXTENSIONS = [
    import_module(name)
    for name in (
        "tests.siaran.routes",
        "tests.aspirations.routes",
        "tests.posts.national_routes",
        "tests.guides.routes",
        "tests.opendata.routes",
        "tests.stats.routes",
        "tests.privacy.routes",
    )
]

KELOLA = URLCONFS[SiteKind.KELOLA]
PORTAL = URLCONFS[SiteKind.PORTAL]
SUBSITE = URLCONFS[SiteKind.COMMUNITY]


# --- Walking a resolver --------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # the full pattern as written, e.g. "kim/<slug:slug>/tulisan/<int:pk>/"
    name: str | None  # with its namespaces, e.g. "posts:edit"; None for an unnamed route

    @property
    def key(self) -> str:
        return self.name or self.route

    def __str__(self) -> str:
        return f"{self.route!r} ({self.name or 'unnamed'})"


def _piece(pattern) -> str:
    text = str(pattern)
    return text.lstrip("^") if isinstance(pattern, RegexPattern) else text


def walk(resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()) -> list[Route]:
    """Every URLPattern under `resolver`, however deeply included."""
    routes = []
    for entry in resolver.url_patterns:
        route = prefix + _piece(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            routes += walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            routes.append(Route(route, name))
        else:  # pragma: no cover - Django has no third kind today
            raise TypeError(f"unknown URL entry {entry!r}")
    return routes


def routes_of(urlconf: str) -> list[Route]:
    return walk(get_resolver(urlconf))


def uncovered(routes: list[Route], keys: set[str], prefixes: set[str]) -> list[Route]:
    """The routes neither listed by key (name, or pattern when unnamed) nor under a prefix."""
    return [
        r for r in routes if r.key not in keys and not any(r.route.startswith(p) for p in prefixes)
    ]


def _failure(host: str, missing: list[Route]) -> str:
    lines = "\n".join(f"  - {r}" for r in missing)
    return (
        f"Routes of the {host} host with no isolation rows and no public entry:\n{lines}\n"
        "Add rows for each to an isolation matrix (a tests/<app>/test_isolation.py listed in "
        "MATRICES) or a public entry (tests/test_route_guard.py, or a routes module listed in "
        "EXTENSIONS)."
    )


# --- What anyone may call, and what a stranger must get ------------------------------------------


COMMON = {
    "language": [
        Call("switch by a plain link", lambda w: "/bahasa/en/?next=/", 302),
        Call("an unknown language", lambda w: "/bahasa/xx/?next=/", 404),
    ],
    "healthz": [Call("answers", lambda w: "/healthz", 200)],
    "readyz": [Call("answers", lambda w: "/readyz", 200)],
}
# Present only with DEBUG (django.conf.urls.static); in production the web server serves media.
MEDIA = {"media/": [Call("a missing file", lambda w: "/media/r/0/0/tidak-ada.jpg", 404)]}

# Feeds, sitemaps and robots.txt (kimportal/urls/discovery.py). Sitemaps name posts by slug.
PORTAL_DISCOVERY = {
    "robots": [Call("allows crawling", lambda w: "/robots.txt", 200)],
    "sitemap": [Call("the index", lambda w: "/sitemap.xml", 200, absent=HIDDEN_SLUGS)],
    "sitemap_section": [
        Call("the live KIMs", lambda w: "/sitemap-kim-1.xml", 200, absent=HIDDEN_SLUGS),
        Call("the public posts", lambda w: "/sitemap-kabar-1.xml", 200, absent=HIDDEN_SLUGS),
        Call("a missing section", lambda w: "/sitemap-rahasia.xml", 404),
        Call("an empty range", lambda w: "/sitemap-kabar-99999.xml", 404),
    ],
    "feed": [Call("public posts", lambda w: "/feed/", 200, absent=HIDDEN)],
    "feed_rss": [Call("public posts", lambda w: "/feed/rss/", 200, absent=HIDDEN)],
    "province_feed": [
        Call("a province", lambda w: "/wilayah/jawa-timur/feed/", 200, absent=HIDDEN),
        Call("a missing province", lambda w: "/wilayah/tidak-ada/feed/", 404),
    ],
    "province_feed_rss": [
        Call("a province", lambda w: "/wilayah/jawa-timur/feed/rss/", 200, absent=HIDDEN),
        Call("a missing province", lambda w: "/wilayah/tidak-ada/feed/rss/", 404),
    ],
    "regency_feed": [
        Call("a regency", lambda w: "/wilayah/jawa-timur/kota-surabaya/feed/", 200, absent=HIDDEN),
        Call("a regency of another province", lambda w: "/wilayah/jawa-barat/kota-surabaya/feed/",
             404),
    ],
    "regency_feed_rss": [
        Call("a regency", lambda w: "/wilayah/jawa-timur/kota-surabaya/feed/rss/", 200,
             absent=HIDDEN),
        Call("a missing regency", lambda w: "/wilayah/jawa-timur/tidak-ada/feed/rss/", 404),
    ],
}  # fmt: skip
SUBSITE_DISCOVERY = {
    name: [
        Call("a missing KIM", lambda w, p=page: p, 404, host=MISSING_KIM),
        Call("a pending KIM", lambda w, p=page: p, 404, host=PENDING_KIM),
        Call("a live KIM", lambda w, p=page: p, 200, absent=(*HIDDEN_ON_A, *HIDDEN_SLUGS)),
    ]
    for name, page in (
        ("robots", "/robots.txt"),
        ("sitemap", "/sitemap.xml"),
        ("sitemap_section", "/sitemap-halaman.xml"),
        ("feed", "/feed/"),
        ("feed_rss", "/feed/rss/"),
    )
}
KELOLA_DISCOVERY = {"robots": [Call("disallows everything", lambda w: "/robots.txt", 200)]}

KELOLA_PUBLIC = {
    "accounts:login": [Call("the sign-in form", lambda w: "/masuk/", 200)],
    "accounts:logout": [
        Call("never by GET", lambda w: "/keluar/", 405),
        Call("ends one's own session", lambda w: "/keluar/", 302, "post", actor="a_admin"),
    ],
    # Password reset by email: one answer for any address, a link that is forged says so.
    "accounts:password_reset": [
        Call("the form", lambda w: "/lupa-kata-sandi/", 200),
        Call("an address without an account", lambda w: "/lupa-kata-sandi/", 302, "post",
             {"email": "tidak-ada@example.id"}),
    ],
    "accounts:password_reset_done": [
        Call("says where to look", lambda w: "/lupa-kata-sandi/terkirim/", 200),
    ],
    "accounts:password_reset_confirm": [
        Call("a forged link", lambda w: "/lupa-kata-sandi/MQ/palsu-tautan/", 200,
             absent=('name="new_password1"',)),
        Call("a forged link, posted", lambda w: "/lupa-kata-sandi/MQ/palsu-tautan/", 200, "post",
             {"new_password1": "dibajak-2026-xyz", "new_password2": "dibajak-2026-xyz"},
             absent=('name="new_password1"',)),
    ],
    "accounts:password_reset_complete": [
        Call("says to sign in", lambda w: "/lupa-kata-sandi/selesai/", 200),
    ],
    "signup:start": [
        Call("the account form", lambda w: "/daftar/", 200),
        Call("a member sees no other applicant's sign-up", lambda w: "/daftar/", 200,
             actor="a_admin", absent=("KIM Kapasari", "KIM Geger Dua")),
    ],
    # One page for every sign-up, whether or not the address had an account (no enumeration).
    "signup:sent": [Call("says an email was sent", lambda w: "/daftar/terkirim/", 200)],
    "signup:account": [
        Call("a forged link", lambda w: "/daftar/akun/palsu/", 404),
        Call("a forged link, posted", lambda w: "/daftar/akun/palsu/", 404, "post",
             {"full_name": "X", "password1": "kabar-warga-2026", "password2": "kabar-warga-2026"}),
    ],
    "signup:region_children": [
        Call("a province's regencies", lambda w: "/daftar/wilayah/35/", 200),
        Call("a missing region", lambda w: "/daftar/wilayah/99/", 404),
        Call("a malformed code", lambda w: "/daftar/wilayah/1.2.3.4.5/", 404),
    ],
    **KELOLA_DISCOVERY,
    **COMMON,
}  # fmt: skip
KELOLA_PREFIXES = {
    # Operators only (is_staff), behind Django's own sign-in; KIM roles never open it.
    "admin/": [
        Call("anonymous", lambda w: "/admin/", 302),
        Call("a national admin is no operator", lambda w: "/admin/", 302, actor="national_admin"),
        Call("a KIM admin is no operator", lambda w: "/admin/communities/community/", 302,
             actor="a_admin"),
    ],
    **MEDIA,
}  # fmt: skip

PORTAL_PUBLIC = {
    "home": [Call("latest posts and newest KIMs", lambda w: "/", 200, absent=HIDDEN)],
    "regions:index": [Call("provinces", lambda w: "/wilayah/", 200)],
    "regions:province": [
        Call("a missing province", lambda w: "/wilayah/provinsi-tidak-ada/", 404),
        Call("a province", lambda w: "/wilayah/jawa-timur/", 200, absent=HIDDEN),
    ],
    "regions:regency": [
        Call("a regency of another province", lambda w: "/wilayah/jawa-barat/kota-surabaya/", 404),
        Call("a missing regency", lambda w: "/wilayah/jawa-timur/kota-tidak-ada/", 404),
    ],
    "regions:district": [
        Call("a district of another regency",
             lambda w: "/wilayah/jawa-timur/kota-surabaya/sukasari/", 404),
        Call("a missing district", lambda w: "/wilayah/jawa-timur/kota-surabaya/tidak-ada/", 404),
    ],
    "directory:index": [
        Call("verified KIMs only", lambda w: "/kim/", 200, absent=HIDDEN),
        Call("a missing KIM is not found", lambda w: "/kim/?q=kim-tidak-ada", 200,
             absent=("KIM Ketabang Maju", "KIM Gegerkalong Sejahtera")),
        Call("a missing province filter is ignored", lambda w: "/kim/?provinsi=99", 200,
             absent=HIDDEN),
    ],
    "search:index": [
        Call("the form", lambda w: "/cari/", 200),
        *(Call(f"no draft or unverified KIM for {q}", lambda w, q=q: f"/cari/?q={q}", 200,
               absent=HIDDEN) for q in ("rahasia", "kapasari", "geger+dua", "berita+or+rahasia")),
    ],
    **PORTAL_DISCOVERY,
    **COMMON,
}  # fmt: skip
for _extension in EXTENSIONS:
    PORTAL_PUBLIC.update(_extension.PORTAL_PUBLIC)
PORTAL_PREFIXES = dict(MEDIA)

_KIM_A = on("kim-ketabang")
SUBSITE_PUBLIC = {
    **{
        name: [
            Call("a missing KIM", lambda w, p=page: p, 404, host=MISSING_KIM),
            Call("a pending KIM", lambda w, p=page: p, 404, host=PENDING_KIM),
            Call("a live KIM", lambda w, p=page: p, 200, absent=HIDDEN_ON_A),
        ]
        for name, page in (
            ("subsite:home", "/"),
            ("subsite:profile", "/profil/"),
            ("subsite:roster", "/pengurus/"),
            ("subsite:contact", "/kontak/"),
            ("subsite:theme", "/tema.css"),
            ("kabar:list", "/kabar/"),
        )
    },
    "kabar:detail": [
        Call("a post of another KIM", lambda w: f"/kabar/{w.post_b.slug}/", 404),
        Call("a draft of this KIM", lambda w: f"/kabar/{w.draft_a.slug}/", 404),
        Call("a missing post", lambda w: "/kabar/tidak-ada/", 404),
        Call("a missing KIM", lambda w: f"/kabar/{w.post_a.slug}/", 404, host=MISSING_KIM),
        Call("a published post", lambda w: f"/kabar/{w.post_a.slug}/", 200, absent=HIDDEN_ON_A),
    ],
    "kabar:report": [
        Call("a post of another KIM", lambda w: f"/kabar/{w.post_b.slug}/laporkan/", 404),
        Call("reporting a post of another KIM", lambda w: f"/kabar/{w.post_b.slug}/laporkan/",
             404, "post", {"reason": "hoaks", "details": "x"}),
        Call("reporting a draft", lambda w: f"/kabar/{w.draft_a.slug}/laporkan/", 404, "post",
             {"reason": "hoaks", "details": "x"}),
        # The form has a page of its own (the post's page carries no form).
        Call("a published post", lambda w: f"/kabar/{w.post_a.slug}/laporkan/", 200),
    ],
    "search:index": [
        Call("a missing KIM", lambda w: "/cari/?q=berita", 404, host=MISSING_KIM),
        Call("a pending KIM", lambda w: "/cari/?q=berita", 404, host=PENDING_KIM),
        Call("this KIM's published posts only", lambda w: "/cari/?q=berita+or+rahasia", 200,
             absent=HIDDEN_ON_A),
    ],
    **SUBSITE_DISCOVERY,
    **COMMON,
}  # fmt: skip
for _extension in EXTENSIONS:
    SUBSITE_PUBLIC.update(_extension.SUBSITE_PUBLIC)
SUBSITE_PREFIXES = dict(MEDIA)

# Public pages that hold a form, and therefore a CSRF token (they are never cached).
FORM_PAGES = {"kabar:report"}.union(*(extension.FORM_PAGES for extension in EXTENSIONS))

HOSTS = {
    # host: (urlconf, public entries, public prefixes, default host of its requests)
    "kelola": (KELOLA, KELOLA_PUBLIC, KELOLA_PREFIXES, lambda w: host_for(SiteKind.KELOLA)),
    "portal": (PORTAL, PORTAL_PUBLIC, PORTAL_PREFIXES, lambda w: host_for(SiteKind.PORTAL)),
    "subsite": (SUBSITE, SUBSITE_PUBLIC, SUBSITE_PREFIXES, _KIM_A),
}


def matrix_names() -> set[str]:
    """Route names the kelola isolation matrices have rows for ("manage:edit-a" → "manage:edit")."""
    rows = [row for matrix in MATRICES for row in (*matrix.GET_PAGES, *matrix.POST_ACTIONS)]
    return {row.split("-")[0] for row in rows}


# A matrix row named after what it does rather than its route (role_edit with action=change).
MATRIX_ALIASES = {"manage:role_change"}


# --- The guard -----------------------------------------------------------------------------------


def test_every_kelola_route_is_in_a_matrix_or_public():
    keys = matrix_names() | set(KELOLA_PUBLIC)
    missing = uncovered(routes_of(KELOLA), keys, set(KELOLA_PREFIXES))
    assert not missing, _failure("kelola", missing)


@pytest.mark.parametrize("host", ["portal", "subsite"])
def test_every_public_route_has_an_entry(host):
    urlconf, public, prefixes, _host = HOSTS[host]
    missing = uncovered(routes_of(urlconf), set(public), set(prefixes))
    assert not missing, _failure(host, missing)


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_no_entry_names_a_route_that_is_gone(host):
    """A renamed route must take its rows along, not leave them testing nothing."""
    urlconf, public, prefixes, _host = HOSTS[host]
    keys = {r.key for r in routes_of(urlconf)}
    listed = set(public) | (matrix_names() - MATRIX_ALIASES if host == "kelola" else set())
    assert listed - keys == set()
    always_present = set(prefixes) - set(MEDIA)
    for prefix in always_present:
        assert any(r.route.startswith(prefix) for r in routes_of(urlconf)), prefix


def test_the_guard_sees_a_new_namespace_and_an_unnamed_route():
    """What the guard itself must catch: the kelola URLconf plus a route in a namespace no table
    knows and an unnamed one, each reported by its pattern."""

    def view(request):  # pragma: no cover - never called
        raise AssertionError

    kelola = get_resolver(KELOLA)
    grown = URLResolver(
        RegexPattern(r"^/"),
        [
            *kelola.url_patterns,
            path("berkas/", include(([path("<int:pk>/unduh/", view, name="get")], "files"))),
            re_path(r"^mentah/(?P<pk>\d+)/$", view),
        ],
    )
    keys = matrix_names() | set(KELOLA_PUBLIC)
    already = set(uncovered(routes_of(KELOLA), keys, set(KELOLA_PREFIXES)))
    missing = [r for r in uncovered(walk(grown), keys, set(KELOLA_PREFIXES)) if r not in already]
    assert [str(r) for r in missing] == [
        "'berkas/<int:pk>/unduh/' (files:get)",
        "'mentah/(?P<pk>\\\\d+)/$' (unnamed)",
    ]
    assert "'berkas/<int:pk>/unduh/' (files:get)" in _failure("kelola", missing)


# --- Public routes answer strangers as written ---------------------------------------------------


def _calls() -> list:
    cases = []
    for host, (urlconf, public, prefixes, _default) in sorted(HOSTS.items()):
        present = routes_of(urlconf)
        for key, calls in (*public.items(), *prefixes.items()):
            if key in prefixes and not any(r.route.startswith(key) for r in present):
                continue  # media without DEBUG: nothing to request
            for index, call in enumerate(calls):
                cases.append(pytest.param(host, key, index, id=f"{host}-{key}-{call.label}"))
    return cases


@pytest.fixture
def w(world) -> SimpleNamespace:
    """The shared world with a published post in each KIM and a draft in A."""
    world.post_a = make_post(world.kim_a, title="Berita A", status="published")
    world.post_b = make_post(world.kim_b, title="Berita B", status="published")
    world.draft_a = make_post(world.kim_a, title="Draf rahasia A", author=world.a_contributor)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize(("host", "key", "index"), _calls())
def test_public_route_answers_as_written(client, w, host, key, index):
    _urlconf, public, prefixes, default_host = HOSTS[host]
    call = {**public, **prefixes}[key][index]
    if call.actor:
        client.force_login(getattr(w, call.actor))
    reports = Report.objects.count()
    send = getattr(client, call.method)
    response = send(call.path(w), call.data, host=(call.host or default_host)(w))
    assert response.status_code == call.status, (host, key, call.label)
    page = response.content.decode(errors="replace") if not response.streaming else ""
    for text in call.absent:
        assert text not in page, (host, key, call.label, text)
    if host != "kelola" and call.method == "get" and call.status == 200 and key not in FORM_PAGES:
        # A page a visitor only reads sets no cookie and carries no CSRF token (it is cached).
        assert not response.cookies, (host, key, call.label, list(response.cookies))
        assert "csrfmiddlewaretoken" not in page, (host, key, call.label)
    if call.status == 404:
        assert Report.objects.count() == reports
