"""The dashboard hooks: a KIM's overview and a staff member's dashboard show aspiration counts."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from tests.aspirations.helpers import make_aspirasi

pytestmark = pytest.mark.django_db


def test_kim_overview_counts_open_aspirations(client, world):
    make_aspirasi(community=world.kim_a)
    make_aspirasi(community=world.kim_a, status="diteruskan")
    make_aspirasi(community=world.kim_a, status="ditutup")
    make_aspirasi(community=world.kim_b)
    make_aspirasi(regency=world.regions.surabaya)
    client.force_login(world.a_editor)
    page = client.get("/kim/kim-ketabang/", kelola=True).content.decode()
    assert "2 belum selesai" in page
    assert "/kim/kim-ketabang/aspirasi/" in page
    # Contributors do not work the queue: no link.
    client.force_login(world.a_contributor)
    page = client.get("/kim/kim-ketabang/", kelola=True).content.decode()
    assert "/kim/kim-ketabang/aspirasi/" not in page


def test_staff_dashboard_counts_open_and_overdue_in_scope(client, world):
    old = timezone.now() - timedelta(days=10)
    make_aspirasi(community=world.kim_a, created_at=old)
    make_aspirasi(regency=world.regions.surabaya)
    make_aspirasi(regency=world.regions.malang, created_at=old)
    make_aspirasi(community=world.kim_b, created_at=old)
    make_aspirasi(regency=world.regions.surabaya, status="ditanggapi", created_at=old)
    client.force_login(world.jatim_admin)
    page = client.get("/", kelola=True).content.decode()
    assert "3 aspirasi belum selesai" in page and "2 lewat tenggat" in page
    client.force_login(world.surabaya_admin)
    page = client.get("/", kelola=True).content.decode()
    assert "2 aspirasi belum selesai" in page and "1 lewat tenggat" in page


@pytest.fixture
def kelola_urls():
    from django.urls import set_urlconf

    set_urlconf("kimportal.urls.kelola")
    yield
    set_urlconf(None)


def test_each_hook_is_one_query(world, django_assert_num_queries, kelola_urls):
    for _ in range(5):
        make_aspirasi(community=world.kim_a)
    kim = Template("{% include 'aspirations/_kim_overview.html' %}")
    staff = Template("{% include 'aspirations/_staff_dashboard.html' %}")
    world.a_admin._kim_roles = {world.kim_a.pk: "admin"}  # roles already read by the page
    with django_assert_num_queries(1):
        kim.render(Context({"user": world.a_admin, "community": world.kim_a}))
    from communities.permissions import staff_scopes

    staff_scopes(world.jatim_admin)  # scopes already read by the page
    with django_assert_num_queries(1):
        staff.render(Context({"user": world.jatim_admin}))
