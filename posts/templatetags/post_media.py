"""Template filters of a post page's article body: `{% load post_media %}`.

Links built from a post's own fields (the WhatsApp order link of a UMKM product, the sources of a
hoax clarification), so that `posts/public/_article.html` needs nothing but `post` and `images`
and the moderation preview can include it unchanged. Photos are drawn by components/picture.html
with the `media` library.
"""

from urllib.parse import quote, urlsplit

from django import template
from django.utils.translation import gettext as _

from kimportal.lib.phone import whatsapp_digits

register = template.Library()


@register.filter
def whatsapp_order_url(post) -> str:
    """A click-to-chat link to the post's order number, the product named in the message."""
    digits = whatsapp_digits(getattr(post, "order_whatsapp", ""))
    if not digits:
        return ""
    text = _("Halo, saya ingin memesan %(title)s") % {"title": post.title}
    return f"https://wa.me/{digits}?text={quote(text, safe='')}"


@register.filter
def source_links(sources: str) -> list[dict]:
    """The lines of a hoax clarification's sources as {"url", "text"}; a line that is not an
    http(s) link keeps "url" empty and is shown as plain text."""
    rows = []
    for line in (sources or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = urlsplit(line)
        is_link = parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in line
        rows.append({"url": line if is_link else "", "text": line})
    return rows
