"""Aspirations in real browsers on 390 px screens: an anonymous visitor sends one to Kota
Surabaya from the portal and gets a tracking code; the regency admin forwards it to an office and
answers publicly; the visitor follows it with the code and reads the answer, never seeing the
contact typed; a second one is withdrawn with its code. An aspirasi sent from KIM A's subsite
reaches KIM A's queue and not KIM B's."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_the_screen
from tests.browser.test_kim_life import sign_in
from tests.browser.test_siaran_flow import open_kim

pytestmark = pytest.mark.django_db(transaction=True)

# The contact a visitor types; it must never appear on a public page.
NAME = "Sulastri Wijayanti"
PHONE = "0813-5550-1742"
EMAIL = "sulastri.w@example.id"
OFFICE = "Dinas Sumber Daya Air dan Bina Marga Kota Surabaya"
ANSWER = "Lubang di Jalan Ketabang Kali sudah ditambal pada 3 Desember. Terima kasih."


@pytest.fixture
def quick_form(settings):
    """The minimum fill time cut to one second, so the test waits one second instead of five."""
    settings.ASPIRATION_MIN_FILL_SECONDS = 1


def fill_and_send(page, *, topic: str, text: str, contact: bool, regency: str = "") -> str:
    """Fill the aspirasi form on the page, wait past the minimum fill time, send; return the
    tracking code shown."""
    if regency:
        page.get_by_role("combobox", name="Kabupaten/kota tujuan").select_option(label=regency)
        page.get_by_role("textbox", name="Desa/kelurahan").fill("Ketabang")
    else:  # a KIM's subsite: the regency is the KIM's, the village prefilled with its own
        expect(page.get_by_role("combobox", name="Kabupaten/kota tujuan")).to_have_count(0)
        expect(page.get_by_role("textbox", name="Desa/kelurahan")).to_have_value("Ketabang")
    page.get_by_role("combobox", name="Topik").select_option(label=topic)
    page.get_by_role("textbox", name="Aspirasi Anda").fill(text)
    if contact:
        page.get_by_label("Nama (tidak wajib)").fill(NAME)
        page.get_by_label("Nomor telepon/WhatsApp (tidak wajib)").fill(PHONE)
        page.get_by_label("Email (tidak wajib)").fill(EMAIL)
    assert_fits_the_screen(page)
    # The product refuses a form sent faster than a person could fill it.
    page.wait_for_timeout(1_000)
    page.get_by_role("button", name="Kirim aspirasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aspirasi Anda sudah kami terima")
    code = re.search(r"ASP-\w{4}-\w{4}-\w{4}", page.locator(".asp-code").inner_text()).group(0)
    assert_fits_the_screen(page)
    return code


def assert_no_contact(page) -> None:
    # The whole page, not the part parsed so far: a leak near the end must not slip by.
    page.wait_for_load_state("load")
    html = page.content()
    for secret in (NAME, PHONE, EMAIL, "0813", "sulastri"):
        assert secret not in html, f"{secret!r} on {page.url}"


def track(page, sites, code: str) -> None:
    page.goto(sites.portal("/aspirasi/"))
    page.get_by_role("link", name="Lacak aspirasi Anda").click()
    page.get_by_role("textbox", name="Kode pelacakan").fill(code.lower())
    page.get_by_role("button", name="Lacak", exact=True).click()
    page.get_by_role("heading", name=re.compile(r"^Aspirasi #\d+")).wait_for()


def test_an_aspirasi_to_a_regency_is_forwarded_answered_and_tracked(
    phones, sites, world, quick_form
):
    # 1. A visitor sends an aspirasi to Kota Surabaya from the portal, with a contact.
    visitor = phones()
    visitor.goto(sites.portal("/"))
    visitor.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Aspirasi", exact=True
    ).click()
    visitor.get_by_role("link", name="Sampaikan aspirasi").click()
    code = fill_and_send(
        visitor,
        regency="Kota Surabaya",
        topic="Infrastruktur",
        text="Jalan Ketabang Kali berlubang besar di depan balai RW 03; dua pengendara jatuh.",
        contact=True,
    )
    expect(visitor.get_by_text("Kode yang sama juga kami kirim ke email Anda.")).to_be_visible()

    # 2. The regency admin finds it in the queue; the contact is shown there, and only there.
    staff = phones()
    sign_in(staff, sites, "diskominfo-surabaya@example.id")
    staff.get_by_role("link", name="1 aspirasi belum selesai").click()
    staff.get_by_role("link", name=re.compile(r"^#\d+ · Infrastruktur$")).click()
    heading = staff.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"#\d+"))
    number = re.search(r"#(\d+)", heading.inner_text()).group(1)
    contact = staff.locator("section", has=staff.get_by_role("heading", name="Kontak pengirim"))
    expect(contact).to_contain_text(NAME)
    expect(contact).to_contain_text(PHONE)
    assert_fits_the_screen(staff)

    # 3. It is forwarded to an office, then answered publicly.
    staff.get_by_text("Teruskan ke instansi", exact=True).click()
    forward = staff.locator("details", has_text="Teruskan ke instansi")
    forward.get_by_role("textbox", name="Diteruskan ke (instansi)").fill(OFFICE)
    forward.get_by_role("textbox", name="Catatan internal (tidak wajib)").fill(
        "Mohon dicek, dekat sekolah."
    )
    forward.get_by_role("button", name="Simpan").click()
    staff.get_by_text("Tersimpan.").wait_for()
    expect(staff.locator(".asp-status")).to_have_text("Diteruskan")
    staff.get_by_text("Tanggapi secara publik", exact=True).click()
    answer = staff.locator("details", has_text="Tanggapi secara publik")
    answer.get_by_role("textbox", name="Tanggapan untuk publik").fill(ANSWER)
    answer.get_by_role("button", name="Simpan").click()
    staff.get_by_text("Tersimpan.").wait_for()
    expect(staff.locator(".asp-status")).to_have_text("Ditanggapi")

    # 4. The visitor follows it with the code: answered, with the office and the answer.
    track(visitor, sites, code)
    expect(visitor.locator(".asp-status")).to_have_text(re.compile("ditanggapi", re.I))
    expect(visitor.locator(".asp-answer")).to_contain_text(ANSWER)
    expect(visitor.get_by_text(f"Kepada: {OFFICE}")).to_be_visible()
    assert_no_contact(visitor)
    assert_fits_the_screen(visitor)

    # 5. The public list and the aspirasi's page show the answer and never the contact.
    visitor.goto(sites.portal("/aspirasi/"))
    assert_no_contact(visitor)
    visitor.get_by_role("link", name=f"#{number} · Infrastruktur").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        f"Aspirasi #{number}: Infrastruktur"
    )
    expect(visitor.locator(".asp-status")).to_have_text("Ditanggapi")
    expect(visitor.locator(".asp-answer")).to_contain_text(ANSWER)
    expect(visitor.get_by_text("Mohon dicek, dekat sekolah.")).to_have_count(0)
    assert_no_contact(visitor)
    assert_fits_the_screen(visitor)

    # 6. A second aspirasi, withdrawn by its sender with its code: gone from the portal.
    visitor.goto(sites.portal("/aspirasi/kirim/"))
    second = fill_and_send(
        visitor,
        regency="Kota Surabaya",
        topic="Lingkungan",
        text="Sampah menumpuk di tepi Kali Mas dekat jembatan Ketabang sejak seminggu.",
        contact=False,
    )
    public_link = visitor.get_by_role("link", name=re.compile(r"^Halaman publik aspirasi #\d+$"))
    second_url = public_link.get_attribute("href")
    assert visitor.goto(second_url).status == 200
    track(visitor, sites, second)
    expect(visitor.locator(".asp-status")).to_have_text("Diterima")
    visitor.get_by_label("Ya, tarik aspirasi ini.").check()
    visitor.get_by_role("button", name="Tarik aspirasi").click()
    expect(
        visitor.get_by_text("Aspirasi Anda sudah ditarik dan tidak lagi tampil di kim.id.")
    ).to_be_visible()
    expect(visitor.locator(".asp-status")).to_have_text("Ditarik pengirim")
    assert visitor.goto(second_url).status == 404
    # The answered one still tracks as before.
    track(visitor, sites, code)
    expect(visitor.locator(".asp-answer")).to_contain_text(ANSWER)


def test_an_aspirasi_from_a_kim_subsite_reaches_that_kim_only(phones, sites, world, quick_form):
    visitor = phones()
    visitor.goto(sites.subsite("kim-ketabang"))
    visitor.get_by_role("link", name="Aspirasi", exact=True).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Sampaikan aspirasi")
    fill_and_send(
        visitor,
        topic="Kesehatan",
        text="Posyandu RW 05 butuh timbangan bayi baru; yang lama sudah rusak.",
        contact=True,
    )

    kim_a = phones()
    sign_in(kim_a, sites, "a-admin@example.id")
    open_kim(kim_a, "KIM Ketabang Maju")
    kim_a.get_by_role("link", name="Aspirasi warga").click()
    kim_a.get_by_role("link", name=re.compile(r"^#\d+ · Kesehatan$")).click()
    expect(kim_a.get_by_text("Posyandu RW 05 butuh timbangan bayi baru")).to_be_visible()
    expect(kim_a.get_by_text(NAME)).to_be_visible()
    detail = kim_a.url
    assert "/kim/kim-ketabang/aspirasi/" in detail

    kim_b = phones()
    sign_in(kim_b, sites, "b-admin@example.id")
    open_kim(kim_b, "KIM Gegerkalong Sejahtera")
    kim_b.get_by_role("link", name="Aspirasi warga").click()
    expect(kim_b.get_by_text("Tidak ada aspirasi untuk pilihan ini.")).to_be_visible()
    expect(kim_b.get_by_text("Posyandu RW 05")).to_have_count(0)
    assert kim_b.goto(detail).status == 404
    foreign = detail.replace("/kim/kim-ketabang/", "/kim/kim-gegerkalong/")
    assert foreign != detail
    assert kim_b.goto(foreign).status == 404
