"""Writes to the working-day calendar; django-auditlog records every change (core/calendar_setup.py)."""

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.models import CalendarDay, CalendarYear
from apps.core.workdays import LIBRARY_YEARS, chinese_date


class DayEntry(NamedTuple):
    """One date of an arrangement, as entered by hand or read from an Excel row."""

    date: date
    is_workday: bool
    note: str = ""


def _full_clean(obj: models.Model) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BusinessRuleError(" ".join(messages), field=field) from exc


@records_actor
@transaction.atomic
def create_calendar_day(*, date: date, is_workday: bool, note: str = "", by: AbstractBaseUser) -> CalendarDay:
    """Override the status of one date (a holiday on a weekday, a make-up workday on a weekend)."""
    if CalendarDay.objects.filter(date=date).exists():
        raise BusinessRuleError(_("%(date)s 已有日历调整，请直接编辑。") % {"date": chinese_date(date)}, field="date")
    day = CalendarDay(date=date, is_workday=is_workday, note=note.strip())
    _full_clean(day)
    day.save()
    return day


@records_actor
@transaction.atomic
def update_calendar_day(
    *, calendar_day: CalendarDay, date: date, is_workday: bool, note: str = "", by: AbstractBaseUser
) -> CalendarDay:
    """Change an override's date, status or note."""
    if CalendarDay.objects.filter(date=date).exclude(pk=calendar_day.pk).exists():
        raise BusinessRuleError(_("%(date)s 已有日历调整，请直接编辑。") % {"date": chinese_date(date)}, field="date")
    calendar_day.date, calendar_day.is_workday, calendar_day.note = date, is_workday, note.strip()
    _full_clean(calendar_day)
    calendar_day.save()
    return calendar_day


@records_actor
@transaction.atomic
def delete_calendar_day(*, calendar_day: CalendarDay, by: AbstractBaseUser) -> None:
    """Remove an override; the date falls back to chinese-calendar or the weekend rule."""
    calendar_day.delete()


@records_actor
@transaction.atomic
def import_calendar_days(*, entries: Sequence[DayEntry], by: AbstractBaseUser) -> tuple[int, int]:
    """Create or update one override per entry, all or nothing; returns (created, updated)."""
    dates = [entry.date for entry in entries]
    if len(set(dates)) != len(dates):
        raise BusinessRuleError(_("导入数据中有重复的日期。"))
    existing = CalendarDay.objects.in_bulk(dates, field_name="date")
    for entry in entries:
        day = existing.get(entry.date) or CalendarDay(date=entry.date)
        day.is_workday, day.note = entry.is_workday, entry.note.strip()
        try:
            _full_clean(day)
        except BusinessRuleError as error:
            raise BusinessRuleError(f"{chinese_date(entry.date)}：{error.message}") from error
        day.save()
    return len(entries) - len(existing), len(existing)


@records_actor
@transaction.atomic
def declare_calendar_year(*, year: int, source: str, by: AbstractBaseUser) -> CalendarYear:
    """Declare that the whole arrangement of a year chinese-calendar lacks has been entered."""
    if year in LIBRARY_YEARS:
        raise BusinessRuleError(
            _("%(year)s 年的节假日安排已内置，无需声明；个别日期可用日历调整修改。") % {"year": year}, field="year"
        )
    if CalendarYear.objects.filter(year=year).exists():
        raise BusinessRuleError(_("%(year)s 年已声明录入。") % {"year": year}, field="year")
    if not CalendarDay.objects.filter(date__year=year, is_workday=False).exists():
        raise BusinessRuleError(
            _("%(year)s 年还没有录入任何放假日期，请先录入或导入该年的节假日安排，再声明录入完成。") % {"year": year},
            field="year",
        )
    calendar_year = CalendarYear(year=year, source=source.strip(), entered_by=by)
    _full_clean(calendar_year)
    calendar_year.save()
    return calendar_year


@records_actor
@transaction.atomic
def withdraw_calendar_year(*, calendar_year: CalendarYear, by: AbstractBaseUser) -> None:
    """Withdraw a declaration; the year's overrides stay, but deadlines in it cannot be computed."""
    calendar_year.delete()
