"""The kelola home (accounts:dashboard): KIMs, own applications, staff work."""

import pytest

from accounts.models import StaffScope
from communities import services
from communities.models import Community, VerificationEvent
from tests.factories import make_community, make_role, make_user

pytestmark = pytest.mark.django_db

# Session (when not cached), user, KIMs with a role, roles, staff scopes, applications with their
# rejections; staff add their scopes with regions and the pending count; the device the session
# passed the second step with.
DASHBOARD_QUERIES = 10  # + the aspirations hook (open and overdue counts)


def body(response) -> str:
    return response.content.decode()


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/", kelola=True)
    assert response.status_code == 200
    return body(response)


def test_lists_the_users_kims_with_roles_and_links(client, world):
    page = dashboard(client, world.a_editor)
    assert "Selamat datang, Editor A!" in page  # the whole name (issue 11)
    assert 'href="/kim/kim-ketabang/"' in page
    assert "KIM Ketabang Maju" in page and "Editor" in page
    assert "KIM Gegerkalong" not in page
    assert "Tugas Diskominfo" not in page
    assert 'href="/verifikasi/"' not in page  # neither in the nav nor on the page
    assert 'href="/daftar/"' in page


def test_a_suspended_kim_still_links_to_its_overview(client, world):
    services.community_suspend(community=world.kim_a, actor=world.national_admin, reason="x")
    page = dashboard(client, world.a_contributor)
    assert 'href="/kim/kim-ketabang/"' in page and "Dibekukan" in page


def test_own_applications_with_status_and_rejection_reason(client, world):
    user = world.pending_applicant
    draft = make_community(
        village=world.regions.ketabang, slug="kim-draf", name="KIM Draf", status="draft",
        applicant=user,
    )  # fmt: skip
    rejected = make_community(
        village=world.regions.kapasari, slug="kim-tolak", name="KIM Ditolak", status="rejected",
        applicant=user,
    )  # fmt: skip
    VerificationEvent.objects.create(
        community=rejected, action="rejected", actor=world.surabaya_admin, reason="SK lama."
    )
    VerificationEvent.objects.create(
        community=rejected, action="rejected", actor=world.surabaya_admin, reason="SK buram."
    )
    page = dashboard(client, user)
    assert "KIM Kapasari" in page and "Menunggu verifikasi" in page  # pending
    assert "KIM Draf" in page and f'href="/daftar/{draft.pk}/tinjau/"' in page
    assert "KIM Ditolak" in page and f'href="/daftar/{rejected.pk}/tinjau/"' in page
    assert "SK buram." in page  # the latest reason
    assert "SK lama." not in page
    assert f'href="/daftar/{world.pending_a.pk}/tinjau/"' not in page  # not editable while pending


def test_a_verified_application_is_no_longer_listed_as_one(client, world):
    page = dashboard(client, world.a_applicant)
    assert "Pendaftaran KIM Anda" in page
    assert "Menunggu verifikasi" not in page


def test_staff_see_scopes_and_pending_count(client, world):
    make_community(village=world.regions.ketabang, slug="kim-antre", status="pending")
    page = dashboard(client, world.surabaya_admin)
    assert "Tugas Diskominfo" in page
    assert "Kota Surabaya" in page
    assert "2 KIM menunggu verifikasi" in page
    assert 'href="/verifikasi/"' in page
    assert 'href="/staf/"' not in page

    national = dashboard(client, world.national_admin)
    assert "3 KIM menunggu verifikasi" in national and "Nasional" in national
    assert 'href="/staf/"' in national


def test_nav_shows_what_the_user_may_use(client, world):
    contributor = dashboard(client, world.a_contributor)
    assert ">Dasbor<" in contributor and ">Keluar<" in contributor
    assert ">Verifikasi<" not in contributor and ">Staf<" not in contributor
    regency = dashboard(client, world.malang_admin)
    assert ">Verifikasi<" in regency and ">Staf<" not in regency
    national = dashboard(client, world.national_admin)
    assert ">Verifikasi<" in national and ">Staf<" in national


def test_dashboard_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    user = make_user("sibuk@example.id")
    StaffScope.objects.create(user=user, level="province", province=world.regions.jatim)
    make_role(world.kim_a, user, "editor")
    client.force_login(user)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        client.get("/", kelola=True)
    for i in range(30):
        community = make_community(
            village=world.regions.kapasari, slug=f"kim-{i}", members=1,
            nomor_induk=f"35780910{i:04d}",
        )  # fmt: skip
        make_role(community, user, "contributor")
        rejected = make_community(
            village=world.regions.kapasari, slug=f"tolak-{i}", status="rejected", applicant=user,
            members=1,
        )  # fmt: skip
        VerificationEvent.objects.create(community=rejected, action="rejected", reason=f"R{i}")
    StaffScope.objects.create(user=user, level="regency", regency=world.regions.bandung)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        page = body(client.get("/", kelola=True))
    assert "R29" in page and 'href="/kim/kim-29/"' in page
    assert Community.objects.filter(applicant=user).count() == 30
