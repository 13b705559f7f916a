"""python manage.py backup DIR — a consistent copy of the database and the uploaded files with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand

from apps.core import backups


class Command(BaseCommand):
    help = "备份数据库和上传的文件到 DIR 下的新文件夹，并写下每张表的行数和校验值（manifest.json）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, help="备份存放的文件夹")

    def handle(self, *args, directory: Path, **options) -> None:
        target = backups.back_up(directory)
        self.stdout.write(f"备份完成：{target}")
