"""Pending items of the security administrator: lockouts to review, people waiting for roles."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.pending import PendingItem
from apps.org.permissions import visible_people
from apps.org.selectors import locked_usernames


def security_items(user) -> list[PendingItem]:
    if not user.has_perm("org.assign_role"):
        return []
    items = []
    people = visible_people(user).active()
    locked = people.filter(username__in=locked_usernames()).count()
    if locked:
        items.append(
            PendingItem(_("被锁定的账号"), reverse("org:person_list") + "?status=locked", locked, level="danger")
        )
    waiting = people.filter(roles=None).count()
    if waiting:
        items.append(
            PendingItem(
                _("尚未分配角色的人员"), reverse("org:person_list") + "?status=no_role", waiting, level="warning"
            )
        )
    return items
