"""This app's public routes for the route guard (tests/test_route_guard.py)."""

from tests.route_calls import HIDDEN, MISSING_KIM, PENDING_KIM, Call

PORTAL_PUBLIC: dict = {
    "siaran:index": [
        Call("current siaran", lambda w: "/siaran/", 200, absent=HIDDEN),
        Call("a page past the cap", lambda w: "/siaran/?page=51", 404),
        Call("a malformed page", lambda w: "/siaran/?page=x", 404),
    ],
    "siaran:detail": [Call("a missing siaran", lambda w: "/siaran/999999-tidak-ada/", 404)],
    "siaran:attachment": [Call("a missing siaran", lambda w: "/siaran/999999/lampiran.pdf", 404)],
}
SUBSITE_PUBLIC: dict = {
    # The beacon answers a GIF for any id (the flush drops ids of no post of this KIM).
    "stats:visit": [
        Call("a post of this KIM", lambda w: f"/v/{w.post_a.pk}.gif", 200),
        Call("a post of another KIM (not counted)", lambda w: f"/v/{w.post_b.pk}.gif", 200),
        Call("a missing KIM", lambda w: f"/v/{w.post_a.pk}.gif", 404, host=MISSING_KIM),
        Call("a pending KIM", lambda w: f"/v/{w.post_a.pk}.gif", 404, host=PENDING_KIM),
        Call("never by POST", lambda w: f"/v/{w.post_a.pk}.gif", 405, "post"),
    ],
}
FORM_PAGES: set[str] = set()
