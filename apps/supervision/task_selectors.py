"""Reads of supervision tasks, typical cases and the commitments shown on enterprise and project pages."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.org.models import Unit
from apps.supervision import permissions
from apps.supervision.models import InvestorCommitment, ProgressReport, SupervisionTask
from apps.supervision.services import task_periods
from apps.supervision.services.deadlines import LABELS, Thresholds


def list_tasks(user) -> QuerySet:
    """The user's tasks with their units and reports: a fixed number of queries for any page."""
    reports = ProgressReport.objects.only("id", "task_id", "period_start", "period_end", "percent", "filed_at")
    return (
        permissions.visible_tasks(user)
        .select_related("unit", "supervising_unit")
        .prefetch_related(
            Prefetch("co_units", queryset=Unit.objects.order_by("path")),
            Prefetch("reports", queryset=reports.order_by("period_start")),
        )
        .order_by("due_on", "code")
    )


def filter_tasks(tasks: QuerySet, data: dict, thresholds: Thresholds) -> QuerySet:
    """Apply the task ledger's filter form."""
    tasks = tasks.search(data.get("q") or "")
    for name in ("status", "source", "cycle"):
        if data.get(name):
            tasks = tasks.filter(**{name: data[name]})
    if data.get("unit"):
        tasks = tasks.filter(unit__path__startswith=data["unit"].path)
    if data.get("light"):
        tasks = tasks.filter(task_periods.light_condition(data["light"], thresholds))
    if data.get("leader"):
        tasks = tasks.filter(leader__icontains=data["leader"])
    if data.get("due_from"):
        tasks = tasks.filter(due_on__gte=data["due_from"])
    if data.get("due_to"):
        tasks = tasks.filter(due_on__lte=data["due_to"])
    return tasks


def with_state(tasks, thresholds: Thresholds) -> list[SupervisionTask]:
    """The rows with their light, missing periods and latest progress set (from the prefetched reports)."""
    rows = list(tasks)
    for task in rows:
        reports = list(task.reports.all())
        task.light = task_periods.light(task, thresholds)
        task.light_label = LABELS.get(task.light, "")
        task.missing = task_periods.missing_periods(task, thresholds.today, [r.period_start for r in reports])
        task.last_percent = reports[-1].percent if reports else None
    return rows


TASK_HEADERS = (
    "事项编号", "督办事项", "督办内容", "事项来源", "来源文件", "文号", "文件日期", "批示领导", "责任单位", "配合单位",
    "督办单位", "交办日期", "办结时限", "报告周期", "状态", "时限", "最新进度（%）", "缺报期数", "缺报报告期", "完成日期",
    "办结情况",
)  # fmt: skip


def task_rows(tasks: QuerySet, thresholds: Thresholds) -> list[tuple]:
    """One row per task with its current state."""
    rows = []
    for t in with_state(tasks, thresholds):
        rows.append((
            t.code, t.title, t.content, t.get_source_display(), t.document_title, t.document_number, t.document_date,
            t.leader, t.unit.name, "、".join(u.name for u in t.co_units.all()), t.supervising_unit.name,
            t.assigned_on, t.due_on, t.get_cycle_display(), t.get_status_display(), str(t.light_label),
            "" if t.last_percent is None else t.last_percent, len(t.missing),
            "、".join(p.label for p in t.missing), t.completed_on or "", t.completion_report,
        ))  # fmt: skip
    return rows


def task_units(user) -> QuerySet:
    """Units to filter by: counties, zones and departments in reach."""
    kinds = (Unit.Kind.COUNTY, Unit.Kind.ZONE, Unit.Kind.DEPARTMENT)
    return permissions.responsible_units(user).filter(kind__in=kinds)


OVERDUE_HEADERS = ("类别", "事项编号", "督办事项", "责任单位", "批示领导", "办结时限", "逾期工作日", "报告期", "情况")


def overdue_rows(result: task_periods.MonthlyOverdue) -> list[tuple]:
    """The month's overdue tasks, then its missing reports, as one sheet."""
    rows = []
    for item in result.tasks:
        t = item.task
        state = _("截至统计日仍未办结") if item.still_open else _("已于%(day)s完成") % {"day": t.completed_on}
        rows.append((_("逾期事项"), t.code, t.title, t.unit.name, t.leader, t.due_on, item.overdue_days, "", state))
    for item in result.missing:
        t = item.task
        filed = timezone.localtime(item.late_report.filed_at).date() if item.late_report else None
        state = _("迟报（%(day)s）") % {"day": filed} if filed else _("未报")
        rows.append((_("缺报进展"), t.code, t.title, t.unit.name, t.leader, t.due_on, "", item.period.label, state))
    return rows


# ---- typical cases ----------------------------------------------------------------------------


def list_cases(user) -> QuerySet:
    """The cases the user may read, with their units."""
    return (
        permissions.visible_cases(user)
        .select_related("unit", "author_unit")
        .order_by("-published_at", "-created_at", "-id")
    )


def filter_cases(cases: QuerySet, data: dict) -> QuerySet:
    """Apply the case list's filter form."""
    cases = cases.search(data.get("q") or "")
    for name in ("kind", "status"):
        if data.get(name):
            cases = cases.filter(**{name: data[name]})
    if data.get("unit"):
        cases = cases.filter(unit__path__startswith=data["unit"].path)
    return cases


def case_units(user) -> QuerySet:
    """Units a case may concern or be filtered by: every active unit for the city's office, else the user's
    subtree (the unit list itself must not show another county's units)."""
    return permissions.responsible_units(user)


# ---- commitments on the enterprise and project pages -----------------------------------------


def commitments_on_page(user, *, project=None, enterprise=None) -> list[InvestorCommitment]:
    """The commitments made on the project or to the enterprise that the viewer's scope holds (one query)."""
    commitments = permissions.visible_commitments(user).select_related("unit")
    if project is not None:
        commitments = commitments.filter(project=project)
    if enterprise is not None:  # made to it, or on one of its projects
        commitments = commitments.filter(Q(enterprise=enterprise) | Q(project__enterprise=enterprise))
    rows = list(commitments.order_by("due_on", "id"))
    today = timezone.localdate()
    for commitment in rows:
        commitment.past_due = commitment.is_open and commitment.due_on < today
    return rows
