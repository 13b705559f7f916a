"""Reads of the fulfilment pages: the scoped, filtered list, its export, the due-date light of a case."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.workdays import add_working_days
from apps.enterprises.uscc import normalize_uscc
from apps.policies import permissions
from apps.policies.models import OPEN_STATES, Fulfilment
from apps.policies.pending_fulfilment import QUEUE_STATES, queue
from apps.policies.services.fulfilment_scan import DUE_SOON_WORKING_DAYS

RED, AMBER = "red", "amber"
LIGHT_LABELS = {RED: gettext_lazy("已逾期"), AMBER: gettext_lazy("即将到期")}


def list_fulfilments(user) -> QuerySet:
    """The cases the user may read, newest first, with what the list shows."""
    return (
        permissions.visible_fulfilments(user)
        .select_related("item__policy", "enterprise", "unit")
        .order_by("-submitted_at", "-id")
    )


def filter_fulfilments(cases: QuerySet, data: dict, user, today: date) -> QuerySet:
    """The list's search and filters (the cleaned data of FulfilmentFilterForm)."""
    if text := (data.get("q") or "").strip():
        cases = cases.filter(
            Q(number__icontains=text) | Q(enterprise__name__icontains=text) | Q(enterprise__uscc=normalize_uscc(text))
        )
    if data.get("queue") in QUEUE_STATES:
        cases = cases.filter(pk__in=queue(user, data["queue"]).values("pk"))
    for name in ("state", "channel"):
        if data.get(name):
            cases = cases.filter(**{name: data[name]})
    if data.get("policy"):
        cases = cases.filter(item__policy=data["policy"])
    if data.get("item"):
        cases = cases.filter(item=data["item"])
    if data.get("unit"):
        cases = cases.filter(unit=data["unit"])
    if data.get("overdue"):
        cases = cases.filter(state__in=OPEN_STATES, step_due__lt=today)
    return cases


def light(case: Fulfilment, today: date, amber_until: date) -> str:
    """Red when the open case is past its step's limit, amber when the limit is within two working days."""
    if case.state not in OPEN_STATES or case.step_due is None:
        return ""
    if case.step_due < today:
        return RED
    return AMBER if case.step_due <= amber_until else ""


def amber_until(today: date) -> date:
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def with_lights(cases, today: date) -> list[Fulfilment]:
    until = amber_until(today)
    shown = list(cases)
    for case in shown:
        case.light = light(case, today, until)
        case.light_label = LIGHT_LABELS.get(case.light, "")
    return shown


EXPORT_HEADERS = [
    gettext_lazy("兑现件编号"), gettext_lazy("企业名称"), gettext_lazy("统一社会信用代码"), gettext_lazy("政策"),
    gettext_lazy("条款"), gettext_lazy("责任部门"), gettext_lazy("申报渠道"), gettext_lazy("状态"),
    gettext_lazy("申报金额（万元）"), gettext_lazy("拟兑现金额（万元）"), gettext_lazy("核定金额（万元）"),
    gettext_lazy("兑付金额（万元）"), gettext_lazy("兑付日期"), gettext_lazy("申报时间"),
    gettext_lazy("本环节办理期限"), gettext_lazy("是否逾期"),
]  # fmt: skip


def export_rows(cases: QuerySet, today: date) -> list[list]:
    rows = []
    for case in cases:
        overdue = case.state in OPEN_STATES and case.step_due is not None and case.step_due < today
        rows.append([
            case.number, case.enterprise.name, case.enterprise.uscc or "", case.item.policy.title,
            f"{case.item.number} {case.item.title}", case.unit.name, case.get_channel_display(),
            case.get_state_display(), case.declared_amount, case.proposed_amount, case.approved_amount,
            case.paid_amount, case.paid_on, timezone.localtime(case.submitted_at).date() if case.submitted_at else None, case.step_due,
            _("是") if overdue else "",
        ])  # fmt: skip
    return rows
