"""This app's public routes for the route guard (tests/test_route_guard.py)."""

from tests.route_calls import HIDDEN, HIDDEN_ON_A, MISSING_KIM, PENDING_KIM, Call

_UNKNOWN_CODE = {"code": "ASP-0000-0000-0000"}

PORTAL_PUBLIC: dict = {
    "aspirasi:index": [
        Call("public aspirations", lambda w: "/aspirasi/", 200, absent=HIDDEN),
        Call("a missing region filter is ignored", lambda w: "/aspirasi/?wilayah=99", 200),
        Call("a forged cursor gives the first page", lambda w: "/aspirasi/?setelah=x", 200),
    ],
    "aspirasi:detail": [
        Call("a missing aspirasi", lambda w: "/aspirasi/999999/", 404),
    ],
    # Forms (CSRF) on pages of their own.
    "aspirasi:send": [
        Call("the form", lambda w: "/aspirasi/kirim/", 200),
        Call("an empty form is refused in place", lambda w: "/aspirasi/kirim/", 200, "post"),
    ],
    "aspirasi:track": [
        Call("the form", lambda w: "/aspirasi/lacak/", 200),
        Call("an unknown code", lambda w: "/aspirasi/lacak/", 200, "post", _UNKNOWN_CODE),
    ],
    "aspirasi:withdraw": [
        Call("never by GET", lambda w: "/aspirasi/lacak/tarik/", 405),
        Call("an unknown code", lambda w: "/aspirasi/lacak/tarik/", 200, "post",
             {**_UNKNOWN_CODE, "confirm": "on"}),
    ],
}  # fmt: skip

SUBSITE_PUBLIC: dict = {
    "aspirasi:send": [
        Call("a missing KIM", lambda w: "/aspirasi/", 404, host=MISSING_KIM),
        Call("a pending KIM", lambda w: "/aspirasi/", 404, host=PENDING_KIM),
        Call("a pending KIM, posted", lambda w: "/aspirasi/", 404, "post", host=PENDING_KIM),
        Call("a live KIM", lambda w: "/aspirasi/", 200, absent=HIDDEN_ON_A),
    ],
    "aspirasi:index": [
        Call("a missing KIM", lambda w: "/aspirasi/daftar/", 404, host=MISSING_KIM),
        Call("a pending KIM", lambda w: "/aspirasi/daftar/", 404, host=PENDING_KIM),
        Call("a live KIM", lambda w: "/aspirasi/daftar/", 200, absent=HIDDEN_ON_A),
    ],
}

FORM_PAGES: set[str] = {"aspirasi:send", "aspirasi:track", "aspirasi:withdraw"}
