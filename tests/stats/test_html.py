"""Every page of the staff dashboards is valid HTML (the Nu HTML Checker, as
tests/test_html_valid.py): each level, an empty area, a capped table, a filtered one."""

import pytest

from stats import dashboards
from tests.stats.helpers_dashboards import make_activity, make_world_summaries
from tests.test_html_valid import fetch, validate

pytestmark = pytest.mark.django_db


def test_pages_are_valid_html(client, world, tmp_path, monkeypatch):
    make_world_summaries(world)
    pages = {}
    client.force_login(world.national_admin)
    for query in ("", "?wilayah=35&kabupaten=35.78&urut=-terusan", "?dorman=on&provinsi=32",
                  "?wilayah=35.07"):  # fmt: skip
        pages[f"national admin {query}"] = fetch(client, f"/statistik/{query}", kelola=True)
    client.force_login(world.surabaya_admin)
    pages["regency admin"] = fetch(client, "/statistik/?urut=-kabar_terakhir", kelola=True)
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 1)
    monkeypatch.setattr(dashboards, "MAX_PAGES", 1)
    make_activity(world.pending_a, members=3)  # a second row in Kota Surabaya
    pages["regency admin, capped"] = fetch(client, "/statistik/?page=2", kelola=True)
    client.force_login(world.jatim_admin)
    pages["province admin"] = fetch(client, "/statistik/", kelola=True)
    pages["staff home with the link card"] = fetch(client, "/", kelola=True)
    assert "Tabel hanya sampai halaman 100" in pages["regency admin, capped"]
    assert "Belum ada angka per KIM" in pages["national admin ?wilayah=35.07"]
    assert validate(pages, tmp_path) == []
