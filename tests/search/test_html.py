"""The search pages are valid HTML (Nu HTML Checker, as tests/test_html_valid.py)."""

import pytest

from tests.search.conftest import published
from tests.test_html_valid import fetch, validate

pytestmark = pytest.mark.django_db


def test_search_pages_are_valid_html(client, world, tmp_path):
    published(world.kim_a, "Kerja <bakti>", body="Warga & pemuda membersihkan saluran air.")
    host = "kim-ketabang.localhost"
    pages = {
        "portal search, empty": fetch(client, "/cari/"),
        "portal search, results": fetch(client, "/cari/?q=saluran+ketabang&provinsi=35"),
        "portal search, KIMs": fetch(client, "/cari/?q=ketabang"),
        "portal search, nothing": fetch(client, "/cari/?q=tidakada&dari=x"),
        "subsite search, empty": fetch(client, "/cari/", host=host),
        "subsite search, results": fetch(client, "/cari/?q=saluran&jenis=kegiatan", host=host),
    }
    assert validate(pages, tmp_path) == []
