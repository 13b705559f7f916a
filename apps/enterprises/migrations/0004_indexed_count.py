"""N of the name index's IDF, kept under the empty gram (see apps/enterprises/index.py)."""

from django.db import migrations


def count(apps, schema_editor):
    GramStat = apps.get_model("enterprises", "GramStat")
    NameGram = apps.get_model("enterprises", "NameGram")
    indexed = NameGram.objects.values("enterprise").distinct().count()
    GramStat.objects.update_or_create(gram="", defaults={"enterprises": indexed})


def forget(apps, schema_editor):
    apps.get_model("enterprises", "GramStat").objects.filter(gram="").delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_industries_and_builtin_tags")]

    operations = [migrations.RunPython(count, forget)]
