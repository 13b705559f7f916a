"""The backup and restore drill on the demo city (docs/deploy.md §10–11, REL-05), on whichever database the suite
runs: pg_dump/pg_restore into a fresh database on PostgreSQL, the online backup API on SQLite."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.core import backups
from apps.org.models import Unit


@pytest.mark.django_db(transaction=True)  # pg_dump and the backup API see committed data only
def test_the_demo_city_restores_into_a_fresh_database_table_for_table(tmp_path):
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "合同.pdf").write_bytes(b"%PDF-1.4 test")
    call_command("demo", tickets=500, stdout=StringIO())
    backup = backups.back_up(tmp_path / "backups", media_root=media)
    manifest_file = backup / backups.MANIFEST
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    assert manifest["tables"][Unit._meta.db_table]["rows"] == Unit.objects.count() > 50
    assert manifest["media"]["files"].keys() == {"documents/合同.pdf"}

    out = StringIO()
    call_command("restore_drill", backup, stdout=out)
    rows = sum(table["rows"] for table in manifest["tables"].values())
    assert f"恢复演练通过：{len(manifest['tables'])} 张表、{rows} 行、1 个文件与备份清单一致" in out.getvalue()

    manifest["tables"][Unit._meta.db_table]["rows"] += 1  # as if a unit had been lost on the way
    manifest["media"]["files"]["documents/合同.pdf"] = "0" * 64
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    result = backups.restore_drill(backup)
    assert [difference.table for difference in result.differences] == [Unit._meta.db_table]
    assert result.media_differences == ["documents/合同.pdf"]
    with pytest.raises(CommandError, match="恢复演练未通过：1 张表、1 个文件不一致"):
        call_command("restore_drill", backup)

    with open(backup / manifest["database"]["file"], "ab") as file:
        file.write(b"garbage")
    with pytest.raises(CommandError, match="校验值与清单不符"):
        call_command("restore_drill", backup)


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="这不是 backup 命令生成的备份"):
        call_command("restore_drill", tmp_path)
