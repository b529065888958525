"""Post body text: simple Markdown in, a small sanitised subset of HTML out."""

import re

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the source is shown as text, never interpreted; nh3 then keeps only these tags.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable(["image"])  # photos belong in the gallery, with renditions and alt text

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "blockquote", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow ugc noopener"

_BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s<>()]+[^\s<>().,;:!?'\"]")
_LINK = re.compile(r"https?://", re.IGNORECASE)


def render_body(source: str) -> str:
    """Markdown-like text → sanitised HTML (headings capped at h2, links marked nofollow)."""
    # Bare links become Markdown autolinks, so a pasted URL is clickable without syntax.
    text = _BARE_URL.sub(lambda m: f"<{m.group(0)}>", source)
    html = _markdown.render(text)
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    html = re.sub(r"<(/?)h[4-6]>", r"<\1h3>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
    )


def count_links(*texts: str) -> int:
    return sum(len(_LINK.findall(text or "")) for text in texts)
