"""The 招商项目 menu section and the pipeline's pending items."""

from django.utils.translation import gettext_lazy as _

from apps.core import navigation
from apps.core.navigation import NavItem
from apps.investment import permissions


def register() -> None:
    items: list[NavItem] = [
        # ---- projects ----
        NavItem(_("登记线索"), "investment:lead_create", permissions.ADD),
        NavItem(_("项目台账"), "investment:project_list", permissions.VIEW),
        NavItem(_("项目看板"), "investment:project_board", permissions.VIEW),
        NavItem(_("待确认阶段"), "investment:confirmation_list", permissions.APPROVE),
        NavItem(_("多头招商协调"), "investment:conflict_list", permissions.VIEW),
        NavItem(_("招商参数"), "investment:settings_edit", permissions.MANAGE, permissions.can_manage),
        # ---- end projects ----
        # ---- teams ----
        NavItem(_("招商小分队"), "investment:team_list", permissions.VIEW),
        NavItem(_("外出招商"), "investment:trip_list", permissions.VIEW),
        NavItem(_("小分队年度考核"), "investment:team_scorecard", permissions.VIEW),
        NavItem(_("招商活动"), "investment:event_list", permissions.VIEW),
        NavItem(_("活动项目落地率"), "investment:event_landing", permissions.VIEW),
        # ---- end teams ----
        # ---- rewards ----
        NavItem(_("引荐人"), "investment:introducer_list", "investment.view_introducer"),
        NavItem(_("引荐奖励"), "investment:reward_claim_list", "investment.view_rewardclaim"),
        NavItem(_("引荐奖励办法"), "investment:reward_rule_list", permissions.MANAGE),
        # ---- end rewards ----
        # ---- KPIs ----
        NavItem(_("招商指标"), "investment:kpi_dashboard", permissions.VIEW_KPI),
        # ---- end KPIs ----
        # ---- ledger import ----
        NavItem(_("导入项目台账"), "investment:import_list", permissions.IMPORT),
        # ---- end ledger import ----
    ]
    if items:
        navigation.register("investment", _("招商项目"), 10, items)
