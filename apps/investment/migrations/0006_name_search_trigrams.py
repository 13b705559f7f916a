"""Trigram indexes for searching projects and enterprises by any part of their name on PostgreSQL.

Chinese names are searched with LIKE '%…%'; pg_trgm (a trusted extension, which the database owner
may create) serves that from a GIN index instead of reading every row. SQLite has no such index
and reads the rows, which is fast enough at its sizes.
"""

from django.db import migrations

INDEXES = (
    ("investment_project_name_trgm", "investment_project"),
    ("enterprises_enterprise_name_trgm", "enterprises_enterprise"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (name gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0005_reward_claim_records"),
        ("enterprises", "0004_indexed_count"),
    ]

    operations = [migrations.RunPython(create, drop)]
