"""Content-Security-Policy: a strict header on every kind of host, and pages that need nothing more
(no inline script, no event-handler attribute, no javascript: URL, no inline style)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string

from kimportal.lib.csp import content_security_policy, media_sources, site_origins
from posts import images as post_images
from tests.factories import jpeg_upload, make_post
from tests.test_html_valid import html_pages

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


# --- The header ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "path", "host", "status"),
    [
        ("portal", "/", "localhost", 200),
        ("kelola", "/masuk/", "kelola.localhost", 200),
        ("subsite", "/", "kim-ketabang.localhost", 200),
        ("unknown subsite", "/", "tidak-ada.localhost", 404),
        ("missing page", "/tidak-ada/", "localhost", 404),
        ("theme stylesheet", "/tema.css", "kim-ketabang.localhost", 200),
    ],
)
def test_every_host_sends_the_strict_policy(client, world, label, path, host, status):
    response = client.get(path, host=host)
    assert response.status_code == status, label
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"][:2] == ["'self'", "data:"]
    assert policy["form-action"] == [
        "'self'",
        "http://localhost:8000",
        "http://kelola.localhost:8000",
    ]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert "unsafe-hashes" not in header


def test_media_from_the_bucket_or_its_domain_is_allowed():
    assert media_sources() == []
    assert media_sources(s3_bucket="kim", s3_public_domain="media.kim.id") == [
        "https://media.kim.id"
    ]
    assert media_sources(s3_bucket="kim", s3_endpoint_url="https://s3.example.id") == [
        "https://s3.example.id",
        "https://kim.s3.example.id",
    ]
    assert media_sources(s3_bucket="kim") == ["https://kim.s3.amazonaws.com"]
    policy = content_security_policy(
        form_targets=site_origins(scheme="https", domain="kim.id", port=None),
        media=media_sources(s3_bucket="kim", s3_public_domain="media.kim.id"),
    )["DIRECTIVES"]
    assert policy["img-src"] == ["'self'", "data:", "https://media.kim.id"]
    assert policy["form-action"] == ["'self'", "https://kim.id", "https://kelola.kim.id"]


def test_the_middleware_runs_before_the_host_is_resolved():
    """Otherwise the 404 of an unknown subsite, answered by SiteMiddleware, has no policy."""
    middleware = django_settings.MIDDLEWARE
    assert middleware.index("csp.middleware.CSPMiddleware") < middleware.index(
        "kimportal.middleware.SiteMiddleware"
    )


# --- Pages need nothing the policy blocks -----------------------------------------------------


class InlineFinder(HTMLParser):
    """Collects what a strict policy would block: inline scripts (JSON-LD is data and allowed),
    <style> elements, style attributes, on…= handlers and javascript: URLs."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        is_data = (named.get("type") or "").lower() == "application/ld+json"
        if tag == "script" and not named.get("src") and not is_data:
            self.found.append(f"inline <script {named}>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name in self.URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f'<{tag} {name}="{value}">')


def blocked(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_the_finder_sees_what_the_policy_blocks():
    ok = '<script type="application/ld+json">{}</script><script src="/a.js" defer></script>'
    assert blocked(ok) == []
    assert blocked("<script>alert(1)</script>") == ["inline <script {}>"]
    assert blocked('<p style="color:red" onclick="x()">') == [
        '<p style="color:red">',
        "<p onclick=…>",
    ]
    assert blocked('<a href="javascript:void(0)">') == ['<a href="javascript:void(0)">']
    assert blocked("<style>p{}</style>") == ["<style> element"]


@pytest.mark.django_db
def test_no_page_needs_inline_script_or_style(client, world, django_capture_on_commit_callbacks):
    pages = html_pages(client, world)
    kelola = {"kelola": True}

    # Posts: the public page (share links, JSON-LD, photos), the editor, the moderation queue.
    post = make_post(world.kim_a, author=world.a_editor, status="published", title="Kerja bakti")
    with django_capture_on_commit_callbacks(execute=True):
        image = post_images.image_add(
            post=post, file=jpeg_upload(), caption="Warga", alt_text="Warga bekerja"
        )
    post_images.image_process(image_id=image.pk)
    draft = make_post(world.kim_a, author=world.a_contributor, title="Draf")
    for label, path in (("post list", "/kabar/"), ("post page", f"/kabar/{post.slug}/")):
        response = client.get(path, host="kim-ketabang.localhost")
        assert response.status_code == 200, label
        pages[label] = response.content.decode()
    assert "<picture>" in pages["post page"] and "data-share-copy" in pages["post page"]
    assert 'type="application/ld+json"' in pages["post page"]

    client.force_login(world.a_editor)
    for label, path in (
        ("editor list", "/kim/kim-ketabang/tulisan/"),
        ("editor new", "/kim/kim-ketabang/tulisan/baru/"),
        ("editor with photo", f"/kim/kim-ketabang/tulisan/{post.pk}/"),
        ("editor draft", f"/kim/kim-ketabang/tulisan/{draft.pk}/"),
    ):
        response = client.get(path, **kelola)
        assert response.status_code == 200, label
        pages[label] = response.content.decode()
    client.force_login(world.surabaya_admin)
    for label, path in (
        ("moderation queue", "/moderasi/"),
        ("moderation", f"/moderasi/{post.pk}/"),
    ):
        response = client.get(path, **kelola)
        assert response.status_code == 200, label
        pages[label] = response.content.decode()
    pages["server error"] = render_to_string("500.html")

    problems = {label: found for label, html in pages.items() if (found := blocked(html))}
    assert problems == {}
    # The pages do load their scripts, as files.
    assert "js/share.js" in pages["post page"] and "js/colours.js" in pages["post page"]
    assert "js/editor.js" in pages["editor with photo"]
    assert "js/signup.js" in pages["sign-up desa"]


def test_no_template_has_inline_script_or_style():
    """Also the templates no test renders. Emails are left out: the policy is a header of web
    pages, and mail clients need inline styles."""
    problems = {}
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    for folder in folders:
        for template in folder.rglob("*.html"):
            if "emails" in template.relative_to(folder).parts:
                continue
            # Template tags could hide a handler's name ("on{{ x }}="): checked as text too.
            text = re.sub(r"{#.*?#}", "", template.read_text(), flags=re.S)
            found = blocked(text)
            if re.search(r"\son[a-z]+\s*=|javascript:", text, re.I):
                found.append("handler or javascript: in the source")
            if found:
                problems[str(template.relative_to(ROOT))] = found
    assert problems == {}
