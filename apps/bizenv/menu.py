"""The 营商环境评价 menu section."""

from django.utils.translation import gettext_lazy as _

from apps.bizenv import permissions
from apps.core import navigation
from apps.core.navigation import NavItem


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("评价指标体系"), "bizenv:methodology_list", permissions.VIEW_METHODOLOGY),
    ]
    navigation.register("bizenv", _("营商环境评价"), 40, items)
