"""Two-step sign-in on a phone: a new staff member sets up an authenticator app from the set-up
page, keeps the recovery codes, and signs in again later with one of them."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_the_screen
from tests.factories import make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def password_step(page, sites, email, next_path):
    page.goto(sites.kelola(f"/masuk/?next={next_path}"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill("rahasia-kim-123")
    page.get_by_role("button", name="Masuk").click()


def test_a_staff_member_sets_up_two_step_sign_in_and_uses_a_recovery_code(phone, sites, regions):
    make_staff("diskominfo-surabaya@example.id", "regency", regency=regions.surabaya)
    password_step(phone, sites, "diskominfo-surabaya@example.id", "/verifikasi/")

    # Before anything else: set-up, with the QR code and the key to type by hand.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Aktifkan verifikasi dua langkah")
    expect(phone.locator("figure svg title")).to_have_text("Kode QR untuk aplikasi autentikator")
    assert_fits_the_screen(phone)
    secret = phone.locator("li code").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(secret)).token():06d}"
    phone.get_by_label("Kode dari aplikasi").fill(code)
    phone.get_by_role("button", name="Aktifkan").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Kode cadangan")
    expect(phone.locator("ol li code")).to_have_count(10)
    codes = phone.locator("ol li code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4} [a-z2-7]{4}", c) for c in codes)
    assert_fits_the_screen(phone)
    phone.get_by_role("link", name="Lanjutkan").click()
    expect(phone).to_have_url(re.compile(r"/verifikasi/$"))

    # The phone is lost: the next sign-in passes with a recovery code, once.
    phone.get_by_role("button", name="Keluar").click()
    password_step(phone, sites, "diskominfo-surabaya@example.id", "/verifikasi/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    phone.get_by_label("Kode").fill(codes[0])
    phone.get_by_role("button", name="Lanjutkan").click()
    expect(phone).to_have_url(re.compile(r"/verifikasi/$"))
