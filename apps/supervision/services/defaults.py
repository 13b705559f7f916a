"""Government defaults (政府违约失信) on the rectification ledger: registered by the supervising office as a problem
of source 政府违约失信 with its details, cleared step by step by the unit that defaulted (each clearance an event of
the problem), signed off by the office through the problem's own lifecycle once nothing is owed.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Enterprise
from apps.org.models import Unit, User
from apps.supervision import permissions
from apps.supervision.models import Clearance, GovernmentDefault, InvestorCommitment, Problem, ProblemEvent
from apps.supervision.services import problems


def _check(*, unit: Unit, enterprise: Enterprise, kind: str, found_by: str, found_on: date, amount_owed, commitment):
    if kind not in GovernmentDefault.Kind.values:
        raise BusinessRuleError(_("请选择违约失信类型。"), field="kind")
    if found_by not in GovernmentDefault.FoundBy.values:
        raise BusinessRuleError(_("请选择发现渠道。"), field="found_by")
    if found_on > timezone.localdate():
        raise BusinessRuleError(_("发现日期不能晚于今天。"), field="found_on")
    if amount_owed is not None and amount_owed <= 0:
        raise BusinessRuleError(_("涉及金额应大于0；不涉及金额的请留空。"), field="amount_owed")
    if commitment is not None:
        if commitment.unit_id != unit.pk:
            raise BusinessRuleError(_("所涉承诺的承诺单位应为违约失信的责任单位。"), field="commitment")
        if commitment.enterprise_id not in (None, enterprise.pk):
            raise BusinessRuleError(_("所涉承诺是对另一家企业作出的。"), field="commitment")


@transaction.atomic
def register_default(
    *,
    title: str,
    unit: Unit,
    due_on: date,
    enterprise: Enterprise,
    kind: str,
    found_by: str,
    found_on: date,
    amount_owed: Decimal | None = None,
    commitment: InvestorCommitment | None = None,
    description: str = "",
    measures: str = "",
    by: User,
) -> GovernmentDefault:
    """Put a default on the ledger: a problem for the unit that defaulted, supervised by ``by``'s office."""
    _check(unit=unit, enterprise=enterprise, kind=kind, found_by=found_by, found_on=found_on,
           amount_owed=amount_owed, commitment=commitment)  # fmt: skip
    found = GovernmentDefault.FoundBy(found_by).label
    problem = problems.create_problem(
        title=title, source=Problem.Source.GOVERNMENT_DEFAULT, unit=unit, due_on=due_on, description=description,
        source_reference=_("%(found)s（%(day)s发现）") % {"found": found, "day": f"{found_on:%Y-%m-%d}"},
        measures=measures, by=by,
    )  # fmt: skip
    return GovernmentDefault.objects.create(
        problem=problem, enterprise=enterprise, kind=kind, found_by=found_by, found_on=found_on,
        amount_owed=amount_owed, commitment=commitment,
    )  # fmt: skip


@transaction.atomic
def record_clearance(
    *, default: GovernmentDefault, cleared_on: date, amount: Decimal, note: str, by: User
) -> Clearance:
    """清偿: the defaulting unit records a payment or an act that clears (part of) what it owes."""
    default = GovernmentDefault.objects.select_for_update(of=("self",)).select_related("problem").get(pk=default.pk)
    problem = default.problem
    if not permissions.can_report(by, problem):
        raise BusinessRuleError(_("只有违约失信的责任单位可以登记清偿。"))
    if not problem.is_open:
        raise BusinessRuleError(_("该事项已报告完成或已销号，不能再登记清偿。"))
    if cleared_on > timezone.localdate():
        raise BusinessRuleError(_("清偿日期不能晚于今天。"), field="cleared_on")
    if amount < 0:
        raise BusinessRuleError(_("清偿金额不能为负数。"), field="amount")
    note = (note or "").strip()
    if not note:
        raise BusinessRuleError(_("请填写清偿情况。"), field="note")
    cleared = default.clearances.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if default.amount_owed is not None and cleared + amount > default.amount_owed:
        raise BusinessRuleError(
            _("清偿金额超过尚欠金额（%(left)s 万元）。") % {"left": default.amount_owed - cleared}, field="amount"
        )
    clearance = Clearance.objects.create(default=default, cleared_on=cleared_on, amount=amount, note=note,
                                         recorded_by=by)  # fmt: skip
    problems.record(
        problem, ProblemEvent.Action.CLEARANCE, by, _("%(amount)s 万元：%(note)s") % {"amount": amount, "note": note}
    )
    return clearance


def visible_defaults(user):
    """The defaults whose problems the user sees, with what was cleared summed per row."""
    return (
        GovernmentDefault.objects.filter(problem__in=permissions.visible_problems(user))
        .select_related("problem", "problem__unit", "enterprise")
        .annotate(cleared=Sum("clearances__amount"))
    )
