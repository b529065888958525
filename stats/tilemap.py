"""A tile-grid map of Indonesia's 38 provinces, drawn as SVG on the server.

One square per province, placed roughly where the province lies (Aceh top left, Sumatra down to
Lampung, Java and the Lesser Sunda Islands along the bottom, Kalimantan and Sulawesi in the
middle, Maluku and the six Papua provinces on the right), so that small provinces (Jakarta, DIY)
stay as readable as large ones and no boundary data is needed. Each tile is shaded by coverage
(villages with a live KIM per 100 villages) in COVERAGE_STEPS, links to its province page, and
has a <title> and an accessible name. No script: the markup is built with format_html.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stats.models import RegionSummary

# Province code → (column, row, label). Labels are the ISO 3166-2:ID codes.
TILES: dict[str, tuple[int, int, str]] = {
    # Sumatra and its islands
    "11": (0, 0, "AC"),  # Aceh
    "12": (1, 0, "SU"),  # Sumatera Utara
    "13": (1, 1, "SB"),  # Sumatera Barat
    "14": (2, 1, "RI"),  # Riau
    "21": (3, 1, "KR"),  # Kepulauan Riau
    "17": (1, 2, "BE"),  # Bengkulu
    "15": (2, 2, "JA"),  # Jambi
    "19": (3, 2, "BB"),  # Kepulauan Bangka Belitung
    "16": (2, 3, "SS"),  # Sumatera Selatan
    "18": (2, 4, "LA"),  # Lampung
    # Java
    "31": (4, 3, "JK"),  # DKI Jakarta
    "36": (3, 4, "BT"),  # Banten
    "32": (4, 4, "JB"),  # Jawa Barat
    "33": (5, 4, "JT"),  # Jawa Tengah
    "34": (5, 5, "YO"),  # DI Yogyakarta
    "35": (6, 4, "JI"),  # Jawa Timur
    # Lesser Sunda Islands
    "51": (7, 5, "BA"),  # Bali
    "52": (8, 5, "NB"),  # Nusa Tenggara Barat
    "53": (9, 5, "NT"),  # Nusa Tenggara Timur
    # Kalimantan
    "65": (7, 0, "KU"),  # Kalimantan Utara
    "61": (5, 1, "KB"),  # Kalimantan Barat
    "62": (6, 1, "KT"),  # Kalimantan Tengah
    "64": (7, 1, "KI"),  # Kalimantan Timur
    "63": (7, 2, "KS"),  # Kalimantan Selatan
    # Sulawesi
    "75": (9, 0, "GO"),  # Gorontalo
    "71": (10, 0, "SA"),  # Sulawesi Utara
    "72": (9, 1, "ST"),  # Sulawesi Tengah
    "76": (8, 2, "SR"),  # Sulawesi Barat
    "74": (9, 2, "SG"),  # Sulawesi Tenggara
    "73": (8, 3, "SN"),  # Sulawesi Selatan
    # Maluku
    "82": (11, 1, "MU"),  # Maluku Utara
    "81": (11, 3, "MA"),  # Maluku
    # Papua
    "96": (12, 1, "PD"),  # Papua Barat Daya
    "92": (13, 1, "PB"),  # Papua Barat
    "91": (14, 1, "PA"),  # Papua
    "94": (13, 2, "PT"),  # Papua Tengah
    "95": (14, 2, "PE"),  # Papua Pegunungan
    "93": (14, 3, "PS"),  # Papua Selatan
}
COLUMNS = 1 + max(col for col, _row, _label in TILES.values())
ROWS = 1 + max(row for _col, row, _label in TILES.values())
TILE = 44
GAP = 4
PITCH = TILE + GAP


@dataclass(frozen=True)
class Step:
    index: int
    lower: float  # coverage from (inclusive; step 0 is exactly no coverage)
    upper: float | None  # to (exclusive); None: no upper bound


# Villages with a KIM per 100 villages. Step 0: no KIM at all. CSS classes tile--0 … tile--4
# (static/css/stats.css) carry the fills, from light grey to dark blue, each with a text colour
# of at least 4.5:1 on it.
COVERAGE_STEPS = (
    Step(0, 0.0, 0.0),
    Step(1, 0.0, 1.0),
    Step(2, 1.0, 5.0),
    Step(3, 5.0, 20.0),
    Step(4, 20.0, None),
)


def coverage_step(coverage: float | None) -> int:
    """The shading step of a coverage (villages with a KIM per 100 villages)."""
    if not coverage:
        return 0
    for step in COVERAGE_STEPS[1:]:
        if step.upper is None or coverage < step.upper:
            return step.index
    return COVERAGE_STEPS[-1].index


def step_label(step: Step) -> str:
    if step.index == 0:
        return _("belum ada KIM")
    if step.upper is None:
        return _("%(lower)s atau lebih") % {"lower": number_format(step.lower, 0)}
    if step.index == 1:
        return _("di bawah %(upper)s") % {"upper": number_format(step.upper, 0)}
    return _("%(lower)s sampai di bawah %(upper)s") % {
        "lower": number_format(step.lower, 0),
        "upper": number_format(step.upper, 0),
    }


def legend() -> list[tuple[int, str]]:
    """(step, label) of each shading step, for the legend beside the map."""
    return [(step.index, step_label(step)) for step in COVERAGE_STEPS]


def tile_name(summary: RegionSummary) -> str:
    """The accessible name (and <title>) of a province's tile."""
    coverage = summary.coverage or 0.0
    kims = ngettext("%(count)s KIM", "%(count)s KIM", summary.kims_verified) % {
        "count": number_format(summary.kims_verified, force_grouping=True)
    }
    return _("%(name)s: %(coverage)s desa ber-KIM per 100 desa, %(kims)s") % {
        "name": summary.province.name,
        "coverage": number_format(coverage, 2),
        "kims": kims,
    }


def tile_map_svg(summaries: list[RegionSummary], *, title_id: str = "peta-kim") -> SafeString:
    """The map of the provinces in `summaries` (with their province loaded); provinces without
    a tile position are left out (the 38 provinces of 2025 all have one)."""
    tiles = []
    for summary in sorted(summaries, key=lambda s: s.code):
        position = TILES.get(summary.code)
        if position is None or summary.province is None:
            continue
        col, row, label = position
        x, y = col * PITCH, row * PITCH
        name = tile_name(summary)
        tiles.append(
            format_html(
                '<a href="{href}" aria-label="{name}" class="tile-link" data-code="{code}">'
                "<title>{name}</title>"
                '<rect class="tile tile--{step}" x="{x}" y="{y}" width="{size}" height="{size}"'
                ' rx="4" data-coverage="{coverage}"/>'
                '<text class="tile-label tile-label--{step}" x="{cx}" y="{cy}"'
                ' aria-hidden="true">{label}</text></a>',
                href=summary.province.get_absolute_url(),
                name=name,
                code=summary.code,
                step=coverage_step(summary.coverage),
                x=x,
                y=y,
                size=TILE,
                coverage=f"{summary.coverage or 0:.4f}",
                cx=x + TILE // 2,
                cy=y + TILE // 2 + 5,
                label=label,
            )
        )
    width, height = COLUMNS * PITCH - GAP, ROWS * PITCH - GAP
    return format_html(
        '<svg class="tile-map" viewBox="0 0 {w} {h}" width="100%"'
        ' aria-labelledby="{id}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}">{title}</title>{tiles}</svg>',
        w=width,
        h=height,
        id=title_id,
        title=_("Peta cakupan KIM per provinsi"),
        tiles=format_html_join("", "{}", ((t,) for t in tiles)),
    )
