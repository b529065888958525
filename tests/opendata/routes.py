"""Public routes of the open data and the read API, for the route guard (test_route_guard.py)."""

from tests.route_calls import HIDDEN, Call

_JSON_404 = 404

PORTAL_PUBLIC: dict = {
    "opendata:index": [Call("every data set and its columns", lambda w: "/data/", 200)],
    **{
        f"opendata:{name}": [Call("verified KIMs only", lambda w, p=path: p, 200)]
        for name, path in (("kim_csv", "/data/kim.csv"), ("kim_json", "/data/kim.json"))
    },
    **{
        f"opendata:stats_{level}_{ext}": [
            Call(
                "figures per region",
                lambda w, p=f"/data/statistik-{level}.{ext}": p,
                200,
                absent=HIDDEN,
            )
        ]
        for level in ("provinsi", "kabupaten")
        for ext in ("csv", "json")
    },
    "api:openapi-json": [Call("the description", lambda w: "/api/v1/openapi.json", 200)],
    "api:api-root": [Call("no docs page", lambda w: "/api/v1/", 404)],
    "api:provinces": [Call("every province", lambda w: "/api/v1/provinsi", 200)],
    "api:regencies": [
        Call("a province's regencies", lambda w: "/api/v1/provinsi/35/kabupaten", 200),
        Call("a missing province", lambda w: "/api/v1/provinsi/99/kabupaten", 404),
        Call("a malformed code", lambda w: "/api/v1/provinsi/3x/kabupaten", 422),
    ],
    "api:districts": [
        Call("a regency's districts", lambda w: "/api/v1/kabupaten/35.78/kecamatan", 200),
        Call("a missing regency", lambda w: "/api/v1/kabupaten/35.99/kecamatan", 404),
    ],
    "api:villages": [
        Call("a district's villages", lambda w: "/api/v1/kecamatan/35.78.09/desa", 200),
        Call("a missing district", lambda w: "/api/v1/kecamatan/35.78.99/desa", 404),
    ],
    "api:kims": [
        Call("verified KIMs only", lambda w: "/api/v1/kim", 200, absent=HIDDEN),
        Call("a forged cursor", lambda w: "/api/v1/kim?cursor=x", 400),
    ],
    "api:posts": [
        Call("public posts only", lambda w: "/api/v1/kabar", 200, absent=HIDDEN),
        Call(
            "of a pending KIM", lambda w: f"/api/v1/kabar?kim={w.pending_a.pk}", 200, absent=HIDDEN
        ),
    ],
    "api:siaran": [Call("published siaran", lambda w: "/api/v1/siaran?cakupan=semua", 200)],
    "api:aspirations": [Call("public aspirations", lambda w: "/api/v1/aspirasi", 200)],
}
SUBSITE_PUBLIC: dict = {}
FORM_PAGES: set[str] = set()
