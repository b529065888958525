"""The privacy notice's public route for the route guard (tests/test_route_guard.py)."""

from tests.route_calls import Call

PORTAL_PUBLIC = {
    "privacy": [Call("the privacy notice", lambda w: "/privasi/", 200)],
}
SUBSITE_PUBLIC: dict = {}
FORM_PAGES: set[str] = set()
