"""The KIM directory's region filter: one submit without JavaScript, at once with it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, assert_fits_the_screen

pytestmark = pytest.mark.django_db(transaction=True)


def kim_names(page) -> list[str]:
    return page.locator(".kim-cards .kim-card h3, .kim-cards .kim-card h2").all_inner_texts()


def test_choosing_a_regency_filters_at_once_and_keeps_the_focus(phone, sites, world):
    phone.goto(sites.portal("/kim/"))
    assert_fits_the_screen(phone)
    expect(phone.get_by_role("heading", name="2 KIM ditemukan")).to_be_visible()
    region = phone.get_by_label("Provinsi atau kabupaten/kota")
    region.focus()
    region.select_option(label="Kota Bandung")
    # No button pressed: the results are swapped in place and the address follows.
    expect(phone.get_by_role("heading", name="1 KIM ditemukan")).to_be_visible()
    expect(phone.get_by_text("KIM Gegerkalong Sejahtera")).to_be_visible()
    expect(phone.get_by_text("KIM Ketabang Maju")).to_have_count(0)
    expect(phone).to_have_url(re.compile(r"/kim/\?wilayah=32\.73$"))
    assert region.evaluate("el => el === document.activeElement")
    expect(phone.get_by_role("status").filter(has_text="1 KIM ditemukan")).to_have_count(1)
    # The address can be shared: opening it gives the same filtered page.
    phone.reload()
    expect(phone.get_by_role("heading", name="1 KIM ditemukan")).to_be_visible()
    expect(region).to_have_value("32.73")


def test_without_javascript_one_submit_filters(browser, sites, world):
    context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(sites.portal("/kim/"))
        page.get_by_label("Provinsi atau kabupaten/kota").select_option(label="Kota Surabaya")
        expect(page.get_by_role("heading", name="2 KIM ditemukan")).to_be_visible()  # unchanged
        page.get_by_role("button", name="Terapkan").click()
        expect(page.get_by_role("heading", name="1 KIM ditemukan")).to_be_visible()
        expect(page.get_by_text("KIM Ketabang Maju")).to_be_visible()
    finally:
        context.close()
