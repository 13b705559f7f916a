"""The pipeline's pending items (待办): leads to take up, stages to confirm, conflicts to decide."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.pending import PendingItem
from apps.investment import permissions
from apps.investment.models import ClaimConflict, Project, Stage
from apps.investment.selectors.projects import overdue_leads, waiting_confirmation


def pipeline_items(user) -> Iterator[PendingItem]:
    if not user.has_perm(permissions.VIEW):
        return
    if user.has_perm(permissions.CHANGE):
        yield from _lead_items(user)
    if user.has_perm(permissions.APPROVE):
        count = waiting_confirmation(user).count()
        if count:
            yield PendingItem(_("待确认的项目阶段"), reverse("investment:confirmation_list"), count, level="warning")
    if user.has_perm(permissions.DECIDE_CLAIM) and permissions.is_coordinator(user):
        count = ClaimConflict.objects.filter(status=ClaimConflict.Status.OPEN).count()
        if count:
            yield PendingItem(_("待协调的多头招商"), reverse("investment:conflict_list"), count, level="warning")


def _lead_items(user) -> Iterator[PendingItem]:
    """Leads of the user's own subtree waiting to be taken up; the coordinator also sees escalated ones."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return
    own = Project.objects.in_unit(unit).filter(stage=Stage.LEAD, status=Project.Status.ACTIVE)
    url = reverse("investment:project_list")
    late = overdue_leads(own)
    overdue = late.count()
    if overdue:
        yield PendingItem(_("超时未响应或未研判的线索"), f"{url}?overdue=on", overdue, level="danger")
    waiting = own.filter(responded_at=None).exclude(pk__in=late.values("pk")).count()
    if waiting:
        yield PendingItem(_("待响应的线索"), f"{url}?stage=lead&status=active", waiting)
    if permissions.is_coordinator(user):
        escalated = Project.objects.filter(stage=Stage.LEAD, status=Project.Status.ACTIVE, assessed_at=None)
        count = escalated.exclude(escalated_at=None).exclude(pk__in=own.values("pk")).count()
        if count:
            yield PendingItem(_("区县超时线索（已升级）"), f"{url}?overdue=on", count, level="danger")
