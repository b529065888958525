"""What a revision changes, field by field, as HTML for the moderator: removed words in <del>,
added words in <ins>. Every piece of text is escaped; only the markup added here is trusted."""

import difflib
import re
from dataclasses import dataclass

from django.utils.formats import date_format, time_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from posts.models import Post, PostRevision, field_labels

# Words and the whitespace between them, so that a diff keeps line breaks and spacing.
_TOKENS_RE = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldDiff:
    name: str
    label: str
    old: str
    new: str
    html: SafeString


def _as_text(obj, name: str) -> str:
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if name == "tags":
        return ", ".join(value)
    if name == "kind":
        return str(dict(Post.Kind.choices).get(value, value))
    if name == "verdict":
        return str(dict(Post.Verdict.choices).get(value, value))
    if name == "event_date":
        return date_format(value, "j F Y")
    if name == "event_time":
        return time_format(value, "H:i")
    if name == "price":
        return f"{value:,.0f}".replace(",", ".")
    return str(value)


def diff_html(old: str, new: str) -> SafeString:
    """Word-level diff of two texts, escaped."""
    a, b = _TOKENS_RE.findall(old), _TOKENS_RE.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def revision_diff(post: Post, revision: PostRevision) -> list[FieldDiff]:
    """The fields whose text differs between the post as it is now and the revision."""
    diffs = []
    for name in PostRevision.TEXT_FIELDS:
        old, new = _as_text(post, name), _as_text(revision, name)
        if old != new:
            (label,) = field_labels([name])
            diffs.append(FieldDiff(name, label, old, new, diff_html(old, new)))
    return diffs
