"""Tenant isolation of every kelola page of aspirasi:* (the staff queue and a KIM's queue).

Each URL is built for an aspirasi to KIM A (Kota Surabaya, Jawa Timur), to KIM B (Kota Bandung,
Jawa Barat), to Kota Surabaya itself or to Kabupaten Malang, and requested by every actor of the
shared world (tests.isolation.ACTORS). The expected answers are written out by hand, not computed
with the permission code under test; tests/isolation.py says how to read them ("ok" here: a POST
that answers 302 after success; "err": the form again with its error, nothing changed).

Refused requests must not leak anything of the target (its text, its sender's contact) and must
not change the database.
"""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from aspirations.models import Aspirasi, AspirasiEvent
from kimportal.lib.storage import private_storage
from tests.aspirations.helpers import make_aspirasi
from tests.isolation import (
    assert_every_route_in_matrix,
    assert_every_row_requests_its_route,
    assert_hides_foreign,
    assert_refused,
    cases,
    content_of,
    sign_in,
)

pytestmark = pytest.mark.django_db

# fmt: off
# Columns:           a_con a_edi a_adm b_adm  sby   mlg   bdg   jtm   jbr   nat   out   anon
EDITORS_OF_A       = "404   200   200   404   404   404   404   404   404   404   404   302"
MEMBER_OF_B        = "404   404   404   200   404   404   404   404   404   404   404   302"
STAFF_ANY          = "404   404   404   404   200   200   200   200   200   200   404   302"
STAFF_OF_A         = "404   404   404   404   200   404   404   200   404   200   404   302"
STAFF_OF_MALANG    = "404   404   404   404   404   200   404   200   404   200   404   302"
STAFF_OF_B         = "404   404   404   404   404   404   200   404   200   200   404   302"
NOBODY             = "404   404   404   404   404   404   404   404   404   404   404   302"

POST_EDITORS_OF_A  = "404   ok    ok    404   404   404   404   404   404   404   404   302"
POST_MEMBER_OF_B   = "404   404   404   ok    404   404   404   404   404   404   404   302"
POST_STAFF_OF_A    = "404   404   404   404   ok    404   404   ok    404   ok    404   302"
POST_STAFF_OF_B    = "404   404   404   404   404   404   ok    404   ok    ok    404   302"
POST_NOBODY        = "404   404   404   404   404   404   404   404   404   404   404   302"
# A's editors reach the form, which refuses (200 with its error); everyone else gets 404.
MERGE_FOREIGN      = "404   err   err   404   404   404   404   404   404   404   404   302"
# fmt: on

# Tenants: A (to KIM A), S (to Kota Surabaya), M (to Kabupaten Malang), B (to KIM B).
SEES = {
    "a_contributor": "",
    "a_editor": "A",
    "a_admin": "A",
    "b_admin": "B",
    "surabaya_admin": "AS",
    "malang_admin": "M",
    "bandung_admin": "B",
    "jatim_admin": "ASM",
    "jabar_admin": "B",
    "national_admin": "ASMB",
    "outsider": "",
    "anonymous": "",
}
SECRETS = {
    "A": ["Aspirasi rahasia A", "kontak-a@example.id"],
    "S": ["Aspirasi rahasia Surabaya", "kontak-s@example.id"],
    "M": ["Aspirasi rahasia Malang", "kontak-m@example.id"],
    "B": ["Aspirasi rahasia B", "kontak-b@example.id", "KIM Gegerkalong Sejahtera"],
}

A = "/kim/kim-ketabang/aspirasi"
B = "/kim/kim-gegerkalong/aspirasi"


def _with_photo(aspirasi: Aspirasi) -> Aspirasi:
    name = private_storage().save("aspirasi-bersih/x.jpg", ContentFile(b"\xff\xd8\xff\xd9"))
    Aspirasi.objects.filter(pk=aspirasi.pk).update(photo_clean=name, photo_status="ready")
    return aspirasi


@pytest.fixture
def w(world) -> SimpleNamespace:
    r = world.regions
    world.asp_a = _with_photo(make_aspirasi(community=world.kim_a, text="Aspirasi rahasia A",
                                            contact_email="kontak-a@example.id"))  # fmt: skip
    world.asp_s = make_aspirasi(regency=r.surabaya, text="Aspirasi rahasia Surabaya",
                                contact_email="kontak-s@example.id")  # fmt: skip
    world.asp_m = make_aspirasi(regency=r.malang, text="Aspirasi rahasia Malang",
                                contact_email="kontak-m@example.id")  # fmt: skip
    world.asp_b = _with_photo(make_aspirasi(community=world.kim_b, text="Aspirasi rahasia B",
                                            contact_email="kontak-b@example.id"))  # fmt: skip
    return world


def answer(w) -> dict:
    return {"action": "answer", "answer": "Dibajak"}


# id: (url builder, tenant of the object or None, expectations)
GET_PAGES = {
    "aspirasi:staff_queue": (lambda w: "/aspirasi/", None, STAFF_ANY),
    "aspirasi:staff_queue-all": (lambda w: "/aspirasi/?status=", None, STAFF_ANY),
    "aspirasi:staff_detail-a": (lambda w: f"/aspirasi/{w.asp_a.pk}/", "A", STAFF_OF_A),
    "aspirasi:staff_detail-surabaya": (lambda w: f"/aspirasi/{w.asp_s.pk}/", "S", STAFF_OF_A),
    "aspirasi:staff_detail-malang": (lambda w: f"/aspirasi/{w.asp_m.pk}/", "M", STAFF_OF_MALANG),
    "aspirasi:staff_detail-b": (lambda w: f"/aspirasi/{w.asp_b.pk}/", "B", STAFF_OF_B),
    "aspirasi:staff_photo-a": (lambda w: f"/aspirasi/{w.asp_a.pk}/foto/", "A", STAFF_OF_A),
    "aspirasi:staff_photo-b": (lambda w: f"/aspirasi/{w.asp_b.pk}/foto/", "B", STAFF_OF_B),
    "aspirasi:kim_queue-a": (lambda w: f"{A}/", "A", EDITORS_OF_A),
    "aspirasi:kim_queue-b": (lambda w: f"{B}/", "B", MEMBER_OF_B),
    "aspirasi:kim_detail-a": (lambda w: f"{A}/{w.asp_a.pk}/", "A", EDITORS_OF_A),
    "aspirasi:kim_detail-b": (lambda w: f"{B}/{w.asp_b.pk}/", "B", MEMBER_OF_B),
    # Another KIM's aspirasi, or the regency's own, through A's queue: nobody.
    "aspirasi:kim_detail-a_with_b": (lambda w: f"{A}/{w.asp_b.pk}/", "B", NOBODY),
    "aspirasi:kim_detail-a_with_surabaya": (lambda w: f"{A}/{w.asp_s.pk}/", "S", NOBODY),
    "aspirasi:kim_photo-a": (lambda w: f"{A}/{w.asp_a.pk}/foto/", "A", EDITORS_OF_A),
    "aspirasi:kim_photo-a_with_b": (lambda w: f"{A}/{w.asp_b.pk}/foto/", "B", NOBODY),
}

# id: (url builder, data builder, tenant, expectations)
POST_ACTIONS = {
    "aspirasi:staff_act-a": (lambda w: f"/aspirasi/{w.asp_a.pk}/tindakan/", answer, "A", POST_STAFF_OF_A),  # noqa: E501
    "aspirasi:staff_act-surabaya": (lambda w: f"/aspirasi/{w.asp_s.pk}/tindakan/", answer, "S", POST_STAFF_OF_A),  # noqa: E501
    "aspirasi:staff_act-b": (lambda w: f"/aspirasi/{w.asp_b.pk}/tindakan/", answer, "B", POST_STAFF_OF_B),  # noqa: E501
    "aspirasi:kim_act-a": (lambda w: f"{A}/{w.asp_a.pk}/tindakan/", answer, "A", POST_EDITORS_OF_A),
    "aspirasi:kim_act-b": (lambda w: f"{B}/{w.asp_b.pk}/tindakan/", answer, "B", POST_MEMBER_OF_B),
    "aspirasi:kim_act-a_with_b": (lambda w: f"{A}/{w.asp_b.pk}/tindakan/", answer, "B", POST_NOBODY),  # noqa: E501
    "aspirasi:kim_act-a_with_surabaya": (lambda w: f"{A}/{w.asp_s.pk}/tindakan/", answer, "S", POST_NOBODY),  # noqa: E501
    # Merging A's aspirasi into Malang's (another regency) through A's queue changes nothing.
    "aspirasi:kim_act-a_merge_into_malang": (
        lambda w: f"{A}/{w.asp_a.pk}/tindakan/",
        lambda w: {"action": "merge", "into": w.asp_m.pk},
        "A",
        MERGE_FOREIGN,
    ),
}  # fmt: skip


def snapshot() -> dict:
    return {
        "aspirations": list(
            Aspirasi.objects.order_by("pk").values_list(
                "pk", "status", "answer", "forwarded_to", "close_reason", "is_spam", "duplicate_of"
            )
        ),
        "events": list(AspirasiEvent.objects.order_by("pk").values_list("pk", "action")),
    }


@pytest.mark.parametrize(("name", "actor", "expected"), cases(GET_PAGES))
def test_get(client, w, name, actor, expected):
    build, tenant, _spec = GET_PAGES[name]
    sign_in(client, w, actor)
    response = client.get(build(w), kelola=True)
    if expected != "200":
        assert_refused(response, expected, hidden=SECRETS.get(tenant, []))
        return
    assert response.status_code == 200
    if response.streaming:  # a photo
        b"".join(response.streaming_content)
        return
    page = content_of(response)
    assert_hides_foreign(page, SECRETS, among="ASMB", visible=tenant or SEES[actor])
    if tenant is not None and "detail" in name:
        # The detail page is where the queue sees the contact.
        assert SECRETS[tenant][1] in page


# The staff queue lists exactly what each staff member's scope reaches.
QUEUE_SHOWS = {
    "surabaya_admin": "AS",
    "malang_admin": "M",
    "bandung_admin": "B",
    "jatim_admin": "ASM",
    "jabar_admin": "B",
    "national_admin": "ASMB",
}


@pytest.mark.parametrize("actor", sorted(QUEUE_SHOWS))
def test_staff_queue_shows_exactly_the_scope(client, w, actor):
    sign_in(client, w, actor)
    page = client.get("/aspirasi/", kelola=True).content.decode()
    assert "".join(t for t in "ASMB" if SECRETS[t][0] in page) == QUEUE_SHOWS[actor]
    # The queue lists no contact: only the detail page shows it.
    for tenant in "ASMB":
        assert SECRETS[tenant][1] not in page


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e not in ("ok", "err"))
)
def test_post_is_refused_and_changes_nothing(client, w, name, actor, expected):
    build, data, tenant, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    before = snapshot()
    response = client.post(build(w), data(w), kelola=True)
    assert_refused(response, expected, hidden=SECRETS.get(tenant, []))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e in ("ok", "err"))
)
def test_post_is_allowed(client, w, name, actor, expected, django_capture_on_commit_callbacks):
    build, data, _tenant, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(build(w), data(w), kelola=True)
    if expected == "err":  # the form answers with its error, and nothing changes
        assert response.status_code == 200
        assert "wilayah yang sama" in response.content.decode()
        assert SECRETS["M"][0] not in response.content.decode()
        assert snapshot() == before
        return
    assert response.status_code == 302
    assert snapshot() != before


def test_every_route_of_this_app_is_in_the_matrix():
    assert_every_route_in_matrix((GET_PAGES, POST_ACTIONS), namespaces=("aspirasi",))


def test_every_row_requests_the_route_it_names(w):
    assert_every_row_requests_its_route(w, (GET_PAGES, POST_ACTIONS))
