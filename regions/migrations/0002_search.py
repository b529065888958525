"""Search: the pg_trgm and unaccent extensions, kim_unaccent(), and a trigram index on village
names (a misspelt village still finds its KIM). PostgreSQL only; nothing happens on SQLite."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from kimportal.lib.search import run_on_postgresql

# unaccent() is only STABLE (its dictionary could change), so no index may use it; this wrapper
# names the dictionary and is declared IMMUTABLE, as PostgreSQL's documentation suggests.
FORWARD = """
CREATE OR REPLACE FUNCTION kim_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE INDEX village_name_trgm_idx ON regions_village
USING gin (kim_unaccent(name) gin_trgm_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS village_name_trgm_idx;
DROP FUNCTION IF EXISTS kim_unaccent(text);
"""


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
