"""A siaran's whole life in real browsers on 390 px screens: the Jawa Timur province admin writes
one for the province with a photo and publishes it; KIM A (Surabaya) finds it in its inbox,
relays it as its own post, adapts the title and sends it; the post is approved and shows its
source; the province admin's report shows KIM A as relayed; KIM B (Jawa Barat) never sees it;
the portal's siaran pages list KIM A as a relayer."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from stats.tasks import flush_visits
from tests.browser.conftest import assert_fits_the_screen
from tests.browser.test_kim_life import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Vaksinasi campak gratis untuk balita"
ADAPTED = "Vaksinasi campak gratis di Balai RW 03 Ketabang"
OFFICE = "Diskominfo Provinsi Jawa Timur"


def poster(tmp_path) -> str:
    path = tmp_path / "poster-vaksinasi.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1600), (200, 60, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def local_input(moment) -> str:
    """A value for an <input type="datetime-local">, in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def open_kim(page, name: str) -> None:
    """From the kelola dashboard to the KIM's own overview."""
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_a_province_siaran_is_relayed_by_a_kim_of_the_province_only(phones, sites, world, tmp_path):
    # 1. The province admin writes the siaran for Jawa Timur, with a photo and a validity period.
    staff = phones()
    sign_in(staff, sites, "diskominfo-jatim@example.id")
    staff.get_by_role("link", name="Tulis siaran").click()
    staff.get_by_role("textbox", name="Nama instansi pengirim").fill(OFFICE)
    staff.get_by_role("textbox", name="Judul", exact=True).fill(TITLE)
    staff.get_by_role("textbox", name="Isi", exact=True).fill(
        "Puskesmas di seluruh Jawa Timur membuka vaksinasi campak gratis untuk balita "
        "usia 9 bulan sampai 5 tahun. Bawa buku KIA."
    )
    now = timezone.now()
    staff.get_by_label("Berlaku mulai").fill(local_input(now - timedelta(hours=1)))
    staff.get_by_label("Berlaku sampai").fill(local_input(now + timedelta(days=30)))
    staff.get_by_role("listbox", name="Provinsi").select_option(label="Jawa Timur")
    staff.get_by_label("Foto", exact=True).set_input_files(poster(tmp_path))
    assert_fits_the_screen(staff)
    staff.get_by_role("button", name="Simpan").click()
    staff.get_by_text("Siaran disimpan sebagai draf").wait_for()
    staff.get_by_role("button", name="Terbitkan").click()
    staff.get_by_text("Siaran terbit.").wait_for()
    report_url = staff.url

    # 2. KIM A's admin sees a count on the KIM's dashboard and the siaran in the inbox.
    kim_a = phones()
    sign_in(kim_a, sites, "a-admin@example.id")
    open_kim(kim_a, "KIM Ketabang Maju")
    expect(kim_a.get_by_text("1 siaran baru menunggu diteruskan.")).to_be_visible()
    kim_a.get_by_role("link", name="Buka kotak siaran").click()
    kim_a.get_by_role("link", name=TITLE).click()
    expect(kim_a.get_by_role("heading", level=1)).to_have_text(TITLE)
    inbox_detail = kim_a.url

    # 3. Relaying opens a draft post prefilled from the siaran (text, source and photo).
    kim_a.get_by_role("button", name="Teruskan sebagai tulisan").click()
    kim_a.get_by_text("Draf tulisan dibuat dari siaran.").wait_for()
    title = kim_a.get_by_role("textbox", name="Judul", exact=True)
    expect(title).to_have_value(TITLE)
    body = kim_a.get_by_label("Isi tulisan").input_value()
    assert "vaksinasi campak gratis untuk balita" in body
    assert f"Sumber: siaran {OFFICE}" in body
    expect(kim_a.locator("#foto").get_by_text("Siap")).to_have_count(1)
    assert_fits_the_screen(kim_a)
    title.fill(ADAPTED)
    kim_a.get_by_role("button", name="Simpan & kirim untuk moderasi").click()
    kim_a.get_by_text("Menunggu moderasi").first.wait_for()

    # The inbox now says the siaran was relayed, and the count is gone.
    kim_a.goto(sites.kelola("/kim/kim-ketabang/siaran/"))
    expect(kim_a.get_by_text("sudah diteruskan")).to_be_visible()
    kim_a.get_by_role("link", name="KIM Ketabang Maju").first.click()
    expect(kim_a.get_by_text("Tidak ada siaran baru.")).to_be_visible()

    # 4. The post goes through moderation like any other: the province admin approves it.
    staff.get_by_role("link", name="Moderasi", exact=True).click()
    staff.get_by_role("link", name=ADAPTED).click()
    staff.get_by_role("button", name="Setujui dan tayangkan").click()
    staff.get_by_text("Tayang").first.wait_for()

    # 5. A reader finds the post on KIM A's site; it shows and links its source siaran.
    reader = phones()
    reader.goto(sites.subsite("kim-ketabang", "/kabar/"))
    reader.get_by_role("link", name=ADAPTED).first.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(ADAPTED)
    expect(reader.locator("article picture img")).to_have_count(1)
    source = reader.locator(".post-source")
    expect(source).to_contain_text("Diteruskan dari siaran")
    expect(source).to_contain_text(OFFICE)
    assert_fits_the_screen(reader)
    source.get_by_role("link", name=TITLE).click()

    # 6. The siaran's public page lists KIM A, with its region, and links the relayed post.
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert reader.url.startswith(sites.portal("/siaran/"))
    expect(reader.locator(".siaran-photos picture img")).to_have_count(1)
    heading = reader.get_by_role("heading", name="KIM yang meneruskan")
    relays = reader.locator("section", has=heading)
    expect(relays).to_contain_text("KIM Ketabang Maju, Kota Surabaya")
    expect(relays.get_by_role("link", name=ADAPTED)).to_have_attribute(
        "href", re.compile(r"//kim-ketabang\.localhost:\d+/kabar/")
    )
    assert_fits_the_screen(reader)
    # ... and /siaran/ lists the siaran among the current ones.
    reader.get_by_role("link", name="‹ Semua siaran").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Siaran pemerintah")
    reader.get_by_role("link", name=TITLE).click()
    expect(reader.get_by_role("heading", name="KIM yang meneruskan")).to_be_visible()
    expect(reader.get_by_text("KIM Ketabang Maju, Kota Surabaya")).to_be_visible()

    # 7. The province admin's report shows KIM A as relayed and on air, with its region and
    # the reader's visit (counted by the beacon, moved into the table by beat's flush).
    flush_visits()
    staff.get_by_role("link", name="Siaran", exact=True).click()
    staff.get_by_role("link", name=TITLE).click()
    expect(staff).to_have_url(report_url)
    reach = "1 KIM dalam sasaran · 1 meneruskan · 1 tayang · 1 kunjungan"
    expect(staff.get_by_text(reach)).to_be_visible()
    row = staff.get_by_role("row").filter(has_text="KIM Ketabang Maju")
    expect(row).to_contain_text("Kota Surabaya")
    expect(row).to_contain_text("tayang")
    expect(row.get_by_role("link", name="lihat")).to_be_visible()
    totals = staff.get_by_role("table").filter(has_text="Per kabupaten/kota")
    expect(totals.get_by_role("row").filter(has_text="Kota Surabaya")).to_be_visible()

    # 8. KIM B's admin (Jawa Barat) never sees it: no count, an empty inbox, 404 at its address.
    kim_b = phones()
    sign_in(kim_b, sites, "b-admin@example.id")
    open_kim(kim_b, "KIM Gegerkalong Sejahtera")
    expect(kim_b.get_by_text("Tidak ada siaran baru.")).to_be_visible()
    kim_b.get_by_role("link", name="Buka kotak siaran").click()
    expect(kim_b.get_by_text("Belum ada siaran untuk KIM ini.")).to_be_visible()
    expect(kim_b.get_by_text(TITLE)).to_have_count(0)
    foreign = inbox_detail.replace("/kim/kim-ketabang/", "/kim/kim-gegerkalong/")
    assert foreign != inbox_detail
    assert kim_b.goto(foreign).status == 404
    # Nor can it open KIM A's inbox.
    assert kim_b.goto(inbox_detail).status == 404
