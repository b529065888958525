"""`can(user, action, obj)` as a table: every role against KIM A, written out by hand."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities import permissions as p

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous", "outsider", "a_contributor", "a_editor", "a_admin", "b_admin", "surabaya_admin",
    "malang_admin", "bandung_admin", "jatim_admin", "jabar_admin", "national_admin",
]  # fmt: skip

# Expected answers for KIM A (verified, Kota Surabaya, Jawa Timur).
EXPECTED = {
    p.REVIEW: {"surabaya_admin", "jatim_admin", "national_admin"},
    p.MANAGE: {"a_admin"},
    p.VIEW_DASHBOARD: {"a_contributor", "a_editor", "a_admin"},
}


def actor(world, name):
    return AnonymousUser() if name == "anonymous" else getattr(world, name)


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("name", ACTORS)
def test_can_on_a_verified_kim(world, name, action):
    assert p.can(actor(world, name), action, world.kim_a) is (name in EXPECTED[action])


@pytest.mark.parametrize("name", ACTORS)
def test_only_national_admins_manage_staff(world, name):
    assert p.can(actor(world, name), p.MANAGE_STAFF) is (name == "national_admin")


def test_review_of_a_pending_kim_follows_the_region(world):
    assert p.can(world.surabaya_admin, p.REVIEW, world.pending_a)
    assert not p.can(world.surabaya_admin, p.REVIEW, world.pending_b)
    assert p.can(world.bandung_admin, p.REVIEW, world.pending_b)


def test_nobody_reviews_a_draft_and_only_its_applicant_edits_it(world):
    world.pending_a.status = "draft"
    assert not p.can(world.national_admin, p.REVIEW, world.pending_a)
    assert p.can(world.pending_applicant, p.EDIT_APPLICATION, world.pending_a)
    assert not p.can(world.a_admin, p.EDIT_APPLICATION, world.pending_a)


def test_a_suspended_kim_cannot_be_managed_but_its_members_see_its_dashboard(world):
    world.kim_a.status = "suspended"
    assert not p.can(world.a_admin, p.MANAGE, world.kim_a)
    assert p.can(world.a_contributor, p.VIEW_DASHBOARD, world.kim_a)


def test_inactive_users_can_do_nothing(world):
    world.a_admin.is_active = False
    assert not p.can(world.a_admin, p.MANAGE, world.kim_a)


def test_visible_to_is_scoped(world):
    from communities.models import Community

    def slugs(user):
        return set(Community.objects.visible_to(user).values_list("slug", flat=True))

    assert slugs(world.surabaya_admin) == {"kim-ketabang", "kim-kapasari"}
    assert slugs(world.malang_admin) == set()
    assert slugs(world.jabar_admin) == {"kim-gegerkalong", "kim-geger-dua"}
    assert len(slugs(world.national_admin)) == 4
    assert slugs(world.a_admin) == set()
    assert slugs(AnonymousUser()) == set()
