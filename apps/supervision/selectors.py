"""Reads of the ledger: the scoped, filtered list with what each row shows, and the export's rows."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.org.models import Unit
from apps.supervision import permissions
from apps.supervision.models import Problem, Reminder
from apps.supervision.services.deadlines import LABELS, Thresholds


def list_problems(user) -> QuerySet:
    """The user's problems with their units and milestone counts: a fixed number of queries for any page."""
    return (
        permissions.visible_problems(user)
        .select_related("unit", "supervising_unit")
        .prefetch_related(Prefetch("co_units", queryset=Unit.objects.order_by("path")))
        .annotate(
            milestone_count=Count("milestones", distinct=True),
            milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
        )
        .order_by("due_on", "code")
    )


def filter_problems(problems: QuerySet, data: dict, thresholds: Thresholds) -> QuerySet:
    """Apply the ledger's filter form."""
    problems = problems.search(data.get("q") or "")
    if data.get("status"):
        problems = problems.filter(status=data["status"])
    if data.get("source"):
        problems = problems.filter(source=data["source"])
    if data.get("unit"):
        problems = problems.filter(unit__path__startswith=data["unit"].path)
    if data.get("light"):
        problems = problems.filter(thresholds.condition(data["light"]))
    if data.get("due_from"):
        problems = problems.filter(due_on__gte=data["due_from"])
    if data.get("due_to"):
        problems = problems.filter(due_on__lte=data["due_to"])
    return problems


def with_lights(problems, thresholds: Thresholds) -> list[Problem]:
    """The rows with their light (``light``, ``light_label``) set."""
    rows = list(problems)
    for problem in rows:
        problem.light = thresholds.light(problem)
        problem.light_label = LABELS.get(problem.light, "")
    return rows


def ledger_units(user) -> QuerySet:
    """Units to filter the ledger by: counties, zones and departments in reach."""
    kinds = (Unit.Kind.COUNTY, Unit.Kind.ZONE, Unit.Kind.DEPARTMENT)
    return permissions.responsible_units(user).filter(kind__in=kinds)


EXPORT_HEADERS = (
    "问题编号", "问题", "具体表现", "问题来源", "自查类别", "来源说明", "责任单位", "配合单位", "督办单位",
    "整改措施", "整改时限", "状态", "红黄绿灯", "节点完成", "已发提醒催办", "整改完成情况", "报告时间", "销号时间",
)  # fmt: skip


def export_rows(problems: QuerySet, thresholds: Thresholds) -> list[tuple]:
    """One row per problem with its current state."""
    problems = problems.prefetch_related(Prefetch("reminders", queryset=Reminder.objects.order_by("sent_at")))
    return [_row(problem, thresholds) for problem in problems]


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _row(p: Problem, thresholds: Thresholds) -> tuple:
    light = thresholds.light(p)
    reminders = "、".join(dict.fromkeys(r.get_level_display() for r in p.reminders.all()))
    return (
        p.code, p.title, p.description, p.get_source_display(), p.get_kind_display(), p.source_reference,
        p.unit.name, "、".join(u.name for u in p.co_units.all()), p.supervising_unit.name, p.measures, p.due_on,
        p.get_status_display(), str(LABELS.get(light, "")), f"{p.milestones_done}/{p.milestone_count}", reminders,
        p.report, _local(p.reported_at), _local(p.signed_off_at),
    )  # fmt: skip


# ---- commitments to investors -----------------------------------------------------------------


def list_commitments(user) -> QuerySet:
    """The user's commitments with what each row shows, in a fixed number of queries."""
    return (
        permissions.visible_commitments(user)
        .select_related("unit", "supervising_unit", "project", "enterprise", "raised_problem")
        .order_by("due_on", "id")
    )


def filter_commitments(commitments: QuerySet, data: dict) -> QuerySet:
    """Apply the commitments ledger's filter form."""
    commitments = commitments.search(data.get("q") or "")
    if data.get("status"):
        commitments = commitments.filter(status=data["status"])
    if data.get("kind"):
        commitments = commitments.filter(kind=data["kind"])
    if data.get("unit"):
        commitments = commitments.filter(unit__path__startswith=data["unit"].path)
    return commitments


COMMITMENT_HEADERS = (
    "招商项目", "投资企业", "承诺类别", "承诺内容", "承诺单位", "督办单位", "承诺依据", "承诺日期", "兑现时限",
    "状态", "兑现日期", "兑现情况", "取消原因", "转整改问题",
)  # fmt: skip


def commitment_rows(commitments: QuerySet) -> list[tuple]:
    """One row per commitment with its current state."""
    return [
        (
            c.project.name if c.project else "",
            c.enterprise.name if c.enterprise else "",
            c.get_kind_display(),
            c.content,
            c.unit.name,
            c.supervising_unit.name,
            c.legal_basis,
            c.committed_on,
            c.due_on,
            c.get_status_display(),
            c.fulfilled_on or "",
            c.fulfilment_note,
            c.cancel_reason,
            c.raised_problem.code if c.raised_problem else "",
        )  # fmt: skip
        for c in commitments
    ]
