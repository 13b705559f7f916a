"""An index on the registry for target recommendations: the largest enterprises of an industry, read in order.

apps/chains/services/targets.py asks each of a link's industries for its tagged and its largest enterprises by
registered capital; with this index each such query walks the industry's entries from the largest down and stops
at its limit, instead of reading and sorting every enterprise of the industry (tens of thousands on a registry of
a million: 300 ms a query instead of about 1). The index is on the enterprises table but serves only this app's
query, so it lives here; raw SQL because a migration may add an index only to its own app's models.
"""

from django.db import migrations

INDEX = "enterprise_industry_capital"


def create_index(apps, schema_editor) -> None:
    # SQLite sorts NULL first, so DESC alone already puts unknown capital last there (and it rejects NULLS LAST)
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON enterprises_enterprise (industry_id, registered_capital DESC{nulls}, id)"
    )


def drop_index(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("chains", "0002_placement_runs"),
        ("enterprises", "0006_business_scope"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
