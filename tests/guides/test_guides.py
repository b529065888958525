"""The guides (/panduan/): Markdown files in guides/content/, rendered by the app, each kelola
screen linking to the one that explains it."""

import re

import pytest
from django.contrib.staticfiles import finders

from guides import library
from tests.test_route_guard import KELOLA, routes_of

# Kelola routes with no screen of their own to explain: files, JSON, actions without a page,
# Django's operator admin and the host-wide routes.
NO_SCREEN = {
    "accounts:login", "accounts:logout", "robots", "healthz", "readyz", "language",
    "signup:region_children", "signup:decree_file", "review:decree_file",
    "posts:autosave", "posts:photo_status",
}  # fmt: skip


def test_every_guide_file_follows_the_format():
    guides = library.all_guides()
    assert len(guides) >= 8
    assert {g.audience for g in guides} == set(library.AUDIENCES)
    for guide in guides:
        assert guide.title and guide.summary, guide.slug
        assert "<h2>" in guide.html, guide.slug  # a guide has sections


def test_every_illustration_exists_and_has_a_text_alternative():
    for guide in library.all_guides():
        for tag in re.findall(r"<img [^>]*>", guide.html):
            alt = re.search(r'alt="([^"]*)"', tag).group(1)
            assert alt.strip(), (guide.slug, tag)
            src = re.search(r'src="/static/([^"]+)"', tag).group(1)
            assert finders.find(src), (guide.slug, src)


def test_the_renderer_keeps_only_the_guides_own_images_and_no_raw_html():
    html = library.render(
        "# Judul\n\n![ok](/static/guides/alur-tulisan.svg) ![luar](https://contoh.id/x.png)\n\n"
        "<script>alert(1)</script> [tautan](javascript:alert(1))"
    )
    assert "<h2>Judul</h2>" in html
    assert 'src="/static/guides/alur-tulisan.svg"' in html
    assert "contoh.id" not in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # shown as text
    assert 'href="javascript' not in html


def test_a_file_without_its_header_is_refused(tmp_path):
    path = tmp_path / "rusak.md"
    path.write_text("judul: tanpa pembatas\n\nIsi.")
    with pytest.raises(library.GuideError):
        library.parse(path)
    path.write_text("---\njudul: X\nringkasan: Y\nuntuk: warga\nurutan: 1\n---\nIsi.")
    with pytest.raises(library.GuideError, match="untuk"):
        library.parse(path)


def test_every_kelola_screen_has_a_guide():
    missing = [
        r.key
        for r in routes_of(KELOLA)
        if r.name and not r.name.startswith("admin:") and r.name not in NO_SCREEN
        and library.for_screen(r.name) is None
    ]  # fmt: skip
    assert not missing, f"kelola screens no guide covers (add to a guide's `layar:`): {missing}"


def test_a_guide_that_names_a_screen_wins_over_one_that_covers_its_namespace():
    assert library.for_screen("posts:edit").slug == "menulis-kabar"
    assert library.for_screen("posts:photo_edit").slug == "memotret"
    assert library.for_screen("review:queue").slug == "verifikasi-kim"
    assert library.for_screen("tidak:ada") is None


@pytest.mark.django_db
def test_the_index_lists_every_guide_by_audience(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/panduan/")
    page = response.content.decode()
    assert response.status_code == 200
    for guide in library.all_guides():
        assert f'href="/panduan/{guide.slug}/"' in page
    assert page.index("Untuk pengurus KIM") < page.index("Untuk staf Diskominfo")
    assert "public" in response["Cache-Control"] and not response.cookies


@pytest.mark.django_db
def test_a_guide_page_shows_its_text_and_illustration(client):
    page = client.get("/panduan/mendaftarkan-kim/").content.decode()
    assert "<h1>Mendaftarkan KIM di kim.id</h1>" in page
    assert "alur-pendaftaran" in page and "Siapkan dulu" in page
    assert 'href="/panduan/mengelola-kim/"' in page  # the other guides for the same people


@pytest.mark.django_db
def test_a_kelola_screen_links_to_its_guide(client, world):
    client.force_login(world.a_admin)
    page = client.get("/kim/kim-ketabang/tulisan/", kelola=True).content.decode()
    assert re.search(r'href="http://localhost(:\d+)?/panduan/menulis-kabar/"', page), page[:400]
    page = client.get("/daftar/", kelola=True).content.decode()
    assert "/panduan/mendaftarkan-kim/" in page
