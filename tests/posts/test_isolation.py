"""Tenant isolation of every kelola page of posts:* (the editor) and moderation:*.

Each URL is built for a post of KIM A (Kota Surabaya, Jawa Timur) or KIM B (Kota Bandung, Jawa
Barat) and requested by every actor of the shared world (tests.isolation.ACTORS). The expected
answers are written out by hand below, not computed with the permission code under test;
tests/isolation.py says how to read them ("ok" here: a POST that answers 200 with an error or 302
after success, and changes something).

Refused requests must not leak anything of the target tenant and must not change the database.
"""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from posts.models import BannedTerm, Image, ModerationEvent, Post, PostRevision, Report
from tests.factories import jpeg_upload
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
MEMBER_OF_A        = "200   200   200   404   404   404   404   404   404   404   404   302"
EDITORS_OF_A       = "404   200   200   404   404   404   404   404   404   404   404   302"
MEMBER_OF_B        = "404   404   404   200   404   404   404   404   404   404   404   302"
STAFF_ANY          = "404   404   404   404   200   200   200   200   200   200   404   302"
STAFF_OF_A         = "404   404   404   404   200   404   404   200   404   200   404   302"
STAFF_OF_B         = "404   404   404   404   404   404   200   404   200   200   404   302"
NATIONAL_ONLY      = "404   404   404   404   404   404   404   404   404   200   404   302"
NOBODY             = "404   404   404   404   404   404   404   404   404   404   404   302"

POST_MEMBER_OF_A   = "ok    ok    ok    404   404   404   404   404   404   404   404   302"
POST_EDITORS_OF_A  = "404   ok    ok    404   404   404   404   404   404   404   404   302"
POST_MEMBER_OF_B   = "404   404   404   ok    404   404   404   404   404   404   404   302"
POST_STAFF_OF_A    = "404   404   404   404   ok    404   404   ok    404   ok    404   302"
POST_STAFF_OF_B    = "404   404   404   404   404   404   ok    404   ok    ok    404   302"
POST_NATIONAL_ONLY = "404   404   404   404   404   404   404   404   404   ok    404   302"
# fmt: on

# What each actor may see of each tenant on pages without a tenant in the URL: written out.
SEES = {
    "a_contributor": "",
    "a_editor": "",
    "a_admin": "",
    "b_admin": "",
    "surabaya_admin": "A",
    "malang_admin": "",
    "bandung_admin": "B",
    "jatim_admin": "A",
    "jabar_admin": "B",
    "national_admin": "AB",
    "outsider": "",
    "anonymous": "",
}

SECRETS = {
    "A": [
        "KIM Ketabang Maju", "kim-ketabang", "Draf kontributor A", "Draf editor A",
        "Menunggu moderasi A", "Tayang dilaporkan A", "Keterangan rahasia A",
        "Tayang direvisi A", "Perubahan tertunda A",
    ],
    "B": [
        "KIM Gegerkalong Sejahtera", "kim-gegerkalong", "Draf kontributor B",
        "Menunggu moderasi B", "Tayang dilaporkan B", "Keterangan rahasia B",
        "Tayang direvisi B", "Perubahan tertunda B",
    ],
}  # fmt: skip

A = "/kim/kim-ketabang/tulisan"
B = "/kim/kim-gegerkalong/tulisan"


def _image(post, caption: str) -> Image:
    return Image.objects.create(
        community=post.community,
        post=post,
        original="originals/x.jpg",
        status="ready",
        width=640,
        height=480,
        caption=caption,
        renditions={"320": {"webp": "r/x.webp", "jpeg": "r/x.jpg", "height": 240}},
    )


def _post(community, title: str, **fields) -> Post:
    return Post.objects.create(
        community=community,
        regency_id=community.regency_id,
        province_id=community.province_id,
        title=title,
        slug=title.lower().replace(" ", "-"),
        body="Isi",
        **fields,
    )


@pytest.fixture
def w(world) -> SimpleNamespace:
    """The shared world plus, in each KIM: drafts, a photo, a queue item, a reported post."""
    now = timezone.now()
    clean = {"clean": True, "photos_ready": True, "banned_terms": [], "links": 0,
             "too_many_links": False, "duplicate_of": None}  # fmt: skip
    for t, community in (("a", world.kim_a), ("b", world.kim_b)):
        T = t.upper()
        draft = _post(community, f"Draf kontributor {T}", author=getattr(world, f"{t}_contributor"))
        setattr(world, f"draft_{t}", draft)
        setattr(world, f"image_{t}", _image(draft, f"Keterangan rahasia {T}"))
        queued = _post(
            community, f"Menunggu moderasi {T}", status="submitted", submitted_at=now,
            checks=clean, checks_done=True, author=getattr(world, f"{t}_contributor"),
        )  # fmt: skip
        setattr(world, f"queued_{t}", queued)
        published = _post(
            community, f"Tayang dilaporkan {T}", status="published", published_at=now,
            submitted_at=now, open_reports=1,
        )  # fmt: skip
        Report.objects.create(
            community=community, post=published, reason="hoaks", reporter_key=f"key-{t}"
        )
        setattr(world, f"published_{t}", published)
        # A post on air with an edit waiting as a revision.
        revised = _post(community, f"Tayang direvisi {T}", status="published", published_at=now)
        setattr(world, f"revised_{t}", revised)
        revision = PostRevision.objects.create(
            community=community, post=revised, kind="berita", title=f"Perubahan tertunda {T}",
            body="Isi baru", checks=clean, checks_done=True,
        )  # fmt: skip
        setattr(world, f"revision_{t}", revision)
    world.editor_draft_a = _post(world.kim_a, "Draf editor A", author=world.a_editor)
    world.editor_image_a = _image(world.editor_draft_a, "Foto editor")
    world.term = BannedTerm.objects.create(term="judi")
    return world


def fields(**overrides) -> dict:
    data = {"kind": "berita", "title": "Dibajak", "summary": "", "body": "Dibajak", "tags": ""}
    data.update(overrides)
    return data


def caption(image) -> dict:
    return {f"foto{image.pk}-caption": "Dibajak", f"foto{image.pk}-alt_text": "Dibajak"}


def replacement(image) -> dict:
    return {**caption(image), f"foto{image.pk}-replacement": jpeg_upload("dibajak.jpg")}


# id: (url builder, tenant of the object or None, expectations)
GET_PAGES = {
    "posts:list-a": (lambda w: f"{A}/", "A", MEMBER_OF_A),
    "posts:list-b": (lambda w: f"{B}/", "B", MEMBER_OF_B),
    "posts:create-a": (lambda w: f"{A}/baru/", "A", MEMBER_OF_A),
    "posts:create-b": (lambda w: f"{B}/baru/", "B", MEMBER_OF_B),
    "posts:edit-a": (lambda w: f"{A}/{w.draft_a.pk}/", "A", MEMBER_OF_A),
    "posts:edit-a_editor_post": (lambda w: f"{A}/{w.editor_draft_a.pk}/", "A", EDITORS_OF_A),
    "posts:edit-b": (lambda w: f"{B}/{w.draft_b.pk}/", "B", MEMBER_OF_B),
    "posts:edit-a_with_b_post": (lambda w: f"{A}/{w.draft_b.pk}/", "B", NOBODY),
    "posts:photo_status-a": (lambda w: f"{A}/{w.draft_a.pk}/foto/status/", "A", MEMBER_OF_A),
    "posts:photo_status-a_editor_post": (
        lambda w: f"{A}/{w.editor_draft_a.pk}/foto/status/",
        "A",
        EDITORS_OF_A,
    ),
    "posts:photo_status-b": (lambda w: f"{B}/{w.draft_b.pk}/foto/status/", "B", MEMBER_OF_B),
    "posts:photo_status-a_with_b_post": (lambda w: f"{A}/{w.draft_b.pk}/foto/status/", "B", NOBODY),  # noqa: E501
    "posts:photo_edit-a": (lambda w: f"{A}/{w.draft_a.pk}/foto/{w.image_a.pk}/", "A", MEMBER_OF_A),
    "posts:photo_edit-a_editor_post": (
        lambda w: f"{A}/{w.editor_draft_a.pk}/foto/{w.editor_image_a.pk}/",
        "A",
        EDITORS_OF_A,
    ),
    "posts:photo_edit-b": (lambda w: f"{B}/{w.draft_b.pk}/foto/{w.image_b.pk}/", "B", MEMBER_OF_B),
    # B's photo through A's post: A's members may open the post, never B's photo through it.
    "posts:photo_edit-a_with_b_image": (
        lambda w: f"{A}/{w.draft_a.pk}/foto/{w.image_b.pk}/",
        "B",
        NOBODY,
    ),
    # The editor's photo through the contributor's own post of the same KIM: a photo is reached
    # only through the post it belongs to.
    "posts:photo_edit-a_with_editor_image": (
        lambda w: f"{A}/{w.draft_a.pk}/foto/{w.editor_image_a.pk}/",
        "A",
        NOBODY,
    ),
    "moderation:queue": (lambda w: "/moderasi/", None, STAFF_ANY),
    "moderation:detail-queued_a": (lambda w: f"/moderasi/{w.queued_a.pk}/", "A", STAFF_OF_A),
    "moderation:detail-published_a": (lambda w: f"/moderasi/{w.published_a.pk}/", "A", STAFF_OF_A),  # noqa: E501
    "moderation:detail-queued_b": (lambda w: f"/moderasi/{w.queued_b.pk}/", "B", STAFF_OF_B),
    "moderation:detail-published_b": (lambda w: f"/moderasi/{w.published_b.pk}/", "B", STAFF_OF_B),  # noqa: E501
    # Drafts belong to their KIM alone.
    "moderation:detail-draft_a": (lambda w: f"/moderasi/{w.draft_a.pk}/", "A", NOBODY),
    "moderation:revision-a": (lambda w: f"/moderasi/perubahan/{w.revision_a.pk}/", "A", STAFF_OF_A),  # noqa: E501
    "moderation:revision-b": (lambda w: f"/moderasi/perubahan/{w.revision_b.pk}/", "B", STAFF_OF_B),  # noqa: E501
    "moderation:banned_terms": (lambda w: "/moderasi/kata/", None, NATIONAL_ONLY),
}

# id: (url builder, data builder, tenant, expectations)
POST_ACTIONS = {
    "posts:create-a": (lambda w: f"{A}/baru/", lambda w: fields(), "A", POST_MEMBER_OF_A),
    "posts:create-b": (lambda w: f"{B}/baru/", lambda w: fields(), "B", POST_MEMBER_OF_B),
    "posts:edit-a": (lambda w: f"{A}/{w.draft_a.pk}/", lambda w: fields(), "A", POST_MEMBER_OF_A),
    "posts:edit-a_editor_post": (lambda w: f"{A}/{w.editor_draft_a.pk}/", lambda w: fields(), "A", POST_EDITORS_OF_A),  # noqa: E501
    "posts:edit-b": (lambda w: f"{B}/{w.draft_b.pk}/", lambda w: fields(), "B", POST_MEMBER_OF_B),
    "posts:edit-a_with_b_post": (lambda w: f"{A}/{w.draft_b.pk}/", lambda w: fields(), "B", NOBODY),  # noqa: E501
    # An edit of a post on air (an untrusted KIM): a revision for A's editors, nothing for others.
    "posts:edit-a_published": (lambda w: f"{A}/{w.revised_a.pk}/", lambda w: fields(), "A", POST_EDITORS_OF_A),  # noqa: E501
    "posts:edit-b_published": (lambda w: f"{B}/{w.revised_b.pk}/", lambda w: fields(), "B", POST_MEMBER_OF_B),  # noqa: E501
    "posts:edit-a_with_b_published": (lambda w: f"{A}/{w.revised_b.pk}/", lambda w: fields(), "B", NOBODY),  # noqa: E501
    "posts:autosave-a": (lambda w: f"{A}/{w.draft_a.pk}/autosimpan/", lambda w: fields(), "A", POST_MEMBER_OF_A),  # noqa: E501
    "posts:autosave-a_editor_post": (lambda w: f"{A}/{w.editor_draft_a.pk}/autosimpan/", lambda w: fields(), "A", POST_EDITORS_OF_A),  # noqa: E501
    "posts:autosave-b": (lambda w: f"{B}/{w.draft_b.pk}/autosimpan/", lambda w: fields(), "B", POST_MEMBER_OF_B),  # noqa: E501
    "posts:autosave-a_with_b_post": (lambda w: f"{A}/{w.draft_b.pk}/autosimpan/", lambda w: fields(), "B", NOBODY),  # noqa: E501
    "posts:submit-a": (lambda w: f"{A}/{w.draft_a.pk}/kirim/", lambda w: {}, "A", POST_MEMBER_OF_A),  # noqa: E501
    "posts:submit-a_editor_post": (lambda w: f"{A}/{w.editor_draft_a.pk}/kirim/", lambda w: {}, "A", POST_EDITORS_OF_A),  # noqa: E501
    "posts:submit-b": (lambda w: f"{B}/{w.draft_b.pk}/kirim/", lambda w: {}, "B", POST_MEMBER_OF_B),
    "posts:submit-a_with_b_post": (lambda w: f"{A}/{w.draft_b.pk}/kirim/", lambda w: {}, "B", NOBODY),  # noqa: E501
    "posts:photo_edit-a": (lambda w: f"{A}/{w.draft_a.pk}/foto/{w.image_a.pk}/", lambda w: caption(w.image_a), "A", POST_MEMBER_OF_A),  # noqa: E501
    "posts:photo_edit-a_editor_post": (lambda w: f"{A}/{w.editor_draft_a.pk}/foto/{w.editor_image_a.pk}/", lambda w: caption(w.editor_image_a), "A", POST_EDITORS_OF_A),  # noqa: E501
    "posts:photo_edit-b": (lambda w: f"{B}/{w.draft_b.pk}/foto/{w.image_b.pk}/", lambda w: caption(w.image_b), "B", POST_MEMBER_OF_B),  # noqa: E501
    "posts:photo_edit-a_with_b_image": (lambda w: f"{A}/{w.draft_a.pk}/foto/{w.image_b.pk}/", lambda w: caption(w.image_b), "B", NOBODY),  # noqa: E501
    "posts:photo_delete-a": (lambda w: f"{A}/{w.draft_a.pk}/foto/{w.image_a.pk}/hapus/", lambda w: {}, "A", POST_MEMBER_OF_A),  # noqa: E501
    "posts:photo_delete-a_editor_post": (lambda w: f"{A}/{w.editor_draft_a.pk}/foto/{w.editor_image_a.pk}/hapus/", lambda w: {}, "A", POST_EDITORS_OF_A),  # noqa: E501
    "posts:photo_delete-b": (lambda w: f"{B}/{w.draft_b.pk}/foto/{w.image_b.pk}/hapus/", lambda w: {}, "B", POST_MEMBER_OF_B),  # noqa: E501
    "posts:photo_delete-a_with_b_image": (lambda w: f"{A}/{w.draft_a.pk}/foto/{w.image_b.pk}/hapus/", lambda w: {}, "B", NOBODY),  # noqa: E501
    "posts:photo_edit-a_with_editor_image": (lambda w: f"{A}/{w.draft_a.pk}/foto/{w.editor_image_a.pk}/", lambda w: caption(w.editor_image_a), "A", NOBODY),  # noqa: E501
    "posts:photo_edit-a_replace_editor_image": (lambda w: f"{A}/{w.draft_a.pk}/foto/{w.editor_image_a.pk}/", lambda w: replacement(w.editor_image_a), "A", NOBODY),  # noqa: E501
    "posts:photo_delete-a_with_editor_image": (lambda w: f"{A}/{w.draft_a.pk}/foto/{w.editor_image_a.pk}/hapus/", lambda w: {}, "A", NOBODY),  # noqa: E501
    "moderation:approve-a": (lambda w: f"/moderasi/{w.queued_a.pk}/setujui/", lambda w: {}, "A", POST_STAFF_OF_A),  # noqa: E501
    "moderation:reject-a": (lambda w: f"/moderasi/{w.queued_a.pk}/tolak/", lambda w: {"reason": "x"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "moderation:take_down-a": (lambda w: f"/moderasi/{w.published_a.pk}/turunkan/", lambda w: {"reason": "x"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "moderation:dismiss_reports-a": (lambda w: f"/moderasi/{w.published_a.pk}/abaikan-laporan/", lambda w: {"reason": "x"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "moderation:approve-b": (lambda w: f"/moderasi/{w.queued_b.pk}/setujui/", lambda w: {}, "B", POST_STAFF_OF_B),  # noqa: E501
    "moderation:reject-b": (lambda w: f"/moderasi/{w.queued_b.pk}/tolak/", lambda w: {"reason": "x"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "moderation:take_down-b": (lambda w: f"/moderasi/{w.published_b.pk}/turunkan/", lambda w: {"reason": "x"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "moderation:dismiss_reports-b": (lambda w: f"/moderasi/{w.published_b.pk}/abaikan-laporan/", lambda w: {"reason": "x"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "moderation:approve-draft_a": (lambda w: f"/moderasi/{w.draft_a.pk}/setujui/", lambda w: {}, "A", NOBODY),  # noqa: E501
    "moderation:take_down-draft_a": (lambda w: f"/moderasi/{w.draft_a.pk}/turunkan/", lambda w: {"reason": "x"}, "A", NOBODY),  # noqa: E501
    "moderation:revision_approve-a": (lambda w: f"/moderasi/perubahan/{w.revision_a.pk}/setujui/", lambda w: {}, "A", POST_STAFF_OF_A),  # noqa: E501
    "moderation:revision_reject-a": (lambda w: f"/moderasi/perubahan/{w.revision_a.pk}/tolak/", lambda w: {"reason": "x"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "moderation:revision_approve-b": (lambda w: f"/moderasi/perubahan/{w.revision_b.pk}/setujui/", lambda w: {}, "B", POST_STAFF_OF_B),  # noqa: E501
    "moderation:revision_reject-b": (lambda w: f"/moderasi/perubahan/{w.revision_b.pk}/tolak/", lambda w: {"reason": "x"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "moderation:banned_terms": (lambda w: "/moderasi/kata/", lambda w: {"term": "dibajak"}, None, POST_NATIONAL_ONLY),  # noqa: E501
    "moderation:banned_term_delete": (lambda w: f"/moderasi/kata/{w.term.pk}/hapus/", lambda w: {}, None, POST_NATIONAL_ONLY),  # noqa: E501
}  # fmt: skip


def snapshot() -> dict:
    """Everything a refused request could have changed."""
    return {
        "posts": list(
            Post.objects.order_by("pk").values_list(
                "pk",
                "community",
                "status",
                "title",
                "body",
                "kind",
                "publish_at",
                "open_reports",
                "hidden_by_reports",
                "decision_reason",
                "claimed_by",
            )
        ),  # fmt: skip
        "images": list(
            Image.objects.order_by("pk").values_list(
                "pk", "post", "caption", "alt_text", "status", "original"
            )
        ),
        "events": list(ModerationEvent.objects.order_by("pk").values_list("pk", "action")),
        "reports": list(Report.objects.order_by("pk").values_list("pk", "resolved_at")),
        "terms": list(BannedTerm.objects.order_by("pk").values_list("pk", "term")),
        "revisions": list(
            PostRevision.objects.order_by("pk").values_list("pk", "post", "status", "title")
        ),
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
    # A page of one tenant never shows the other; a page without one shows what the actor SEES.
    assert_hides_foreign(content_of(response), SECRETS, among="AB", visible=tenant or SEES[actor])


# The queue shows exactly the items in scope (submitted, or published with open reports).
QUEUE_SHOWS = {
    "surabaya_admin": ["Menunggu moderasi A", "Tayang dilaporkan A"],
    "malang_admin": [],
    "bandung_admin": ["Menunggu moderasi B", "Tayang dilaporkan B"],
    "jatim_admin": ["Menunggu moderasi A", "Tayang dilaporkan A"],
    "jabar_admin": ["Menunggu moderasi B", "Tayang dilaporkan B"],
    "national_admin": [
        "Menunggu moderasi A", "Tayang dilaporkan A", "Menunggu moderasi B", "Tayang dilaporkan B",
    ],
}  # fmt: skip
ALL_TITLES = [
    "Draf kontributor A", "Draf editor A", "Menunggu moderasi A", "Tayang dilaporkan A",
    "Draf kontributor B", "Menunggu moderasi B", "Tayang dilaporkan B",
]  # fmt: skip

# The post list shows each member what they may open.
LIST_SHOWS = {
    "a_contributor": ["Draf kontributor A", "Menunggu moderasi A"],
    "a_editor": [
        "Draf kontributor A",
        "Draf editor A",
        "Menunggu moderasi A",
        "Tayang dilaporkan A",
    ],  # noqa: E501
    "a_admin": [
        "Draf kontributor A",
        "Draf editor A",
        "Menunggu moderasi A",
        "Tayang dilaporkan A",
    ],  # noqa: E501
}


@pytest.mark.parametrize("actor", sorted(QUEUE_SHOWS))
def test_queue_shows_exactly_the_scope(client, w, actor):
    sign_in(client, w, actor)
    page = client.get("/moderasi/", kelola=True).content.decode()
    assert [t for t in ALL_TITLES if t in page] == QUEUE_SHOWS[actor]


@pytest.mark.parametrize("actor", sorted(LIST_SHOWS))
def test_post_list_shows_exactly_what_the_member_may_open(client, w, actor):
    sign_in(client, w, actor)
    page = client.get(f"{A}/", kelola=True).content.decode()
    assert [t for t in ALL_TITLES if t in page] == LIST_SHOWS[actor]


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e != "ok")
)
def test_post_is_refused_and_changes_nothing(client, w, name, actor, expected):
    build, data, tenant, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    before = snapshot()
    response = client.post(build(w), data(w), kelola=True)
    assert_refused(response, expected, hidden=SECRETS.get(tenant, []))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e == "ok")
)
def test_post_is_allowed(client, w, name, actor, expected, django_capture_on_commit_callbacks):
    build, data, _tenant, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(build(w), data(w), kelola=True)
    assert response.status_code in (200, 302)
    assert snapshot() != before


def test_every_route_of_these_apps_is_in_the_matrix():
    """A new route must be added to the tables above."""
    assert_every_route_in_matrix((GET_PAGES, POST_ACTIONS), namespaces=("posts", "moderation"))


def test_every_row_requests_the_route_it_names(w):
    assert_every_row_requests_its_route(w, (GET_PAGES, POST_ACTIONS))
