from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("posts", "0005_public_indexes")]

    operations: list = []
