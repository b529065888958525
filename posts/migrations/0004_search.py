from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("posts", "0003_post_revisions")]

    operations = []
