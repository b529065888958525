"""The Content-Security-Policy in a real browser: the pages whose scripts and styles moved out of
the HTML (a subsite with its theme and share links, the editor's photo polling, the sign-up's
village picker) work under it, and Chromium reports no violation."""

import pytest

from communities import services
from posts import images as post_images
from posts.models import Image
from tests.browser.test_kim_life import sign_in
from tests.factories import jpeg_upload, make_post

pytestmark = pytest.mark.django_db(transaction=True)

# Recorded before any page script runs (an init script is injected by the browser, not the page,
# so the policy does not block it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(phone):
    """The phone page, with every CSP violation it sees: console messages and DOM events."""
    console = []
    phone.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    phone.add_init_script(RECORD_VIOLATIONS)

    def violations() -> list[str]:
        return console + phone.evaluate("window.__cspViolations || []")

    phone.violations = violations
    return phone


def test_a_subsite_page_is_themed_and_shares_under_the_policy(watched, sites, world):
    world.kim_a.brand_colour = "#1e6b34"
    world.kim_a.save()
    post = make_post(world.kim_a, author=world.a_editor, status="published", title="Kerja bakti")
    response = watched.goto(sites.subsite("kim-ketabang", f"/kabar/{post.slug}/"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The theme stylesheet applied: the header takes the KIM's colour, not the default blue.
    background = watched.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert background == "rgb(30, 107, 52)"
    # share.js ran: the copy button shows, and copying says so.
    button = watched.get_by_role("button", name="Salin tautan")
    button.click()
    watched.get_by_text("Tautan disalin.").wait_for()
    watched.goto(sites.portal("/"))  # KIM cards take their colour from colours.js
    card = watched.locator("article.kim-card").first
    assert card.evaluate("el => el.style.getPropertyValue('--card-brand')").startswith("#")
    assert watched.violations() == []


def test_the_editor_polls_photo_status_under_the_policy(watched, sites, world):
    post = make_post(world.kim_a, author=world.a_contributor, title="Kerja bakti RW 03")
    post_images.image_add(post=post, file=jpeg_upload(), caption="Warga", alt_text="Warga")
    # Still being processed, as the page sees it right after an upload: it polls the status.
    Image.objects.filter(post=post).update(status=Image.Status.PROCESSING)
    sign_in(watched, sites, "a-contributor@example.id")
    with watched.expect_response(lambda r: "/foto/status/" in r.url, timeout=15_000) as polled:
        watched.goto(sites.kelola(f"/kim/kim-ketabang/tulisan/{post.pk}/"))
    assert polled.value.ok
    watched.get_by_role("textbox", name="Judul", exact=True).fill("Kerja bakti RW 03 dan RW 04")
    assert watched.violations() == []


def test_the_village_picker_fills_its_lists_under_the_policy(watched, sites, world):
    draft = services.community_draft_start(applicant=world.outsider)
    sign_in(watched, sites, "warga@example.id")
    watched.goto(sites.kelola(f"/daftar/{draft.pk}/desa/"))
    watched.get_by_label("Provinsi").select_option(label="Jawa Timur")
    watched.get_by_label("Kabupaten/kota").select_option(label="Kota Surabaya")
    watched.get_by_label("Kecamatan").select_option(label="Genteng")
    watched.get_by_label("Desa/kelurahan").select_option(label="Ketabang")
    assert watched.violations() == []
