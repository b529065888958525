from django.db import migrations, models


class Migration(migrations.Migration):
    """Every KIM by name (the live-only index serves the public lists): the staff dashboards'
    per-KIM table reads a page of it instead of sorting every KIM of the nation."""

    dependencies = [("communities", "0004_search_keys")]

    operations = [
        migrations.AddIndex(
            model_name="community",
            index=models.Index(fields=["name", "id"], name="community_name_idx"),
        ),
    ]
