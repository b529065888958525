"""Drops the trigram index on village names: KIM search now matches the village names stored on
the KIMs themselves (communities' 0004 migration), and nothing else searches villages by name.
PostgreSQL only; nothing happens on SQLite."""

from django.db import migrations

from kimportal.lib.search import run_on_postgresql

FORWARD = "DROP INDEX IF EXISTS village_name_trgm_idx;"
BACKWARD = """
CREATE INDEX village_name_trgm_idx ON regions_village
USING gin (kim_unaccent(name) gin_trgm_ops);
"""


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_search")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
