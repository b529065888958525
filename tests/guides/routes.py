"""The guides' public routes for the route guard (tests/test_route_guard.py)."""

from tests.route_calls import Call

PORTAL_PUBLIC = {
    "guides:index": [Call("every guide", lambda w: "/panduan/", 200)],
    "guides:detail": [
        Call("a guide", lambda w: "/panduan/menulis-kabar/", 200),
        Call("a missing guide", lambda w: "/panduan/tidak-ada/", 404),
        Call("no path out of the folder", lambda w: "/panduan/..%2Fsettings/", 404),
    ],
}
SUBSITE_PUBLIC: dict = {}
FORM_PAGES: set[str] = set()
