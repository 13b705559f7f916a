"""Live metrics from the appeals: the tickets replied on time and the appellants satisfied."""

from django.db import migrations

METRICS = [
    (
        "appeals_resolved_on_time",
        "诉求按时办结率",
        "appeals.resolved_on_time",
        "年初至期末派单的诉求工单中，在答复期限内答复的比例（%，以现主办单位计）；无到期工单按100%计",
    ),
    (
        "appeals_satisfaction",
        "诉求满意率",
        "appeals.satisfaction",
        "年初至期末派单并已回访的诉求工单中，满意度达到考核口径所定等级的比例（%，调解或执法类不计）；无回访按100%计",
    ),
]


def load(apps, schema_editor):
    metric = apps.get_model("assessment", "Metric")
    for code, name, key, description in METRICS:
        metric.objects.get_or_create(
            code=code,
            defaults={"name": name, "source": "live", "source_key": key, "kind": "rate", "description": description},
        )


def unload(apps, schema_editor):
    apps.get_model("assessment", "Metric").objects.filter(code__in=[m[0] for m in METRICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0005_commitments_metric"), ("appeals", "0005_seed_statistics_scheme")]

    operations = [migrations.RunPython(load, unload)]
