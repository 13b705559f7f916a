"""The 惠企政策兑现 menu section (order 75: after 督查督办 at 70, before 组织机构 at 80)."""

from django.utils.translation import gettext_lazy as _

from apps.core import navigation
from apps.core.navigation import NavItem
from apps.policies import permissions


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("惠企政策库"), "policies:policy_list", permissions.VIEW_POLICY),
        NavItem(_("政策兑现件"), "policies:fulfilment_list", permissions.VIEW_FULFILMENT),
        NavItem(_("窗口申报"), "policies:fulfilment_create", permissions.APPLY),
        NavItem(_("政策匹配"), "policies:match_runs", permissions.RUN_MATCHING),
        NavItem(_("政策兑现回头看"), "policies:review", permissions.VIEW_REVIEW),
    ]
    navigation.register("policies", _("惠企政策兑现"), 75, items)
