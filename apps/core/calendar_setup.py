"""Audit registration, menu entry and pending items of the working-day calendar (工作日历)."""

from datetime import date

from auditlog.registry import auditlog
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core import navigation, pending
from apps.core.models import CalendarDay, CalendarYear
from apps.core.navigation import NavItem
from apps.core.pending import PendingItem
from apps.core.workdays import year_is_covered

#: from this day of the year on, next year's arrangement is due (the State Council publishes it in autumn)
NEXT_YEAR_DUE = (11, 1)


def setup() -> None:
    """Register the calendar's audited models, menu entry and pending items; called from CoreConfig.ready()."""
    auditlog.register(CalendarDay)
    auditlog.register(CalendarYear)
    navigation.register("system", _("系统管理"), 90, [NavItem(_("工作日历"), "core:calendar", "core.view_calendarday")])
    pending.register(calendar_items)


def calendar_items(user) -> list[PendingItem]:
    """This year's arrangement missing (danger); from 1 November, next year's missing (warning)."""
    if not user.has_perm("core.manage_calendar"):
        return []
    today = timezone.localdate()
    if not year_is_covered(today.year):
        title = gettext("%(year)s 年的节假日安排尚未录入，期限无法计算") % {"year": today.year}
        return [PendingItem(title, _year_url(today.year), level="danger")]
    next_year = today.year + 1
    if today >= date(today.year, *NEXT_YEAR_DUE) and not year_is_covered(next_year):
        title = gettext("录入 %(year)s 年节假日安排") % {"year": next_year}
        return [PendingItem(title, _year_url(next_year), due=date(today.year, 12, 31), level="warning")]
    return []


def _year_url(year: int) -> str:
    return reverse("core:calendar_year", kwargs={"year": year})
