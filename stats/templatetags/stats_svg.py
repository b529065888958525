"""The statistics drawings for templates: `{% load stats_svg %}`.

`{% tile_map provinces %}`, `{% month_chart months "id" %}`, `{% kind_rows summary as rows %}`
then `{% kind_chart rows "id" %}`. They draw from rows the view already has (no query).
"""

from django import template

from posts.models import Post
from stats import charts, tilemap
from stats.models import RegionSummary

register = template.Library()


@register.simple_tag
def tile_map(provinces, title_id: str = "peta-kim"):
    return tilemap.tile_map_svg(provinces, title_id=title_id)


@register.simple_tag
def tile_legend():
    return tilemap.legend()


@register.simple_tag
def month_chart(months, chart_id: str):
    return charts.month_chart_svg(months, chart_id=chart_id)


@register.simple_tag
def kind_rows(summary: RegionSummary) -> list[tuple[str, str, int]]:
    """(kind, label, public posts) of every kind of post, in the editor's order."""
    counts = summary.posts_by_kind or {}
    return [(kind, str(label), counts.get(kind, 0)) for kind, label in Post.Kind.choices]


@register.simple_tag
def kind_chart(rows, chart_id: str):
    return charts.kind_chart_svg(rows, chart_id=chart_id)
