"""Writes to the region tree: loading the Kemendagri data set."""

import csv
import gzip
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from regions.models import District, Province, Regency, Village
from regions.naming import display_name, regency_kind, sibling_slugs, village_kind

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000


@dataclass
class LevelReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Codes in the database that the data set no longer has: reported, never deleted, because
    # communities may still point at them.
    missing_from_data: int = 0


@dataclass
class LoadReport:
    levels: dict[str, LevelReport] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(r.created or r.updated for r in self.levels.values())


@dataclass(frozen=True)
class _Level:
    label: str
    model: type[models.Model]
    stem: str  # provinces -> provinces.csv.gz or provinces.csv
    parent_field: str | None  # the FK attname, e.g. "province_id"
    kind_of: object = None  # code -> kind, for levels that have one


LEVELS = [
    _Level("provinces", Province, "provinces", None),
    _Level("regencies", Regency, "regencies", "province_id", regency_kind),
    _Level("districts", District, "districts", "regency_id"),
    _Level("villages", Village, "villages", "district_id", village_kind),
]


def _read_rows(data_dir: Path, stem: str) -> Iterator[list[str]]:
    path = data_dir / f"{stem}.csv.gz"
    if not path.exists():
        path = data_dir / f"{stem}.csv"
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        next(reader)  # header
        yield from reader


def _desired_rows(level: _Level, data_dir: Path) -> dict[str, dict]:
    """code -> the field values the data set asks for."""
    by_parent: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = {}
    for row in _read_rows(data_dir, level.stem):
        code, name = row[0], display_name(row[-1])
        parent = row[1] if level.parent_field else ""
        values = {"name": name}
        if level.parent_field:
            values[level.parent_field] = parent
        if level.kind_of:
            values["kind"] = level.kind_of(code)
        rows[code] = values
        by_parent[parent].append((code, name))
    for siblings in by_parent.values():
        for code, slug in sibling_slugs(siblings).items():
            rows[code]["slug"] = slug
    return rows


def _load_level(level: _Level, data_dir: Path) -> LevelReport:
    desired = _desired_rows(level, data_dir)
    fields = list(next(iter(desired.values())).keys())
    existing = {
        row["code"]: row for row in level.model.objects.values("code", *fields).iterator(5000)
    }
    report = LevelReport(missing_from_data=len(existing.keys() - desired.keys()))
    to_create, to_update = [], []
    for code, values in desired.items():
        current = existing.get(code)
        if current is None:
            to_create.append(level.model(code=code, **values))
        elif any(current[name] != value for name, value in values.items()):
            to_update.append(level.model(code=code, **values))
        else:
            report.unchanged += 1
    level.model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    level.model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    report.created, report.updated = len(to_create), len(to_update)
    return report


def regions_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Bring the region tables in line with the data set: create new codes, update changed names.

    Idempotent: a second run with the same data writes nothing.
    """
    report = LoadReport()
    with transaction.atomic():
        for level in LEVELS:
            report.levels[level.label] = _load_level(level, data_dir)
    return report
