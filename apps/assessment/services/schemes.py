"""Keeping a scheme: its items, every unit's targets and time-progress plans, manual figures with their
evidence, and deductions. Each write checks who may make it and says in Chinese what is wrong."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assessment import permissions
from apps.assessment.models import Deduction, ManualValue, Metric, PeriodKind, PlanPoint, Scheme, SchemeItem, Target
from apps.assessment.services.periods import periods_of_year
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.workdays import chinese_date
from apps.investment.models import Project
from apps.org.models import Unit

GROUP_KINDS = {
    Scheme.Group.COUNTY: (Unit.Kind.COUNTY, Unit.Kind.ZONE),
    Scheme.Group.DEPARTMENT: (Unit.Kind.DEPARTMENT,),
}
PLAN_PERIODS = {
    Target.Plan.DEKAD: PeriodKind.DEKAD,
    Target.Plan.MONTH: PeriodKind.MONTH,
    Target.Plan.QUARTER: PeriodKind.QUARTER,
}
MAX_RATE = Decimal(100)


def _require_runner(by, scheme: Scheme) -> None:
    if not (by.has_perm(permissions.MANAGE_SCHEME) and permissions.runs(by, scheme)):
        raise BusinessRuleError(_("只有考核单位的考核管理员可以调整考核方案和目标。"))


@records_actor
@transaction.atomic
def create_scheme(
    *,
    year: int,
    group: str,
    name: str,
    unit: Unit,
    by: AbstractBaseUser,
    praise_top: int = 3,
    admonish_bottom: int = 3,
    snapshot_kinds: Sequence[str] = ("month", "quarter", "half", "year"),
    bulletin_prefix: str = "",
) -> Scheme:
    if not (
        by.has_perm(permissions.MANAGE_SCHEME) and getattr(by, "unit", None) and unit.path.startswith(by.unit.path)
    ):
        raise BusinessRuleError(_("只能为本单位建立考核方案。"))
    if Scheme.objects.filter(year=year, group=group).exists():
        raise BusinessRuleError(_("%(year)s年度已有该类考核方案。") % {"year": year}, field="year")
    unknown = set(snapshot_kinds) - set(PeriodKind.values)
    if unknown or not snapshot_kinds:
        raise BusinessRuleError(_("请选择快照周期。"), field="snapshot_kinds")
    scheme = Scheme(
        year=year, group=group, name=name.strip(), unit=unit, praise_top=praise_top, admonish_bottom=admonish_bottom,
        snapshot_kinds=list(snapshot_kinds), bulletin_prefix=bulletin_prefix.strip(), created_by=by,
    )  # fmt: skip
    scheme.full_clean()
    scheme.save()
    return scheme


@records_actor
@transaction.atomic
def add_item(
    *, scheme: Scheme, metric: Metric, weight: Decimal, by: AbstractBaseUser, method: str = "completion",
    cap: Decimal = Decimal("1.2"),
) -> SchemeItem:  # fmt: skip
    _require_runner(by, scheme)
    _require_open(scheme)
    if scheme.items.filter(metric=metric).exists():
        raise BusinessRuleError(_("方案中已有指标“%(name)s”。") % {"name": metric.name}, field="metric")
    if weight <= 0:
        raise BusinessRuleError(_("分值须大于0。"), field="weight")
    if cap < 1:
        raise BusinessRuleError(_("完成率封顶不能低于100%。"), field="cap")
    order = (scheme.items.count() or 0) + 1
    return SchemeItem.objects.create(scheme=scheme, metric=metric, weight=weight, method=method, cap=cap, order=order)


def _require_open(scheme: Scheme) -> None:
    """Items change only before the first snapshot: a published ranking keeps the rules it was made by."""
    if scheme.snapshots.exists():
        raise BusinessRuleError(_("方案已生成考核快照，不能再增删考核项目或修改分值。"))


def total_weight(scheme: Scheme) -> Decimal:
    return scheme.items.aggregate(total=Sum("weight"))["total"] or Decimal(0)


def check_target_unit(scheme: Scheme, unit: Unit) -> None:
    if unit.kind not in GROUP_KINDS[scheme.group]:
        raise BusinessRuleError(
            _("“%(unit)s”不是本方案的考核对象（%(group)s）。")
            % {"unit": unit.name, "group": scheme.get_group_display()},
            field="unit",
        )
    if not unit.is_active:
        raise BusinessRuleError(_("“%(unit)s”已停用。") % {"unit": unit.name}, field="unit")


def check_target_value(item: SchemeItem, value: Decimal) -> None:
    if value is None or value <= 0:
        raise BusinessRuleError(_("“%(name)s”的目标须大于0。") % {"name": item.metric.name}, field="value")
    if item.metric.kind == Metric.Kind.RATE and value > MAX_RATE:
        raise BusinessRuleError(_("“%(name)s”是比率，目标不能超过100。") % {"name": item.metric.name}, field="value")


@records_actor
@transaction.atomic
def set_target(*, item: SchemeItem, unit: Unit, value: Decimal, by: AbstractBaseUser) -> Target:
    """Set (or change) a unit's annual target for an item."""
    _require_runner(by, item.scheme)
    check_target_unit(item.scheme, unit)
    check_target_value(item, value)
    target, _created = Target.objects.update_or_create(item=item, unit=unit, defaults={"value": value})
    return target


def can_plan(user, target: Target) -> bool:
    """The assessed unit enters its own plan; the scheme's unit may too."""
    own = getattr(user, "unit", None) is not None and target.unit.path.startswith(user.unit.path)
    return user.has_perm(permissions.ENTER_VALUE) and (own or permissions.runs(user, target.item.scheme))


@records_actor
@transaction.atomic
def set_plan(*, target: Target, plan: str, points: Sequence[tuple[date, Decimal]], by: AbstractBaseUser) -> Target:
    """Spread the target evenly, or by cumulative figures for the end of each 旬, month or quarter."""
    if not can_plan(by, target):
        raise BusinessRuleError(_("只有被考核单位或考核单位可以填报序时计划。"))
    if plan == Target.Plan.EVEN:
        if points:
            raise BusinessRuleError(_("按日均匀推算时不需要填写分期计划。"), field="points")
    else:
        _check_plan_points(target, plan, points)
    target.plan = plan
    target.save(update_fields=["plan", "updated_at"])
    target.plan_points.all().delete()
    if plan == Target.Plan.EVEN:
        return target
    PlanPoint.objects.bulk_create(PlanPoint(target=target, ends_on=d, value=v) for d, v in points)
    return target


def _check_plan_points(target: Target, plan: str, points: Sequence[tuple[date, Decimal]]) -> None:
    if not points:
        raise BusinessRuleError(_("请填写分期累计计划。"), field="points")
    ends = {p.ends_on for p in periods_of_year(PLAN_PERIODS[plan], target.item.scheme.year)}
    previous = Decimal(0)
    for ends_on, value in sorted(points):
        if ends_on not in ends:
            raise BusinessRuleError(
                _("%(day)s不是%(plan)s的期末日。") % {"day": chinese_date(ends_on), "plan": Target.Plan(plan).label},
                field="points",
            )
        if value < previous:
            raise BusinessRuleError(
                _("累计计划不能比前一期少（%(day)s）。") % {"day": chinese_date(ends_on)}, field="points"
            )
        previous = value


def can_enter(user, target: Target) -> bool:
    """The assessed unit enters its own manual figures."""
    own = getattr(user, "unit", None) is not None and target.unit.path.startswith(user.unit.path)
    return user.has_perm(permissions.ENTER_VALUE) and own


@records_actor
@transaction.atomic
def enter_manual_value(
    *, target: Target, as_of: date, value: Decimal, evidence: UploadedFile | None, by: AbstractBaseUser, note: str = ""
) -> ManualValue:
    """A manual metric's cumulative figure as of a day, with its evidence (a later entry for the same day wins)."""
    if not can_enter(by, target):
        raise BusinessRuleError(_("只有被考核单位可以填报本单位的手工指标。"))
    metric = target.item.metric
    if metric.source != Metric.Source.MANUAL:
        raise BusinessRuleError(_("“%(name)s”由系统自动取数，不需要填报。") % {"name": metric.name})
    if as_of.year != target.item.scheme.year:
        raise BusinessRuleError(_("截至日期须在%(year)s年内。") % {"year": target.item.scheme.year}, field="as_of")
    if as_of > timezone.localdate():
        raise BusinessRuleError(_("截至日期不能晚于今天。"), field="as_of")
    if value is None or value < 0:
        raise BusinessRuleError(_("累计完成不能为负数。"), field="value")
    if metric.kind == Metric.Kind.RATE and value > MAX_RATE:
        raise BusinessRuleError(_("比率不能超过100。"), field="value")
    if not evidence:
        raise BusinessRuleError(_("请上传佐证材料。"), field="evidence")
    return ManualValue.objects.create(
        target=target, as_of=as_of, value=value, evidence=evidence, note=note.strip(), entered_by=by
    )


@records_actor
@transaction.atomic
def record_deduction(
    *,
    scheme: Scheme,
    unit: Unit,
    kind: str,
    points: Decimal,
    happened_on: date,
    reason: str,
    by: AbstractBaseUser,
    project: Project | None = None,
    evidence: UploadedFile | None = None,
) -> Deduction:
    if not (by.has_perm(permissions.RECORD_DEDUCTION) and permissions.runs(by, scheme)):
        raise BusinessRuleError(_("只有考核单位可以登记扣分。"))
    if not Target.objects.filter(item__scheme=scheme, unit=unit).exists():
        raise BusinessRuleError(_("“%(unit)s”不在本方案的考核对象中。") % {"unit": unit.name}, field="unit")
    if points is None or points <= 0:
        raise BusinessRuleError(_("扣分须大于0。"), field="points")
    if happened_on.year != scheme.year or happened_on > timezone.localdate():
        raise BusinessRuleError(
            _("认定日期须在%(year)s年内且不晚于今天。") % {"year": scheme.year}, field="happened_on"
        )
    if not reason.strip():
        raise BusinessRuleError(_("请填写扣分理由。"), field="reason")
    if project is not None and not project.unit.path.startswith(unit.path):
        raise BusinessRuleError(_("涉及项目不属于“%(unit)s”。") % {"unit": unit.name}, field="project")
    return Deduction.objects.create(
        scheme=scheme, unit=unit, kind=kind, points=points, happened_on=happened_on, reason=reason.strip(),
        project=project, evidence=evidence or "", recorded_by=by,
    )  # fmt: skip


@records_actor
@transaction.atomic
def revoke_deduction(*, deduction: Deduction, reason: str, by: AbstractBaseUser) -> Deduction:
    """Take a deduction back (snapshots already taken keep it; later ones do not)."""
    if not (by.has_perm(permissions.RECORD_DEDUCTION) and permissions.runs(by, deduction.scheme)):
        raise BusinessRuleError(_("只有考核单位可以撤销扣分。"))
    if deduction.revoked_at is not None:
        raise BusinessRuleError(_("该扣分已撤销。"))
    if not reason.strip():
        raise BusinessRuleError(_("请填写撤销理由。"), field="revoked_reason")
    deduction.revoked_reason, deduction.revoked_at = reason.strip(), timezone.now()
    deduction.save(update_fields=["revoked_reason", "revoked_at"])
    return deduction
