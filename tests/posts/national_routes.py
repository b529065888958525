"""This app's public routes for the route guard (tests/test_route_guard.py)."""

PORTAL_PUBLIC: dict = {}
SUBSITE_PUBLIC: dict = {}
FORM_PAGES: set[str] = set()
