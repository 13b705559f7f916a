"""python manage.py scan_supervision — the daily supervision scan, run at once (enqueue_scans queues it)."""

from django.core.management.base import BaseCommand

from apps.supervision.services.scans import scan_supervision_summary


class Command(BaseCommand):
    help = "每日督查督办扫描：整改时限临近的提醒，逾期的催办，逾期较久的督办。可重复运行，不重复发送。"

    def handle(self, *args, **options) -> None:
        self.stdout.write(scan_supervision_summary())
