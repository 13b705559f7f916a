"""python manage.py rebuild_name_index — recompute the normalised names and the bigram index."""

import time

from django.core.management.base import BaseCommand

from apps.enterprises.index import rebuild_name_index, refresh_normalised_fields


class Command(BaseCommand):
    help = "重新计算企业名称的规范化结果和名称索引（升级名称规则后运行）。"

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        changed = refresh_normalised_fields()
        indexed = rebuild_name_index(progress=lambda done, total: self.stdout.write(f"  {done} / {total}"))
        self.stdout.write(
            f"已更新 {changed} 条规范化名称，重建 {indexed} 家企业的名称索引，用时 {time.perf_counter() - started:.1f} 秒。"
        )
