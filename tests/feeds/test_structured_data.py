"""JSON-LD on public pages (kimportal.lib.jsonld, kimportal.templatetags.structured_data)."""

import json
import re

import pytest

from communities.models import Community
from kimportal.lib import jsonld
from tests.feeds.conftest import published

pytestmark = pytest.mark.django_db

KIM_A = "kim-ketabang.localhost"
_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def blocks(client, path: str, host: str | None = None) -> dict[str, list[dict]]:
    response = client.get(path, host=host)
    assert response.status_code == 200
    found: dict[str, list[dict]] = {}
    for text in _SCRIPT.findall(response.content.decode()):
        data = json.loads(text)
        assert data["@context"] == "https://schema.org"
        found.setdefault(data["@type"], []).append(data)
    return found


@pytest.mark.parametrize("path", ["/", "/profil/"])
def test_a_kim_is_an_organization(client, w, path):
    Community.objects.filter(pk=w.kim_a.pk).update(
        street_address="Jl. Jaksa Agung Suprapto 1",
        instagram="https://instagram.com/kimketabang",
        website="https://ketabang.id",
    )
    (org,) = blocks(client, path, KIM_A)["Organization"]
    assert org["name"] == "KIM Ketabang Maju"
    assert org["url"] == "http://kim-ketabang.localhost:8000/"
    assert org["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Jl. Jaksa Agung Suprapto 1, Kelurahan Ketabang, Kecamatan Genteng",
        "addressLocality": "Kota Surabaya",
        "addressRegion": "Jawa Timur",
        "addressCountry": "ID",
    }
    assert org["sameAs"] == ["https://ketabang.id", "https://instagram.com/kimketabang"]


def test_region_pages_have_breadcrumbs(client, w):
    (crumbs,) = blocks(client, "/wilayah/jawa-timur/kota-surabaya/genteng/")["BreadcrumbList"]
    assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        (1, "Wilayah", "http://localhost:8000/wilayah/"),
        (2, "Jawa Timur", "http://localhost:8000/wilayah/jawa-timur/"),
        (3, "Kota Surabaya", "http://localhost:8000/wilayah/jawa-timur/kota-surabaya/"),
        (4, "Genteng", "http://localhost:8000/wilayah/jawa-timur/kota-surabaya/genteng/"),
    ]


def _urls(item_list: dict) -> list[str]:
    positions = [i["position"] for i in item_list["itemListElement"]]
    assert positions == list(range(1, len(positions) + 1))
    return [i["url"] for i in item_list["itemListElement"]]


def test_lists_are_item_lists(client, w):
    a_new = "http://kim-ketabang.localhost:8000/kabar/posyandu-lansia/"
    a_old = "http://kim-ketabang.localhost:8000/kabar/kerja-bakti-rw-03/"
    b_post = "http://kim-gegerkalong.localhost:8000/kabar/pasar-murah-gegerkalong/"
    kims = {"http://kim-ketabang.localhost:8000/", "http://kim-gegerkalong.localhost:8000/"}
    (latest,) = blocks(client, "/")["ItemList"]
    assert _urls(latest) == [a_new, b_post, a_old]
    (directory,) = blocks(client, "/kim/")["ItemList"]
    assert set(_urls(directory)) == kims
    (region,) = blocks(client, "/wilayah/jawa-timur/")["ItemList"]
    assert _urls(region) == ["http://kim-ketabang.localhost:8000/"]
    (posts,) = blocks(client, "/kabar/", KIM_A)["ItemList"]
    assert _urls(posts) == [a_new, a_old]


def test_an_empty_list_has_no_item_list(client, world):
    assert "ItemList" not in blocks(client, "/kabar/", KIM_A)


def test_text_cannot_close_the_script_element(client, w):
    published(w.kim_a, "</script><script>alert(1)</script>", slug="judul-jahat")
    html = client.get("/kabar/", host=KIM_A).content.decode()
    assert "<script>alert(1)" not in html
    (posts,) = blocks(client, "/kabar/", KIM_A)["ItemList"]
    assert posts["itemListElement"][0]["name"] == "</script><script>alert(1)</script>"
    assert "</" not in jsonld.ld_json({"name": "</script>"})
