"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Each KIM subsite is a real `<slug>.localhost` host: Chromium resolves every `*.localhost` name to
the loopback address, so the portal, kelola and subsites are reached exactly as in development.
"""

import os
import shutil
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import User
from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import site_url
from tests.support import give_authenticator, skip_or_fail

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        skip_or_fail("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
    # themselves (fixtures, assertions) are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


class Sites:
    """Absolute URLs on the live server for each kind of host."""

    def portal(self, path: str = "/") -> str:
        return site_url(SiteKind.PORTAL, path)

    def kelola(self, path: str = "/") -> str:
        return site_url(SiteKind.KELOLA, path)

    def subsite(self, slug: str, path: str = "/") -> str:
        return site_url(SiteKind.COMMUNITY, path, slug=slug)


@pytest.fixture
def sites(live_server, settings) -> Sites:
    settings.PORTAL_PORT = int(live_server.url.rsplit(":", 1)[1])
    settings.PORTAL_SCHEME = "http"
    return Sites()


def _phone_context(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="id-ID"
    )
    context.set_default_timeout(15_000)
    return context


def _failed(request) -> bool:
    report = getattr(request.node, "rep_call", None)
    return report is not None and report.failed


@pytest.fixture
def phone(browser, request):
    """A fresh 390 px wide phone-sized page; a screenshot is kept when the test fails."""
    context = _phone_context(browser)
    page = context.new_page()
    yield page
    if _failed(request):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phones(browser, request):
    """More people, each on a phone of their own (own cookies): `phones()` gives a new page.
    Each page's screenshot is kept when the test fails."""
    pages = []

    def new_phone():
        pages.append(_phone_context(browser).new_page())
        return pages[-1]

    yield new_phone
    for number, page in enumerate(pages, start=1):
        if _failed(request):
            ARTIFACTS.mkdir(exist_ok=True)
            name = f"{request.node.name}-{number}.png"
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        page.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def assert_fits_the_screen(page) -> None:
    """Nothing on the page is wider than the phone's screen (no sideways scrolling)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the screen"


def staff_authenticator(email: str):
    """The authenticator of someone who must pass the second step (accounts.mfa), made as if
    they had set it up already; None for everyone else (nothing more to type)."""
    user = User.objects.get(email=email)
    if not mfa.is_required(user):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_authenticator(user)
