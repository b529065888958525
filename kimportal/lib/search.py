"""Building blocks of search shared by the apps: accent folding on both sides of a match
(PostgreSQL's `kim_unaccent`, Python's `fold`), trigram name matching, and highlighting.

The database side exists only on PostgreSQL (created by regions' 0002_search migration); callers
check `connection.vendor` and fall back to plain `icontains` filters on SQLite.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import BooleanField, Expression, F, Func, Index, Q, TextField, Value
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Names shorter than this are matched by trigram word similarity only: a substring (ILIKE) of one
# or two characters yields no trigram, and the index would have to return every row.
MIN_SUBSTRING = 3
# The words of a text, as PostgreSQL's `simple` parser splits them (letters and digits).
WORD_RE = re.compile(r"[^\W_]+")


def is_postgresql(connection) -> bool:
    return connection.vendor == "postgresql"


class Unaccent(Func):
    """kim_unaccent(text): the text without accents, as the search indexes store it.

    An IMMUTABLE wrapper of unaccent() (which is only STABLE, so no index could use it), created
    by regions/migrations/0002_search.py."""

    function = "kim_unaccent"
    output_field = TextField()


class ILike(Func):
    """`text ILIKE pattern`: a substring match that a gin_trgm_ops index serves."""

    arg_joiner = " ILIKE "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's wildcards in `text` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _operator(lhs: Expression, operator: str, rhs: Expression) -> Q:
    # "%" is doubled: the SQL goes through the driver's parameter formatting.
    joiner = f" {operator.replace('%', '%%')} "
    return Q(Func(lhs, rhs, template="(%(expressions)s)", arg_joiner=joiner,
                  output_field=BooleanField()))  # fmt: skip


def name_matches(column: str, query: str, *, short_names: bool = False) -> Q:
    """A name that contains the query's words nearly (trigram word similarity, which forgives a
    typo: "Ketabng" finds "Ketabang") or exactly as a substring; both served by a GIN
    gin_trgm_ops index on `column`, which holds the name already folded by kim_unaccent (so no
    row is folded again at query time). PostgreSQL only.

    `short_names` (village names, one or two words) also accepts a name similar to the query as a
    whole, which forgives more: two letters swapped ("Balyaan" for "Balayan") break three
    trigrams, too many for word similarity's stricter threshold."""
    name = F(column)
    folded_query = Unaccent(Value(query))
    matches = _operator(name, "%>", folded_query)
    if short_names:
        matches |= _operator(name, "%", folded_query)
    if len(query) >= MIN_SUBSTRING:
        matches |= Q(ILike(name, Unaccent(Value(like_pattern(query)))))
    return matches


def name_similarity(query: str, *columns: str) -> Expression:
    """How closely the best of `columns` (folded names, as name_matches reads) contains the query
    (0…1), for ordering matches."""
    scores = [TrigramWordSimilarity(Unaccent(Value(query)), F(c)) for c in columns]
    return scores[0] if len(scores) == 1 else Greatest(*scores)


def run_on_postgresql(sql: str):
    """A RunPython function for migrations: runs `sql` on PostgreSQL, nothing elsewhere (SQLite,
    the `make run` default, has no triggers, extensions or trigram indexes to create)."""

    def run(apps, schema_editor):
        if is_postgresql(schema_editor.connection):
            schema_editor.execute(sql)

    return run


class PortableGinIndex(GinIndex):
    """A GIN index on PostgreSQL; on SQLite (`make run`), where GIN does not exist, a plain index
    on the same columns, so that migrations and table rebuilds keep working there."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if not is_postgresql(schema_editor.connection):
            return Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


# --- Python side: folding and highlighting ------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents ("Désa" → "desa"), as kim_unaccent and `simple` compare."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def query_terms(query: str) -> frozenset[str]:
    """The folded words a query looks for: not the ones it excludes ("-word"), not "or"."""
    terms = set()
    for chunk in query.split():
        if chunk.startswith("-"):  # websearch_to_tsquery reads "-word" as "without word"
            continue
        terms.update(fold(word) for word in WORD_RE.findall(chunk))
    terms.discard("or")
    return frozenset(terms)


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """`text` escaped, with each word that is one of `terms` in <mark>.

    Every piece of the input is escaped on its own and only the <mark> tags are added as markup,
    so nothing in `text` can become HTML."""
    terms = frozenset(terms)
    parts = []
    last = 0
    for match in WORD_RE.finditer(text):
        if fold(match.group()) in terms:
            parts.append(escape(text[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def has_term(text: str, terms: Iterable[str]) -> bool:
    terms = frozenset(terms)
    return any(fold(m.group()) in terms for m in WORD_RE.finditer(text))


def excerpt(text: str, terms: Iterable[str], *, words: int = 30, before: int = 8) -> SafeString:
    """About `words` words of `text` around its first matching word, highlighted, with an
    ellipsis where text was cut."""
    terms = frozenset(terms)
    tokens = text.split()
    first = next((i for i, token in enumerate(tokens) if has_term(token, terms)), 0)
    start = max(0, first - before)
    window = " ".join(tokens[start : start + words])
    lead = "… " if start > 0 else ""
    tail = " …" if start + words < len(tokens) else ""
    return mark_safe(escape(lead) + highlight(window, terms) + escape(tail))  # noqa: S308
