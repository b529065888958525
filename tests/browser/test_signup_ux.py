"""Issue 11 on a 390 px phone: a future SK refused, a village's existing KIM named, the roster
imported from a pasted list, and the member list laid out as cards without sideways scrolling."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from communities.models import Community
from tests.browser.conftest import assert_fits_the_screen
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, sites, email, password="rahasia-kim-123"):
    page.goto(sites.kelola("/masuk/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", level=1).wait_for()


def test_sign_up_from_a_village_with_a_kim_future_sk_and_roster_import(
    phone, sites, world, tmp_path
):
    make_user("sri@example.id", full_name="Sri Wahyuni")
    sign_in(phone, sites, "sri@example.id")
    ketabang = world.regions.ketabang

    # From a region page's "daftarkan KIM" link: the village comes along.
    phone.goto(sites.kelola(f"/daftar/?desa={ketabang.code}"))
    phone.get_by_role("button", name="Mulai pendaftaran").click()
    warning = phone.locator(".signup-neighbours")
    expect(warning).to_contain_text("Desa/kelurahan Ketabang sudah punya KIM")
    expect(warning.get_by_role("link", name="KIM Ketabang Maju")).to_be_visible()
    assert phone.get_by_label("Desa/kelurahan").input_value() == ketabang.code
    assert_fits_the_screen(phone)
    phone.get_by_role("button", name="Simpan & lanjut").click()

    # The name step: a blank address is suggested from the name, pre-selected.
    phone.get_by_label("Nama KIM").fill("KIM Ketabang Muda")
    phone.get_by_role("button", name="Simpan & lanjut").click()
    expect(phone.get_by_label("kim-ketabang-muda.localhost")).to_be_checked()
    phone.get_by_role("button", name="Simpan & lanjut").click()

    # The SK: a date after today is refused, what was typed stays.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    phone.get_by_label("Nomor SK").fill("140/3/2026")
    phone.get_by_label("Tanggal SK").fill(tomorrow.isoformat())
    scan = tmp_path / "sk.png"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buffer, "PNG")
    scan.write_bytes(buffer.getvalue())
    phone.get_by_label("Pindaian SK").set_input_files(str(scan))
    phone.get_by_role("button", name="Simpan & lanjut").click()
    expect(phone.get_by_text("Tanggal SK tidak boleh setelah hari ini")).to_be_visible()
    assert phone.get_by_label("Nomor SK").input_value() == "140/3/2026"
    phone.get_by_label("Tanggal SK").fill(timezone.localdate().isoformat())
    phone.get_by_role("button", name="Simpan & lanjut").click()

    # The roster: pasted from a spreadsheet, checked at once, then saved.
    phone.get_by_text("Impor dari daftar atau berkas CSV").click()
    pasted = "Sri Wahyuni\tKetua\t0812-1111-2222\n" + "\n".join(
        f"Warga Muda {i}\tAnggota" for i in range(1, 10)
    )
    phone.get_by_label("Tempel daftar anggota").fill(pasted)
    phone.get_by_role("button", name="Impor ke daftar").click()
    expect(phone.get_by_text("10 baris diimpor")).to_be_visible()
    assert phone.locator('input[name="anggota-9-name"]').input_value() == "Warga Muda 9"
    assert_fits_the_screen(phone)
    phone.get_by_role("button", name="Simpan & lanjut").click()
    expect(phone.get_by_role("heading", name="Tinjau pendaftaran")).to_be_visible()
    draft = Community.objects.get(applicant__email="sri@example.id")
    assert draft.members.count() == 10 and draft.slug == "kim-ketabang-muda"


def test_the_member_list_fits_a_phone(phone, sites, world):
    member = world.kim_a.members.first()
    member.phone = "0812-3456-7890-12"
    member.position_detail = "Koordinator Bidang Literasi Digital dan Pemberdayaan"
    member.save()
    sign_in(phone, sites, "a-admin@example.id")
    phone.goto(sites.kelola("/kim/kim-ketabang/anggota/"))
    assert phone.evaluate("document.documentElement.scrollWidth == window.innerWidth")
    expect(phone.get_by_role("link", name=f"Hapus {member.name}")).to_be_in_viewport()
    expect(phone.get_by_role("link", name="0812-3456-7890-12")).to_be_visible()
