"""The metrics a scheme can assess: those read live from the other apps, and common manual ones.

The live ones name a source in apps/assessment/sources.py; a city adds its own manual metrics
(figures entered by the units with evidence) in the metric list.
"""

from django.db import migrations

# (code, name, source, source key, kind, description)
METRICS = (
    ("signed_count", "签约项目数", "live", "investment.signed", "count",
     "年初至期末签约并经上级确认的项目个数（不重复统计）"),
    ("contracted", "协议投资额", "live", "investment.contracted", "amount",
     "年初至期末签约项目计入统计的协议投资，单位万元；增资扩建、升格项目只计增量"),
    ("funds_in_place", "到位资金", "live", "investment.funds", "amount",
     "年初至期末各月到位资金之和，单位万元，含往年签约的续建项目"),
    ("out_of_province", "省外到位资金", "live", "investment.out_of_province", "amount",
     "年初至期末各月到位资金中的省外资金，单位万元"),
    ("started_count", "开工项目数", "live", "investment.started", "count",
     "年初至期末登记开工并经确认的项目个数"),
    ("over_1yi_count", "亿元以上签约项目数", "live", "investment.over_1yi", "count",
     "年初至期末签约、计入统计的协议投资不低于1亿元的项目个数"),
    ("problems_on_time", "项目问题按期答复率", "live", "landing.problems_on_time", "rate",
     "年初至期末到期的项目问题中按期答复的比例（%）；无到期问题按100%计"),
    ("policy_delivery", "招商政策兑现率", "manual", "", "rate",
     "年初至期末应兑现的招商引资优惠政策中已兑现的比例（%），附兑现台账"),
    ("major_reserve", "重大项目谋划储备数", "manual", "", "count",
     "年初至期末新谋划储备的总投资10亿元以上项目个数，附项目清单"),
)  # fmt: skip


def load(apps, schema_editor):
    Metric = apps.get_model("assessment", "Metric")
    for code, name, source, key, kind, description in METRICS:
        Metric.objects.get_or_create(
            code=code,
            defaults={"name": name, "source": source, "source_key": key, "kind": kind, "description": description},
        )


def unload(apps, schema_editor):
    apps.get_model("assessment", "Metric").objects.filter(code__in=[m[0] for m in METRICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_assessment")]

    operations = [migrations.RunPython(load, unload)]
