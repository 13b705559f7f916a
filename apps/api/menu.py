"""The tokens' menu entry, in the 组织机构 section the system administrator keeps (order 80)."""

from django.utils.translation import gettext_lazy as _

from apps.api import permissions
from apps.core import navigation
from apps.core.navigation import NavItem


def register() -> None:
    navigation.register("org", _("组织机构"), 80, [NavItem(_("接口令牌"), "api:token_list", permissions.MANAGE_TOKEN)])
