"""Search keys: Community.search_name and search_village, kept by triggers, with trigram indexes.

KIM search used to match villages through their own trigram index (83,000 rows, of which a KIM
sits on about one in eight) and folded every candidate name with kim_unaccent() on each recheck:
5-20 ms a query on the scale data, over the 5 ms that issue 8 allows. The keys hold both names
already folded, on the KIM's own row, so one indexed scan over the live KIMs answers each word.

The database writes them, as it writes posts' search vectors: save(), update(), bulk_create()
and COPY (the scale seeder) all leave them right, and a renamed village refreshes its KIMs.
PostgreSQL only; on SQLite the columns stay empty and search falls back to icontains.
"""

from django.db import migrations, models

from kimportal.lib.search import run_on_postgresql

FORWARD = """
CREATE OR REPLACE FUNCTION communities_search_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_name := kim_unaccent(coalesce(NEW.name, ''));
    NEW.search_village := coalesce(
        (SELECT kim_unaccent(v.name) FROM regions_village v WHERE v.code = NEW.village_id), ''
    );
    RETURN NEW;
END
$$;

-- Also on a write of the keys themselves: whatever Django (or anyone) writes there is replaced.
CREATE TRIGGER communities_search_keys
BEFORE INSERT OR UPDATE OF name, village_id, search_name, search_village
ON communities_community FOR EACH ROW EXECUTE FUNCTION communities_search_keys();

CREATE OR REPLACE FUNCTION communities_village_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE communities_community SET search_village = '' WHERE village_id = NEW.code;
    RETURN NULL;
END
$$;

CREATE TRIGGER communities_village_renamed
AFTER UPDATE OF name ON regions_village FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION communities_village_renamed();

-- The KIMs that exist already.
UPDATE communities_community SET search_name = '';

-- Partial, as the index it replaces: only live KIMs are ever searched.
DROP INDEX IF EXISTS community_name_trgm_idx;
CREATE INDEX community_search_name_trgm_idx ON communities_community
USING gin (search_name gin_trgm_ops) WHERE status = 'verified';
CREATE INDEX community_search_village_trgm_idx ON communities_community
USING gin (search_village gin_trgm_ops) WHERE status = 'verified';
"""

BACKWARD = """
DROP INDEX IF EXISTS community_search_village_trgm_idx;
DROP INDEX IF EXISTS community_search_name_trgm_idx;
CREATE INDEX community_name_trgm_idx ON communities_community
USING gin (kim_unaccent(name) gin_trgm_ops) WHERE status = 'verified';
DROP TRIGGER IF EXISTS communities_village_renamed ON regions_village;
DROP FUNCTION IF EXISTS communities_village_renamed();
DROP TRIGGER IF EXISTS communities_search_keys ON communities_community;
DROP FUNCTION IF EXISTS communities_search_keys();
"""


class Migration(migrations.Migration):
    dependencies = [("communities", "0003_public_indexes"), ("regions", "0002_search")]

    operations = [
        migrations.AddField(
            model_name="community",
            name="search_name",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="community",
            name="search_village",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
