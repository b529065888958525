"""Every permission check of posts/services.py, called directly with an actor who lacks the
permission: the service refuses (PermissionError) and writes nothing.

Views resolve access before they call a service, so a service that forgot its own check would
pass every view test. One case per check; the refused actors are written out by hand.
(posts/images.py takes no actor: its callers are these services, the editor views and the worker.)
"""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from communities.models import Community
from posts import services
from posts.models import BannedTerm, Image, ModerationEvent, Post, Report
from tests.factories import make_post

pytestmark = pytest.mark.django_db

# Staff whose scope does not reach KIM A (Surabaya, Jawa Timur); A's own members; nobody.
NOT_MODERATORS_OF_A = ("a_admin", "a_editor", "malang_admin", "bandung_admin", "jabar_admin",
                       "b_admin", "outsider")  # fmt: skip
NOT_NATIONAL = ("jatim_admin", "surabaya_admin", "a_admin", "outsider")


def data(**overrides) -> services.PostData:
    values = {"kind": "berita", "title": "Dibajak", "body": "Dibajak"}
    return services.PostData(**{**values, **overrides})


@pytest.fixture
def w(world) -> SimpleNamespace:
    now = timezone.now()
    world.contributor_draft = make_post(
        world.kim_a, author=world.a_contributor, title="Draf kontributor", body="Isi"
    )
    world.editor_draft = make_post(world.kim_a, author=world.a_editor, title="Draf editor",
                                   body="Isi")  # fmt: skip
    world.sent = make_post(world.kim_a, author=world.a_contributor, title="Terkirim", body="Isi",
                           status="submitted", submitted_at=now)  # fmt: skip
    world.queued = make_post(world.kim_a, author=world.a_contributor, title="Antre", body="Isi",
                             status="submitted", submitted_at=now, checks_done=True,
                             checks={"clean": True})  # fmt: skip
    world.published = make_post(
        world.kim_a, author=world.a_editor, title="Tayang", body="Isi", status="published",
        open_reports=1, hidden_by_reports=True,
    )  # fmt: skip
    Report.objects.create(
        community=world.kim_a, post=world.published, reason="hoaks", reporter_key="k"
    )
    world.term = BannedTerm.objects.create(term="judi")
    # Trusted: its editors publish directly, so refusing the others is the check's doing.
    Community.objects.filter(pk=world.kim_a.pk).update(is_trusted=True)
    world.kim_a.refresh_from_db()
    for name in ("contributor_draft", "editor_draft", "sent", "queued", "published"):
        getattr(world, name).community = world.kim_a
    mail.outbox.clear()
    return world


# name: (call with the world and the actor, refused actors)
CASES = {
    "post_create": (
        lambda w, actor: services.post_create(community=w.kim_a, author=actor, data=data()),
        ("b_admin", "surabaya_admin", "national_admin", "outsider"),
    ),
    "post_update-editors_post": (
        lambda w, actor: services.post_update(post=w.editor_draft, actor=actor, data=data()),
        ("a_contributor", "b_admin", "surabaya_admin", "national_admin", "outsider"),
    ),
    "post_update-own_post_once_sent": (
        lambda w, actor: services.post_update(post=w.sent, actor=actor, data=data()),
        ("a_contributor",),
    ),
    "post_submit": (
        lambda w, actor: services.post_submit(post=w.editor_draft, actor=actor),
        ("a_contributor", "b_admin", "surabaya_admin", "national_admin", "outsider"),
    ),
    "post_publish_now": (
        lambda w, actor: services.post_publish_now(post=w.contributor_draft, actor=actor),
        ("a_contributor", "b_admin", "surabaya_admin", "national_admin"),
    ),
    "post_approve": (
        lambda w, actor: services.post_approve(post=w.queued, actor=actor),
        NOT_MODERATORS_OF_A,
    ),
    "post_reject": (
        lambda w, actor: services.post_reject(post=w.queued, actor=actor, reason="Dibajak"),
        NOT_MODERATORS_OF_A,
    ),
    "post_take_down": (
        lambda w, actor: services.post_take_down(post=w.published, actor=actor, reason="Dibajak"),
        NOT_MODERATORS_OF_A,
    ),
    "reports_dismiss": (
        lambda w, actor: services.reports_dismiss(post=w.published, actor=actor, reason="x"),
        NOT_MODERATORS_OF_A,
    ),
    "banned_term_add": (
        lambda w, actor: services.banned_term_add(actor=actor, term="dibajak"),
        NOT_NATIONAL,
    ),
    "banned_term_remove": (
        lambda w, actor: services.banned_term_remove(actor=actor, term=w.term),
        NOT_NATIONAL,
    ),
}


def snapshot() -> dict:
    """Every row a refused service could have written."""
    return {
        "posts": list(
            Post.objects.order_by("pk").values_list(
                "pk",
                "status",
                "title",
                "body",
                "slug",
                "submitted_at",
                "published_at",
                "open_reports",
                "hidden_by_reports",
                "decision_reason",
                "claimed_by",
            )
        ),  # fmt: skip
        "images": list(Image.objects.order_by("pk").values_list("pk", "post", "status")),
        "events": list(ModerationEvent.objects.order_by("pk").values_list("pk", "action")),
        "reports": list(Report.objects.order_by("pk").values_list("pk", "resolved_at")),
        "terms": list(BannedTerm.objects.order_by("pk").values_list("pk", "term")),
        "mail": len(mail.outbox),
    }


@pytest.mark.parametrize(
    ("name", "actor"),
    [pytest.param(n, a, id=f"{n}-{a}") for n, (_call, actors) in CASES.items() for a in actors],
)
def test_service_refuses_an_actor_without_the_permission(
    w, name, actor, django_capture_on_commit_callbacks
):
    call, _actors = CASES[name]
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionError):
        call(w, getattr(w, actor))
    assert snapshot() == before
