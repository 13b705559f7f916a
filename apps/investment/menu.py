"""The 招商项目 menu section and the pipeline's pending items."""

from django.utils.translation import gettext_lazy as _

from apps.core import navigation
from apps.core.navigation import NavItem


def register() -> None:
    items: list[NavItem] = [
        # ---- projects ----
        # ---- end projects ----
        # ---- teams ----
        # ---- end teams ----
        # ---- rewards ----
        # ---- end rewards ----
        # ---- KPIs ----
        # ---- end KPIs ----
    ]
    if items:
        navigation.register("investment", _("招商项目"), 10, items)
