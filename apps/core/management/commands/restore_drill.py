"""python manage.py restore_drill BACKUP — restore a backup into a fresh database and compare it with its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core import backups


class Command(BaseCommand):
    help = (
        "恢复演练：把 BACKUP 文件夹中的备份恢复到一个新建的空数据库（PostgreSQL）或临时文件（SQLite），"
        "逐表核对行数和校验值，并核对上传的文件；有任何不一致即以非零状态退出。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="backup 命令生成的文件夹")
        parser.add_argument("--keep", action="store_true", help="保留恢复出的 PostgreSQL 数据库以便查看")

    def handle(self, *args, backup: Path, keep: bool, **options) -> None:
        if not (backup / backups.MANIFEST).is_file():
            raise CommandError(f"{backup} 中没有 {backups.MANIFEST}：这不是 backup 命令生成的备份")
        try:
            result = backups.restore_drill(backup, keep=keep)
        except (ValueError, RuntimeError) as error:
            raise CommandError(str(error)) from error
        for difference in result.differences:
            self.stdout.write(f"不一致：{difference.table} 备份时 {difference.expected}，恢复后 {difference.found}")
        for name in result.media_differences:
            self.stdout.write(f"文件不一致：{name}")
        if not result.identical:
            raise CommandError(
                f"恢复演练未通过：{len(result.differences)} 张表、{len(result.media_differences)} 个文件不一致"
            )
        self.stdout.write(
            f"恢复演练通过：{result.tables} 张表、{result.rows} 行、{result.media_files} 个文件与备份清单一致"
        )
