"""Public routes of the statistics, for the route guard (tests/test_route_guard.py)."""

from tests.route_calls import HIDDEN, Call

PORTAL_PUBLIC: dict = {
    "stats_portal:index": [
        Call("the national figures, no unverified KIM", lambda w: "/statistik/", 200, absent=HIDDEN)
    ],
}
SUBSITE_PUBLIC: dict = {}
FORM_PAGES: set[str] = set()
