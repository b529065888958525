"""kimportal.lib.csv_cells: no CSV cell a spreadsheet would run as a formula."""

import csv
import io

import pytest

from kimportal.lib.csv_cells import csv_lines, safe_cell, safe_row


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_like_a_formula_gets_an_apostrophe(start):
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"
    assert safe_cell(start) == f"'{start}"


@pytest.mark.parametrize(
    "value", ["KIM Ketabang Maju", "", "35.78", "2026-12-01T10:00:00+07:00", "a=b", " =1", "'=1"]
)
def test_other_text_is_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-5, 0, 3.5, -0.25, None, True])
def test_numbers_and_other_values_are_left_alone(value):
    assert safe_cell(value) is value


def test_a_row_and_streamed_lines():
    assert safe_row(["=1+1", 2, "-x", "ok"]) == ["'=1+1", 2, "'-x", "ok"]
    lines = list(csv_lines(["nama", "angka"], [["@cmd", -1], ['KIM "Maju", Jaya', 2]]))
    assert len(lines) == 3 and all(line.endswith("\r\n") for line in lines)
    assert list(csv.reader(io.StringIO("".join(lines)))) == [
        ["nama", "angka"],
        ["'@cmd", "-1"],
        ['KIM "Maju", Jaya', "2"],
    ]
