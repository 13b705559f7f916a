"""Keeping the indicator system: versions, their indicators, publication and copies.

Rules, each refused in Chinese with a BusinessRuleError:

- only the business-environment keepers (MANAGE_METHODOLOGY) change anything;
- a published version is frozen: it and its indicators never change again, a new version is a copy;
- an indicator's code is unique in its version and starts with its parent's code ("01" → "01.02");
  its level is its parent's plus one, at most 3 (观测点); its parent stays where it was created;
- weights are ≥ 0, thresholds within 0–100, lead and co-operating units active;
- a method's parameters are all given or (for an indicator scored from its sub-indicators) all absent;
  observation points always need them, and publication needs them on every indicator without children.

Publishing a version that still has draft indicators (the seeded second level, "草案，待管理员核对")
needs ``confirm_drafts=True``: publishing then confirms every draft, since a frozen version cannot keep
anything "to be checked". Without it the publication is refused and says how many remain.
"""

import re
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bizenv import permissions
from apps.bizenv.methods import clean_parameters
from apps.bizenv.models import Indicator, Methodology
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.org.models import Unit

CODE_PATTERN = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
#: the fields a keeper sets on an indicator (the version, parent and level follow from where it is created)
FIELDS = (
    "code", "name", "description", "unit_of_measure", "direction", "kind", "method", "parameters", "weight",
    "lead_unit", "data_source", "alert_threshold", "excellence_threshold", "pillar", "is_national", "is_draft",
    "order",
)  # fmt: skip
HUNDRED = Decimal(100)


def require_keeper(by) -> None:
    if not permissions.can_manage(by):
        raise BusinessRuleError(_("只有营商环境管理员可以维护评价指标体系。"))


def require_draft(methodology: Methodology) -> None:
    """Refuse a change to a published version (read from the database: a stale copy may still say draft)."""
    published = Methodology.objects.filter(pk=methodology.pk, status=Methodology.Status.PUBLISHED)
    if methodology.is_published or published.exists():
        raise BusinessRuleError(
            _("评价方法版本“%(code)s”已发布，不能再修改；如需调整，请复制为新版本。") % {"code": methodology.code}
        )


# ---- versions -------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def create_methodology(*, code: str, name: str, by: AbstractBaseUser, notes: str = "") -> Methodology:
    """A new, empty draft version."""
    require_keeper(by)
    methodology = Methodology(code=code.strip(), name=name.strip(), notes=notes.strip(), created_by=by)
    _check_version(methodology)
    methodology.save()
    return methodology


@records_actor
@transaction.atomic
def update_methodology(*, methodology: Methodology, name: str, notes: str, by: AbstractBaseUser) -> Methodology:
    """Rename a draft version or change its notes."""
    require_keeper(by)
    require_draft(methodology)
    methodology.name, methodology.notes = name.strip(), notes.strip()
    _check_version(methodology)
    methodology.save()
    return methodology


@records_actor
@transaction.atomic
def delete_methodology(*, methodology: Methodology, by: AbstractBaseUser) -> None:
    """Remove a draft version with its indicators (a published one is kept for ever)."""
    require_keeper(by)
    require_draft(methodology)
    methodology.delete()


def _check_version(methodology: Methodology) -> None:
    if not methodology.code or not CODE_PATTERN.match(methodology.code):
        raise BusinessRuleError(_("版本号只能由字母、数字和点组成，如“2025”。"), field="code")
    if Methodology.objects.filter(code=methodology.code).exclude(pk=methodology.pk).exists():
        raise BusinessRuleError(_("已有版本号为“%(code)s”的评价方法。") % {"code": methodology.code}, field="code")
    if not methodology.name:
        raise BusinessRuleError(_("请填写版本名称。"), field="name")


@records_actor
@transaction.atomic
def publish_methodology(*, methodology: Methodology, by: AbstractBaseUser, confirm_drafts: bool = False) -> Methodology:
    """Freeze a draft version; with ``confirm_drafts`` its remaining draft indicators are confirmed."""
    require_keeper(by)
    methodology = Methodology.objects.select_for_update().get(pk=methodology.pk)
    require_draft(methodology)
    indicators = list(methodology.indicators.order_by("code"))
    if not indicators:
        raise BusinessRuleError(_("该版本还没有指标，不能发布。"))
    check_complete(indicators)
    drafts = [indicator for indicator in indicators if indicator.is_draft]
    if drafts and not confirm_drafts:
        raise BusinessRuleError(
            _("还有 %(n)s 项指标是草案（待管理员核对），请核对后确认发布；发布即确认全部草案指标。")
            % {"n": len(drafts)},
            field="confirm_drafts",
        )
    for indicator in drafts:
        indicator.is_draft = False
        indicator.save(update_fields=["is_draft"])
    methodology.status = Methodology.Status.PUBLISHED
    methodology.published_by, methodology.published_at = by, timezone.now()
    methodology.save()
    return methodology


def check_complete(indicators: list[Indicator]) -> None:
    """Every indicator without children can be scored, and every parent's children carry some weight."""
    parents = {indicator.parent_id for indicator in indicators if indicator.parent_id}
    problems = []
    weights: dict[int, Decimal] = {}
    for indicator in indicators:
        if indicator.parent_id:
            weights[indicator.parent_id] = weights.get(indicator.parent_id, Decimal(0)) + indicator.weight
        if indicator.pk in parents:
            continue
        try:
            clean_parameters(indicator.method, indicator.direction, indicator.parameters, required=True)
        except BusinessRuleError as error:
            problems.append(f"{indicator.code} {indicator.name}：{error.message.rstrip('。')}")
    problems += [
        _("%(code)s %(name)s：下级指标的权重之和为0") % {"code": indicator.code, "name": indicator.name}
        for indicator in indicators
        if indicator.pk in parents and not weights.get(indicator.pk)
    ]
    if problems:
        shown = "；".join(problems[:10]) + (_("……共 %(n)s 项") % {"n": len(problems)} if len(problems) > 10 else "")
        raise BusinessRuleError(_("以下指标不完整，不能发布：%(problems)s。") % {"problems": shown})


@records_actor
@transaction.atomic
def copy_methodology(
    *, source: Methodology, code: str, name: str, by: AbstractBaseUser, notes: str = ""
) -> Methodology:
    """A new draft version holding a deep copy of ``source``'s tree, with its lead and co-operating units."""
    require_keeper(by)
    copy = Methodology(code=code.strip(), name=name.strip(), notes=notes.strip(), based_on=source, created_by=by)
    _check_version(copy)
    copy.save()
    new_ids: dict[int, Indicator] = {}
    originals = source.indicators.prefetch_related("co_units").order_by("level", "code")
    for original in originals:
        co_units = list(original.co_units.all())
        twin = Indicator(
            methodology=copy,
            parent=new_ids[original.parent_id] if original.parent_id else None,
            level=original.level,
            **{name: getattr(original, name) for name in FIELDS},
        )
        twin.save()
        twin.co_units.set(co_units)
        new_ids[original.pk] = twin
    return copy


# ---- indicators -----------------------------------------------------------------------------


@records_actor
@transaction.atomic
def create_indicator(
    *,
    methodology: Methodology,
    by: AbstractBaseUser,
    parent: Indicator | None = None,
    co_units: Iterable[Unit] = (),
    **fields,
) -> Indicator:
    """Add an indicator to a draft version, under ``parent`` (None: a first-level indicator)."""
    require_keeper(by)
    require_draft(methodology)
    indicator = Indicator(methodology=methodology, parent=parent, level=(parent.level + 1) if parent else 1)
    co_units = list(co_units)
    _apply(indicator, fields)
    check_indicator(indicator, co_units)
    indicator.save()
    indicator.co_units.set(co_units)
    return indicator


@records_actor
@transaction.atomic
def update_indicator(
    *, indicator: Indicator, by: AbstractBaseUser, co_units: Iterable[Unit] | None = None, **fields
) -> Indicator:
    """Change an indicator of a draft version (its parent and level stay)."""
    require_keeper(by)
    require_draft(indicator.methodology)
    old_code = Indicator.objects.filter(pk=indicator.pk).values_list("code", flat=True).first()
    _apply(indicator, fields)
    if old_code is not None and indicator.code != old_code and indicator.children.exists():
        raise BusinessRuleError(_("有下级指标的指标不能修改代码。"), field="code")
    units = list(co_units) if co_units is not None else list(indicator.co_units.all())
    check_indicator(indicator, units)
    indicator.save()
    if co_units is not None:
        indicator.co_units.set(units)
    return indicator


@records_actor
@transaction.atomic
def delete_indicator(*, indicator: Indicator, by: AbstractBaseUser) -> None:
    """Remove an indicator without sub-indicators from a draft version."""
    require_keeper(by)
    require_draft(indicator.methodology)
    if indicator.children.exists():
        raise BusinessRuleError(_("请先删除“%(name)s”的下级指标。") % {"name": indicator.name})
    indicator.delete()


def _apply(indicator: Indicator, fields: dict) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    if indicator.parameters is None:
        indicator.parameters = {}
    if indicator.excellence_threshold == "":
        indicator.excellence_threshold = None


def check_indicator(indicator: Indicator, co_units: list[Unit]) -> None:
    """Every business rule on one indicator (the import runs the same checks on each row)."""
    _check_place(indicator)
    if not indicator.name:
        raise BusinessRuleError(_("请填写指标名称。"), field="name")
    if indicator.weight is None or indicator.weight < 0:
        raise BusinessRuleError(_("权重不能为负数。"), field="weight")
    _check_thresholds(indicator)
    indicator.parameters = clean_parameters(
        indicator.method, indicator.direction, indicator.parameters, required=indicator.level == Indicator.MAX_LEVEL
    )
    _check_units(indicator, co_units)
    try:
        indicator.full_clean(exclude=["methodology", "parent", "lead_unit", "parameters"], validate_unique=False)
    except ValidationError as error:  # a value out of its choices or too long: name the first field
        field, texts = next(iter(error.message_dict.items()))
        label = Indicator._meta.get_field(field).verbose_name
        raise BusinessRuleError(f"{label}：{texts[0]}", field=field) from error


def _check_place(indicator: Indicator) -> None:
    parent, code = indicator.parent, indicator.code
    if parent is not None and parent.methodology_id != indicator.methodology_id:
        raise BusinessRuleError(_("上级指标不属于同一评价方法版本。"), field="parent")
    if indicator.level > Indicator.MAX_LEVEL:
        raise BusinessRuleError(_("指标最多三级（一级指标、二级指标、观测点），观测点下不能再设下级。"), field="parent")
    expected = (parent.level + 1) if parent else 1
    if indicator.level != expected:
        raise BusinessRuleError(_("指标层级须为上级指标层级加一。"), field="parent")
    if not code or not CODE_PATTERN.match(code):
        raise BusinessRuleError(_("指标代码只能由字母、数字和点组成，如“01”“01.02”。"), field="code")
    if parent is not None and not code.startswith(parent.code + "."):
        raise BusinessRuleError(_("下级指标的代码须以上级代码“%(code)s.”开头。") % {"code": parent.code}, field="code")
    if code.count(".") + 1 != indicator.level:
        raise BusinessRuleError(
            _("%(level)s的代码应有 %(n)s 段（以点分隔）。")
            % {"level": indicator.get_level_display(), "n": indicator.level},
            field="code",
        )
    clash = Indicator.objects.filter(methodology_id=indicator.methodology_id, code=code).exclude(pk=indicator.pk)
    if clash.exists():
        raise BusinessRuleError(_("本版本已有代码为“%(code)s”的指标。") % {"code": code}, field="code")


def _check_thresholds(indicator: Indicator) -> None:
    alert, excellent = indicator.alert_threshold, indicator.excellence_threshold
    if alert is None or not Decimal(0) <= alert <= HUNDRED:
        raise BusinessRuleError(_("预警阈值须在0到100之间。"), field="alert_threshold")
    if excellent is not None:
        if not Decimal(0) <= excellent <= HUNDRED:
            raise BusinessRuleError(_("优秀阈值须在0到100之间。"), field="excellence_threshold")
        if excellent <= alert:
            raise BusinessRuleError(_("优秀阈值须高于预警阈值。"), field="excellence_threshold")


def _check_units(indicator: Indicator, co_units: list[Unit]) -> None:
    lead = indicator.lead_unit
    if lead is not None and not lead.is_active:
        raise BusinessRuleError(_("牵头单位“%(unit)s”已停用。") % {"unit": lead.name}, field="lead_unit")
    stopped = [unit.name for unit in co_units if not unit.is_active]
    if stopped:
        raise BusinessRuleError(_("配合单位“%(units)s”已停用。") % {"units": "、".join(stopped)}, field="co_units")
    if lead is not None and any(unit.pk == lead.pk for unit in co_units):
        raise BusinessRuleError(_("牵头单位不必再列为配合单位。"), field="co_units")
