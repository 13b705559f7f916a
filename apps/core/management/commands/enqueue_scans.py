"""python manage.py enqueue_scans — put every scheduled scan on the task worker's queue (for cron)."""

from django.core.management.base import BaseCommand, CommandError

from apps.core import scans
from apps.core.tasks import run_scheduled_scan


class Command(BaseCommand):
    help = "将各项定时扫描（超时线索、逾期手续、逾期问题、联审期限等）加入后台任务队列，由 worker 执行。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("names", nargs="*", help="只加入这些扫描（默认全部）")

    def handle(self, *args, names: list[str], **options) -> None:
        unknown = sorted(set(names) - set(scans.names()))
        if unknown:
            raise CommandError(f"没有这些扫描：{'、'.join(unknown)}；可用：{'、'.join(scans.names())}")
        for name in names or scans.names():
            result = run_scheduled_scan.enqueue(name)
            self.stdout.write(f"已加入队列：{name}（任务 {result.id}）")
