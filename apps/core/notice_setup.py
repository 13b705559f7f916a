"""Audit registration and menu entries of notice delivery (群机器人, 投递记录)."""

from auditlog.registry import auditlog
from django.utils.translation import gettext_lazy as _

from apps.core import navigation, scans
from apps.core.models import GroupRobot, NoticePreference
from apps.core.navigation import NavItem
from apps.core.notice_delivery import deliver_due
from apps.core.notice_digest import send_digests


def setup() -> None:
    """Called from CoreConfig.ready()."""
    scans.register("notice_deliveries", deliveries_summary)
    scans.register("notice_digest", digest_summary)
    auditlog.register(GroupRobot, exclude_fields=["secret"], mask_fields=["webhook_url"])  # both carry the token
    auditlog.register(NoticePreference)
    navigation.register(
        "system",
        _("系统管理"),
        90,
        [
            NavItem(_("群机器人"), "core:robot_list", "core.manage_robot"),
            NavItem(_("投递记录"), "core:delivery_list", "core.view_delivery"),
        ],
    )


def deliveries_summary() -> str:
    """The due deliveries and retries, as the scan runs them (also every few minutes: docs/notices.md)."""
    outcome = deliver_due(limit=1000)
    return f"已发送 {outcome['sent']}，失败待重试 {outcome['failed']}，放弃 {outcome['abandoned']}"


def digest_summary() -> str:
    """The daily digest mails, as the morning scans send them."""
    outcome = send_digests()
    return f"摘要已发送 {outcome['sent']}，无需发送 {outcome['skipped']}，失败 {outcome['failed']}"
