"""The national "all KIMs" list on kelola filters by province; a filter never widens a scope."""

import pytest

pytestmark = pytest.mark.django_db

LIST = "/verifikasi/semua/"


def names(response) -> set[str]:
    text = response.content.decode()
    return {
        name
        for name in (
            "KIM Ketabang Maju",
            "KIM Kapasari",
            "KIM Gegerkalong Sejahtera",
            "KIM Geger Dua",
        )
        if f">{name}</a>" in text
    }


def test_a_national_admin_narrows_the_list_to_one_province(client, world):
    client.force_login(world.national_admin)
    assert names(client.get(LIST, kelola=True)) == {
        "KIM Ketabang Maju", "KIM Kapasari", "KIM Gegerkalong Sejahtera", "KIM Geger Dua",
    }  # fmt: skip
    response = client.get(f"{LIST}?provinsi=32", kelola=True)
    assert names(response) == {"KIM Gegerkalong Sejahtera", "KIM Geger Dua"}
    assert '<option value="32" selected>Jawa Barat</option>' in response.content.decode()
    both = client.get(f"{LIST}?provinsi=35&status=pending", kelola=True)
    assert names(both) == {"KIM Kapasari"}


def test_a_province_filter_never_reaches_outside_the_staff_scope(client, world):
    client.force_login(world.surabaya_admin)
    assert names(client.get(f"{LIST}?provinsi=32", kelola=True)) == set()
    assert names(client.get(f"{LIST}?provinsi=35", kelola=True)) == {
        "KIM Ketabang Maju", "KIM Kapasari",
    }  # fmt: skip


def test_an_unknown_province_is_reported(client, world):
    client.force_login(world.national_admin)
    response = client.get(f"{LIST}?provinsi=99", kelola=True)
    assert response.status_code == 200
    assert "Pilih provinsi dari daftar." in response.content.decode()
