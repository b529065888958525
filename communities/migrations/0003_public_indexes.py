# Partial indexes for the public lists of verified KIMs (issue 8); the (regency|province, status,
# name) indexes they replace served only those lists (staff lists use the foreign-key indexes).
from django.db import migrations, models

LIVE = models.Q(("status", "verified"))


class Migration(migrations.Migration):
    dependencies = [("communities", "0002_search")]

    operations = [
        migrations.RemoveIndex(model_name="community", name="community_regency_idx"),
        migrations.RemoveIndex(model_name="community", name="community_province_idx"),
        migrations.AddIndex(
            model_name="community",
            index=models.Index(
                condition=LIVE, fields=["name", "id"], name="community_live_name_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="community",
            index=models.Index(
                condition=LIVE, fields=["regency", "name", "id"], name="community_live_regency_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="community",
            index=models.Index(
                condition=LIVE,
                fields=["province", "name", "id"],
                name="community_live_province_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="community",
            index=models.Index(
                condition=LIVE, fields=["-verified_at", "-id"], name="community_live_newest_idx"
            ),
        ),
    ]
