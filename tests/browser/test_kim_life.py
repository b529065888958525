"""The whole life of a KIM in a real browser on a phone-sized screen: sign-up with a real
village, rejection and resubmission, verification by that regency's admin, the live subsite,
suspension."""

import io
import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_the_screen, staff_authenticator
from tests.factories import make_staff
from tests.support import authenticator_code

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, sites, email, password="rahasia-kim-123"):
    """Both steps, as a person does them: the password, then (staff) the code the app shows."""
    authenticator = staff_authenticator(email)
    page.goto(sites.kelola("/masuk/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    if authenticator is not None:
        page.get_by_label("Kode").fill(authenticator_code(authenticator))
        page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_role("heading", level=1).wait_for()


def sk_scan(tmp_path):
    path = tmp_path / "sk-kim.png"
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_kim_is_born_rejected_fixed_verified_and_suspended(
    browser, phone, sites, regions, tmp_path
):
    make_staff("diskominfo-surabaya@example.id", "regency", regency=regions.surabaya)

    # 1. A pengurus finds the sign-up from the portal and creates an account.
    phone.goto(sites.portal("/"))
    assert_fits_the_screen(phone)
    phone.get_by_role("link", name="Daftarkan KIM").first.click()
    phone.get_by_label("Nama lengkap").fill("Bu Sri Wahyuni")
    phone.get_by_label("Email").fill("sri@example.id")
    phone.get_by_role("button", name="Kirim tautan pendaftaran").click()
    phone.get_by_text("Kami telah mengirim email ke alamat itu").wait_for()
    # The link in the email proves the address; the password is chosen there.
    link = re.search(r"https?://\S+/daftar/akun/\S+/", mail.outbox[-1].body).group(0)
    phone.goto(link)
    phone.get_by_label("Kata sandi").first.fill("kabar-ketabang-2026")
    phone.get_by_label("Ulangi kata sandi").fill("kabar-ketabang-2026")
    phone.get_by_role("button", name="Buat akun & mulai mendaftar").click()

    # 2. The village: each choice fills the next list (JavaScript), down to a real village.
    phone.get_by_label("Provinsi").select_option(label="Jawa Timur")
    phone.get_by_label("Kabupaten/kota").select_option(label="Kota Surabaya")
    phone.get_by_label("Kecamatan").select_option(label="Genteng")
    phone.get_by_label("Desa/kelurahan").select_option(label="Ketabang")
    assert_fits_the_screen(phone)
    phone.get_by_role("button", name="Simpan & lanjut").click()

    # 3. Name and subdomain: a reserved one is refused with suggestions, the typed name kept.
    phone.get_by_label("Nama KIM").fill("KIM Ketabang Maju")
    phone.get_by_label("Alamat subdomain").fill("admin")
    phone.get_by_role("button", name="Simpan & lanjut").click()
    expect(phone.get_by_text("dicadangkan").first).to_be_visible()
    assert phone.get_by_label("Nama KIM").input_value() == "KIM Ketabang Maju"
    phone.get_by_label("Alamat subdomain").fill("ketabang-maju")
    phone.get_by_role("button", name="Simpan & lanjut").click()

    # 4. The village head's decree.
    phone.get_by_label("Nomor SK").fill("140/27/436.9.5/2026")
    phone.get_by_label("Tanggal SK").fill("2026-10-01")
    phone.get_by_label("Pindaian SK").set_input_files(str(sk_scan(tmp_path)))
    phone.get_by_role("button", name="Simpan & lanjut").click()

    # 5. The roster: ten members, one ketua.
    for i in range(10):
        phone.locator(f'input[name="anggota-{i}-name"]').fill(f"Warga Ketabang {i + 1}")
        if i == 0:
            phone.locator('select[name="anggota-0-position"]').select_option("ketua")
    phone.get_by_role("button", name="Simpan & lanjut").click()

    # 6. Review and submit: the regency admin is told by email.
    phone.get_by_role("button", name="Kirim untuk diverifikasi").click()
    phone.get_by_text("menunggu verifikasi").first.wait_for()
    assert "diskominfo-surabaya@example.id" in {m.to[0] for m in mail.outbox}

    # 7. The regency admin rejects it with a reason.
    admin = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    staff = admin.new_page()
    sign_in(staff, sites, "diskominfo-surabaya@example.id")
    staff.goto(sites.kelola("/verifikasi/"))
    staff.get_by_role("link", name="KIM Ketabang Maju").click()
    staff.get_by_label("Alasan").fill("Nomor SK tidak terbaca pada pindaian.")
    staff.get_by_role("button", name="Tolak pendaftaran").click()
    staff.get_by_text("Ditolak").first.wait_for()

    # 8. The applicant sees the reason, fixes the decree number and resubmits.
    phone.goto(sites.kelola("/"))
    phone.get_by_text("Nomor SK tidak terbaca pada pindaian.").first.wait_for()
    phone.goto(sites.kelola("/daftar/"))
    phone.get_by_role("link", name="KIM Ketabang Maju").first.click()
    expect(phone.get_by_text("Nomor SK tidak terbaca pada pindaian.").first).to_be_visible()
    phone.get_by_role("link", name="SK pembentukan").first.click()
    phone.get_by_label("Nomor SK").fill("140/28/436.9.5/2026")
    phone.get_by_role("button", name="Simpan & lanjut").click()
    # Going on before the save has answered would cancel it: wait for the next step's page.
    phone.wait_for_url(re.compile(r"/anggota/$"))
    phone.goto(phone.url.replace("/anggota/", "/tinjau/"))
    phone.get_by_role("button", name="Kirim ulang untuk diverifikasi").click()
    phone.get_by_text("menunggu verifikasi").first.wait_for()

    # 9. Verified: the subsite goes live at its own host.
    staff.goto(sites.kelola("/verifikasi/"))
    staff.get_by_role("link", name="KIM Ketabang Maju").click()
    staff.get_by_role("button", name="Verifikasi KIM ini").click()
    staff.get_by_text("Nomor induk").first.wait_for()
    phone.goto(sites.subsite("ketabang-maju"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("KIM Ketabang Maju")
    expect(phone.get_by_text("35.78.09.1003.01").first).to_be_visible()
    assert_fits_the_screen(phone)
    phone.get_by_role("link", name="Pengurus").first.click()
    expect(phone.get_by_text("Warga Ketabang 1").first).to_be_visible()

    # 10. Suspended: the subsite is gone until reinstated, also for the browser that just read it
    # (public pages are revalidated by browsers: max-age=0 with an ETag).
    staff.get_by_label("Alasan").first.fill("Menyebarkan hoaks banjir.")
    staff.get_by_role("button", name="Bekukan KIM").click()
    staff.get_by_text("Dibekukan").first.wait_for()
    response = phone.goto(sites.subsite("ketabang-maju"))
    assert response.status == 404
    expect(phone.get_by_text("Situs KIM ini tidak ditemukan")).to_be_visible()
    admin.close()
