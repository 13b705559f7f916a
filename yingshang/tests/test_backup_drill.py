"""The backup and restore drill on the demo city (docs/deploy.md §10–11, REL-05), on whichever database the suite
runs: pg_dump/pg_restore into a fresh database on PostgreSQL, the online backup API on SQLite.

The city is built in a database of its own (migrate and demo in a child process, as an operator would run them), so
the drill sees committed data and the suite's test database is left alone.
"""

import json
import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from apps.core import backups


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - this interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def demo_database(tmp_path):
    """The URL of a fresh database holding the demo city, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'demo.sqlite3'}"
        return
    params = backups.pg_params(connection.settings_dict) | {"dbname": "postgres"}
    name = f"{connection.settings_dict['NAME']}_drill_source"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            user, host, port = (connection.settings_dict[key] or "" for key in ("USER", "HOST", "PORT"))
            yield f"postgres://{user}@{host}:{port or 5432}/{name}"
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_the_demo_city_restores_into_a_fresh_database_table_for_table(tmp_path, demo_database):
    media = tmp_path / "media"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "yingshang.settings_test",
        "DATABASE_URL": demo_database,
        "MEDIA_ROOT": str(media),
    }
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "demo", "--tickets", "500")
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "合同.pdf").write_bytes(b"%PDF-1.4 test")

    manage(env, "backup", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    manifest_file = backup / backups.MANIFEST
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    assert manifest["tables"]["org_unit"]["rows"] > 50
    assert "documents/合同.pdf" in manifest["media"]["files"]

    rows = sum(table["rows"] for table in manifest["tables"].values())
    files = len(manifest["media"]["files"])
    assert f"恢复演练通过：{len(manifest['tables'])} 张表、{rows} 行、{files} 个文件与备份清单一致" in manage(
        env, "restore_drill", str(backup)
    )

    manifest["tables"]["org_unit"]["rows"] += 1  # as if a unit had been lost on the way
    manifest["media"]["files"]["documents/合同.pdf"] = "0" * 64
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    refused = subprocess.run(  # noqa: S603 - this interpreter and manage.py
        [sys.executable, "manage.py", "restore_drill", str(backup)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "不一致：org_unit" in refused.stdout
    assert "文件不一致：documents/合同.pdf" in refused.stdout
    assert "恢复演练未通过：1 张表、1 个文件不一致" in refused.stderr

    with open(backup / manifest["database"]["file"], "ab") as file:
        file.write(b"garbage")
    with pytest.raises(CommandError, match="校验值与清单不符"):
        call_command("restore_drill", backup)


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="这不是 backup 命令生成的备份"):
        call_command("restore_drill", tmp_path)
