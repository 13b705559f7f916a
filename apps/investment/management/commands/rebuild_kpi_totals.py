"""python manage.py rebuild_kpi_totals — recompute the KPI page's monthly fund totals from every fund record."""

import time

from django.core.management.base import BaseCommand

from apps.investment.models import FundRecord
from apps.investment.services.kpi_rollup import rebuild_all


class Command(BaseCommand):
    help = "按全部到位资金月报重算招商指标页的到位资金月度汇总（批量导入数据或直接改库之后运行）。可重复运行。"

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        rows = rebuild_all()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"已按 {FundRecord.objects.count()} 条到位资金月报重算月度汇总 {rows} 行，用时 {seconds:.1f} 秒。"
        )
