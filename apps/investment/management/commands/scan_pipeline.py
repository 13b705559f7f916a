"""python manage.py scan_pipeline — the daily pipeline scan, for cron or the worker's scheduler."""

from django.core.management.base import BaseCommand

from apps.investment.services.escalation import scan_pipeline


class Command(BaseCommand):
    help = "每日招商扫描：超过响应或研判时限的线索升级至统筹单位，过期的首报保护释放。可重复运行。"

    def handle(self, *args, **options) -> None:
        result = scan_pipeline()
        self.stdout.write(f"升级超时线索 {result.escalated} 条，释放过期首报 {result.expired_claims} 条。")
