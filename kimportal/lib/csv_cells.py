"""CSV cells a spreadsheet will not run as a formula (CSV or formula injection).

Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or `@` as a
formula, and a leading tab or carriage return can hide one. KIM names, village names and other
text in our CSV files are typed by the public, so every text cell passes through `safe_cell`,
which puts an apostrophe in front of such a cell: spreadsheets show the text as typed, and a
program reading the file sees one extra character. Numbers and dates are written as they are.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a leading apostrophe when it is text that starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class _Echo:
    """A file-like that hands back what csv.writer writes (one line at a time), for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The header, then each row, as CSV lines with every cell made safe: for a
    StreamingHttpResponse over an iterator of rows."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(safe_row(row))


@dataclass(frozen=True)
class Column:
    """One column of a CSV download: its stable name, what it holds, and how a row gives it."""

    name: str
    description: str
    value: Callable[[Any], Any]


def csv_table(columns: Iterable[Column], rows: Iterable[Any]) -> Iterator[str]:
    """`rows` as CSV lines under the columns' names, every cell made safe (csv_lines)."""
    columns = tuple(columns)
    return csv_lines([c.name for c in columns], ([c.value(row) for c in columns] for row in rows))
