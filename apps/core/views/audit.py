"""The audit administrator's pages: the audit log and the login log. Read-only: GET and HEAD only."""

from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core import audit_selectors as selectors
from apps.core.audit import record_access
from apps.core.audit_forms import (
    RESULT_LOCKED,
    RESULT_LOCKED_NOW,
    RESULT_SUCCESS,
    RESULTS,
    WITHIN_7_DAYS,
    WITHIN_24_HOURS,
    LogEntryFilterForm,
    LoginRecordFilterForm,
)
from apps.core.exports import xlsx_response
from apps.core.lists import paginate, query_without_page, wants_export

DATETIME_FORMAT = "Y年n月j日 H:i"
FAILURES_PERMISSION = "axes.view_accessfailurelog"
PERIODS = {WITHIN_24_HOURS: timedelta(hours=24), WITHIN_7_DAYS: timedelta(days=7)}


def _when(value) -> str:
    return format_date(localtime(value), DATETIME_FORMAT) if value else ""


def _counted(rows: Iterable, counter: list[int]) -> Iterator:
    """Pass rows through, counting them, so the export records exactly how many it wrote."""
    for row in rows:
        counter[0] += 1
        yield row


def _export(request: HttpRequest, title: str, headers: list[str], rows: Iterable, *, what: str) -> HttpResponse:
    """The spreadsheet, then an access entry naming the exporter, the filters and the row count."""
    counter = [0]
    response = xlsx_response(title, headers, _counted(rows, counter))
    record_access(request.user, by=request.user, what=what, rows=counter[0], query=query_without_page(request))
    return response


# ---- audit log ---------------------------------------------------------------------------


@require_safe
@login_required
@permission_required("auditlog.view_logentry", raise_exception=True)
def log_list(request: HttpRequest) -> HttpResponse:
    """审计日志: every recorded change and sensitive read, filtered, newest first; ?export=xlsx."""
    form = LogEntryFilterForm(request.GET)
    entries = _filter_entries(selectors.visible_log_entries(request.user), form)
    if wants_export(request):
        return _export_entries(request, entries)
    context = {"form": form, "page": paginate(request, entries), "query": query_without_page(request)}
    return render(request, "core/audit_log_list.html", context)


def _filter_entries(entries: models.QuerySet, form: LogEntryFilterForm) -> models.QuerySet:
    if not form.is_valid():
        return entries.none()
    data = form.cleaned_data
    entries = selectors.between_days(entries, "timestamp", data["date_from"], data["date_to"])
    if data["operator"]:
        text = data["operator"]
        entries = entries.filter(models.Q(actor__name__icontains=text) | models.Q(actor__username__icontains=text))
    if data["object_type"] is not None:
        entries = entries.filter(content_type_id=data["object_type"])
    if data["action"] is not None:
        entries = entries.filter(action=data["action"])
    if data["q"]:
        entries = entries.filter(object_repr__icontains=data["q"])
    return entries


def _export_entries(request: HttpRequest, entries: models.QuerySet) -> HttpResponse:
    headers = [_("时间"), _("操作人"), _("账号"), _("动作"), _("对象类型"), _("对象"), _("对象编号"), _("IP 地址")]
    rows = (_entry_row(entry) for entry in entries.iterator(chunk_size=2000))
    return _export(request, _("审计日志"), [*headers, _("内容")], rows, what="导出审计日志")


def _entry_row(entry) -> tuple:
    actor = entry.actor
    return (
        _when(entry.timestamp),
        actor.name if actor else "",
        actor.username if actor else "",
        str(selectors.ACTION_LABELS.get(entry.action, entry.action)),
        str(selectors.content_type_label(entry.content_type)),
        entry.object_repr,
        entry.object_pk,
        entry.remote_addr or "",
        selectors.change_summary(entry),
    )


@require_safe
@login_required
@permission_required("auditlog.view_logentry", raise_exception=True)
def log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One audit entry: who, when, from where, and the changes as before/after."""
    entry = selectors.visible_log_entries(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    context = {
        "entry": entry,
        "changes": selectors.change_rows(entry),
        "details": selectors.detail_rows(entry),
    }
    return render(request, "core/audit_log_detail.html", context)


# ---- login log ---------------------------------------------------------------------------


@require_safe
@login_required
@permission_required("axes.view_accesslog", raise_exception=True)
def login_list(request: HttpRequest) -> HttpResponse:
    """登录日志: successful logins or failed attempts (one tab each result), filtered; ?export=xlsx."""
    form = LoginRecordFilterForm(request.GET)
    result = form.cleaned_data["result"] if form.is_valid() else RESULT_SUCCESS
    if result != RESULT_SUCCESS and not request.user.has_perm(FAILURES_PERMISSION):
        raise PermissionDenied
    records = _filter_logins(_login_records(request.user, result), form)
    if wants_export(request):
        return _export_logins(request, records, result)
    page = paginate(request, records)
    page.object_list = _with_names(page.object_list)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "is_success": result == RESULT_SUCCESS,
        "tabs": _tabs(request, result) if request.user.has_perm(FAILURES_PERMISSION) else [],
    }
    return render(request, "core/audit_login_list.html", context)


def _login_records(user, result: str) -> models.QuerySet:
    if result == RESULT_SUCCESS:
        return selectors.visible_access_logs(user)
    failures = selectors.visible_failure_logs(user)
    if result == RESULT_LOCKED:
        return failures.filter(locked_out=True)
    if result == RESULT_LOCKED_NOW:
        return selectors.locked_out_now(failures)
    return failures


def _filter_logins(records: models.QuerySet, form: LoginRecordFilterForm) -> models.QuerySet:
    if not form.is_valid():
        return records.none()
    data = form.cleaned_data
    if data["username"]:
        records = records.filter(username__icontains=data["username"])
    if data["ip"]:
        records = records.filter(ip_address__startswith=data["ip"])
    if data["within"]:
        records = selectors.recent(records, "attempt_time", PERIODS[data["within"]])
    return selectors.between_days(records, "attempt_time", data["date_from"], data["date_to"])


def _with_names(records) -> list:
    """The page's records, each carrying the account holder's name (one query for the page)."""
    records = list(records)
    names = selectors.names_by_username(r.username for r in records)
    for record in records:
        record.person_name = names.get(record.username, "")
    return records


def _tabs(request: HttpRequest, current: str) -> list[dict]:
    params = request.GET.copy()
    for key in ("page", "export", "result"):
        params.pop(key, None)
    tabs = []
    for value, label in RESULTS:
        params["result"] = value
        tabs.append({"label": label, "query": params.urlencode(), "active": value == current})
    return tabs


def _export_logins(request: HttpRequest, records: models.QuerySet, result: str) -> HttpResponse:
    success = result == RESULT_SUCCESS
    last = _("退出时间") if success else _("是否锁定")
    headers = [_("时间"), _("账号"), _("姓名"), _("IP 地址"), _("浏览器"), last]
    names = selectors.names_by_username(records.order_by().values("username"))
    rows = (
        (
            _when(r.attempt_time),
            r.username or "",
            names.get(r.username, ""),
            r.ip_address or "",
            r.user_agent,
            _when(r.logout_time) if success else (_("是") if r.locked_out else _("否")),
        )
        for r in records.iterator(chunk_size=2000)
    )
    title, what = (_("登录日志"), "导出登录日志") if success else (_("登录失败记录"), "导出登录失败记录")
    return _export(request, title, headers, rows, what=what)
