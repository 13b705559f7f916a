"""python manage.py scan_landing — the daily landing scan, run at once (enqueue_scans queues it for the worker)."""

from django.core.management.base import BaseCommand

from apps.landing.services.scans import scan_landing_summary


class Command(BaseCommand):
    help = (
        "每日项目落地扫描：联审期限届满的结束审查并标记逾期部门，逾期手续和逾期问题提醒并升级至包抓领导。可重复运行。"
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(scan_landing_summary())
