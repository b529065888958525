import pytest

from regions.naming import display_name, regency_kind, sibling_slugs, village_kind


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Kota Surabaya", "Kota Surabaya"),
        ("lamuk", "Lamuk"),
        ("kali  bening", "Kali Bening"),
        ("MKCM", "MKCM"),
        ("RD. PJKA", "RD. PJKA"),
        ("Ra'as", "Ra'as"),
        ("  Jurang Jaler ", "Jurang Jaler"),
    ],
)
def test_display_name(raw, shown):
    assert display_name(raw) == shown


@pytest.mark.parametrize(
    ("code", "kind"),
    [("35.07", "kabupaten"), ("35.69", "kabupaten"), ("35.71", "kota"), ("31.74", "kota")],
)
def test_regency_kind(code, kind):
    assert regency_kind(code) == kind


@pytest.mark.parametrize(
    ("code", "kind"),
    [("35.78.09.1003", "kelurahan"), ("35.07.20.2005", "desa"), ("91.03.01.3007", "desa_adat")],
)
def test_village_kind(code, kind):
    assert village_kind(code) == kind


def test_sibling_slugs_are_unique_and_independent_of_order():
    rows = [
        ("71.02.11.2018", "Tounelet Satu"),
        ("71.02.11.2003", "Tounelet Satu"),
        ("71.02.11.2001", "Ra'as"),
    ]
    slugs = sibling_slugs(rows)
    assert slugs == {
        "71.02.11.2001": "raas",
        "71.02.11.2003": "tounelet-satu",
        "71.02.11.2018": "tounelet-satu-2018",
    }
    assert sibling_slugs(reversed(rows)) == slugs


def test_a_name_without_latin_letters_falls_back_to_its_code():
    assert sibling_slugs([("11.01.01.2001", "’")]) == {"11.01.01.2001": "2001"}
