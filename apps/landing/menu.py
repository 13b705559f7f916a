"""The 项目落地 menu section."""

from django.utils.translation import gettext_lazy as _

from apps.core import navigation
from apps.core.navigation import NavItem
from apps.investment.permissions import is_coordinator  # the checklists section
from apps.landing import permissions
from apps.landing.selectors.taskforces import shows_leader_page


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("落地项目"), "landing:project_list", permissions.VIEW_CHECKLIST),
        # ---- reviews ----
        NavItem(_("联评联审"), "landing:review_list", permissions.VIEW_REVIEW),
        # ---- end reviews ----
        # ---- checklists ----
        NavItem(_("手续清单"), "landing:step_list", permissions.VIEW_CHECKLIST),
        NavItem(_("手续清单模板"), "landing:template_list", permissions.MANAGE_TEMPLATES, allowed=is_coordinator),
        # ---- end checklists ----
        # ---- task forces and problems ----
        NavItem(_("我包抓的项目"), "landing:leader", allowed=shows_leader_page),
        NavItem(_("项目专班"), "landing:task_force_list", permissions.VIEW_TASK_FORCE),
        NavItem(_("项目问题台账"), "landing:problem_list", permissions.VIEW_PROBLEM),
        # ---- end task forces and problems ----
        # ---- progress ----
        NavItem(_("建设进度"), "landing:progress_ledger", permissions.VIEW_PROGRESS),
        NavItem(_("挂图作战"), "landing:gantt", permissions.VIEW_PROGRESS),
        NavItem(_("集中开工"), "landing:batch_list", permissions.VIEW_BATCH),
        # ---- end progress ----
    ]
    navigation.register("landing", _("项目落地"), 20, items)
