from django.db import migrations, models


class Migration(migrations.Migration):
    """A run no longer rewrites every match it sees again: ``changed_at`` (when ``current`` last changed) replaces
    ``last_matched_at`` and the run of each row."""

    dependencies = [("policies", "0001_policies_fulfilment_matching")]

    operations = [
        migrations.RenameField("policymatch", "last_matched_at", "changed_at"),
        migrations.AlterField(
            "policymatch", "changed_at", models.DateTimeField(verbose_name="状态变化时间")
        ),
        migrations.RemoveField("policymatch", "run"),
    ]
