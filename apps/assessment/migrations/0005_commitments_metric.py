"""A live metric from the business environment: the time-limit commitment cases completed on time."""

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("assessment", "Metric").objects.get_or_create(
        code="commitments_on_time",
        defaults={
            "name": "承诺时限按时办结率",
            "source": "live",
            "source_key": "bizenv.commitments_on_time",
            "kind": "rate",
            "description": "年初至期末办结的承诺时限办件中，在承诺工作日内办结的比例（%）；无办结办件按100%计",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("assessment", "Metric").objects.filter(code="commitments_on_time").delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_bulletin_generation"), ("bizenv", "0005_commitments_seed")]

    operations = [migrations.RunPython(load, unload)]
