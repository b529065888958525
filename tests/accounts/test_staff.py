"""Staff scopes (Diskominfo admins), managed by national admins on kelola /staf/."""

import pytest

from accounts.models import StaffScope
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db

# Session (when not cached), user, own scopes, the count and page of scopes, provinces, regencies.
STAFF_PAGE_QUERIES = 7


def body(response) -> str:
    return response.content.decode()


def test_national_admin_sees_every_scope_and_the_form(client, world):
    client.force_login(world.national_admin)
    response = client.get("/staf/", kelola=True)
    page = body(response)
    assert response.status_code == 200
    for text in (
        "diskominfo-surabaya@example.id",
        "diskominfo-jabar@example.id",
        "kemkomdigi@example.id",
        "Kota Surabaya",
        "Jawa Barat",
        "Kota Bandung (Jawa Barat)",  # the regency select names the province
    ):
        assert text in page, text
    assert 'name="email"' in page and 'name="level"' in page
    assert 'name="province"' in page and 'name="regency"' in page


@pytest.mark.parametrize("actor", ["jatim_admin", "surabaya_admin", "a_admin", "outsider"])
def test_staff_page_is_404_for_everyone_else(client, world, actor):
    client.force_login(getattr(world, actor))
    response = client.get("/staf/", kelola=True)
    assert response.status_code == 404
    assert "kemkomdigi@example.id" not in body(response)
    response = client.post(
        "/staf/", {"email": "warga@example.id", "level": "national"}, kelola=True
    )
    assert response.status_code == 404
    assert not StaffScope.objects.filter(user=world.outsider).exists()


def test_staff_page_needs_sign_in(client, world):
    response = client.get("/staf/", kelola=True)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=/staf/")


def test_add_a_regency_admin(client, world):
    client.force_login(world.national_admin)
    response = client.post(
        "/staf/",
        {"email": "Warga@Example.id", "level": "regency", "regency": world.regions.malang.pk},
        kelola=True,
        follow=True,
    )
    assert "warga@example.id kini admin Kabupaten Malang." in body(response)
    scope = StaffScope.objects.get(user=world.outsider)
    assert (scope.level, scope.regency_id, scope.created_by) == (
        "regency",
        "35.07",
        world.national_admin,
    )
    # The new admin now has the verification queue.
    client.force_login(world.outsider)
    assert client.get("/verifikasi/", kelola=True).status_code == 200


def test_add_a_province_admin_ignores_a_stray_regency(client, world):
    client.force_login(world.national_admin)
    client.post(
        "/staf/",
        {
            "email": "warga@example.id",
            "level": "province",
            "province": world.regions.jabar.pk,
            "regency": world.regions.malang.pk,
        },
        kelola=True,
    )
    scope = StaffScope.objects.get(user=world.outsider)
    assert (scope.level, scope.province_id, scope.regency_id) == ("province", "32", None)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "belum@example.id", "level": "national"}, "Belum ada akun dengan email"),
        ({"email": "warga@example.id", "level": "regency"}, "Pilih kabupaten/kotanya."),
        ({"email": "warga@example.id", "level": "province"}, "Pilih provinsinya."),
        ({"email": "bukan-email", "level": "national"}, "Alamat email tidak valid."),
        ({"email": "warga@example.id", "level": "dewa"}, "Pilih tingkat dari daftar."),
        (
            {"email": "diskominfo-malang@example.id", "level": "regency", "regency": "35.07"},
            "Pengguna ini sudah punya cakupan tersebut.",
        ),
    ],
)
def test_add_errors_are_shown_with_the_input_kept(client, world, data, error):
    client.force_login(world.national_admin)
    before = StaffScope.objects.count()
    response = client.post("/staf/", data, kelola=True)
    page = body(response)
    assert response.status_code == 200
    assert error in page
    assert f'value="{data["email"]}"' in page
    assert StaffScope.objects.count() == before


def test_remove_a_scope(client, world):
    scope = StaffScope.objects.get(user=world.malang_admin)
    client.force_login(world.national_admin)
    assert client.get(f"/staf/{scope.pk}/hapus/", kelola=True).status_code == 405
    response = client.post(f"/staf/{scope.pk}/hapus/", kelola=True, follow=True)
    assert "Cakupan Kabupaten Malang milik diskominfo-malang@example.id dihapus." in body(response)
    assert not StaffScope.objects.filter(pk=scope.pk).exists()
    client.force_login(world.malang_admin)
    assert client.get("/verifikasi/", kelola=True).status_code == 404


def test_the_last_national_admin_cannot_remove_themselves(client, world):
    scope = StaffScope.objects.get(user=world.national_admin)
    client.force_login(world.national_admin)
    response = client.post(f"/staf/{scope.pk}/hapus/", kelola=True, follow=True)
    assert "Tidak dapat menghapus admin nasional terakhir." in body(response)
    assert StaffScope.objects.filter(pk=scope.pk).exists()


@pytest.mark.parametrize("actor", ["jatim_admin", "surabaya_admin", "a_admin"])
def test_only_national_admins_remove_scopes(client, world, actor):
    scope = StaffScope.objects.get(user=world.malang_admin)
    client.force_login(getattr(world, actor))
    assert client.post(f"/staf/{scope.pk}/hapus/", kelola=True).status_code == 404
    assert StaffScope.objects.filter(pk=scope.pk).exists()


def test_staff_page_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.national_admin)
    with django_assert_max_num_queries(STAFF_PAGE_QUERIES):
        client.get("/staf/", kelola=True)
    for i in range(30):
        regency = world.regions.surabaya if i % 2 else world.regions.bandung
        make_staff(f"staf{i}@example.id", "regency", regency=regency)
    make_user("tanpa-cakupan@example.id")
    with django_assert_max_num_queries(STAFF_PAGE_QUERIES):
        response = client.get("/staf/", kelola=True)
    assert "staf29@example.id" in body(response)


def test_staff_list_is_paginated(client, world):
    for i in range(60):
        make_staff(f"staf{i:02d}@example.id", "regency", regency=world.regions.bandung)
    client.force_login(world.national_admin)
    page = body(client.get("/staf/", kelola=True))
    assert "Halaman 1 dari 2" in page
    assert client.get("/staf/?page=2", kelola=True).status_code == 200
