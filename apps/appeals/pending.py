"""The appeals' pending items (待办) on the home page: tickets to sign for and overdue ones for a handling unit;
tickets to dispatch, requests to review and follow-ups for the hotline office."""

from collections.abc import Iterator
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.models import Assignment, ExtensionRequest, ReturnRequest
from apps.appeals.models.appeals import State
from apps.core.pending import PendingItem


def _list(**filters) -> str:
    return f"{reverse('appeals:list')}?{urlencode(filters)}"


def appeal_items(user) -> Iterator[PendingItem]:
    if not (user.is_authenticated and user.is_active and getattr(user, "unit", None)):
        return
    if user.has_perm(permissions.HANDLE_APPEAL):
        yield from _handler_items(user)
    if user.has_perm(permissions.MANAGE_DISPATCH):
        yield from _office_items(user)


def _handler_items(user) -> Iterator[PendingItem]:
    mine = Assignment.objects.filter(unit=user.unit).exclude(state=Assignment.State.RETURNED)
    to_sign = mine.filter(state=Assignment.State.AWAITING_SIGN_FOR).count()
    if to_sign:
        url = _list(unit=user.unit_id, state=State.AWAITING_SIGN_FOR)
        yield PendingItem(_("待签收的诉求工单"), url, to_sign, level="warning")
    now = timezone.now()
    overdue = mine.filter(
        Q(state=Assignment.State.HANDLING, appeal__state__in=(State.HANDLING, State.RETURN_PENDING))
        & Q(appeal__reply_due__lt=now)
    ).count()
    if overdue:
        yield PendingItem(_("超期未答复的诉求工单"), _list(unit=user.unit_id, light="red"), overdue, level="danger")


def _office_items(user) -> Iterator[PendingItem]:
    for count, title, state, level in (
        (_count_state(user, State.AWAITING_DISPATCH), _("待派单的诉求工单"), State.AWAITING_DISPATCH, "warning"),
        (_count_state(user, State.AWAITING_FOLLOW_UP), _("待回访的诉求工单"), State.AWAITING_FOLLOW_UP, "info"),
    ):
        if count:
            yield PendingItem(title, _list(state=state), count, level=level)
    owned = Q(assignment__appeal__unit__path__startswith=user.unit.path)
    returns = ReturnRequest.objects.filter(owned, decision="pending")
    if count := returns.count():
        yield PendingItem(_("待审核的退单申请"), _list(state=State.RETURN_PENDING), count, level="warning")
    extensions = ExtensionRequest.objects.filter(owned, decision="pending")
    if count := extensions.count():
        yield PendingItem(_("待审批的延期申请"), _list(state=State.HANDLING), count, level="info")


def _count_state(user, state: str) -> int:
    return permissions.visible_appeals(user).filter(state=state).count()
