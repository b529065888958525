"""One date and time format per language everywhere: templates name the format (DATE_FORMAT,
DATETIME_FORMAT, TIME_FORMAT from kimportal/formats) instead of writing "H:i" or "H.i" by hand,
which once made kelola show "05:27" and the public pages "05.15"."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A date/time filter with a literal format; named formats are upper-case words. Dates alone
# ("j F Y", "j M Y") read the same in both languages; hours and minutes do not ("05.27", "05:27").
LITERAL = re.compile(r"\|(?:date|time):([\"'])(?P<format>[^\"']*)\1")
# Machine-readable values (the datetime attribute of <time>) are not shown to people.
MACHINE = re.compile(r"datetime=\"\{\{[^}]*\}\}\"")


def hand_written_formats(text: str) -> list[str]:
    text = MACHINE.sub("", text)
    return [
        m.group("format")
        for m in LITERAL.finditer(text)
        if not re.fullmatch(r"[A-Z_]+", m.group("format"))
        and re.search(r"[HGhgisAaP]", m.group("format"))
    ]


def test_templates_use_the_languages_named_formats():
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt")):
        formats = hand_written_formats(path.read_text())
        if formats:
            found[str(path.relative_to(TEMPLATES))] = formats
    assert found == {}


def test_the_check_sees_a_hand_written_time():
    assert hand_written_formats('{{ t|date:"j F Y, H:i" }}') == ["j F Y, H:i"]
    assert hand_written_formats("{{ t|time:'H.i' }}") == ["H.i"]
    assert hand_written_formats('{{ t|date:"DATETIME_FORMAT" }} {{ t|date:"j F Y" }}') == []
    assert hand_written_formats("<time datetime=\"{{ t|time:'H:i' }}\">") == []
