"""robots.txt of every kind of host (kimportal.views_robots)."""

import pytest

from kimportal.lib import page_cache

pytestmark = pytest.mark.django_db


def robots(client, host: str | None = None) -> list[str]:
    response = client.get("/robots.txt", host=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "public" in response["Cache-Control"] and not response.cookies
    return response.content.decode().splitlines()


def test_portal_allows_crawling_but_search_and_points_at_its_index(client, world):
    lines = robots(client)
    assert lines[0] == "User-agent: *"
    assert "Disallow: /cari/" in lines and "Disallow: /" not in lines
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        "Sitemap: http://localhost:8000/sitemap.xml"
    ]


def test_subsite_names_its_sitemap_and_the_portal_index_that_lists_its_urls(client, world):
    lines = robots(client, "kim-ketabang.localhost")
    assert "Disallow: /cari/" in lines and "Disallow: /kabar/*/laporkan/" in lines
    assert "Disallow: /" not in lines
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        "Sitemap: http://kim-ketabang.localhost:8000/sitemap.xml",
        "Sitemap: http://localhost:8000/sitemap.xml",
    ]


def test_kelola_disallows_everything(client, world):
    assert robots(client, "kelola.localhost") == ["User-agent: *", "Disallow: /"]


def test_unknown_and_pending_kims_have_no_robots(client, world):
    for host in ("kim-tidak-ada.localhost", "kim-kapasari.localhost"):
        assert client.get("/robots.txt", host=host).status_code == 404


def test_every_named_sitemap_answers(client, world):
    for host in (None, "kim-ketabang.localhost"):
        for line in robots(client, host):
            if line.startswith("Sitemap: "):
                url = line.removeprefix("Sitemap: http://")
                netloc, _, path = url.partition("/")
                response = client.get("/" + path, host=netloc.split(":")[0])
                assert response.status_code == 200, url


def test_scopes(client, world):
    assert client.get("/robots.txt").page_scopes == (page_cache.NATIONAL,)
    response = client.get("/robots.txt", host="kim-ketabang.localhost")
    assert response.page_scopes == (page_cache.community_scope(world.kim_a.pk),)
