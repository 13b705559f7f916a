"""The 考核通报 menu section."""

from django.utils.translation import gettext_lazy as _

from apps.assessment import permissions
from apps.core import navigation
from apps.core.navigation import NavItem


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("考核看板"), "assessment:leader", permissions.VIEW),
        NavItem(_("考核排名"), "assessment:snapshot_list", permissions.VIEW),
        NavItem(_("考核方案"), "assessment:scheme_list", permissions.VIEW_TARGET),
        NavItem(_("考核扣分"), "assessment:deduction_list", permissions.VIEW),
        NavItem(_("约谈台账"), "assessment:admonition_list", permissions.VIEW),
        NavItem(_("考核通报"), "assessment:bulletin_list", permissions.VIEW_BULLETIN),
        NavItem(_("通报模板"), "assessment:template_list", permissions.MANAGE_TEMPLATE),
    ]
    navigation.register("assessment", _("考核通报"), 30, items)
