"""GB/T 4754-2017 sections and divisions (data/industries.tsv) and the built-in enterprise tags."""

import csv
from pathlib import Path

from django.db import migrations

INDUSTRIES = Path(__file__).resolve().parent.parent / "data" / "industries.tsv"
BUILTIN_TAGS = (
    ("世界500强", "《财富》世界500强企业及其下属企业"),
    ("中国500强", "中国企业联合会、中国企业家协会发布的中国企业500强"),
    ("中国民营500强", "全国工商联发布的中国民营企业500强"),
    ("行业龙头", "在细分行业中规模或技术领先的企业"),
    ("专精特新", "省级以上专精特新中小企业或专精特新“小巨人”企业"),
    ("高新技术企业", "经认定的国家高新技术企业"),
    ("瞪羚", "高成长的瞪羚企业"),
    ("独角兽", "估值 10 亿美元以上的未上市创业企业"),
    ("链主", "在产业链中居主导地位的链主企业"),
)


def load(apps, schema_editor):
    Industry = apps.get_model("enterprises", "Industry")
    Tag = apps.get_model("enterprises", "Tag")
    sections = {}
    with INDUSTRIES.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            node = Industry.objects.create(
                code=row["code"], name=row["name"], level=row["level"], parent=sections.get(row["parent"])
            )
            if row["level"] == "section":
                sections[node.code] = node
    for name, description in BUILTIN_TAGS:
        Tag.objects.update_or_create(name=name, defaults={"description": description, "is_builtin": True})


def unload(apps, schema_editor):
    apps.get_model("enterprises", "Tag").objects.filter(is_builtin=True, enterprises=None).delete()
    Industry = apps.get_model("enterprises", "Industry")
    Industry.objects.filter(level="division").delete()
    Industry.objects.filter(level="section").delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_import_scan_merge_suggestion")]

    operations = [migrations.RunPython(load, unload)]
