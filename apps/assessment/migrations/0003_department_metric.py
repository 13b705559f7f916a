"""A live metric for the city's departments: the project problems given to them, answered on time."""

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("assessment", "Metric").objects.get_or_create(
        code="department_answers_on_time",
        defaults={
            "name": "交办问题按期答复率",
            "source": "live",
            "source_key": "landing.department_answers_on_time",
            "kind": "rate",
            "description": "年初至期末到期的、交本部门答复的项目问题中按期答复的比例（%）；无到期问题按100%计",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("assessment", "Metric").objects.filter(code="department_answers_on_time").delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_default_metrics")]

    operations = [migrations.RunPython(load, unload)]
