"""Every permission check of communities/services.py, called directly with an actor who lacks
the permission: the service refuses (PermissionError) and writes nothing.

Views resolve access before they call a service, so a service that forgot its own check would
pass every view test; these call the services the way a task, a command or a future view would.
One case per check; the refused actors are written out by hand.
"""

from types import SimpleNamespace

import pytest
from django.core import mail

from communities import services
from communities.models import (
    Community,
    CommunitySlugRedirect,
    Invitation,
    Member,
    Role,
    VerificationEvent,
)
from tests.factories import make_community

pytestmark = pytest.mark.django_db

# Staff whose scope does not reach KIM A (Surabaya, Jawa Timur), and people with no scope.
NOT_REVIEWERS_OF_A = ("a_admin", "malang_admin", "bandung_admin", "jabar_admin", "outsider")
# Anyone but A's own admins: its editors, another KIM's admin, staff of every level.
NOT_ADMINS_OF_A = ("a_editor", "a_contributor", "b_admin", "surabaya_admin", "national_admin")


@pytest.fixture
def w(world) -> SimpleNamespace:
    world.member_a = world.kim_a.members.order_by("sort_order").last()
    world.member_b = world.kim_b.members.order_by("sort_order").last()
    world.role_a = Role.objects.get(community=world.kim_a, user=world.a_contributor)
    world.role_b = Role.objects.get(community=world.kim_b, user=world.b_contributor)
    world.invitation_a, _token = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email="undangan-a@example.id", role="editor"
    )
    world.invitation_b, _token = services.invitation_create(
        community=world.kim_b, actor=world.b_admin, email="undangan-b@example.id", role="editor"
    )
    # A complete sign-up sent back to its applicant (the outsider), ready to be resubmitted.
    world.rejected = make_community(
        village=world.regions.sumbersekar,
        slug="kim-sumbersekar",
        status="rejected",
        applicant=world.outsider,
    )
    mail.outbox.clear()
    return world


def suspended(community: Community) -> Community:
    Community.objects.filter(pk=community.pk).update(status=Community.Status.SUSPENDED)
    community.refresh_from_db()
    return community


def member_data(name: str = "Penyusup") -> services.MemberData:
    return services.MemberData(name=name, position="anggota")


# name: (call with the world and the actor, refused actors)
CASES = {
    # _require_review
    "community_verify": (
        lambda w, actor: services.community_verify(community=w.pending_a, actor=actor),
        NOT_REVIEWERS_OF_A,
    ),
    "community_reject": (
        lambda w, actor: services.community_reject(
            community=w.pending_a, actor=actor, reason="Dibajak"
        ),
        NOT_REVIEWERS_OF_A,
    ),
    "community_suspend": (
        lambda w, actor: services.community_suspend(
            community=w.kim_a, actor=actor, reason="Dibajak"
        ),
        NOT_REVIEWERS_OF_A,
    ),
    "community_reinstate": (
        lambda w, actor: services.community_reinstate(
            community=w.kim_a, actor=actor, reason="Dibajak"
        ),
        NOT_REVIEWERS_OF_A,
    ),
    "community_change_slug": (
        lambda w, actor: services.community_change_slug(
            community=w.kim_a, actor=actor, new_slug="kim-dibajak"
        ),
        NOT_REVIEWERS_OF_A,
    ),
    "community_set_trusted": (
        lambda w, actor: services.community_set_trusted(
            community=w.kim_a, actor=actor, trusted=True
        ),
        NOT_REVIEWERS_OF_A,
    ),
    # _require_manage
    "community_update_profile": (
        lambda w, actor: services.community_update_profile(
            community=w.kim_a, actor=actor, tagline="Dibajak"
        ),
        NOT_ADMINS_OF_A,
    ),
    "member_save-new": (
        lambda w, actor: services.member_save(community=w.kim_a, actor=actor, data=member_data()),
        NOT_ADMINS_OF_A,
    ),
    "member_save-existing": (
        lambda w, actor: services.member_save(
            community=w.kim_a, actor=actor, data=member_data(), member=w.member_a
        ),
        NOT_ADMINS_OF_A,
    ),
    "member_remove": (
        lambda w, actor: services.member_remove(community=w.kim_a, actor=actor, member=w.member_a),
        NOT_ADMINS_OF_A,
    ),
    "invitation_create": (
        lambda w, actor: services.invitation_create(
            community=w.kim_a, actor=actor, email="penyusup@example.id", role="admin"
        ),
        NOT_ADMINS_OF_A,
    ),
    "invitation_revoke": (
        lambda w, actor: services.invitation_revoke(
            community=w.kim_a, actor=actor, invitation=w.invitation_a
        ),
        NOT_ADMINS_OF_A,
    ),
    "role_change": (
        lambda w, actor: services.role_change(
            community=w.kim_a, actor=actor, role=w.role_a, new_role="admin"
        ),
        NOT_ADMINS_OF_A,
    ),
    "role_remove": (
        lambda w, actor: services.role_remove(community=w.kim_a, actor=actor, role=w.role_a),
        NOT_ADMINS_OF_A,
    ),
    # A's admin, through A, on B's rows (the "belongs to another community" checks).
    "member_save-b_member_through_a": (
        lambda w, actor: services.member_save(
            community=w.kim_a, actor=actor, data=member_data(), member=w.member_b
        ),
        ("a_admin",),
    ),
    "member_remove-b_member_through_a": (
        lambda w, actor: services.member_remove(community=w.kim_a, actor=actor, member=w.member_b),
        ("a_admin",),
    ),
    "invitation_revoke-b_invitation_through_a": (
        lambda w, actor: services.invitation_revoke(
            community=w.kim_a, actor=actor, invitation=w.invitation_b
        ),
        ("a_admin",),
    ),
    "role_change-b_role_through_a": (
        lambda w, actor: services.role_change(
            community=w.kim_a, actor=actor, role=w.role_b, new_role="admin"
        ),
        ("a_admin",),
    ),
    "role_remove-b_role_through_a": (
        lambda w, actor: services.role_remove(community=w.kim_a, actor=actor, role=w.role_b),
        ("a_admin",),
    ),
    # A sign-up is submitted by its applicant alone.
    "community_submit": (
        lambda w, actor: services.community_submit(community=w.rejected, actor=actor),
        ("a_admin", "surabaya_admin", "national_admin"),
    ),
}


# State a case needs before the snapshot (so that, unchecked, the service would write).
PREPARE = {"community_reinstate": lambda w: suspended(w.kim_a)}


def snapshot() -> dict:
    """Every row a refused service could have written."""
    return {
        "communities": list(
            Community.objects.order_by("pk").values_list(
                "pk", "status", "slug", "name", "tagline", "is_trusted", "submitted_at"
            )
        ),
        "members": list(
            Member.objects.order_by("pk").values_list("pk", "community", "name", "position")
        ),
        "roles": list(Role.objects.order_by("pk").values_list("pk", "community", "user", "role")),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list("pk", "revoked_at", "accepted_at")
        ),
        "events": list(VerificationEvent.objects.order_by("pk").values_list("pk", "action")),
        "redirects": CommunitySlugRedirect.objects.count(),
        "mail": len(mail.outbox),
    }


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        pytest.param(name, actor, id=f"{name}-{actor}")
        for name, (_c, a) in CASES.items()
        for actor in a
    ],
)
def test_service_refuses_an_actor_without_the_permission(w, name, actor):
    call, _actors = CASES[name]
    user = getattr(w, actor)
    PREPARE.get(name, lambda w: None)(w)
    before = snapshot()
    with pytest.raises(PermissionError):
        call(w, user)
    assert snapshot() == before
