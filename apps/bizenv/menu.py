"""The 营商环境评价 menu section."""

from django.utils.translation import gettext_lazy as _

from apps.bizenv import permissions
from apps.core import navigation
from apps.core.navigation import NavItem


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("评价指标体系"), "bizenv:methodology_list", permissions.VIEW_METHODOLOGY),
        NavItem(_("评价轮次"), "bizenv:round_list", permissions.VIEW_ROUND),
        NavItem(_("承诺时限"), "bizenv:commitment_list", permissions.VIEW_CASE),
    ]
    navigation.register("bizenv", _("营商环境评价"), 40, items)
