"""Search: Post.search_vector, kept current by triggers, and its GIN index.

The vector is written by the database, not by Django, so that every way a row changes keeps it
right: save(), QuerySet.update(), bulk_create() (the scale seeder) and raw SQL. It holds, without
accents and in the `simple` configuration (no stemming: Indonesian has no Snowball stemmer, and
names must match as written):

    A  title          B  summary, tags          C  body, claim          D  KIM name, village name

A KIM renamed or moved, or a village renamed, rewrites the vectors of its posts (triggers on
those tables). PostgreSQL only; on SQLite the column stays empty and search falls back to
`icontains`.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import kimportal.lib.search

FORWARD = r"""
-- Kept in the row (compressed if need be) rather than moved to the TOAST table with the body:
-- a search checks the vectors of many rows, and each out-of-line one costs about four more page
-- reads (the TOAST index and data). Measured on 50,000 seeded posts: 12x fewer pages read.
ALTER TABLE posts_post ALTER COLUMN search_vector SET STORAGE MAIN;

CREATE OR REPLACE FUNCTION posts_post_search_document(
    p_title text, p_summary text, p_tags jsonb, p_body text, p_claim text, p_community_id bigint
) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
DECLARE
    place text;
    tag_text text := '';
BEGIN
    SELECT concat_ws(' ', c.name, v.name) INTO place
    FROM communities_community c LEFT JOIN regions_village v ON v.code = c.village_id
    WHERE c.id = p_community_id;
    IF jsonb_typeof(p_tags) = 'array' THEN
        SELECT coalesce(string_agg(t, ' '), '') INTO tag_text
        FROM jsonb_array_elements_text(p_tags) t;
    END IF;
    RETURN setweight(to_tsvector('simple', kim_unaccent(coalesce(p_title, ''))), 'A')
        || setweight(to_tsvector('simple', kim_unaccent(concat_ws(' ', p_summary, tag_text))), 'B')
        || setweight(to_tsvector('simple', kim_unaccent(concat_ws(' ', p_body, p_claim))), 'C')
        || setweight(to_tsvector('simple', kim_unaccent(coalesce(place, ''))), 'D');
END
$$;

CREATE OR REPLACE FUNCTION posts_post_search_vector_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := posts_post_search_document(
        NEW.title, NEW.summary, NEW.tags, NEW.body, NEW.claim, NEW.community_id
    );
    RETURN NEW;
END
$$;

-- Also on a write of search_vector itself: whatever Django (or anyone) writes there is replaced,
-- and setting it to NULL is how the triggers below ask for a fresh vector.
CREATE TRIGGER posts_post_search_vector
BEFORE INSERT OR UPDATE OF title, summary, tags, body, claim, community_id, search_vector
ON posts_post FOR EACH ROW EXECUTE FUNCTION posts_post_search_vector_update();

CREATE OR REPLACE FUNCTION posts_community_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE posts_post SET search_vector = NULL WHERE community_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER posts_community_search_refresh
AFTER UPDATE OF name, village_id ON communities_community FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.village_id IS DISTINCT FROM NEW.village_id)
EXECUTE FUNCTION posts_community_search_refresh();

CREATE OR REPLACE FUNCTION posts_village_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE posts_post SET search_vector = NULL
    WHERE community_id IN (SELECT id FROM communities_community WHERE village_id = NEW.code);
    RETURN NULL;
END
$$;

CREATE TRIGGER posts_village_search_refresh
AFTER UPDATE OF name ON regions_village FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION posts_village_search_refresh();

-- The posts that exist already.
UPDATE posts_post SET search_vector = NULL;
"""

BACKWARD = """
ALTER TABLE posts_post ALTER COLUMN search_vector SET STORAGE EXTENDED;
DROP TRIGGER IF EXISTS posts_village_search_refresh ON regions_village;
DROP FUNCTION IF EXISTS posts_village_search_refresh();
DROP TRIGGER IF EXISTS posts_community_search_refresh ON communities_community;
DROP FUNCTION IF EXISTS posts_community_search_refresh();
DROP TRIGGER IF EXISTS posts_post_search_vector ON posts_post;
DROP FUNCTION IF EXISTS posts_post_search_vector_update();
DROP FUNCTION IF EXISTS posts_post_search_document(text, text, jsonb, text, text, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0003_post_revisions"),
        ("communities", "0002_search"),
        ("regions", "0002_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(kimportal.lib.search.run_on_postgresql(FORWARD), kimportal.lib.search.run_on_postgresql(BACKWARD)),
        migrations.AddIndex(
            model_name="post",
            index=kimportal.lib.search.PortableGinIndex(
                condition=models.Q(("status", "published")),
                fields=["search_vector"],
                name="post_search_idx",
            ),
        ),
    ]
