"""The 企业库 menu section and the registry keepers' pending items."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core import navigation, pending
from apps.core.navigation import NavItem
from apps.core.pending import PendingItem
from apps.enterprises import permissions
from apps.enterprises.models import DuplicateSuggestion


def register() -> None:
    navigation.register(
        "enterprises",
        _("企业库"),
        20,
        [
            NavItem(_("企业名录"), "enterprises:list", permissions.VIEW),
            NavItem(_("登记企业"), "enterprises:create", permissions.ADD),
            NavItem(_("导入名录"), "enterprises:import_list", permissions.IMPORT),
            NavItem(_("疑似重复"), "enterprises:duplicate_list", permissions.MERGE),
            NavItem(_("合并记录"), "enterprises:merge_list", permissions.MERGE),
            NavItem(_("企业标签"), "enterprises:tag_list", permissions.MANAGE_TAGS),
        ],
    )
    pending.register(duplicate_items)


def duplicate_items(user) -> list[PendingItem]:
    """Open duplicate suggestions, for those who may merge."""
    if not user.has_perm(permissions.MERGE):
        return []
    count = DuplicateSuggestion.objects.filter(status=DuplicateSuggestion.Status.OPEN).count()
    if not count:
        return []
    return [PendingItem(gettext("待核对的疑似重复企业"), reverse("enterprises:duplicate_list"), count, level="warning")]
