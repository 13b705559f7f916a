"""python manage.py send_notice_digests — the daily digest mails (cron, once a day); a second run sends nothing."""

from django.core.management.base import BaseCommand

from apps.core.notice_digest import send_digests


class Command(BaseCommand):
    help = "向选择“每日摘要”的人员发送过去一天未读消息的摘要邮件；每人每天最多一封，可重复运行。"

    def handle(self, *args, **options) -> None:
        outcome = send_digests()
        self.stdout.write(
            f"已发送摘要 {outcome['sent']} 封，无需发送 {outcome['skipped']} 人，发送失败 {outcome['failed']} 人"
        )
