"""Tenant isolation of every kelola page of siaran:* (staff pages and a KIM's inbox).

Siaran: a draft of the Jawa Timur province admin targeting Jawa Timur ("J", draft), a published
one of the Kota Bandung admin targeting Kota Bandung ("B"), and a published national one ("N").
Each URL is requested by every actor of the shared world (tests.isolation.ACTORS). Expected answers
are written by hand; tests/isolation.py says how to read them ("err" here: the create form again,
with its error, for staff who may not target Kota Surabaya).
"""

from types import SimpleNamespace

import pytest

from siaran.models import Relay, Reminder, Siaran
from tests.isolation import assert_refused, cases, sign_in
from tests.siaran.helpers import make_siaran

pytestmark = pytest.mark.django_db

# fmt: off
# Columns:             a_con a_edi a_adm b_adm  sby   mlg   bdg   jtm   jbr   nat   out   anon
MEMBER_OF_A          = "200   200   200   404   404   404   404   404   404   404   404   302"
MEMBER_OF_B          = "404   404   404   200   404   404   404   404   404   404   404   302"
STAFF_ANY            = "404   404   404   404   200   200   200   200   200   200   404   302"
REACHES_JATIM        = "404   404   404   404   200   200   404   200   404   200   404   302"
REACHES_BANDUNG      = "404   404   404   404   404   404   200   404   200   200   404   302"
COVERS_JATIM         = "404   404   404   404   404   404   404   200   404   200   404   302"
COVERS_BANDUNG       = "404   404   404   404   404   404   200   404   200   200   404   302"
NOBODY               = "404   404   404   404   404   404   404   404   404   404   404   302"

POST_MEMBER_OF_A     = "ok    ok    ok    404   404   404   404   404   404   404   404   302"
POST_MEMBER_OF_B     = "404   404   404   ok    404   404   404   404   404   404   404   302"
POST_STAFF_ANY       = "404   404   404   404   ok    ok    ok    ok    ok    ok    404   302"
POST_COVERS_JATIM    = "404   404   404   404   404   404   404   ok    404   ok    404   302"
POST_COVERS_BANDUNG  = "404   404   404   404   404   404   ok    404   ok    ok    404   302"
POST_REACHES_BANDUNG = "404   404   404   404   404   404   ok    404   ok    ok    404   302"
# Staff outside Kota Surabaya get the form back (the regency is not among their choices).
POST_CREATE_SURABAYA = "404   404   404   404   ok    err   err   ok    err   ok    404   302"
POST_NOBODY          = "404   404   404   404   404   404   404   404   404   404   404   302"
# fmt: on

A = "/kim/kim-ketabang/siaran"
B = "/kim/kim-gegerkalong/siaran"


@pytest.fixture
def w(world) -> SimpleNamespace:
    r = world.regions
    world.jatim = make_siaran(
        world.jatim_admin, title="Rahasia Jatim", provinces=[r.jatim], status="draft"
    )  # noqa: E501
    world.jatim_pub = make_siaran(world.jatim_admin, title="Siaran Jatim", provinces=[r.jatim])
    world.bandung = make_siaran(world.bandung_admin, title="Siaran Bandung", regencies=[r.bandung])
    world.national = make_siaran(world.national_admin, title="Siaran Nasional", national=True)
    return world


def target(**overrides) -> dict:
    data = {"office_name": "Dibajak", "title": "Dibajak", "body": "Dibajak", "links": ""}
    data.update(overrides)
    return data


GET_PAGES = {
    "siaran:list": (lambda w: "/siaran/", STAFF_ANY),
    "siaran:create": (lambda w: "/siaran/baru/", STAFF_ANY),
    "siaran:report-jatim": (lambda w: f"/siaran/{w.jatim.pk}/", REACHES_JATIM),
    "siaran:report-bandung": (lambda w: f"/siaran/{w.bandung.pk}/", REACHES_BANDUNG),
    "siaran:report-missing": (lambda w: "/siaran/999999/", NOBODY),
    "siaran:edit-jatim": (lambda w: f"/siaran/{w.jatim.pk}/ubah/", COVERS_JATIM),
    "siaran:edit-bandung": (lambda w: f"/siaran/{w.bandung.pk}/ubah/", COVERS_BANDUNG),
    "siaran:inbox-a": (lambda w: f"{A}/", MEMBER_OF_A),
    "siaran:inbox-b": (lambda w: f"{B}/", MEMBER_OF_B),
    "siaran:inbox_detail-a": (lambda w: f"{A}/{w.jatim_pub.pk}/", MEMBER_OF_A),
    "siaran:inbox_detail-a_national": (lambda w: f"{A}/{w.national.pk}/", MEMBER_OF_A),
    # Another province's siaran through A's inbox, and a draft: nobody.
    "siaran:inbox_detail-a_with_bandung": (lambda w: f"{A}/{w.bandung.pk}/", NOBODY),
    "siaran:inbox_detail-a_with_draft": (lambda w: f"{A}/{w.jatim.pk}/", NOBODY),
    "siaran:inbox_detail-b_with_jatim": (lambda w: f"{B}/{w.jatim_pub.pk}/", NOBODY),
    "siaran:inbox_detail-b": (lambda w: f"{B}/{w.bandung.pk}/", MEMBER_OF_B),
}

POST_ACTIONS = {
    "siaran:create": (lambda w: "/siaran/baru/", lambda w: target(regencies=["35.78"]), POST_CREATE_SURABAYA),  # noqa: E501
    "siaran:edit-jatim": (lambda w: f"/siaran/{w.jatim.pk}/ubah/", lambda w: target(provinces=["35"]), POST_COVERS_JATIM),  # noqa: E501
    "siaran:edit-bandung": (lambda w: f"/siaran/{w.bandung.pk}/ubah/", lambda w: target(regencies=["32.73"]), POST_COVERS_BANDUNG),  # noqa: E501
    "siaran:publish-jatim": (lambda w: f"/siaran/{w.jatim.pk}/terbitkan/", lambda w: {}, POST_COVERS_JATIM),  # noqa: E501
    "siaran:withdraw-bandung": (lambda w: f"/siaran/{w.bandung.pk}/tarik/", lambda w: {}, POST_COVERS_BANDUNG),  # noqa: E501
    "siaran:remind-bandung": (lambda w: f"/siaran/{w.bandung.pk}/ingatkan/", lambda w: {}, POST_REACHES_BANDUNG),  # noqa: E501
    "siaran:remind-missing": (lambda w: "/siaran/999999/ingatkan/", lambda w: {}, POST_NOBODY),
    "siaran:relay-a": (lambda w: f"{A}/{w.jatim_pub.pk}/teruskan/", lambda w: {}, POST_MEMBER_OF_A),  # noqa: E501
    "siaran:relay-b": (lambda w: f"{B}/{w.bandung.pk}/teruskan/", lambda w: {}, POST_MEMBER_OF_B),  # noqa: E501
    "siaran:relay-a_with_bandung": (lambda w: f"{A}/{w.bandung.pk}/teruskan/", lambda w: {}, POST_NOBODY),  # noqa: E501
    "siaran:relay-a_with_draft": (lambda w: f"{A}/{w.jatim.pk}/teruskan/", lambda w: {}, POST_NOBODY),  # noqa: E501
    "siaran:relay-b_with_jatim": (lambda w: f"{B}/{w.jatim_pub.pk}/teruskan/", lambda w: {}, POST_NOBODY),  # noqa: E501
}  # fmt: skip

# Titles only the right people may see.
SECRETS = {"jatim_draft": "Rahasia Jatim", "bandung": "Siaran Bandung", "jatim": "Siaran Jatim"}


def snapshot() -> dict:
    return {
        "siaran": list(
            Siaran.objects.order_by("pk").values_list("pk", "title", "status", "national")
        ),
        "relays": list(Relay.objects.order_by("pk").values_list("pk", "siaran", "community")),
        "reminders": list(Reminder.objects.values_list("pk", "area")),
    }


# No refusal shows the draft: the one siaran nobody outside its reach may know of.
HIDDEN = [SECRETS["jatim_draft"]]


@pytest.mark.parametrize(("name", "actor", "expected"), cases(GET_PAGES))
def test_get(client, w, name, actor, expected):
    build, _spec = GET_PAGES[name]
    sign_in(client, w, actor)
    response = client.get(build(w), kelola=True)
    if expected != "200":
        assert_refused(response, expected, hidden=HIDDEN)
        return
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "actor", "expected"), cases(POST_ACTIONS))
def test_post(client, w, name, actor, expected, django_capture_on_commit_callbacks):
    build, data, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(build(w), data(w), kelola=True)
    if expected == "ok":
        assert response.status_code in (200, 302)
        return
    if expected == "err":  # the form again, with an error, and nothing written
        assert response.status_code == 200
        assert 'class="error"' in response.content.decode()
        assert snapshot() == before
        return
    assert_refused(response, expected, hidden=HIDDEN)
    assert snapshot() == before


STAFF_LIST_SHOWS = {
    "surabaya_admin": ["Rahasia Jatim", "Siaran Jatim", "Siaran Nasional"],
    "malang_admin": ["Rahasia Jatim", "Siaran Jatim", "Siaran Nasional"],
    "bandung_admin": ["Siaran Bandung", "Siaran Nasional"],
    "jabar_admin": ["Siaran Bandung", "Siaran Nasional"],
    "jatim_admin": ["Rahasia Jatim", "Siaran Jatim", "Siaran Nasional"],
    "national_admin": ["Rahasia Jatim", "Siaran Jatim", "Siaran Bandung", "Siaran Nasional"],
}
INBOX_SHOWS = {"a": ["Siaran Jatim", "Siaran Nasional"], "b": ["Siaran Bandung", "Siaran Nasional"]}
TITLES = ["Rahasia Jatim", "Siaran Jatim", "Siaran Bandung", "Siaran Nasional"]


@pytest.mark.parametrize("actor", sorted(STAFF_LIST_SHOWS))
def test_staff_list_shows_exactly_the_reach(client, w, actor):
    sign_in(client, w, actor)
    page = client.get("/siaran/", kelola=True).content.decode()
    assert [t for t in TITLES if t in page] == STAFF_LIST_SHOWS[actor]


@pytest.mark.parametrize(("actor", "tenant"), [("a_contributor", "a"), ("b_admin", "b")])
def test_inbox_shows_exactly_the_target(client, w, actor, tenant):
    sign_in(client, w, actor)
    url = A if tenant == "a" else B
    page = client.get(f"{url}/", kelola=True).content.decode()
    assert [t for t in TITLES if t in page] == INBOX_SHOWS[tenant]


def test_a_suspended_kim_has_no_inbox(client, w):
    w.kim_a.status = "suspended"
    w.kim_a.save()
    client.force_login(w.a_admin)
    assert client.get(f"{A}/", kelola=True).status_code == 404
    assert client.post(f"{A}/{w.national.pk}/teruskan/", kelola=True).status_code == 404
    assert not Relay.objects.exists()
