"""Tenant isolation of every kelola page of review:*, manage:*, signup:* and the staff pages.

Each URL is built for an object of KIM A (Kota Surabaya, Jawa Timur) or KIM B (Kota Bandung,
Jawa Barat), or for a sign-up in progress (D, the outsider's draft), and requested by every
actor of the shared world. The expected answers are written out by hand below, not computed
with the permission code under test; tests/isolation.py says how to read them ("ok" here: a
POST that may answer 200 with an error or 302 after success).

Refused requests must not leak anything of the target tenant and must not change the database.
"""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from accounts.models import StaffScope, User
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

# The columns of the strings below: the shared world's actors without b_admin, and the province
# admins in the other order (tests.isolation.ACTORS is the usual legend).
ACTORS = (
    "a_contributor",
    "a_editor",
    "a_admin",
    "surabaya_admin",  # regency admin of A's regency
    "malang_admin",  # regency admin of another regency of A's province
    "bandung_admin",  # regency admin of B's regency (another province)
    "jabar_admin",  # province admin of B's province
    "jatim_admin",  # province admin of A's province
    "national_admin",
    "outsider",
    "anonymous",
)

# fmt: off
# Columns:                 a_con a_edi a_adm  sby   mlg   bdg   jbr   jtm   nat   out   anon
STAFF_ANY               = "404   404   404   200   200   200   200   200   200   404   302"
STAFF_OF_A              = "404   404   404   200   404   404   404   200   200   404   302"
STAFF_OF_B              = "404   404   404   404   404   200   200   404   200   404   302"
MEMBER_OF_A             = "200   200   200   404   404   404   404   404   404   404   302"
ADMIN_OF_A              = "404   404   200   404   404   404   404   404   404   404   302"
NOBODY                  = "404   404   404   404   404   404   404   404   404   404   302"
ANYONE_WITH_TOKEN       = "200   200   200   200   200   200   200   200   200   200   200"
SIGNED_IN               = "200   200   200   200   200   200   200   200   200   200   302"
NATIONAL_ONLY           = "404   404   404   404   404   404   404   404   200   404   302"
APPLICANT_OF_D          = "404   404   404   404   404   404   404   404   404   200   302"

POST_STAFF_OF_A         = "404   404   404   ok    404   404   404   ok    ok    404   302"
POST_STAFF_OF_B         = "404   404   404   404   404   ok    ok    404   ok    404   302"
POST_ADMIN_OF_A         = "404   404   ok    404   404   404   404   404   404   404   302"
POST_MEMBER_OF_A        = "ok    ok    ok    404   404   404   404   404   404   404   302"
POST_NATIONAL_ONLY      = "404   404   404   404   404   404   404   404   ok    404   302"
# Only the invited address may accept (nobody in the world has it); anonymous gets the form.
POST_INVITED_ONLY       = "403   403   403   403   403   403   403   403   403   403   ok"
POST_APPLICANT_OF_D     = "404   404   404   404   404   404   404   404   404   ok    302"
# fmt: on

# What each actor may see of each tenant on pages without a tenant in the URL (queue, lists,
# dashboard): written out, not derived.
SEES = {
    "a_contributor": "A",
    "a_editor": "A",
    "a_admin": "A",
    "surabaya_admin": "A",
    "malang_admin": "",
    "bandung_admin": "B",
    "jabar_admin": "B",
    "jatim_admin": "A",
    "national_admin": "AB",
    "outsider": "",
    "anonymous": "",
}

# Strings that identify a tenant's data. Phones are the same pattern in both tenants.
SECRETS = {
    "A": [
        "KIM Ketabang Maju", "KIM Kapasari", "kim-ketabang", "kim-kapasari",
        "Anggota 1 kim-ketabang", "Anggota 1 kim-kapasari", "140/kim-ketabang/2026",
        "140/kim-kapasari/2026", "SK-RAHASIA-A", "a-editor@example.id", "undangan-a@example.id",
        "Pendaftar Baru",
    ],
    "B": [
        "KIM Gegerkalong Sejahtera", "KIM Geger Dua", "kim-gegerkalong", "kim-geger-dua",
        "Anggota 1 kim-gegerkalong", "Anggota 1 kim-geger-dua", "140/kim-gegerkalong/2026",
        "140/kim-geger-dua/2026", "SK-RAHASIA-B", "b-editor@example.id", "undangan-b@example.id",
        "pendaftar-b@example.id",
    ],
    # The outsider's sign-up in progress (a draft: no tenant in the review queue yet).
    "D": ["Draf Warga Sumbersekar", "kim-draf-warga", "140/kim-draf-warga/2026", "SK-RAHASIA-D"],
}  # fmt: skip
PHONE = "0812000"


def slug_a(w):
    return "/kim/kim-ketabang"


def slug_b(w):
    return "/kim/kim-gegerkalong"


def signup_d(w):
    return f"/daftar/{w.signup_d.pk}"


def signup_pending_a(w):
    return f"/daftar/{w.pending_a.pk}"


# id: (url builder, tenant of the object or None, expectations)
GET_PAGES = {
    "review:queue": (lambda w: "/verifikasi/", None, STAFF_ANY),
    "review:list": (lambda w: "/verifikasi/semua/", None, STAFF_ANY),
    "review:detail-kim_a": (lambda w: f"/verifikasi/{w.kim_a.pk}/", "A", STAFF_OF_A),
    "review:detail-pending_a": (lambda w: f"/verifikasi/{w.pending_a.pk}/", "A", STAFF_OF_A),
    "review:detail-kim_b": (lambda w: f"/verifikasi/{w.kim_b.pk}/", "B", STAFF_OF_B),
    "review:detail-pending_b": (lambda w: f"/verifikasi/{w.pending_b.pk}/", "B", STAFF_OF_B),
    "review:decree_file-a": (lambda w: f"/verifikasi/{w.pending_a.pk}/sk/", "A", STAFF_OF_A),
    "review:decree_file-b": (lambda w: f"/verifikasi/{w.pending_b.pk}/sk/", "B", STAFF_OF_B),
    "manage:overview-a": (lambda w: f"{slug_a(w)}/", "A", MEMBER_OF_A),
    "manage:leave-a": (lambda w: f"{slug_a(w)}/keluar/", "A", MEMBER_OF_A),
    "manage:profile-a": (lambda w: f"{slug_a(w)}/profil/", "A", ADMIN_OF_A),
    "manage:roster-a": (lambda w: f"{slug_a(w)}/anggota/", "A", ADMIN_OF_A),
    "manage:member_add-a": (lambda w: f"{slug_a(w)}/anggota/tambah/", "A", ADMIN_OF_A),
    "manage:member_edit-a": (lambda w: f"{slug_a(w)}/anggota/{w.member_a.pk}/", "A", ADMIN_OF_A),
    "manage:member_delete-a": (
        lambda w: f"{slug_a(w)}/anggota/{w.member_a.pk}/hapus/",
        "A",
        ADMIN_OF_A,
    ),
    "manage:roles-a": (lambda w: f"{slug_a(w)}/peran/", "A", ADMIN_OF_A),
    "manage:role_edit-a": (lambda w: f"{slug_a(w)}/peran/{w.role_a.pk}/", "A", ADMIN_OF_A),
    "manage:overview-b": (lambda w: f"{slug_b(w)}/", "B", NOBODY),
    "manage:leave-b": (lambda w: f"{slug_b(w)}/keluar/", "B", NOBODY),
    "manage:profile-b": (lambda w: f"{slug_b(w)}/profil/", "B", NOBODY),
    "manage:roster-b": (lambda w: f"{slug_b(w)}/anggota/", "B", NOBODY),
    "manage:member_add-b": (lambda w: f"{slug_b(w)}/anggota/tambah/", "B", NOBODY),
    "manage:member_edit-b": (lambda w: f"{slug_b(w)}/anggota/{w.member_b.pk}/", "B", NOBODY),
    "manage:member_delete-b": (
        lambda w: f"{slug_b(w)}/anggota/{w.member_b.pk}/hapus/",
        "B",
        NOBODY,
    ),
    "manage:roles-b": (lambda w: f"{slug_b(w)}/peran/", "B", NOBODY),
    "manage:role_edit-b": (lambda w: f"{slug_b(w)}/peran/{w.role_b.pk}/", "B", NOBODY),
    # B's rows through A's address: A's admin may open A, but never B's rows through it.
    "manage:member_edit-a_with_b_member": (
        lambda w: f"{slug_a(w)}/anggota/{w.member_b.pk}/",
        "B",
        NOBODY,
    ),
    "manage:member_delete-a_with_b_member": (
        lambda w: f"{slug_a(w)}/anggota/{w.member_b.pk}/hapus/",
        "B",
        NOBODY,
    ),
    "manage:role_edit-a_with_b_role": (lambda w: f"{slug_a(w)}/peran/{w.role_b.pk}/", "B", NOBODY),
    "manage:invitation_accept-a": (lambda w: f"/undangan/{w.token_a}/", "A", ANYONE_WITH_TOKEN),
    "manage:invitation_accept-b": (lambda w: f"/undangan/{w.token_b}/", "B", ANYONE_WITH_TOKEN),
    "accounts:dashboard": (lambda w: "/", None, SIGNED_IN),
    "accounts:staff_scopes": (lambda w: "/staf/", None, NATIONAL_ONLY),
    # A sign-up is its applicant's alone, staff included, until it is submitted for review.
    "signup:village-d": (lambda w: f"{signup_d(w)}/desa/", "D", APPLICANT_OF_D),
    "signup:identity-d": (lambda w: f"{signup_d(w)}/nama/", "D", APPLICANT_OF_D),
    "signup:decree-d": (lambda w: f"{signup_d(w)}/sk/", "D", APPLICANT_OF_D),
    "signup:decree_file-d": (lambda w: f"{signup_d(w)}/sk/berkas/", "D", APPLICANT_OF_D),
    "signup:roster-d": (lambda w: f"{signup_d(w)}/anggota/", "D", APPLICANT_OF_D),
    "signup:review-d": (lambda w: f"{signup_d(w)}/tinjau/", "D", APPLICANT_OF_D),
    # Someone else's submitted sign-up: reviewers read it under /verifikasi/, never here.
    "signup:village-pending_a": (lambda w: f"{signup_pending_a(w)}/desa/", "A", NOBODY),
    "signup:decree_file-pending_a": (lambda w: f"{signup_pending_a(w)}/sk/berkas/", "A", NOBODY),
    "signup:review-pending_a": (lambda w: f"{signup_pending_a(w)}/tinjau/", "A", NOBODY),
}

PROFILE = {"name": "Dibajak", "brand_colour": "#000000", "tagline": "Dibajak"}

# id: (url builder, data builder, tenant, expectations)
POST_ACTIONS = {
    "review:verify-a": (lambda w: f"/verifikasi/{w.pending_a.pk}/verifikasi/", {}, "A", POST_STAFF_OF_A),  # noqa: E501
    "review:reject-a": (lambda w: f"/verifikasi/{w.pending_a.pk}/tolak/", {"reason": "x"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "review:suspend-a": (lambda w: f"/verifikasi/{w.kim_a.pk}/bekukan/", {"reason": "x"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "review:reinstate-a": (lambda w: f"/verifikasi/{w.kim_a.pk}/aktifkan/", {"reason": "x"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "review:change_slug-a": (lambda w: f"/verifikasi/{w.kim_a.pk}/alamat/", {"new_slug": "kim-dibajak"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "review:set_trusted-a": (lambda w: f"/verifikasi/{w.kim_a.pk}/tepercaya/", {"trusted": "1"}, "A", POST_STAFF_OF_A),  # noqa: E501
    "review:verify-b": (lambda w: f"/verifikasi/{w.pending_b.pk}/verifikasi/", {}, "B", POST_STAFF_OF_B),  # noqa: E501
    "review:reject-b": (lambda w: f"/verifikasi/{w.pending_b.pk}/tolak/", {"reason": "x"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "review:suspend-b": (lambda w: f"/verifikasi/{w.kim_b.pk}/bekukan/", {"reason": "x"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "review:reinstate-b": (lambda w: f"/verifikasi/{w.kim_b.pk}/aktifkan/", {"reason": "x"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "review:change_slug-b": (lambda w: f"/verifikasi/{w.kim_b.pk}/alamat/", {"new_slug": "kim-dibajak"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "review:set_trusted-b": (lambda w: f"/verifikasi/{w.kim_b.pk}/tepercaya/", {"trusted": "1"}, "B", POST_STAFF_OF_B),  # noqa: E501
    "manage:profile-a": (lambda w: f"{slug_a(w)}/profil/", PROFILE, "A", POST_ADMIN_OF_A),
    "manage:member_add-a": (lambda w: f"{slug_a(w)}/anggota/tambah/", {"name": "Penyusup", "position": "anggota"}, "A", POST_ADMIN_OF_A),  # noqa: E501
    "manage:member_edit-a": (lambda w: f"{slug_a(w)}/anggota/{w.member_a.pk}/", {"name": "Dibajak", "position": "anggota"}, "A", POST_ADMIN_OF_A),  # noqa: E501
    "manage:member_delete-a": (lambda w: f"{slug_a(w)}/anggota/{w.member_a.pk}/hapus/", {}, "A", POST_ADMIN_OF_A),  # noqa: E501
    "manage:roles-a": (lambda w: f"{slug_a(w)}/peran/", {"email": "penyusup@example.id", "role": "admin"}, "A", POST_ADMIN_OF_A),  # noqa: E501
    "manage:role_edit-a": (lambda w: f"{slug_a(w)}/peran/{w.role_a.pk}/", {"action": "remove"}, "A", POST_ADMIN_OF_A),  # noqa: E501
    "manage:invitation_revoke-a": (lambda w: f"{slug_a(w)}/undangan/{w.invitation_a.pk}/batal/", {}, "A", POST_ADMIN_OF_A),  # noqa: E501
    "manage:leave-a": (lambda w: f"{slug_a(w)}/keluar/", {}, "A", POST_MEMBER_OF_A),
    "manage:profile-b": (lambda w: f"{slug_b(w)}/profil/", PROFILE, "B", NOBODY),
    "manage:member_add-b": (lambda w: f"{slug_b(w)}/anggota/tambah/", {"name": "Penyusup", "position": "anggota"}, "B", NOBODY),  # noqa: E501
    "manage:member_edit-b": (lambda w: f"{slug_b(w)}/anggota/{w.member_b.pk}/", {"name": "Dibajak", "position": "anggota"}, "B", NOBODY),  # noqa: E501
    "manage:member_delete-b": (lambda w: f"{slug_b(w)}/anggota/{w.member_b.pk}/hapus/", {}, "B", NOBODY),  # noqa: E501
    "manage:roles-b": (lambda w: f"{slug_b(w)}/peran/", {"email": "penyusup@example.id", "role": "admin"}, "B", NOBODY),  # noqa: E501
    "manage:role_edit-b": (lambda w: f"{slug_b(w)}/peran/{w.role_b.pk}/", {"action": "remove"}, "B", NOBODY),  # noqa: E501
    "manage:invitation_revoke-b": (lambda w: f"{slug_b(w)}/undangan/{w.invitation_b.pk}/batal/", {}, "B", NOBODY),  # noqa: E501
    "manage:leave-b": (lambda w: f"{slug_b(w)}/keluar/", {}, "B", NOBODY),
    "manage:member_edit-a_with_b_member": (lambda w: f"{slug_a(w)}/anggota/{w.member_b.pk}/", {"name": "Dibajak", "position": "anggota"}, "B", NOBODY),  # noqa: E501
    "manage:member_delete-a_with_b_member": (lambda w: f"{slug_a(w)}/anggota/{w.member_b.pk}/hapus/", {}, "B", NOBODY),  # noqa: E501
    "manage:role_edit-a_with_b_role": (lambda w: f"{slug_a(w)}/peran/{w.role_b.pk}/", {"action": "remove"}, "B", NOBODY),  # noqa: E501
    "manage:role_change-a_with_b_role": (lambda w: f"{slug_a(w)}/peran/{w.role_b.pk}/", {"action": "change", "role": "admin"}, "B", NOBODY),  # noqa: E501
    "manage:invitation_revoke-a_with_b_invitation": (lambda w: f"{slug_a(w)}/undangan/{w.invitation_b.pk}/batal/", {}, "B", NOBODY),  # noqa: E501
    "manage:invitation_accept-a": (lambda w: f"/undangan/{w.token_a}/", {}, "A", POST_INVITED_ONLY),  # noqa: E501
    "manage:invitation_accept-b": (lambda w: f"/undangan/{w.token_b}/", {}, "B", POST_INVITED_ONLY),  # noqa: E501
    "accounts:staff_scopes": (lambda w: "/staf/", {"email": "warga@example.id", "level": "national"}, None, POST_NATIONAL_ONLY),  # noqa: E501
    "accounts:staff_scope_remove": (lambda w: f"/staf/{w.scope_malang.pk}/hapus/", {}, None, POST_NATIONAL_ONLY),  # noqa: E501
    "signup:village-d": (lambda w: f"{signup_d(w)}/desa/", {"desa": "35.78.09.1003"}, "D", POST_APPLICANT_OF_D),  # noqa: E501
    "signup:identity-d": (lambda w: f"{signup_d(w)}/nama/", {"name": "KIM Dibajak", "slug": "kim-dibajak", "street_address": "Jl. Dibajak"}, "D", POST_APPLICANT_OF_D),  # noqa: E501
    "signup:decree-d": (lambda w: f"{signup_d(w)}/sk/", {"number": "999/dibajak", "decree_date": "2026-01-02"}, "D", POST_APPLICANT_OF_D),  # noqa: E501
    "signup:roster-d": (lambda w: f"{signup_d(w)}/anggota/", {"anggota-TOTAL_FORMS": "1", "anggota-INITIAL_FORMS": "0", "anggota-0-name": "Penyusup", "anggota-0-position": "ketua"}, "D", POST_APPLICANT_OF_D),  # noqa: E501
    "signup:review-d": (lambda w: f"{signup_d(w)}/tinjau/", {}, "D", POST_APPLICANT_OF_D),
    "signup:identity-pending_a": (lambda w: f"{signup_pending_a(w)}/nama/", {"name": "KIM Dibajak", "slug": "kim-dibajak", "street_address": "Jl. Dibajak"}, "A", NOBODY),  # noqa: E501
    "signup:review-pending_a": (lambda w: f"{signup_pending_a(w)}/tinjau/", {}, "A", NOBODY),
}  # fmt: skip


@pytest.fixture
def w(world) -> SimpleNamespace:
    """The shared world plus one of each row per tenant: SK scans, a member, a role, an
    invitation; and a staff scope to remove."""
    for tenant, community in (("A", world.pending_a), ("B", world.pending_b)):
        community.sk_file.save(
            "sk.pdf", ContentFile(b"%PDF-1.4 SK-RAHASIA-" + tenant.encode()), save=True
        )
    world.member_a = world.kim_a.members.order_by("sort_order").last()
    world.member_b = world.kim_b.members.order_by("sort_order").last()
    world.role_a = Role.objects.get(community=world.kim_a, user=world.a_contributor)
    world.role_b = Role.objects.get(community=world.kim_b, user=world.b_contributor)
    world.invitation_a, world.token_a = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email="undangan-a@example.id", role="editor"
    )
    world.invitation_b, world.token_b = services.invitation_create(
        community=world.kim_b, actor=world.b_admin, email="undangan-b@example.id", role="editor"
    )
    world.scope_malang = StaffScope.objects.get(user=world.malang_admin)
    world.signup_d = make_community(
        village=world.regions.sumbersekar,
        slug="kim-draf-warga",
        name="Draf Warga Sumbersekar",
        status="draft",
        applicant=world.outsider,
        members=3,
    )
    world.signup_d.sk_file.save("sk.pdf", ContentFile(b"%PDF-1.4 SK-RAHASIA-D"), save=True)
    return world


def snapshot() -> dict:
    """Everything a refused request could have changed."""
    return {
        "communities": list(
            Community.objects.order_by("pk").values_list(
                "pk",
                "status",
                "slug",
                "name",
                "tagline",
                "is_trusted",
                "brand_colour",
                "village",
                "street_address",
                "sk_number",
                "sk_date",
                "sk_file",
            )
        ),
        "members": list(
            Member.objects.order_by("pk").values_list("pk", "community", "name", "position")
        ),
        "roles": list(Role.objects.order_by("pk").values_list("pk", "community", "user", "role")),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list("pk", "revoked_at", "accepted_at")
        ),
        "scopes": list(StaffScope.objects.order_by("pk").values_list("pk", "user", "level")),
        "events": VerificationEvent.objects.count(),
        "redirects": CommunitySlugRedirect.objects.count(),
        "users": User.objects.count(),
    }


def hidden(tenant: str | None) -> list[str]:
    """What a refusal must not show: the target tenant's secrets, and any member's phone."""
    return [*SECRETS.get(tenant, []), PHONE]


@pytest.mark.parametrize(("name", "actor", "expected"), cases(GET_PAGES, actors=ACTORS))
def test_get(client, w, name, actor, expected):
    build, tenant, _spec = GET_PAGES[name]
    sign_in(client, w, actor)
    response = client.get(build(w), kelola=True)
    if expected != "200":
        assert_refused(response, expected, hidden=hidden(tenant))
        return
    assert response.status_code == 200
    # An allowed page of one tenant never shows the other (the signed-in user's own address
    # aside: the invitation page says which account would get the role); a sign-up in progress
    # (D) shows no KIM's data (the name field's example is A's name); a page without a tenant
    # shows what the actor SEES.
    shown_anyway = [getattr(w, actor).email] if actor != "anonymous" else []
    if tenant == "D":
        shown_anyway.append("KIM Ketabang Maju")
    assert_hides_foreign(
        content_of(response),
        SECRETS,
        among="AB",
        visible=tenant or SEES[actor],
        shown_anyway=shown_anyway,
    )


# The queue and the list show exactly the tenants in scope (pending ones for the queue).
QUEUE_SHOWS = {
    "surabaya_admin": ["KIM Kapasari"],
    "malang_admin": [],
    "bandung_admin": ["KIM Geger Dua"],
    "jabar_admin": ["KIM Geger Dua"],
    "jatim_admin": ["KIM Kapasari"],
    "national_admin": ["KIM Kapasari", "KIM Geger Dua"],
}
LIST_SHOWS = {
    "surabaya_admin": ["KIM Ketabang Maju", "KIM Kapasari"],
    "malang_admin": [],
    "bandung_admin": ["KIM Gegerkalong Sejahtera", "KIM Geger Dua"],
    "jabar_admin": ["KIM Gegerkalong Sejahtera", "KIM Geger Dua"],
    "jatim_admin": ["KIM Ketabang Maju", "KIM Kapasari"],
    "national_admin": [
        "KIM Ketabang Maju", "KIM Kapasari", "KIM Gegerkalong Sejahtera", "KIM Geger Dua",
    ],
}  # fmt: skip
ALL_NAMES = ["KIM Ketabang Maju", "KIM Kapasari", "KIM Gegerkalong Sejahtera", "KIM Geger Dua"]


@pytest.mark.parametrize("actor", sorted(QUEUE_SHOWS))
def test_queue_and_list_show_exactly_the_scope(client, w, actor):
    sign_in(client, w, actor)
    for url, shows in (("/verifikasi/", QUEUE_SHOWS), ("/verifikasi/semua/", LIST_SHOWS)):
        page = content_of(client.get(url, kelola=True))
        present = [name for name in ALL_NAMES if name in page]
        assert present == shows[actor], url


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e != "ok", actors=ACTORS)
)
def test_post_is_refused_and_changes_nothing(client, w, name, actor, expected):
    build, data, tenant, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    before = snapshot()
    response = client.post(build(w), data, kelola=True)
    assert_refused(response, expected, hidden=hidden(tenant))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "actor", "expected"), cases(POST_ACTIONS, want=lambda e: e == "ok", actors=ACTORS)
)
def test_post_is_allowed(client, w, name, actor, expected):
    build, data, _tenant, _spec = POST_ACTIONS[name]
    sign_in(client, w, actor)
    response = client.post(build(w), data, kelola=True)
    assert response.status_code in (200, 302)


# Rows named after what they do rather than their route (tests/test_route_guard.py knows them).
ALIASES = {"manage:role_change": "manage:role_edit"}  # the change half of role_edit


def test_every_kelola_route_of_these_apps_is_in_the_matrix():
    """A new route must be added to the tables above."""
    assert_every_route_in_matrix(
        (GET_PAGES, POST_ACTIONS),
        namespaces=("review", "manage"),
        also=("accounts:staff_scopes", "accounts:staff_scope_remove", "accounts:dashboard"),
        aliases=ALIASES,
    )


def test_every_row_requests_the_route_it_names(w):
    assert_every_row_requests_its_route(w, (GET_PAGES, POST_ACTIONS), aliases=ALIASES)
