"""The review of policies (政策兑现回头看): per policy and per item, how many enterprises qualify, applied and were
paid, the amounts, the days taken, what is still open or overdue, and the items nobody applied for.

Definitions (the figures of the review meeting):
- qualify: enterprises the last matching run found eligible (PolicyMatch.current);
- applied: distinct enterprises with any case of the item, whatever the channel (a 免申即享 case counts: the
  enterprise is in the pipeline); an item with none is flagged 无人申报;
- paid: distinct enterprises with a paid case; amounts (万元): proposed and approved summed over the cases that
  carry them, paid over the paid cases;
- days: working days from the submission day (or, for a 免申即享 case never submitted, the day it was opened) to
  the payment day, average (one decimal) and maximum over the paid cases;
- open: cases still being worked; overdue: open and past ``step_due``.
The cases are those the user may read (permissions.visible_fulfilments); the year filter takes the year of
submission. A policy's enterprise counts are distinct over its items (an enterprise paid twice counts once).
The number of queries does not depend on the number of policies, items or cases.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.exports import safe_cell
from apps.core.workdays import WorkdayCalendar
from apps.policies import permissions
from apps.policies.models import OPEN_STATES, FulfilmentState, Policy, PolicyItem, PolicyMatch, PolicyState
from apps.policies.registry_selectors import with_states

ZERO = Decimal("0")


@dataclass
class Figures:
    """The review's figures for one item or one policy."""

    qualified: int = 0
    applied: int = 0
    paid: int = 0
    proposed_amount: Decimal = ZERO
    approved_amount: Decimal = ZERO
    paid_amount: Decimal = ZERO
    open: int = 0
    overdue: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def average_days(self) -> Decimal | None:
        if not self.days:
            return None
        return (Decimal(sum(self.days)) / len(self.days)).quantize(Decimal("0.1"))

    @property
    def max_days(self) -> int | None:
        return max(self.days) if self.days else None


@dataclass
class ItemRow:
    item: PolicyItem
    figures: Figures

    @property
    def unapplied(self) -> bool:
        """无人申报: no enterprise has any case of the item."""
        return self.figures.applied == 0


@dataclass
class PolicyRow:
    policy: Policy
    state: str
    figures: Figures
    items: list[ItemRow]

    @property
    def unapplied_items(self) -> int:
        return sum(1 for row in self.items if row.unapplied)


@dataclass
class Review:
    policies: list[PolicyRow]

    @property
    def items(self) -> list[ItemRow]:
        return [row for policy in self.policies for row in policy.items]


def review_cases(user, *, year: int | None = None) -> QuerySet:
    """The cases the review counts: those the user reads, of the year of submission when given."""
    cases = permissions.visible_fulfilments(user)
    if year:
        cases = cases.annotate(started=Coalesce("submitted_at", "created_at")).filter(started__year=year)
    return cases


def review_policies(*, issuing_unit=None, state: str | None = None, today: date) -> QuerySet:
    """The documents the review lists, main policies first within each set order."""
    policies = Policy.objects.select_related("issuing_unit").order_by("-issued_on", "id")
    if issuing_unit is not None:
        policies = policies.filter(issuing_unit=issuing_unit)
    if state:
        policies = policies.in_state(state, today)
    return policies


def build_review(user, *, year=None, issuing_unit=None, state=None, today: date | None = None, policy=None) -> Review:
    """The review table: every listed policy with its items and their figures (a fixed number of queries)."""
    today = today or timezone.localdate()
    listed = [policy] if policy is not None else review_policies(issuing_unit=issuing_unit, state=state, today=today)
    policies = with_states(listed, today)
    items = list(PolicyItem.objects.filter(policy__in=policies).select_related("department").order_by("position", "id"))
    by_pk = {document.pk: document for document in policies}
    for item in items:
        item.policy = by_pk[item.policy_id]
    cases = review_cases(user, year=year).filter(item__in=items)
    by_item = _item_figures(items, cases, today)
    by_policy = _policy_figures(policies, items, cases, by_item)
    rows = []
    for document in policies:
        item_rows = [ItemRow(item, by_item[item.pk]) for item in items if item.policy_id == document.pk]
        rows.append(PolicyRow(document, document.state, by_policy[document.pk], item_rows))
    return Review(rows)


def _item_figures(items: list[PolicyItem], cases: QuerySet, today: date) -> dict[int, Figures]:
    figures = {item.pk: Figures() for item in items}
    paid = Q(state=FulfilmentState.PAID)
    is_open = Q(state__in=OPEN_STATES)
    totals = (
        cases.order_by()
        .values("item_id")
        .annotate(
            applied=Count("enterprise", distinct=True),
            paid=Count("enterprise", filter=paid, distinct=True),
            proposed=Sum("proposed_amount"),
            approved=Sum("approved_amount"),
            paid_sum=Sum("paid_amount", filter=paid),
            open=Count("id", filter=is_open),
            overdue=Count("id", filter=is_open & Q(step_due__lt=today)),
        )
    )
    for row in totals:
        entry = figures[row["item_id"]]
        entry.applied, entry.paid, entry.open, entry.overdue = row["applied"], row["paid"], row["open"], row["overdue"]
        entry.proposed_amount = row["proposed"] or ZERO
        entry.approved_amount = row["approved"] or ZERO
        entry.paid_amount = row["paid_sum"] or ZERO
    qualified = PolicyMatch.objects.filter(item__in=items, current=True).order_by().values("item_id")
    for row in qualified.annotate(n=Count("enterprise", distinct=True)):
        figures[row["item_id"]].qualified = row["n"]
    for item_id, days in _paid_days(cases).items():
        figures[item_id].days = days
    return figures


def _paid_days(cases: QuerySet) -> dict[int, list[int]]:
    """Working days from submission (or opening) to payment of every paid case, by item."""
    calendar = WorkdayCalendar.load()
    days: dict[int, list[int]] = defaultdict(list)
    paid = cases.filter(state=FulfilmentState.PAID, paid_on__isnull=False).order_by()
    for item_id, submitted_at, created_at, paid_on in paid.values_list(
        "item_id", "submitted_at", "created_at", "paid_on"
    ):
        start = timezone.localtime(submitted_at or created_at).date()
        days[item_id].append(calendar.working_days_between(start, paid_on))
    return days


def _policy_figures(policies, items, cases: QuerySet, by_item: dict[int, Figures]) -> dict[int, Figures]:
    figures = {policy.pk: Figures() for policy in policies}
    policy_of = {item.pk: item.policy_id for item in items}
    for item_id, entry in by_item.items():
        total = figures[policy_of[item_id]]
        total.proposed_amount += entry.proposed_amount
        total.approved_amount += entry.approved_amount
        total.paid_amount += entry.paid_amount
        total.open += entry.open
        total.overdue += entry.overdue
        total.days += entry.days
    distinct = (
        cases.order_by()
        .values("item__policy_id")
        .annotate(
            applied=Count("enterprise", distinct=True),
            paid=Count("enterprise", filter=Q(state=FulfilmentState.PAID), distinct=True),
        )
    )
    for row in distinct:
        figures[row["item__policy_id"]].applied = row["applied"]
        figures[row["item__policy_id"]].paid = row["paid"]
    qualified = PolicyMatch.objects.filter(item__in=items, current=True).order_by().values("item__policy_id")
    for row in qualified.annotate(n=Count("enterprise", distinct=True)):
        figures[row["item__policy_id"]].qualified = row["n"]
    return figures


def _figure_cells(figures: Figures) -> list:
    return [
        figures.qualified, figures.applied, figures.paid, figures.proposed_amount, figures.approved_amount,
        figures.paid_amount, figures.average_days, figures.max_days, figures.open, figures.overdue,
    ]  # fmt: skip


def _figure_headers() -> list[str]:
    return [
        _("符合条件企业数"), _("申报企业数"), _("已兑付企业数"), _("拟兑现金额（万元）"), _("核定金额（万元）"),
        _("兑付金额（万元）"), _("平均办理天数（工作日）"), _("最长办理天数（工作日）"), _("在办件数"), _("逾期件数"),
    ]  # fmt: skip


def review_workbook(review: Review) -> bytes:
    """The workbook of the review meeting: a sheet of policy totals and a sheet of items."""
    labels = dict(Policy.Kind.choices)
    states = dict(PolicyState.choices)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("政策汇总")
    summary.append([_("政策名称"), _("文号"), _("类别"), _("发文单位"), _("状态"), _("条款数"), _("无人申报条款数"),
                    *_figure_headers()])  # fmt: skip
    for row in review.policies:
        policy = row.policy
        summary.append([safe_cell(v) for v in [
            policy.title, policy.document_number, str(labels[policy.kind]), policy.issuing_unit.name,
            str(states[row.state]), len(row.items), row.unapplied_items, *_figure_cells(row.figures),
        ]])  # fmt: skip
    sheet = workbook.create_sheet(_("条款明细"))
    sheet.append([_("政策名称"), _("文号"), _("条款序号"), _("条款名称"), _("责任部门"), _("免申即享"), _("无人申报"),
                  *_figure_headers()])  # fmt: skip
    for row in review.items:
        item = row.item
        sheet.append([safe_cell(v) for v in [
            item.policy.title, item.policy.document_number, item.number, item.title, item.department.name,
            _("是") if item.auto_grant else _("否"), _("是") if row.unapplied else "", *_figure_cells(row.figures),
        ]])  # fmt: skip
    for each in (summary, sheet):
        for cell in each[1]:
            cell.font = Font(bold=True)
        each.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
