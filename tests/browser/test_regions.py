import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_the_screen

pytestmark = pytest.mark.django_db(transaction=True)


def test_browse_the_region_tree_on_a_phone(phone, sites, regions):
    phone.goto(sites.portal("/wilayah/"))
    assert_fits_the_screen(phone)
    phone.get_by_role("link", name="Jawa Timur").click()
    phone.get_by_role("link", name="Kota Surabaya").click()
    phone.get_by_role("link", name="Genteng").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kecamatan Genteng")
    expect(phone.get_by_text("Ketabang")).to_be_visible()
    phone.get_by_role("navigation", name="Jejak navigasi").get_by_role(
        "link", name="Jawa Timur"
    ).click()
    expect(phone).to_have_url(re.compile(r"/wilayah/jawa-timur/$"))
    assert_fits_the_screen(phone)


def test_keyboard_users_can_skip_to_the_content(phone, sites, regions):
    phone.goto(sites.portal("/wilayah/"))
    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name="Langsung ke konten")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "konten"


def test_sign_in_on_kelola_from_the_portal(phone, sites):
    from tests.factories import make_user

    make_user("siti@example.id", full_name="Siti Aminah")
    phone.goto(sites.portal("/"))
    phone.get_by_role("link", name="Masuk").first.click()
    phone.get_by_label("Email").fill("siti@example.id")
    phone.get_by_label("Kata sandi").fill("rahasia-kim-123")
    phone.get_by_role("button", name="Masuk").click()
    phone.get_by_role("heading", name="Selamat datang, Siti Aminah!").wait_for()
    assert phone.url.startswith(sites.kelola("/"))


def test_an_english_speaking_browser_gets_english_and_can_switch_back(browser, sites, regions):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(sites.portal("/wilayah/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Provinces")
    # A plain link (no form, so the page stays cacheable); the page answers Vary: Cookie, so the
    # browser's cached English copy is not reused once the language cookie changes.
    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Bahasa Indonesia"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Provinsi")
    page.goto(sites.portal("/wilayah/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Provinsi")
    context.close()
