"""Pure functions that turn the Kemendagri data set's rows into display names, slugs and kinds."""

import re
from collections import Counter
from collections.abc import Iterable

from django.utils.text import slugify

_SPACES = re.compile(r"\s+")


def display_name(raw: str) -> str:
    """The name as the portal shows it.

    The source is already in display case ("Kota Surabaya"). Names it writes wholly in lower case
    ("lamuk") get a capital on each word; names wholly in capitals are kept, because in this data
    set they are acronyms ("MKCM", "RD. PJKA") or a local spelling ("KI'E"), not shouting.
    """
    name = _SPACES.sub(" ", raw).strip()
    if name and name == name.lower() and name != name.upper():
        name = " ".join(word[:1].upper() + word[1:] for word in name.split(" "))
    return name


def regency_kind(code: str) -> str:
    """ "32.73" -> "kota": regency numbers 71-99 are cities (kota), the rest kabupaten."""
    return "kota" if int(code.rsplit(".", 1)[1]) >= 71 else "kabupaten"


_VILLAGE_KINDS = {"1": "kelurahan", "2": "desa", "3": "desa_adat"}


def village_kind(code: str) -> str:
    """ "32.73.01.1002" -> "kelurahan": the first digit of the village number gives the kind."""
    return _VILLAGE_KINDS[code.rsplit(".", 1)[1][0]]


def sibling_slugs(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Slugs for (code, name) rows that share one parent, unique among them.

    Where two siblings slugify alike (a desa and a kelurahan both called "Panipahan"), the one
    with the lowest code keeps the plain slug and each other gets its own code number appended,
    so the result depends only on the data, never on load order.
    """
    rows = sorted(rows)
    bases = {code: slugify(name) or code.rsplit(".", 1)[1] for code, name in rows}
    counts = Counter(bases.values())
    seen: set[str] = set()
    slugs = {}
    for code, _name in rows:
        base = bases[code]
        if counts[base] > 1 and base in seen:
            slugs[code] = f"{base}-{code.rsplit('.', 1)[1]}"
        else:
            slugs[code] = base
        seen.add(base)
    return slugs
