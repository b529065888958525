"""The guides (/panduan/): Markdown files in guides/content/, read and rendered by the app.

Staff improve a guide by a pull request that edits its file. Each file starts with a block of
`key: value` lines between two `---` lines:

    judul:    the title
    ringkasan: one sentence for the index
    untuk:    "pengurus" (KIM members) or "diskominfo" (staff)
    urutan:   its place in the index
    layar:    kelola screens it explains, as URL names ("posts:edit") or whole namespaces
              ("siaran:*"), separated by commas; each of those screens links to it

The files are part of the release, so they are read once per process and kept.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import nh3
from django.conf import settings
from django.templatetags.static import static
from markdown_it import MarkdownIt

CONTENT = Path(__file__).resolve().parent / "content"
AUDIENCES = ("pengurus", "diskominfo")

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "blockquote", "a", "code", "img",
    "figure", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


class GuideError(ValueError):
    """A guide file that does not follow the format above (found by the tests, not by readers)."""


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str
    audience: str
    order: int
    screens: tuple[str, ...]
    html: str

    def names(self, view_name: str) -> bool:
        return view_name in self.screens

    def covers(self, view_name: str) -> bool:
        namespace = view_name.split(":", 1)[0]
        return self.names(view_name) or f"{namespace}:*" in self.screens


def _split(text: str, name: str) -> tuple[dict[str, str], str]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        raise GuideError(f"{name}: the file must start with a --- block")
    end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    meta = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if not sep:
            raise GuideError(f"{name}: {line!r} is not `key: value`")
        meta[key.strip()] = value.strip()
    return meta, "\n".join(lines[end + 1 :])


# An illustration is written as ![alt](/static/guides/name.svg) and served by the static files
# storage under its real (possibly hashed) name.
_STATIC_IMAGE = re.compile(r"\]\(/static/(guides/[\w.-]+)\)")


def render(source: str) -> str:
    """Markdown → HTML. Images may only come from the guides' own static folder."""
    html = _markdown.render(_STATIC_IMAGE.sub(lambda m: f"]({static(m.group(1))})", source))
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    own_images = settings.STATIC_URL + "guides/"

    def keep(element, attribute, value):
        if element == "img" and attribute == "src" and not value.startswith(own_images):
            return None
        return value

    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto"},
    )


def parse(path: Path) -> Guide:
    meta, body = _split(path.read_text(encoding="utf-8"), path.name)
    missing = {"judul", "ringkasan", "untuk", "urutan"} - set(meta)
    if missing:
        raise GuideError(f"{path.name}: missing {', '.join(sorted(missing))}")
    if meta["untuk"] not in AUDIENCES:
        raise GuideError(f"{path.name}: untuk must be one of {AUDIENCES}")
    screens = tuple(s.strip() for s in meta.get("layar", "").split(",") if s.strip())
    return Guide(
        slug=path.stem,
        title=meta["judul"],
        summary=meta["ringkasan"],
        audience=meta["untuk"],
        order=int(meta["urutan"]),
        screens=screens,
        html=render(body),
    )


@functools.cache
def all_guides() -> tuple[Guide, ...]:
    guides = [parse(path) for path in CONTENT.glob("*.md")]
    return tuple(sorted(guides, key=lambda g: (AUDIENCES.index(g.audience), g.order, g.slug)))


def get(slug: str) -> Guide | None:
    return next((g for g in all_guides() if g.slug == slug), None)


def for_screen(view_name: str | None) -> Guide | None:
    """The guide that explains a kelola screen, by its URL name: one that names the screen, else
    one that covers its whole namespace."""
    if not view_name:
        return None
    guides = all_guides()
    return next((g for g in guides if g.names(view_name)), None) or next(
        (g for g in guides if g.covers(view_name)), None
    )
