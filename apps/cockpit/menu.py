"""The 领导驾驶舱 menu section (order 5: first, before 招商项目 at 10)."""

from django.utils.translation import gettext_lazy as _

from apps.cockpit import permissions
from apps.core import navigation
from apps.core.navigation import NavItem


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("驾驶舱"), "cockpit:cockpit", permissions.VIEW_COCKPIT),
        NavItem(_("大屏模式"), "cockpit:screen", permissions.VIEW_COCKPIT),
        NavItem(_("区划地图"), "cockpit:map_list", permissions.MANAGE_MAP),
    ]
    navigation.register("cockpit", _("领导驾驶舱"), 5, items)
