"""The public statistics: /statistik/, the map on the portal home, the sections of the province
and regency pages. Cached, bounded queries, the map's tiles link to their provinces, and every
chart's numbers are its table's."""

import csv
import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from regions.models import Province
from stats import services, tilemap
from stats.models import RegionMonth, RegionSummary
from tests.communities.test_directory import HOME_QUERIES
from tests.factories import make_community, make_post
from tests.kimportal.test_csp import blocked
from tests.regions.test_views import REGION_PAGE_QUERIES
from tests.stats.helpers import populate
from tests.support import skip_or_fail
from tests.test_html_valid import validate

pytestmark = pytest.mark.django_db

PROVINCES_CSV = Path(__file__).resolve().parents[2] / "regions" / "data" / "provinces.csv.gz"


@pytest.fixture
def w(world):
    populate(world)
    services.summaries_refresh()
    return world


def page(client, url: str, **kw) -> str:
    response = client.get(url, **kw)
    assert response.status_code == 200, url
    return response.content.decode()


class SvgReader(HTMLParser):
    """The tiles (links) and bars of the page's SVG drawings, and its tables' cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tiles: list[dict] = []  # href, aria-label, code, title, coverage, step
        self.bars: dict[str, list[tuple[str, int]]] = {}  # chart id → (label, value)
        self.tables: dict[str, list[tuple[str, int]]] = {}  # table id → (label, value)
        self._svg = None
        self._table = None
        self._row_label = None
        self._in_title = False
        self._tile = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "aria-labelledby" in a:
            self._svg = a["aria-labelledby"].split()[0].removesuffix("-judul")
        elif tag == "a" and "data-code" in a:
            self._tile = {"href": a["href"], "name": a["aria-label"], "code": a["data-code"]}
            self.tiles.append(self._tile)
        elif tag == "title" and self._tile is not None:
            self._in_title = True
        elif tag == "rect" and self._tile is not None:
            self._tile["coverage"] = float(a["data-coverage"])
            self._tile["step"] = int(re.search(r"tile--(\d)", a["class"]).group(1))
        elif tag == "rect" and "data-value" in a:
            self.bars.setdefault(self._svg, []).append((a["data-label"], int(a["data-value"])))
        elif tag == "table" and "id" in a:
            self._table = a["id"].removesuffix("-tabel")
            self.tables[self._table] = []
        elif tag == "th" and self._table and "data-label" in a:
            self._row_label = a["data-label"]
        elif tag == "td" and self._table and "data-value" in a:
            self.tables[self._table].append((self._row_label, int(a["data-value"])))

    def handle_endtag(self, tag):
        if tag == "a":
            self._tile = None
        elif tag == "title":
            self._in_title = False
        elif tag == "table":
            self._table = None
        elif tag == "svg":
            self._svg = None

    def handle_data(self, data):
        if self._in_title and self._tile is not None:
            self._tile["title"] = data


def read(html: str) -> SvgReader:
    reader = SvgReader()
    reader.feed(html)
    return reader


# --- /statistik/ ---------------------------------------------------------------------------------


def test_the_statistics_page_shows_the_national_figures(client, w):
    response = client.get("/statistik/")
    assert response.status_code == 200
    assert not response.cookies and "public" in response["Cache-Control"]
    body = response.content.decode()
    nation = RegionSummary.objects.get(level="nasional")
    year = timezone.localtime(nation.computed_at).year  # as the page writes it: Jakarta time
    assert "Diperbarui" in body and f'datetime="{year}' in body
    assert "Statistik KIM se-Indonesia" in body
    assert "33,3%" in body  # relays: 2 of 6 targets
    assert "66,7%" in body  # aspirations answered: 4 of 6
    assert "7,0 jam" in body  # the median
    # Both provinces in the table, linking to their pages.
    assert 'href="/wilayah/jawa-timur/"' in body and 'href="/wilayah/jawa-barat/"' in body


def test_before_the_first_refresh_the_page_says_so(client, world):
    body = page(client, "/statistik/")
    assert "Statistik belum dihitung" in body
    assert "<svg" not in body


def test_top_konten_lists_active_live_kims_best_first(client, w):
    body = page(client, "/statistik/")
    top = body.split('id="top-konten"')[1]
    a, b = top.find("KIM Ketabang Maju"), top.find("KIM Gegerkalong Sejahtera")
    assert 0 < a < b
    assert "http://kim-ketabang.localhost:8000/" in top
    assert "kim-sumbersekar" not in top  # no activity in 90 days: score 0
    # A KIM suspended since the refresh leaves the list at once (its pages are gone).
    Community.objects.filter(pk=w.kim_a.pk).update(status=Community.Status.SUSPENDED)
    top = page(client, "/statistik/").split('id="top-konten"')[1]
    assert "KIM Ketabang Maju" not in top and "KIM Gegerkalong Sejahtera" in top


def test_the_charts_show_the_numbers_of_their_tables(client, w):
    reader = read(page(client, "/statistik/"))
    assert set(reader.bars) == {"grafik-bulan", "grafik-jenis"}
    for chart in ("grafik-bulan", "grafik-jenis"):
        assert reader.bars[chart] == reader.tables[chart], chart
    months = dict(reader.tables["grafik-bulan"])
    assert len(months) == 12 and sum(months.values()) == 9
    stored = {
        m.isoformat()[:7]: n
        for m, n in RegionMonth.objects.filter(level="nasional").values_list("month", "posts")
    }
    assert {label: n for label, n in months.items() if n} == {
        label: n for label, n in stored.items() if label in months
    }
    nation = RegionSummary.objects.get(level="nasional")
    assert dict(reader.tables["grafik-jenis"]) == nation.posts_by_kind


# --- The map -------------------------------------------------------------------------------------


def _shipped_provinces() -> dict[str, str]:
    with gzip.open(PROVINCES_CSV, "rt", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def test_the_grid_places_each_of_the_38_provinces_once():
    assert set(tilemap.TILES) == set(_shipped_provinces()) and len(tilemap.TILES) == 38
    positions = [(col, row) for col, row, _label in tilemap.TILES.values()]
    assert len(set(positions)) == 38
    labels = [label for _col, _row, label in tilemap.TILES.values()]
    assert len(set(labels)) == 38
    # Roughly where they lie: Aceh top left, the Papua provinces rightmost, NTT and NTB at the
    # bottom, in the middle.
    assert tilemap.TILES["11"][:2] == (0, 0)
    papua = {code for code in tilemap.TILES if code.startswith("9")}
    rightmost = sorted(tilemap.TILES, key=lambda c: -tilemap.TILES[c][0])[:6]
    assert set(rightmost) == papua
    for code in ("52", "53"):
        col, row, _ = tilemap.TILES[code]
        assert row == tilemap.ROWS - 1 and 0.4 < col / (tilemap.COLUMNS - 1) < 0.7


def test_each_tile_links_to_its_province_with_a_name(client, world):
    for code, name in _shipped_provinces().items():
        Province.objects.get_or_create(
            code=code, defaults={"name": name, "slug": f"provinsi-{code}"}
        )
    services.summaries_refresh()
    reader = read(page(client, "/statistik/"))
    assert len(reader.tiles) == 38
    for tile in reader.tiles:
        province = Province.objects.get(code=tile["code"])
        assert tile["href"] == province.get_absolute_url()
        assert tile["name"].startswith(f"{province.name}: ")
        assert tile["title"] == tile["name"]
    jatim = next(t for t in reader.tiles if t["code"] == "35")
    assert jatim["href"] == "/wilayah/jawa-timur/"
    assert "33,33 desa ber-KIM per 100 desa, 1 KIM" in jatim["name"]


def test_tiles_are_shaded_by_coverage_in_five_steps(client, w):
    assert [tilemap.coverage_step(c) for c in (None, 0, 0.01, 0.99, 1, 4.9, 5, 19.9, 20, 100)] == [
        0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]  # fmt: skip
    reader = read(page(client, "/statistik/"))
    steps = {t["code"]: t["step"] for t in reader.tiles}
    assert steps == {"35": 4, "32": 4}  # 2 of 3 villages and 1 of 1: both ≥ 20
    for tile in reader.tiles:
        assert tile["step"] == tilemap.coverage_step(tile["coverage"])
    body = page(client, "/statistik/")
    assert body.count('class="tile-swatch tile-swatch--') == 5
    assert "belum ada KIM" in body


def test_the_portal_home_shows_the_map_and_links_to_the_statistics(client, w):
    body = page(client, "/")
    reader = read(body)
    assert {t["code"] for t in reader.tiles} == {"35", "32"}
    assert 'href="/statistik/"' in body
    assert '/statistik/">Statistik</a></li>' in page(client, "/wilayah/")  # the portal's menu


# --- Region pages --------------------------------------------------------------------------------


def test_the_province_page_has_its_figures_chart_top_kims_and_regencies(client, w):
    body = page(client, "/wilayah/jawa-timur/")
    section = body.split('id="statistik-wilayah"')[1]
    jatim = RegionSummary.objects.get(level="provinsi", code="35")
    assert f"<dd>{jatim.kims_verified}</dd>" in section
    reader = read(body)
    assert reader.bars["grafik-bulan-wilayah"] == reader.tables["grafik-bulan-wilayah"]
    assert sum(n for _l, n in reader.bars["grafik-bulan-wilayah"]) == 7  # A's 5, C's 2
    # The regencies' coverage: Malang 1 of 1 village (C), Surabaya 1 of 2 (A).
    assert 'href="/wilayah/jawa-timur/kabupaten-malang/"' in section
    assert "100,00" in section and "50,00" in section
    assert "KIM Ketabang Maju" in section.split("KIM paling aktif")[1]
    assert "KIM Gegerkalong" not in section  # another province's KIM


def test_the_regency_page_has_its_figures_chart_and_top_kims(client, w):
    body = page(client, "/wilayah/jawa-barat/kota-bandung/")
    section = body.split('id="statistik-wilayah"')[1]
    assert "KIM Gegerkalong Sejahtera" in section and "KIM Ketabang" not in section
    assert "Cakupan per kabupaten/kota" not in section
    reader = read(body)
    assert sum(n for _l, n in reader.bars["grafik-bulan-wilayah"]) == 2


# --- Cost and cache ------------------------------------------------------------------------------


def _grow(w, n: int) -> None:
    for i in range(n):
        kim = make_community(
            village=w.regions.sumbersekar,
            slug=f"kim-tambah-{n}-{i}",
            members=2,
            nomor_induk=f"{n:02d}{i:010d}",
        )
        make_post(kim, title=f"Kabar {i}", status="published")
    services.summaries_refresh()


# The summaries with their provinces, the months, the top KIMs.
STATS_PAGE_QUERIES = 3


def test_the_statistics_page_costs_the_same_at_any_size(client, w, django_assert_max_num_queries):
    counts = []
    for n in (1, 25):
        _grow(w, n)
        with CaptureQueriesContext(connection) as queries:
            body = page(client, "/statistik/")
        counts.append(len(queries))
        assert f"kim-tambah-{n}-0" in body  # in the top list
    with django_assert_max_num_queries(STATS_PAGE_QUERIES):
        page(client, "/statistik/")
    assert counts[0] == counts[1]


# The statistics section of a province or regency page: the summaries, the months, the top KIMs.
STATS_SECTION_QUERIES = 3


@pytest.mark.parametrize(
    "url", ["/wilayah/jawa-timur/", "/wilayah/jawa-timur/kabupaten-malang/", "/"]
)
def test_region_pages_and_home_with_statistics_cost_the_same_at_any_size(
    client, w, django_assert_max_num_queries, url
):

    bound = HOME_QUERIES if url == "/" else REGION_PAGE_QUERIES + STATS_SECTION_QUERIES
    counts = []
    for n in (1, 25):
        _grow(w, n)  # KIMs in Malang, each with a post: all in the top lists
        with django_assert_max_num_queries(bound):
            body = page(client, url)
        with CaptureQueriesContext(connection) as queries:
            page(client, url)
        counts.append(len(queries))
        assert 'class="tile-map"' in body if url == "/" else f"kim-tambah-{n}-0" in body
    assert counts[0] == counts[1]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.mark.usefixtures("page_cache_on")
@pytest.mark.parametrize(
    "url",
    [
        "/statistik/",
        "/",
        "/wilayah/jawa-timur/",
        "/wilayah/jawa-barat/kota-bandung/",
        "/data/statistik-provinsi.csv",
    ],
)
def test_a_refresh_drops_the_stored_pages_that_show_figures(client, w, commit, settings, url):

    if not settings.REDIS_URL:
        skip_or_fail("the page cache lives in Redis: set REDIS_URL (.ci/run does)")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    # Written outside `commit`: its own page bumps never run, only the refresh's.
    make_post(w.kim_b, title="Kabar baru", status="published", kind="agenda")
    commit(services.summaries_refresh)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    if url == "/statistik/":
        assert 'data-label="agenda" data-value="1"' not in response.content.decode()
        assert dict(read(response.content.decode()).tables["grafik-jenis"])["agenda"] == 1


def test_pages_need_no_inline_style_or_script(client, w):

    for url in ("/statistik/", "/", "/wilayah/jawa-timur/", "/wilayah/jawa-barat/kota-bandung/"):
        assert blocked(page(client, url)) == [], url


def test_the_pages_are_valid_html(client, w, tmp_path):

    pages = {
        "statistik": page(client, "/statistik/"),
        "portal home with the map": page(client, "/"),
        "province with statistics": page(client, "/wilayah/jawa-timur/"),
        "regency with statistics": page(client, "/wilayah/jawa-timur/kota-surabaya/"),
        "statistik, not yet computed": "",
    }
    RegionSummary.objects.all().delete()
    pages["statistik, not yet computed"] = page(client, "/statistik/")
    pages["province, not yet computed"] = page(client, "/wilayah/jawa-timur/")
    assert validate(pages, tmp_path) == []
