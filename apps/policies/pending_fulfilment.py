"""The fulfilment cases waiting on the home page (待办): the department's reviews, the legal office's checks and
the window's payments, each with how many are overdue; counted within the same scope as the list they link to."""

from collections.abc import Iterator
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pending import PendingItem
from apps.policies import permissions
from apps.policies.models import FulfilmentState

REVIEW_QUEUE, LEGAL_QUEUE, PAY_QUEUE = "review", "legal", "pay"
QUEUE_STATES = {
    REVIEW_QUEUE: (FulfilmentState.SUBMITTED, FulfilmentState.PENDING_CONFIRMATION),
    LEGAL_QUEUE: (FulfilmentState.LEGAL_REVIEW,),
    PAY_QUEUE: (FulfilmentState.AWAITING_PAYMENT,),
}


def queue(user, name: str):
    """The cases waiting on the user in the queue (the list's ``queue`` filter and the home page's count)."""
    cases = permissions.visible_fulfilments(user).filter(state__in=QUEUE_STATES[name])
    if name == REVIEW_QUEUE:
        if not user.has_perm(permissions.REVIEW):
            return cases.none()
        if user.has_perm(permissions.MANAGE_POLICY) and user.unit.is_city_level:
            return cases
        return cases.filter(unit__path__startswith=user.unit.path)
    if name == LEGAL_QUEUE:
        if not user.has_perm(permissions.LEGAL_REVIEW):
            return cases.none()
        return cases if permissions.sees_all(user) else cases.filter(unit__path__startswith=user.unit.path)
    if not user.has_perm(permissions.PAY):
        return cases.none()
    return cases if permissions.sees_all(user) else cases.filter(window_unit__path__startswith=user.unit.path)


def _title(name: str, count: int, overdue: int) -> str:
    titles = {
        REVIEW_QUEUE: _("待审核兑现申请 %(count)s 件（逾期 %(overdue)s）"),
        LEGAL_QUEUE: _("待法制审核兑现件 %(count)s 件（逾期 %(overdue)s）"),
        PAY_QUEUE: _("待兑付兑现件 %(count)s 件（逾期 %(overdue)s）"),
    }
    return titles[name] % {"count": count, "overdue": overdue}


def fulfilment_items(user) -> Iterator[PendingItem]:
    if not (user.is_authenticated and user.is_active and getattr(user, "unit", None)):
        return
    if not user.has_perm(permissions.VIEW_FULFILMENT):
        return
    today = timezone.localdate()
    for name in (REVIEW_QUEUE, LEGAL_QUEUE, PAY_QUEUE):
        counts = queue(user, name).aggregate(count=Count("id"), overdue=Count("id", filter=Q(step_due__lt=today)))
        if counts["count"]:
            url = f"{reverse('policies:fulfilment_list')}?{urlencode({'queue': name})}"
            level = "danger" if counts["overdue"] else "warning"
            yield PendingItem(_title(name, counts["count"], counts["overdue"]), url, counts["count"], level=level)
