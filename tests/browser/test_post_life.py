"""A post's life in a real browser on a 390 px screen: a contributor writes it with three
photos and submits, the regency admin approves it from the queue, and it appears on the
subsite, its region pages and the portal home; a rejected post comes back and is resubmitted."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_the_screen
from tests.browser.test_kim_life import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def photos(tmp_path, count=3):
    paths = []
    for i in range(count):
        path = tmp_path / f"kegiatan-{i}.jpg"
        buffer = io.BytesIO()
        Image.new("RGB", (1600, 1200), (40 * i, 120, 200 - 40 * i)).save(buffer, "JPEG")
        path.write_bytes(buffer.getvalue())
        paths.append(str(path))
    return paths


def write_post(page, sites, title, tmp_path, with_photos=True):
    page.goto(sites.kelola("/kim/kim-ketabang/tulisan/baru/"))
    page.get_by_label("Jenis tulisan").select_option("kegiatan")
    page.get_by_role("textbox", name="Judul", exact=True).fill(title)
    page.get_by_label("Ringkasan").fill("Warga RW 03 membersihkan saluran air sebelum musim hujan.")
    page.get_by_label("Isi tulisan").fill("Sebanyak **40 warga** ikut kerja bakti pagi ini.")
    if with_photos:
        page.get_by_label("Tambah foto").set_input_files(photos(tmp_path))
    assert_fits_the_screen(page)
    page.get_by_role("button", name="Simpan draf").click()
    page.get_by_role("button", name="Simpan & kirim untuk moderasi").wait_for()


def test_a_post_is_written_with_photos_approved_and_read(browser, phone, sites, world, tmp_path):
    sign_in(phone, sites, "a-contributor@example.id")
    write_post(phone, sites, "Kerja bakti sebelum musim hujan", tmp_path)
    # The photos are processed after saving; the page shows them ready.
    phone.reload()
    expect(phone.locator("#foto").get_by_text("Siap")).to_have_count(3)
    phone.get_by_role("button", name="Simpan & kirim untuk moderasi").click()
    phone.get_by_text("Menunggu moderasi").first.wait_for()

    admin = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    staff = admin.new_page()
    sign_in(staff, sites, "diskominfo-surabaya@example.id")
    staff.goto(sites.kelola("/moderasi/"))
    staff.get_by_role("link", name="Kerja bakti sebelum musim hujan").click()
    # The click only starts the navigation: wait for the moderation page before reading it.
    expect(staff).to_have_url(re.compile(r"/moderasi/\d+/$"))
    expect(staff.locator(".moderation-preview picture")).to_have_count(3)
    staff.get_by_role("button", name="Setujui dan tayangkan").click()
    staff.get_by_text("Tayang").first.wait_for()

    phone.goto(sites.subsite("kim-ketabang", "/kabar/"))
    phone.get_by_role("link", name="Kerja bakti sebelum musim hujan").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kerja bakti sebelum musim hujan")
    expect(phone.locator("article picture img")).to_have_count(3)
    # The first photo loads (complete, and not broken: a broken image is complete too).
    first = phone.locator("article picture img").first
    expect(first).to_have_js_property("complete", True)
    assert first.evaluate("img => img.naturalWidth") > 0
    assert_fits_the_screen(phone)
    for url in (
        sites.portal("/"),
        sites.portal("/wilayah/jawa-timur/kota-surabaya/"),
        sites.portal("/wilayah/jawa-timur/"),
    ):
        phone.goto(url)
        assert phone.get_by_role("link", name="Kerja bakti sebelum musim hujan").count() >= 1, url
    admin.close()


def test_a_rejected_post_comes_back_with_its_reason(browser, phone, sites, world, tmp_path):
    sign_in(phone, sites, "a-contributor@example.id")
    write_post(phone, sites, "Lomba tujuh belasan", tmp_path, with_photos=False)
    phone.get_by_role("button", name="Simpan & kirim untuk moderasi").click()
    phone.get_by_text("Menunggu moderasi").first.wait_for()
    edit_url = phone.url

    admin = browser.new_context(locale="id-ID")
    staff = admin.new_page()
    sign_in(staff, sites, "diskominfo-surabaya@example.id")
    staff.goto(sites.kelola("/moderasi/"))
    staff.get_by_role("link", name="Lomba tujuh belasan").click()
    staff.get_by_label("Alasan").first.fill("Tambahkan tanggal dan tempat lomba.")
    staff.get_by_role("button", name="Tolak tulisan").click()
    staff.get_by_text("Ditolak").first.wait_for()
    admin.close()

    phone.goto(edit_url)
    expect(phone.get_by_text("Tambahkan tanggal dan tempat lomba.").first).to_be_visible()
    phone.get_by_label("Isi tulisan").fill("Lomba di lapangan RW 03, 17 Agustus pukul 08.00.")
    phone.get_by_role("button", name="Simpan & kirim ulang").click()
    phone.get_by_text("Menunggu moderasi").first.wait_for()
