from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("posts", "0004_search")]

    operations = []
