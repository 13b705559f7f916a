"""The 产业链招商 menu section (order 65: after 诉求办理 at 45, before 督查督办 at 70)."""

from django.utils.translation import gettext_lazy as _

from apps.chains import permissions
from apps.core import navigation
from apps.core.navigation import NavItem


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("产业链图谱"), "chains:chain_list", permissions.VIEW_CHAIN),
        NavItem(_("导入产业链"), "chains:chain_import", permissions.MANAGE_CHAIN),
    ]
    navigation.register("chains", _("产业链招商"), 65, items)
