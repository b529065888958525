"""Every page of aspirations is valid HTML (the Nu HTML Checker, as tests/test_html_valid.py)."""

import pytest

from tests.aspirations.helpers import form_data, make_aspirasi
from tests.test_html_valid import fetch, validate

pytestmark = pytest.mark.django_db

KIM_A = "kim-ketabang.localhost"


def test_pages_are_valid_html(client, world, tmp_path):
    aspirasi = make_aspirasi(community=world.kim_a, status="ditanggapi", answer="Jawaban\nbaris 2")
    other = make_aspirasi(regency=world.regions.surabaya)
    pages = {
        "list": fetch(client, "/aspirasi/"),
        "list filtered": fetch(client, "/aspirasi/?wilayah=35&topik=infrastruktur"),
        "detail": fetch(client, f"/aspirasi/{aspirasi.pk}/"),
        "send": fetch(client, "/aspirasi/kirim/"),
        "track": fetch(client, "/aspirasi/lacak/"),
        "kim send": fetch(client, "/aspirasi/", host=KIM_A),
        "kim list": fetch(client, "/aspirasi/daftar/", host=KIM_A),
    }
    pages["send refused"] = client.post("/aspirasi/kirim/", form_data(website="x")).content.decode()
    pages["sent"] = client.post("/aspirasi/kirim/", form_data()).content.decode()
    pages["tracked"] = client.post("/aspirasi/lacak/", {"code": aspirasi.code}).content.decode()
    client.force_login(world.surabaya_admin)
    for path in ("/aspirasi/", f"/aspirasi/{aspirasi.pk}/", f"/aspirasi/{other.pk}/"):
        pages[f"kelola {path}"] = fetch(client, path, kelola=True)
    pages["kelola action refused"] = client.post(
        f"/aspirasi/{other.pk}/tindakan/", {"action": "close", "reason": ""}, kelola=True
    ).content.decode()
    client.force_login(world.a_admin)
    pages["kim queue"] = fetch(client, "/kim/kim-ketabang/aspirasi/", kelola=True)
    assert "asp-code" in pages["sent"] and "harus dikosongkan" in pages["send refused"]
    assert validate(pages, tmp_path) == []
