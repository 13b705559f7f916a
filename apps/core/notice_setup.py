"""Audit registration and menu entries of notice delivery (群机器人, 投递记录)."""

from auditlog.registry import auditlog
from django.utils.translation import gettext_lazy as _

from apps.core import navigation
from apps.core.models import GroupRobot, NoticePreference
from apps.core.navigation import NavItem


def setup() -> None:
    """Called from CoreConfig.ready()."""
    auditlog.register(GroupRobot, exclude_fields=["secret"])
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
