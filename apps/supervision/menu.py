"""The 督查督办 menu section (order 70: after 营商环境评价 at 40, before 组织机构 at 80)."""

from django.utils.translation import gettext_lazy as _

from apps.core import navigation
from apps.core.navigation import NavItem
from apps.supervision import permissions


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("问题整改台账"), "supervision:problem_list", permissions.VIEW_PROBLEM),
        NavItem(_("批量导入问题"), "supervision:problem_import", permissions.MANAGE_PROBLEM),
        NavItem(_("政府承诺兑现台账"), "supervision:commitment_list", permissions.VIEW_PROBLEM),
        NavItem(_("政府违约失信台账"), "supervision:default_list", permissions.VIEW_PROBLEM),
        NavItem(_("信用红黑名单"), "supervision:credit_list", permissions.VIEW_CREDIT),
        NavItem(_("导入信用名单"), "supervision:credit_import", permissions.MANAGE_CREDIT),
        NavItem(_("信用联合奖惩规则"), "supervision:credit_rules", permissions.VIEW_CREDIT),
        NavItem(_("督办事项"), "supervision:task_list", permissions.VIEW_PROBLEM),
        NavItem(_("本月逾期督办事项"), "supervision:task_overdue", permissions.VIEW_PROBLEM),
        NavItem(_("典型案例"), "supervision:case_list", permissions.VIEW_PROBLEM),
    ]
    navigation.register("supervision", _("督查督办"), 70, items)
