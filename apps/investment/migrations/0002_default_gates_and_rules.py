"""Default stage gates, time limits and screening rules, which each locality's administrator edits."""

from django.db import migrations

GATES = (
    ("lead", [], [], False),
    ("intention", ["industry", "planned_investment"], [], False),
    ("negotiation", [], [], False),
    ("signed", ["contracted_investment", "industry", "land_area"], ["contract"], True),
    ("started", ["fixed_asset_investment"], ["start_photo"], True),
    ("completed", [], ["acceptance"], True),
    ("producing", [], ["production"], True),
    ("at_capacity", [], [], True),
)
#: (name, kind, action, divisions, keywords, threshold, basis)
RULES = (
    ("两高行业提示", "two_high", "warn", ["25", "26", "30", "31", "32"], "", None,
     "《关于加强高耗能、高排放建设项目生态环境源头防控的指导意见》"),
    ("燃煤发电", "two_high", "warn", ["44"], "燃煤、火电", None, "两高项目清单"),
    ("市场准入负面清单", "negative_list", "refuse", [], "小煤矿、小炼油、小造纸、高尔夫球场", None,
     "《市场准入负面清单》"),
    ("风电光伏电站不纳入招商统计", "excluded", "exclude", [], "风电场、光伏电站、风力发电、光伏发电", None,
     "招商引资项目统计口径"),
    ("工业项目亩均投资", "min_per_mu", "warn", [], "", 300, "工业项目建设用地控制指标"),
)  # fmt: skip


def load(apps, schema_editor):
    StageGate = apps.get_model("investment", "StageGate")
    ScreeningRule = apps.get_model("investment", "ScreeningRule")
    Industry = apps.get_model("enterprises", "Industry")
    PipelineSettings = apps.get_model("investment", "PipelineSettings")
    PipelineSettings.objects.get_or_create(pk=1)
    for stage, fields, documents, approval in GATES:
        StageGate.objects.update_or_create(
            stage=stage,
            defaults={"required_fields": fields, "required_documents": documents, "needs_approval": approval},
        )
    for name, kind, action, divisions, keywords, threshold, basis in RULES:
        rule, _ = ScreeningRule.objects.get_or_create(
            name=name, defaults={"kind": kind, "action": action, "keywords": keywords, "threshold": threshold, "basis": basis}
        )
        rule.industries.set(Industry.objects.filter(code__in=divisions))


def unload(apps, schema_editor):
    apps.get_model("investment", "ScreeningRule").objects.filter(name__in=[r[0] for r in RULES]).delete()
    apps.get_model("investment", "StageGate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("investment", "0001_pipeline"), ("enterprises", "0003_industries_and_builtin_tags")]

    operations = [migrations.RunPython(load, unload)]
