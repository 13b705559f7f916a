"""The shipped scheme: 三率 weighted 30/35/35 (响应率/解决率/满意率) as 准格尔旗 publishes it; the other
indicators are shown with weight 0 until an administrator weighs them (research/anchors-appeals.md §1)."""

import datetime

from django.db import migrations

WEIGHTS = {
    "sign_for_on_time": 0,
    "response": 30,
    "resolved_on_time": 0,
    "resolution": 35,
    "satisfaction": 35,
    "return": 0,
    "redo": 0,
}


def load(apps, schema_editor):
    scheme = apps.get_model("appeals", "KpiScheme").objects.create(
        name="三率考核口径（响应率30%、解决率35%、满意率35%）",
        valid_from=datetime.date(2020, 1, 1),
        satisfied_min_level=3,
        partly_solved_weight=0.5,
        note="满意率计非常满意、满意、基本满意；部分解决按0.5计入解决率；调解或执法类诉求不计满意率。",
    )
    weight = apps.get_model("appeals", "KpiWeight")
    weight.objects.bulk_create(weight(scheme=scheme, indicator=key, weight=value) for key, value in WEIGHTS.items())


def unload(apps, schema_editor):
    apps.get_model("appeals", "KpiScheme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0004_statistics")]

    operations = [migrations.RunPython(load, unload)]
