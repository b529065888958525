"""Cards of KIMs in lists: `{% load kim_cards %}{% community_card c %}`.

The directory and region pages draw up to a few dozen per page; built in Python (escaped with
format_html), a card costs a fraction of an {% include %} of the same markup.
components/community_card.html calls this tag.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kimportal.lib.links import subsite_url

register = template.Library()


@register.simple_tag
def community_card(c) -> SafeString:
    """A verified KIM as a card: its name linking to its subsite, its kind if a forum, its place."""
    badge = (
        format_html('<p><span class="kim-badge">{}</span></p>', c.get_kind_display())
        if c.is_forum
        else ""
    )
    village = (
        format_html("{} {}<br>", c.village.get_kind_display(), c.village.name) if c.village else ""
    )
    regency = format_html("{}, ", c.regency.name) if c.regency else ""
    return format_html(
        '<article class="kim-card" data-brand-colour="{}">\n'
        '  <h3><a href="{}">{}</a></h3>\n  {}\n'
        '  <p class="small">{}{}{}</p>\n</article>',
        c.brand_colour,
        subsite_url(c.slug, "subsite:home"),
        c.name,
        badge,
        village,
        regency,
        c.province.name,
    )
