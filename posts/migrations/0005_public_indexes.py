# Partial indexes for the public post lists and the moderation queue (issue 8). They replace the
# (…, status, -published_at) indexes and the submitted-only queue index, which only those lists
# used.
import django.db.models.expressions
import kimportal.lib.indexes
from django.db import migrations, models

PUBLIC = models.Q(("hidden_by_reports", False), ("status", "published"))


class Migration(migrations.Migration):
    dependencies = [("posts", "0004_search")]

    operations = [
        migrations.RemoveIndex(model_name="post", name="post_community_list_idx"),
        migrations.RemoveIndex(model_name="post", name="post_latest_idx"),
        migrations.RemoveIndex(model_name="post", name="post_regency_idx"),
        migrations.RemoveIndex(model_name="post", name="post_province_idx"),
        migrations.RemoveIndex(model_name="post", name="post_queue_idx"),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=PUBLIC, fields=["-published_at", "-id"], name="post_public_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=PUBLIC,
                fields=["community", "-published_at", "-id"],
                name="post_public_community_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=PUBLIC,
                fields=["community", "kind", "-published_at", "-id"],
                name="post_public_kind_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=PUBLIC,
                fields=["regency", "-published_at", "-id"],
                name="post_public_regency_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=PUBLIC,
                fields=["province", "-published_at", "-id"],
                name="post_public_province_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=kimportal.lib.indexes.NullsOrderedIndex(
                django.db.models.expressions.OrderBy(
                    django.db.models.expressions.F("submitted_at"), nulls_first=True
                ),
                django.db.models.expressions.F("id"),
                condition=models.Q(
                    ("status", "submitted"),
                    models.Q(("open_reports__gt", 0), ("status", "published")),
                    _connector="OR",
                ),
                name="post_attention_idx",
            ),
        ),
    ]
