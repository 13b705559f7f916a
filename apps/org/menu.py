from django.utils.translation import gettext_lazy as _

from apps.core import navigation
from apps.core.navigation import NavItem


def register() -> None:
    navigation.register(
        "org",
        _("组织机构"),
        80,
        [
            NavItem(_("单位"), "org:unit_list", "org.view_unit"),
            NavItem(_("人员"), "org:person_list", "org.view_user"),
            NavItem(_("角色"), "org:role_list", "org.view_role"),
        ],
    )
