from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = []
