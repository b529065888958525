"""Search: trigram index on the names of live KIMs, for search and the directory's `q`.
PostgreSQL only; nothing happens on SQLite."""

from django.db import migrations

from kimportal.lib.search import run_on_postgresql

# Partial: only verified KIMs are ever searched (Community.objects.live()).
FORWARD = """
CREATE INDEX community_name_trgm_idx ON communities_community
USING gin (kim_unaccent(name) gin_trgm_ops) WHERE status = 'verified';
"""
BACKWARD = "DROP INDEX IF EXISTS community_name_trgm_idx;"


class Migration(migrations.Migration):
    dependencies = [("communities", "0001_initial"), ("regions", "0002_search")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
