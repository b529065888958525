"""Keyset pagination: "Sebelumnya"/"Berikutnya" links that carry where the page ends.

OFFSET reads and throws away every row before the page, so the 500th page of a list costs 500
pages. A keyset page starts where the index says (`WHERE (key, pk) < (last key, last pk) ORDER BY
key DESC, pk DESC LIMIT n`): the same cost at any depth, and no row is skipped or shown twice when
rows are added while a visitor reads. The primary key breaks ties, so rows that share a key (two
posts published in the same second) are walked in a stable order.

A cursor is opaque to visitors: base64url of the JSON `[key, pk]` of the row it follows or
precedes. A cursor that does not decode, or names a key of the wrong type, gives the first page,
never an error.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict

# Query parameters: ?setelah=<cursor> is the page after a row, ?sebelum=<cursor> the page before.
AFTER = "setelah"
BEFORE = "sebelum"
_MAX_CURSOR_LENGTH = 400


@dataclass(frozen=True)
class Keyset:
    """The order of a list: one column (ascending or descending), then the primary key the same
    way. The list's queryset must have an index on (column, pk) in that order to be cheap."""

    column: str
    descending: bool = False
    # The column's Python type: `datetime` (aware) or `str`.
    kind: type = str

    def ordering(self, *, reverse: bool = False) -> tuple[str, str]:
        descending = self.descending != reverse
        sign = "-" if descending else ""
        return (f"{sign}{self.column}", f"{sign}pk")

    def beyond(self, value: Any, pk: int, *, reverse: bool = False) -> Q:
        """Rows strictly after (value, pk) in this order (before it, with `reverse`).

        Written as `key <= v AND (key < v OR pk < p)` rather than a plain OR, so the first term
        bounds the index scan: the database starts at the cursor instead of filtering from the top.
        """
        descending = self.descending != reverse
        column = self.column
        if descending:
            return Q(**{f"{column}__lte": value}) & (Q(**{f"{column}__lt": value}) | Q(pk__lt=pk))
        return Q(**{f"{column}__gte": value}) & (Q(**{f"{column}__gt": value}) | Q(pk__gt=pk))

    def encode(self, row: Any) -> str:
        value = getattr(row, self.column)
        if isinstance(value, datetime):
            value = value.isoformat()
        raw = json.dumps([value, row.pk], separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[Any, int] | None:
        """(key, pk) of a cursor, or None when it is not one of ours."""
        if not cursor or len(cursor) > _MAX_CURSOR_LENGTH:
            return None
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            value, pk = json.loads(raw.decode())
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            return None
        if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(value, str):
            return None
        if not 0 < pk < 2**63:
            return None
        if self.kind is datetime:
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return None
            if value.tzinfo is None:
                return None
        elif "\x00" in value:  # PostgreSQL rejects NUL in text: a 500, not a page
            return None
        return value, pk


@dataclass
class KeysetPage:
    """One page of a keyset-paginated list, with the cursors of its neighbours ("" when none)."""

    object_list: list
    next_cursor: str = ""
    previous_cursor: str = ""

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def keyset_page(queryset: QuerySet, keyset: Keyset, *, size: int, params: QueryDict) -> KeysetPage:
    """The page of `queryset` (already filtered) that `params` (request.GET) asks for.

    One query, whatever the page: size + 1 rows, the extra one telling whether a next (or, going
    back, a previous) page exists. A cursor that decodes but gives no row (its rows were removed,
    or it points past the end) falls back to the first page, which costs a second query.
    """
    after = keyset.decode(params.get(AFTER, ""))
    before = None if after else keyset.decode(params.get(BEFORE, ""))
    if after:
        rows = list(queryset.filter(keyset.beyond(*after)).order_by(*keyset.ordering())[: size + 1])
        if rows:
            return KeysetPage(
                rows[:size],
                next_cursor=keyset.encode(rows[size - 1]) if len(rows) > size else "",
                previous_cursor=keyset.encode(rows[0]),
            )
    elif before:
        rows = list(
            queryset.filter(keyset.beyond(*before, reverse=True)).order_by(
                *keyset.ordering(reverse=True)
            )[: size + 1]
        )
        if rows:
            page = rows[:size][::-1]
            return KeysetPage(
                page,
                next_cursor=keyset.encode(page[-1]),
                previous_cursor=keyset.encode(page[0]) if len(rows) > size else "",
            )
    rows = list(queryset.order_by(*keyset.ordering())[: size + 1])
    return KeysetPage(
        rows[:size],
        next_cursor=keyset.encode(rows[size - 1]) if len(rows) > size else "",
    )
