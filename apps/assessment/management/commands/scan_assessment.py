"""python manage.py scan_assessment — freeze the periods that ended into snapshots (enqueue_scans queues it)."""

from django.core.management.base import BaseCommand

from apps.assessment.services.scans import scan_assessment_summary


class Command(BaseCommand):
    help = "每日考核扫描：已结束的旬、月、季、半年、年生成考核快照并排名，每个周期只生成一次。可重复运行。"

    def handle(self, *args, **options) -> None:
        self.stdout.write(scan_assessment_summary())
