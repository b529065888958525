from django.db import migrations, models
from django.db.models import F


def each_old_report_is_its_own_network(apps, schema_editor):
    # Older reports kept no network: counting each as its own keeps their earlier weight.
    Report = apps.get_model("posts", "Report")
    Report.objects.update(network_key=F("reporter_key"))


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="network_key",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(each_old_report_is_its_own_network, migrations.RunPython.noop),
    ]
