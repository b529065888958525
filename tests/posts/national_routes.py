"""This app's public routes for the route guard (tests/test_route_guard.py): the national hoax
and UMKM lists on the portal (issue 9)."""

from tests.route_calls import HIDDEN, Call

# The guard's world has only ordinary posts: neither list may show them, nor drafts, nor a KIM
# that is not verified, whatever the filters say.
NOT_LISTED = (*HIDDEN, "Berita A", "Berita B")

PORTAL_PUBLIC: dict = {
    "hoaks:index": [
        Call("public clarifications only", lambda w: "/hoaks/", 200, absent=NOT_LISTED),
        Call("a made-up verdict and province are ignored",
             lambda w: "/hoaks/?putusan=bohong&provinsi=99", 200, absent=NOT_LISTED),
        Call("a cursor that is not ours gives the first page",
             lambda w: "/hoaks/?setelah=%00rusak", 200, absent=NOT_LISTED),
    ],
    "umkm:index": [
        Call("public products only", lambda w: "/umkm/", 200, absent=NOT_LISTED),
        Call("a made-up category and regency are ignored",
             lambda w: "/umkm/?kategori=mainan&kabupaten=99.99", 200, absent=NOT_LISTED),
        Call("a cursor that is not ours gives the first page",
             lambda w: "/umkm/?sebelum=WyJ4IiwxXQ", 200, absent=NOT_LISTED),
    ],
}  # fmt: skip
SUBSITE_PUBLIC: dict = {}
FORM_PAGES: set[str] = set()
