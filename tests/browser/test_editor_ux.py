"""The post editor on a 390 px phone (issue 11): one "Simpan" keeps the text and every photo's
caption and alternative text; photos chosen with a refused save are still there afterwards, and
the error summary takes the writer to the field; a hoax clarification is sent only with its
claim, verdict and sources, which the moderation queue then shows first."""

import re

import pytest
from playwright.sync_api import expect

from posts.models import Post
from tests.browser.conftest import PHONE, assert_fits_the_screen
from tests.browser.test_kim_life import sign_in
from tests.browser.test_post_life import photos

pytestmark = pytest.mark.django_db(transaction=True)

NEW = "/kim/kim-ketabang/tulisan/baru/"


def field(page, label):
    """The field labelled exactly `label` (a required field's label ends with its "*" mark)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def test_one_save_keeps_the_text_and_every_photos_caption_and_alt(phone, sites, world, tmp_path):
    sign_in(phone, sites, "a-contributor@example.id")
    phone.goto(sites.kelola(NEW))
    field(phone, "Judul").fill("Kerja bakti RW 3")
    field(phone, "Isi tulisan").fill("Empat puluh warga membersihkan saluran air.")
    first, second = photos(tmp_path, count=2)
    field(phone, "Tambah foto").set_input_files([first, second])
    # editor.js draws each chosen photo with its own caption and alternative text.
    field(phone, "Keterangan foto “kegiatan-0.jpg”").fill("Warga membersihkan saluran")
    field(phone, "Teks alternatif foto “kegiatan-0.jpg”").fill("Warga mengangkat lumpur")
    field(phone, "Keterangan foto “kegiatan-1.jpg”").fill("Hasilnya bersih")
    field(phone, "Teks alternatif foto “kegiatan-1.jpg”").fill("Saluran air yang bersih")
    assert_fits_the_screen(phone)
    phone.get_by_role("button", name="Simpan draf").click()
    phone.get_by_role("button", name="Simpan & kirim untuk moderasi").wait_for()

    phone.reload()
    expect(field(phone, "Judul")).to_have_value("Kerja bakti RW 3")
    expect(field(phone, "Keterangan foto 1")).to_have_value("Warga membersihkan saluran")
    expect(field(phone, "Teks alternatif foto 1")).to_have_value("Warga mengangkat lumpur")
    expect(field(phone, "Keterangan foto 2")).to_have_value("Hasilnya bersih")
    expect(field(phone, "Teks alternatif foto 2")).to_have_value("Saluran air yang bersih")

    # On the saved post: the text and both photos' texts changed, one press of "Simpan".
    field(phone, "Judul").fill("Kerja bakti RW 3 dan RW 4")
    field(phone, "Isi tulisan").fill("Lima puluh warga ikut.")
    field(phone, "Keterangan foto 1").fill("Saluran di RW 3")
    field(phone, "Teks alternatif foto 1").fill("Warga memegang cangkul")
    field(phone, "Keterangan foto 2").fill("Saluran di RW 4")
    field(phone, "Teks alternatif foto 2").fill("Air mengalir lancar")
    assert_fits_the_screen(phone)
    phone.get_by_role("button", name="Simpan", exact=True).click()
    phone.get_by_text("Tulisan disimpan.").wait_for()
    phone.reload()
    expect(field(phone, "Judul")).to_have_value("Kerja bakti RW 3 dan RW 4")
    expect(field(phone, "Isi tulisan")).to_have_value("Lima puluh warga ikut.")
    expect(field(phone, "Keterangan foto 1")).to_have_value("Saluran di RW 3")
    expect(field(phone, "Teks alternatif foto 1")).to_have_value("Warga memegang cangkul")
    expect(field(phone, "Keterangan foto 2")).to_have_value("Saluran di RW 4")
    expect(field(phone, "Teks alternatif foto 2")).to_have_value("Air mengalir lancar")
    post = Post.objects.get()
    assert list(post.images.order_by("sort_order").values_list("caption", "alt_text")) == [
        ("Saluran di RW 3", "Warga memegang cangkul"),
        ("Saluran di RW 4", "Air mengalir lancar"),
    ]


def test_photos_and_text_survive_a_refused_save_and_the_summary_leads_to_the_field(
    phone, sites, world, tmp_path
):
    sign_in(phone, sites, "a-contributor@example.id")
    phone.goto(sites.kelola(NEW))
    field(phone, "Isi tulisan").fill("Teks yang sudah panjang diketik di ponsel.")
    field(phone, "Tambah foto").set_input_files(photos(tmp_path, count=2))
    field(phone, "Keterangan foto “kegiatan-0.jpg”").fill("Keterangan pertama")
    phone.get_by_role("button", name="Simpan draf").click()  # no title

    summary = phone.locator("#kesalahan")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Judul")
    expect(link).to_have_attribute("href", "#id_title")
    link.click()
    expect(field(phone, "Judul")).to_be_focused()
    expect(field(phone, "Judul")).to_have_attribute("aria-invalid", "true")
    # What was typed and chosen is still there: nothing has to be picked again.
    expect(field(phone, "Isi tulisan")).to_have_value("Teks yang sudah panjang diketik di ponsel.")
    expect(phone.get_by_text("2 foto sudah diunggah")).to_be_visible()
    expect(phone.get_by_text("kegiatan-0.jpg")).to_be_visible()
    expect(phone.get_by_text("kegiatan-1.jpg")).to_be_visible()
    expect(field(phone, "Keterangan foto 1")).to_have_value("Keterangan pertama")
    assert_fits_the_screen(phone)

    field(phone, "Judul").fill("Posyandu balita")
    phone.get_by_role("button", name="Simpan draf").click()
    phone.get_by_role("button", name="Simpan & kirim untuk moderasi").wait_for()
    phone.reload()
    expect(phone.locator("#foto").get_by_text("Siap", exact=True)).to_have_count(2)
    expect(field(phone, "Keterangan foto 1")).to_have_value("Keterangan pertama")
    post = Post.objects.get()
    assert (post.title, post.images.count()) == ("Posyandu balita", 2)


def test_a_hoax_clarification_is_sent_only_complete_and_queued_claim_first(
    browser, phone, sites, world
):
    sign_in(phone, sites, "a-contributor@example.id")
    phone.goto(sites.kelola(NEW))
    field(phone, "Jenis tulisan").select_option("hoaks")
    field(phone, "Judul").fill("Pesan berantai pemadaman listrik")
    field(phone, "Isi tulisan").fill("Tidak ada jadwal pemadaman tiga hari.")
    phone.get_by_role("button", name="Simpan draf").click()
    send = phone.get_by_role("button", name="Simpan & kirim untuk moderasi")
    send.click()

    summary = phone.locator("#kesalahan")
    expect(summary).to_be_focused()
    for label, message in (
        ("Klaim yang beredar", "Isi klaim yang beredar"),
        ("Putusan", "Pilih putusan"),
        ("Sumber", "Tulis sedikitnya satu sumber"),
    ):
        expect(summary.get_by_role("link", name=label)).to_be_visible()
        expect(field(phone, label)).to_have_attribute("aria-invalid", "true")
        expect(phone.locator(".field--error").filter(has_text=message)).to_have_count(1)
    summary.get_by_role("link", name="Putusan").click()
    expect(field(phone, "Putusan")).to_be_focused()
    assert_fits_the_screen(phone)

    field(phone, "Klaim yang beredar").fill("Listrik se-Surabaya padam tiga hari mulai Senin.")
    field(phone, "Putusan").select_option("hoaks")
    field(phone, "Sumber").fill(
        "Keterangan petugas PLN Rayon Genteng\nSiaran pers PLN https://pln.example.id/siaran"
    )
    send.click()
    phone.get_by_text("Menunggu moderasi").first.wait_for()
    assert Post.objects.get().status == "submitted"

    admin = browser.new_context(viewport=PHONE, locale="id-ID")
    staff = admin.new_page()
    sign_in(staff, sites, "diskominfo-surabaya@example.id")
    staff.goto(sites.kelola("/moderasi/"))
    item = staff.locator(".queue-item").filter(has_text="Pesan berantai pemadaman listrik")
    # The clarification comes first: claim, verdict and sources above the waiting time and the
    # automatic checks.
    hoax = item.locator(".hoax-review")
    expect(hoax).to_contain_text("Listrik se-Surabaya padam tiga hari")
    expect(hoax.locator("strong")).to_have_text("Hoaks")
    expect(hoax).to_contain_text("Keterangan petugas PLN Rayon Genteng")
    expect(hoax.get_by_role("link", name="https://pln.example.id/siaran")).to_be_visible()
    assert hoax.bounding_box()["y"] < item.locator(".facts").bounding_box()["y"]
    admin.close()
