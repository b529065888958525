"""The English catalogue: complete, and the committed .mo matches its .po."""

import gettext
import shutil
import subprocess
from pathlib import Path

from django.utils import translation

from tests.support import skip_or_fail

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        skip_or_fail("msgfmt (gettext) is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - fixed argv
        [msgfmt, "--check", "-o", str(fresh), str(LOCALE / "django.po")], check=True
    )
    with open(fresh, "rb") as a, open(LOCALE / "django.mo", "rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (
            "run: msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po"
        )


def test_no_entry_is_left_untranslated():
    text = (LOCALE / "django.po").read_text()
    assert "#, fuzzy" not in text
    assert '\nmsgstr ""\n\n' not in text.split("\n\n", 1)[1] + "\n"


def test_interface_speaks_english_when_asked():
    with translation.override("en"):
        assert translation.gettext("Wilayah") == "Regions"
    with translation.override("id"):
        assert translation.gettext("Wilayah") == "Wilayah"


def test_lazy_strings_outside_templates_reach_the_catalogue():
    """Strings makemessages can only find by the names it knows (gettext_lazy, not an alias)."""
    from accounts.views import ROLE_DUTIES
    from opendata.columns import KINDS

    with translation.override("en"):
        assert str(ROLE_DUTIES["contributor"]).startswith("Write posts with photos")
        assert [str(label) for label in KINDS.values()] == ["text", "number", "date", "list"]
