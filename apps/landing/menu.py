"""The 项目落地 menu section."""

from django.utils.translation import gettext_lazy as _

from apps.core import navigation
from apps.core.navigation import NavItem
from apps.landing import permissions


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("落地项目"), "landing:project_list", permissions.VIEW_CHECKLIST),
        # ---- reviews ----
        # ---- end reviews ----
        # ---- checklists ----
        # ---- end checklists ----
        # ---- task forces and problems ----
        # ---- end task forces and problems ----
        # ---- progress ----
        # ---- end progress ----
    ]
    navigation.register("landing", _("项目落地"), 20, items)
