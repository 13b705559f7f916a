"""Event pages (招商活动/节会): the list, an event with its signed projects, the form, the landing-rate report.

Who may do what, and how the figures are defined: apps/investment/selectors/events.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment import permissions
from apps.investment.forms.events import EventFilterForm, EventForm
from apps.investment.models import Event
from apps.investment.selectors.events import (
    LANDING_WINDOWS,
    event_figures,
    event_projects,
    filter_events,
    get_event_for_user,
    landing_of,
    landing_report,
    visible_events,
)
from apps.investment.selectors.teams import can_edit
from apps.investment.services import events as services
from apps.org.models import Unit

EVENT_HEADERS = ("活动名称", "类别", "主办单位", "开始日期", "结束日期", "地点", "签约项目", "协议投资（万元）")
LANDING_HEADERS = (
    "活动名称", "类别", "主办单位", "开始日期", "签约项目", "协议投资（万元）", "已开工",
    "签约满6个月", "6个月内开工", "6个月落地率", "签约满12个月", "12个月内开工", "12个月落地率",
)  # fmt: skip


def _units(user):
    return Unit.objects.visible_to(user).active()


def _filtered(request: HttpRequest):
    form = EventFilterForm(request.GET, units=_units(request.user))
    events = visible_events(request.user).order_by("-starts_on", "-id")
    if form.is_valid():
        events = filter_events(events, form.cleaned_data)
    return form, events


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def event_list(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    if wants_export(request):
        return _export_events(request, events)
    page = paginate(request, events)
    context = {
        "form": form,
        "page": page,
        "figures": event_figures(request.user, page.object_list),
        "query": query_without_page(request),
        "can_edit": can_edit(request.user),
    }
    return render(request, "investment/event_list.html", context)


def _export_events(request: HttpRequest, events) -> HttpResponse:
    events = list(events)
    figures = event_figures(request.user, events)
    record_access(request.user, by=request.user, what="导出招商活动", rows=len(events))
    rows = (
        (
            e.name,
            e.get_kind_display(),
            e.unit.name,
            e.starts_on,
            e.ends_on,
            e.place,
            figures[e.pk].signed,
            figures[e.pk].contracted,
        )  # fmt: skip
        for e in events
    )
    return xlsx_response(_("招商活动"), EVENT_HEADERS, rows)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    today = timezone.localdate()
    page = paginate(request, event_projects(request.user, event))
    context = {
        "event": event,
        "figures": event_figures(request.user, [event], as_of=today)[event.pk],
        "page": page,
        "landing": {project.pk: landing_of(project, today) for project in page.object_list},
        "windows": LANDING_WINDOWS,
        "can_edit": can_edit(request.user),
    }
    return render(request, "investment/event_detail.html", context)


@login_required
@permission_required(permissions.CHANGE, raise_exception=True)
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form(request, get_event_for_user(request.user, pk, action=permissions.CHANGE))


def _event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    initial = {} if event else {"unit": request.user.unit_id}
    form = EventForm(request.POST or None, units=_units(request.user), event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, event, form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存活动“%(name)s”。") % {"name": saved.name})
            return redirect("investment:event_detail", pk=saved.pk)
    return render(request, "investment/event_form.html", {"form": form, "event": event})


def _save(request: HttpRequest, event: Event | None, data: dict) -> Event:
    if event is None:
        return services.create_event(by=request.user, **data)
    return services.update_event(event=Event.objects.get(pk=event.pk), by=request.user, **data)


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def event_landing(request: HttpRequest) -> HttpResponse:
    """The landing rates of event-signed projects (6 and 12 months), event by event, with the total."""
    form, events = _filtered(request)
    today = timezone.localdate()
    rows, total = landing_report(request.user, events, as_of=today)
    if wants_export(request):
        return _export_landing(request, rows, total)
    context = {
        "form": form,
        "page": paginate(request, rows),
        "total": total,
        "today": today,
        "query": query_without_page(request),
    }
    return render(request, "investment/event_landing.html", context)


def _export_landing(request: HttpRequest, rows: list, total) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出活动项目落地率", rows=len(rows))
    lines = [
        _landing_cells(r, (r.event.name, r.event.get_kind_display(), r.event.unit.name, r.event.starts_on))
        for r in rows
    ]
    lines.append(_landing_cells(total, (_("合计"), "", "", "")))
    return xlsx_response(_("活动项目落地率"), LANDING_HEADERS, lines)


def _landing_cells(figures, head: tuple) -> tuple:
    six, twelve = figures.rate_6, figures.rate_12
    return (
        *head, figures.signed, figures.contracted, figures.started,
        six.due, six.landed, str(six), twelve.due, twelve.landed, str(twelve),
    )  # fmt: skip
