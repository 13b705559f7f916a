"""Working-day calendar pages (工作日历) for the system administrator."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from apps.core import services
from apps.core.audit import record_access
from apps.core.calendar_forms import (
    AddWorkingDaysForm,
    CalendarDayFilterForm,
    CalendarDayForm,
    CalendarImportForm,
    CalendarYearForm,
    WorkingDaysBetweenForm,
)
from apps.core.calendar_import import HEADERS, NO, YES, read_calendar_workbook
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.core.models import CalendarDay, CalendarYear
from apps.core.workdays import LIBRARY_YEARS, WorkdayCalendar, chinese_date, month_weeks, notable_days

VIEW = "core.view_calendarday"
MANAGE = "core.manage_calendar"
IMPORT_SESSION_KEY = "calendar_import"
WEEKDAY_HEADINGS = [
    pgettext_lazy("星期", "一"),
    pgettext_lazy("星期", "二"),
    pgettext_lazy("星期", "三"),
    pgettext_lazy("星期", "四"),
    pgettext_lazy("星期", "五"),
    pgettext_lazy("星期", "六"),
    pgettext_lazy("星期", "日"),
]

# ---- year ----------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def calendar_home(request: HttpRequest) -> HttpResponse:
    return calendar_year(request, timezone.localdate().year)


@login_required
@permission_required(VIEW, raise_exception=True)
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        return redirect("core:calendar")
    workdays = WorkdayCalendar.load()
    context = {
        "year": year,
        "months": [(month, month_weeks(workdays, year, month)) for month in range(1, 13)],
        "notable_days": notable_days(workdays, year),
        "in_library": year in LIBRARY_YEARS,
        "declaration": CalendarYear.objects.select_related("entered_by").filter(year=year).first(),
        "covered": workdays.covers(year),
        "weekday_headings": WEEKDAY_HEADINGS,
    }
    return render(request, "core/calendar_year.html", context)


# ---- overrides -----------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def calendar_day_list(request: HttpRequest) -> HttpResponse:
    form = CalendarDayFilterForm(request.GET)
    days = CalendarDay.objects.all()
    if form.is_valid() and form.cleaned_data["year"]:
        days = days.filter(date__year=form.cleaned_data["year"])
    if wants_export(request):
        return _export_days(request, days)
    return render(
        request,
        "core/calendar_day_list.html",
        {"form": form, "page": paginate(request, days, per_page=50), "query": query_without_page(request)},
    )


def _export_days(request: HttpRequest, days) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出工作日历调整", rows=days.count())
    rows = ((d.date, YES if d.is_workday else NO, d.note, format_date(d.date, "l")) for d in days)
    return xlsx_response(_("工作日历调整"), [*HEADERS, _("星期")], rows)


@login_required
@permission_required(MANAGE, raise_exception=True)
def calendar_day_create(request: HttpRequest) -> HttpResponse:
    form = CalendarDayForm(request.POST or None, initial={"date": request.GET.get("date")})
    if request.method == "POST" and form.is_valid():
        try:
            day = services.create_calendar_day(by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存 %(date)s 的日历调整。") % {"date": chinese_date(day.date)})
            return redirect("core:calendar_year", year=day.date.year)
    return render(request, "core/calendar_day_form.html", {"form": form, "calendar_day": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def calendar_day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    calendar_day = get_object_or_404(CalendarDay, pk=pk)
    initial = {
        "date": calendar_day.date,
        "is_workday": "1" if calendar_day.is_workday else "0",
        "note": calendar_day.note,
    }
    form = CalendarDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_calendar_day(calendar_day=calendar_day, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存 %(date)s 的日历调整。") % {"date": chinese_date(calendar_day.date)})
            return redirect("core:calendar_year", year=calendar_day.date.year)
    return render(request, "core/calendar_day_form.html", {"form": form, "calendar_day": calendar_day})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    calendar_day = get_object_or_404(CalendarDay, pk=pk)
    services.delete_calendar_day(calendar_day=calendar_day, by=request.user)
    messages.success(request, _("已删除 %(date)s 的日历调整。") % {"date": chinese_date(calendar_day.date)})
    return redirect("core:calendar_day_list")


# ---- declared years ------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
def calendar_year_declare(request: HttpRequest) -> HttpResponse:
    form = CalendarYearForm(request.POST or None, initial={"year": request.GET.get("year")})
    if request.method == "POST" and form.is_valid():
        try:
            declared = services.declare_calendar_year(by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已声明 %(year)s 年的节假日安排录入完成。") % {"year": declared.year})
            return redirect("core:calendar_year", year=declared.year)
    return render(request, "core/calendar_year_form.html", {"form": form})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def calendar_year_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    declared = get_object_or_404(CalendarYear, pk=pk)
    services.withdraw_calendar_year(calendar_year=declared, by=request.user)
    messages.warning(request, _("已撤销 %(year)s 年的录入声明，该年的工作日将无法计算。") % {"year": declared.year})
    return redirect("core:calendar_year", year=declared.year)


# ---- calculator ----------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def calendar_calculate(request: HttpRequest) -> HttpResponse:
    op = request.GET.get("op")
    add_form = AddWorkingDaysForm(request.GET if op == "add" else None, prefix="add")
    between_form = WorkingDaysBetweenForm(request.GET if op == "between" else None, prefix="between")
    context = {
        "add_form": add_form,
        "between_form": between_form,
        "op": op,
        "result": _calculate(add_form, between_form),
    }
    if request.htmx and op in {"add", "between"}:
        return render(request, f"core/calendar_calculate.html#{op}-panel", context)
    return render(request, "core/calendar_calculate.html", context)


def _calculate(add_form: AddWorkingDaysForm, between_form: WorkingDaysBetweenForm) -> date | int | None:
    form = add_form if add_form.is_bound else between_form
    if not form.is_bound or not form.is_valid():
        return None
    data, workdays = form.cleaned_data, WorkdayCalendar.load()
    try:
        if form is add_form:
            return workdays.add_working_days(data["start"], data["days"])
        return workdays.working_days_between(data["start"], data["end"])
    except BusinessRuleError as error:
        add_rule_error(form, error)
        return None


# ---- Excel import --------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
def calendar_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "commit":
        return _commit_import(request)
    form = CalendarImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = read_calendar_workbook(form.cleaned_data["file"])
        request.session[IMPORT_SESSION_KEY] = (
            [[e.date.isoformat(), e.is_workday, e.note] for e in preview.entries] if preview.is_valid else None
        )
    return render(request, "core/calendar_import.html", {"form": form, "preview": preview})


def _commit_import(request: HttpRequest) -> HttpResponse:
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if not stored:
        messages.error(request, _("没有待确认的导入数据，请重新上传文件。"))
        return redirect("core:calendar_import")
    entries = [services.DayEntry(date.fromisoformat(day), is_workday, note) for day, is_workday, note in stored]
    try:
        created, updated = services.import_calendar_days(entries=entries, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, _("导入失败，未写入任何数据：%(reason)s") % {"reason": error.message})
        return redirect("core:calendar_import")
    messages.success(
        request, _("已导入 %(created)s 条新调整，更新 %(updated)s 条。") % {"created": created, "updated": updated}
    )
    return redirect("core:calendar_year", year=entries[0].date.year)


@login_required
@permission_required(MANAGE, raise_exception=True)
def calendar_import_template(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year + 1
    examples = [(date(year, 1, 1), NO, "元旦"), (date(year, 10, 1), NO, "国庆节")]
    return xlsx_response(_("工作日历导入模板"), HEADERS, examples)
