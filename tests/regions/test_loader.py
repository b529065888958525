import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F

from regions.models import District, Province, Regency, Village
from regions.services import regions_load

SMALL = Path(__file__).parent / "data"

pytestmark = pytest.mark.django_db


def test_loads_every_level_with_kinds_slugs_and_display_names():
    report = regions_load(data_dir=SMALL)
    assert {k: v.created for k, v in report.levels.items()} == {
        "provinces": 2, "regencies": 3, "districts": 3, "villages": 8,
    }  # fmt: skip
    surabaya = Regency.objects.get(code="35.78")
    assert (surabaya.name, surabaya.slug, surabaya.kind, surabaya.province_id) == (
        "Kota Surabaya", "kota-surabaya", "kota", "35",
    )  # fmt: skip
    assert Regency.objects.get(code="35.07").kind == "kabupaten"
    assert Village.objects.get(code="35.07.20.2006").name == "Lamuk"
    assert Village.objects.get(code="35.78.09.3001").name == "Lubuk Pakam I,II"
    assert Village.objects.get(code="35.78.09.3001").kind == "desa_adat"
    # Two villages named alike in one district keep apart by slug.
    assert list(
        Village.objects.filter(name="Panipahan").order_by("code").values_list("slug", "kind")
    ) == [("panipahan", "kelurahan"), ("panipahan-2001", "desa")]


def test_second_run_changes_nothing():
    regions_load(data_dir=SMALL)
    report = regions_load(data_dir=SMALL)
    assert not report.changed
    assert report.levels["villages"].unchanged == 8


def test_a_changed_name_is_updated_and_nothing_is_deleted(tmp_path):
    regions_load(data_dir=SMALL)
    for name in ("provinces", "regencies", "districts", "villages"):
        shutil.copy(SMALL / f"{name}.csv", tmp_path / f"{name}.csv")
    villages = tmp_path / "villages.csv"
    lines = villages.read_text().splitlines()
    lines = [line.replace("Ketabang", "Ketabang Baru") for line in lines if "Keude" not in line]
    villages.write_text("\n".join(lines) + "\n")

    report = regions_load(data_dir=tmp_path)

    assert report.levels["villages"].updated == 1
    assert report.levels["villages"].missing_from_data == 1
    renamed = Village.objects.get(code="35.78.09.1003")
    assert (renamed.name, renamed.slug) == ("Ketabang Baru", "ketabang-baru")
    assert Village.objects.filter(code="11.01.01.2001").exists()


def test_command_reports_counts(capsys):
    call_command("load_regions", data_dir=SMALL)
    out = capsys.readouterr().out
    assert "villages   created      8" in out


@pytest.mark.slow
def test_full_shipped_data_set_loads_with_intact_parents():
    """The real data set: counts from SOURCE.md, every parent code equal to the code's prefix."""
    report = regions_load()
    assert {k: v.created for k, v in report.levels.items()} == {
        "provinces": 38, "regencies": 514, "districts": 7285, "villages": 83762,
    }  # fmt: skip
    assert Regency.objects.filter(kind="kota").count() == 98
    assert Village.objects.filter(kind="kelurahan").count() == 8496
    assert Village.objects.filter(kind="desa_adat").count() == 14
    for model, parent in ((Regency, "province"), (District, "regency"), (Village, "district")):
        orphans = [
            code
            for code, parent_code in model.objects.values_list("code", f"{parent}_id")
            if code.rsplit(".", 1)[0] != parent_code
        ]
        assert orphans == [], model
    assert Province.objects.filter(regencies__isnull=True).count() == 0
    assert District.objects.filter(villages__isnull=True).count() == 0
    assert not Village.objects.filter(name=F("slug")).filter(slug="").exists()
    assert not regions_load().changed
