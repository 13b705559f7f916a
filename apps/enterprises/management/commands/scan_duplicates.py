"""python manage.py scan_duplicates — the batch duplicate scan, for cron or an operator."""

import time

from django.core.management.base import BaseCommand

from apps.enterprises.models import DuplicateScan, Enterprise
from apps.enterprises.scanning import run_duplicate_scan


class Command(BaseCommand):
    help = "扫描全库疑似重复企业（与页面上的“扫描全库”相同），把新发现的疑似重复列入待核对。可重复运行：已有的疑似重复不会重复列入。"

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        scan = DuplicateScan.objects.create(total=Enterprise.objects.active().count())
        run_duplicate_scan(scan)
        self.stdout.write(
            f"已扫描 {scan.total} 家企业，比对 {scan.pairs} 对名称，{scan.clusters} 组疑似同一企业，"
            f"新增 {scan.suggestions} 条疑似重复，用时 {time.perf_counter() - started:.1f} 秒。"
        )
