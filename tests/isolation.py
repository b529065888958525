"""The machinery of the kelola tenant-isolation matrices (tests/<app>/test_isolation.py).

Each app's matrix module keeps what is its own: the world fixture `w` (the shared world plus the
app's rows in each tenant), the expectation strings, the GET_PAGES and POST_ACTIONS tables, its
SECRETS, a snapshot() of everything a refused request could change, and its app-specific tests.
This module holds what they share: the actors, how a matrix string is read, how a refusal looks,
and the two checks that keep the tables honest towards the URLconf. tests/test_route_guard.py
reads the tables of every module in its MATRICES.

Reading a matrix
----------------
A table maps a row name to a tuple whose last item is an expectation string::

    "posts:edit-a_with_b_post": (lambda w: f"{A}/{w.draft_b.pk}/", "B", NOBODY),

The row name is "<route>-<case>": the route it requests (checked by
assert_every_row_requests_its_route) and, after the first "-", what makes the row differ from the
route's other rows. An expectation string has one code per actor, in the order of the columns
(ACTORS, unless the module passes its own tuple), aligned under a "# Columns:" comment::

    # Columns:      a_con a_edi a_adm b_adm  sby   mlg   bdg   jtm   jbr   nat   out   anon
    EDITORS_OF_A  = "404   200   200   404   404   404   404   404   404   404   404   302"

Every (row, actor) pair is one test, with the id "<row>-<actor>". The codes are written by hand,
never computed with the permission code under test; CODES says what each one means.
"""

from collections.abc import Callable, Iterable, Mapping
from types import SimpleNamespace

import pytest
from django.urls import get_resolver, resolve

KELOLA_URLCONF = "kimportal.urls.kelola"

# The shared world's actors (tests.factories.make_world), in the usual column order.
ACTORS: tuple[str, ...] = (
    "a_contributor",
    "a_editor",
    "a_admin",
    "b_admin",  # admin of the other KIM
    "surabaya_admin",  # regency admin of A's regency (Kota Surabaya, Jawa Timur)
    "malang_admin",  # regency admin of another regency of A's province
    "bandung_admin",  # regency admin of B's regency (Kota Bandung, another province)
    "jatim_admin",  # province admin of A's province
    "jabar_admin",  # province admin of B's province
    "national_admin",
    "outsider",  # signed in, with no KIM role and no staff scope
    "anonymous",  # not signed in
)

CODES: dict[str, str] = {
    "200": "GET allowed: the page answers and shows nothing of a tenant the actor may not see",
    "ok": "POST allowed: 302 after success, or 200 with a form error (each module says which)",
    "err": "POST reaches the form, which answers 200 with its error and writes nothing",
    "302": "anonymous: sent to sign in (/masuk/?next=...), nothing shown",
    "403": "refused with an explanation on a page the actor may see (its text: the module's)",
    "404": "refused exactly as for a missing object: nothing of the tenant, nothing written",
}


def row(spec: str, actors: tuple[str, ...] = ACTORS) -> dict[str, str]:
    """An expectation string read as {actor: code}."""
    codes = spec.split()
    assert len(codes) == len(actors), f"{len(codes)} codes for {len(actors)} actors: {spec!r}"
    unknown = set(codes) - set(CODES)
    assert not unknown, f"unknown codes {sorted(unknown)} in {spec!r}"
    return dict(zip(actors, codes, strict=True))


def everything(code: str) -> bool:
    return True


def cases(
    table: Mapping[str, tuple],
    *,
    want: Callable[[str], bool] = everything,
    actors: tuple[str, ...] = ACTORS,
) -> list:
    """A pytest param (row name, actor, code) for each pair whose code `want` accepts, with the
    id "<row>-<actor>"."""
    return [
        pytest.param(name, actor, expected, id=f"{name}-{actor}")
        for name, spec in table.items()
        for actor, expected in row(spec[-1], actors).items()
        if want(expected)
    ]


def sign_in(client, w: SimpleNamespace, actor: str) -> None:
    if actor != "anonymous":
        client.force_login(getattr(w, actor))


def content_of(response) -> str:
    """The body as text, read from the stream for file and CSV answers."""
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def assert_refused(response, expected: str, *, hidden: Iterable[str] = ()) -> None:
    """A refusal as the code says ("302", "403" or "404"), showing none of the `hidden` texts.

    A 403 is an explanation on a page the actor may see: its text is the module's to check.
    """
    if expected == "302":
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/?next=")
    elif expected == "403":
        assert response.status_code == 403
        return
    else:
        assert expected == "404", f"{expected!r} is no refusal"
        assert response.status_code == 404
    page = content_of(response)
    for text in hidden:
        assert text not in page, text


def assert_hides_foreign(
    page: str,
    secrets: Mapping[str, Iterable[str]],
    *,
    among: str,
    visible: str,
    shown_anyway: Iterable[str] = (),
) -> None:
    """No secret of a tenant in `among` (one letter each) that is not `visible` is on the page.

    `visible` is the tenant of the object in the URL, or what the actor may see on a page without
    one (the module's SEES); `shown_anyway` lists texts that may appear for another reason (the
    signed-in user's own address).
    """
    allowed = set(shown_anyway)
    for tenant in among:
        if tenant in visible:
            continue
        for text in secrets[tenant]:
            assert text in allowed or text not in page, (tenant, text)


def route_of(row_name: str, aliases: Mapping[str, str] | None = None) -> str:
    """The route a row requests: "posts:edit-a" → "posts:edit", through `aliases` for rows named
    after what they do rather than their route."""
    name = row_name.split("-")[0]
    return (aliases or {}).get(name, name)


def kelola_route_names(*namespaces: str) -> set[str]:
    """Every named route of these namespaces of the kelola host, as "namespace:name"."""
    resolver = get_resolver(KELOLA_URLCONF)
    names = set()
    for namespace in namespaces:
        _prefix, sub = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)}
    return names


def assert_every_route_in_matrix(
    tables: Iterable[Mapping[str, tuple]],
    *,
    namespaces: Iterable[str],
    also: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> None:
    """Every route of the namespaces (and the `also` routes) has a row in one of the tables."""
    names = kelola_route_names(*namespaces) | set(also)
    covered = {route_of(name, aliases) for table in tables for name in table}
    assert names - covered == set()


def assert_every_row_requests_its_route(
    w: SimpleNamespace,
    tables: Iterable[Mapping[str, tuple]],
    *,
    aliases: Mapping[str, str] | None = None,
) -> None:
    """A row named after a route must request that route, or the guard counts it for nothing."""
    for table in tables:
        for name, (build, *_rest) in table.items():
            match = resolve(build(w).split("?")[0], urlconf=KELOLA_URLCONF)
            assert match.view_name == route_of(name, aliases), name
