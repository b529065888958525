"""Cards of posts in lists: `{% load post_cards %}{% post_card post show_kim %}`.

Lists draw up to a few dozen cards per page, so the card is built in Python (escaped with
format_html) rather than included as a template: the public pages must stay cheap to render when
the page cache misses. components/post_card.html calls this tag.
"""

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from kimportal.lib.links import subsite_url
from kimportal.templatetags.formats import iso
from posts.templatetags.media import picture

register = template.Library()

CARD_SIZES = "(min-width: 60rem) 21rem, (min-width: 40rem) 50vw, calc(100vw - 2rem)"
SUMMARY_WORDS = 30


@register.simple_tag
def post_card(post, show_kim: bool = False) -> SafeString:
    """A post as a card. `post.card_image` is set by posts.public_selectors.with_card_images;
    with `show_kim` (cards on the portal) the card names the KIM and links to its subsite."""
    if show_kim:
        url = subsite_url(post.community.slug, "kabar:detail", post.slug)
    else:
        url = reverse("kabar:detail", args=[post.slug])
    image = getattr(post, "card_image", None)
    photo = (
        format_html(
            '<div class="post-card__photo">{}</div>', picture(image, sizes=CARD_SIZES, alt="")
        )
        if image
        else ""
    )
    published = timezone.localtime(post.published_at) if post.published_at else None
    kim = ""
    if show_kim:
        community = post.community
        village = community.village
        place = format_html(" · {} {}", village.get_kind_display(), village.name) if village else ""
        kim = format_html('<p class="post-card__kim">{}{}</p>', community.name, place)
    summary = (
        format_html(
            '<p class="post-card__summary">{}</p>',
            Truncator(post.summary).words(SUMMARY_WORDS, truncate=" …"),
        )
        if post.summary
        else ""
    )
    return format_html(
        '<article class="post-card">\n  {}\n  <div class="post-card__body">\n'
        '    <p class="post-card__meta"><span class="post-badge post-badge--{}">{}</span> '
        '<time datetime="{}">{}</time></p>\n'
        '    <h3 class="post-card__title"><a href="{}">{}</a></h3>\n    {}\n    {}\n  </div>\n'
        "</article>",
        photo,
        post.kind,
        post.get_kind_display(),
        iso(post.published_at),
        dateformat.format(published, "j M Y") if published else "",
        url,
        post.title,
        kim,
        summary,
    )
