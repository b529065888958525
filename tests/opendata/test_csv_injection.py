"""The open data CSV files never carry a cell a spreadsheet would run as a formula (a KIM names
itself; kimportal.lib.csv_cells guards every text cell). The JSON keeps the name as it is."""

import csv
import io
import json

import pytest

from communities.models import Community

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://jahat.example/","Data KIM")'


def test_the_kim_directory_csv_defuses_a_formula_in_a_name(client, world):
    Community.objects.filter(pk=world.kim_a.pk).update(name=NAME, focus_sectors=["-umkm"])
    response = client.get("/data/kim.csv")
    text = b"".join(response.streaming_content).decode()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    row = rows[str(world.kim_a.pk)]
    assert row["nama"] == "'" + NAME
    assert row["bidang_fokus"] == "'-umkm"  # a list joined into one text cell
    assert rows[str(world.kim_b.pk)]["nama"] == "KIM Gegerkalong Sejahtera"


def test_the_json_keeps_the_name_as_typed(client, world):
    Community.objects.filter(pk=world.kim_a.pk).update(name=NAME)
    text = b"".join(client.get("/data/kim.json").streaming_content).decode()
    names = [row["nama"] for row in json.loads(text)["data"]]
    assert NAME in names
