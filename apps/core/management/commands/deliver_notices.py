"""python manage.py deliver_notices — send the notice deliveries that are due, retries included (cron, every 5 min)."""

from django.core.management.base import BaseCommand

from apps.core.notice_delivery import BATCH, deliver_due


class Command(BaseCommand):
    help = "发送到期的消息投递（邮件、企业微信、钉钉群机器人），包括失败后的重试；可重复运行。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=10 * BATCH, help="本次最多发送多少条")

    def handle(self, *args, limit: int, **options) -> None:
        total = {"sent": 0, "failed": 0, "abandoned": 0}
        while limit > 0:
            outcome = deliver_due(limit=min(limit, BATCH))
            for state, count in outcome.items():
                total[state] += count
            done = sum(outcome.values())
            if done < min(limit, BATCH):
                break
            limit -= done
        self.stdout.write(f"已发送 {total['sent']} 条，失败待重试 {total['failed']} 条，放弃 {total['abandoned']} 条")
