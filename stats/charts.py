"""Bar charts drawn as SVG on the server (no script, no chart library).

Each chart is an image with a title and a description for screen readers; the page pairs it
with a <table> of the same numbers (templates/stats/public/_month_chart.html, _kind_chart.html).
Every bar carries its number as `data-value` and as a visible label, so a test can compare the
drawing with the table. Colours come from classes in static/css/stats.css. The viewBox scales to
the column's width (a 390 px phone included).
"""

from collections.abc import Sequence
from datetime import date

from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 360
MONTH_WIDTH = 480  # 12 bars of 40 units: room for a label of 6 characters each


def month_label(month: date) -> str:
    return date_format(month, "M")


def month_name(month: date) -> str:
    return date_format(month, "F Y")


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def short_number(value: int) -> str:
    """A bar's label, short enough for its bar: 950, "9,5 rb", "164 rb", "1,2 jt"."""
    if value < 1000:
        return str(value)
    if value < 1_000_000:
        thousands = value / 1000
        digits = 1 if thousands < 10 else 0
        return _("%(n)s rb") % {"n": number_format(thousands, digits)}
    return _("%(n)s jt") % {"n": number_format(value / 1_000_000, 1)}


def _frame(
    *, chart_id: str, title: str, description: str, height: int, body, width: int = WIDTH
) -> SafeString:
    return format_html(
        '<svg class="bar-chart" viewBox="0 0 {w} {h}" width="100%" role="img"'
        ' aria-labelledby="{id}-judul {id}-uraian" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-judul">{title}</title><desc id="{id}-uraian">{description}</desc>'
        "{body}</svg>",
        w=width,
        h=height,
        id=chart_id,
        title=title,
        description=description,
        body=body,
    )


def month_chart_svg(months: Sequence[tuple[date, int]], *, chart_id: str) -> SafeString:
    """Vertical bars: posts per month, oldest left; the year under the first bar and each
    January."""
    top, bottom, left, right = 18, 160, 4, MONTH_WIDTH - 4
    slot = (right - left) / max(len(months), 1)
    bar = slot * 0.7
    peak = max((n for _m, n in months), default=0) or 1
    parts = []
    for i, (month, n) in enumerate(months):
        height = round((bottom - top) * n / peak, 1)
        x = round(left + i * slot + (slot - bar) / 2, 1)
        centre = round(left + i * slot + slot / 2, 1)
        parts.append(
            format_html(
                '<g class="chart-item"><rect class="chart-bar" x="{x}" y="{y}" width="{w}"'
                ' height="{h}" data-value="{n}" data-label="{key}"><title>{name}: {shown}</title>'
                '</rect><text class="chart-value" x="{c}" y="{vy}">{short}</text>'
                '<text class="chart-axis" x="{c}" y="{ly}">{label}</text>{year}</g>',
                x=x,
                y=round(bottom - height, 1),
                w=round(bar, 1),
                h=height,
                n=n,
                key=month.isoformat()[:7],
                name=month_name(month),
                shown=_number(n),
                short=short_number(n),
                c=centre,
                vy=round(bottom - height - 4, 1),
                ly=bottom + 14,
                label=month_label(month),
                year=format_html(
                    '<text class="chart-axis chart-axis--year" x="{c}" y="{y}">{year}</text>',
                    c=centre,
                    y=bottom + 27,
                    year=month.year,
                )
                if i == 0 or month.month == 1
                else "",
            )
        )
    parts.append(
        format_html(
            '<line class="chart-baseline" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}"/>',
            x1=left,
            x2=right,
            y=bottom,
        )
    )
    first, last = (months[0][0], months[-1][0]) if months else (None, None)
    description = (
        _("Jumlah kabar publik per bulan dari %(first)s sampai %(last)s; angkanya ada di tabel.")
        % {"first": month_name(first), "last": month_name(last)}
        if months
        else _("Belum ada data.")
    )
    return _frame(
        chart_id=chart_id,
        width=MONTH_WIDTH,
        title=_("Kabar per bulan"),
        description=description,
        height=bottom + 34,
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )


def kind_chart_svg(kinds: Sequence[tuple[str, str, int]], *, chart_id: str) -> SafeString:
    """Horizontal bars: public posts per kind. `kinds` holds (kind, label, count)."""
    row, label_width, right = 28, 150, WIDTH - 56
    peak = max((n for _k, _l, n in kinds), default=0) or 1
    parts = []
    for i, (kind, label, n) in enumerate(kinds):
        y = 4 + i * row
        width = round((right - label_width) * n / peak, 1)
        parts.append(
            format_html(
                '<g class="chart-item"><text class="chart-axis chart-axis--start" x="0" y="{ty}">'
                '{label}</text><rect class="chart-bar chart-bar--{kind}" x="{x}" y="{y}"'
                ' width="{w}" height="18" data-value="{n}" data-label="{kind}">'
                "<title>{label}: {shown}</title></rect>"
                '<text class="chart-value chart-value--start" x="{vx}" y="{ty}">{short}</text>'
                "</g>",
                ty=y + 14,
                label=label,
                kind=kind,
                x=label_width,
                y=y,
                w=width,
                n=n,
                shown=_number(n),
                short=short_number(n),
                vx=round(label_width + width + 4, 1),
            )
        )
    return _frame(
        chart_id=chart_id,
        title=_("Kabar menurut jenis"),
        description=_("Jumlah kabar publik menurut jenisnya; angkanya ada di tabel."),
        height=8 + len(kinds) * row,
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )
