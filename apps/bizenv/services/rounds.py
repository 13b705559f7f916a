"""Evaluation rounds: their life (draft → open → closed → published), the raw values and their review.

A round is organised by the business-environment bureau (MANAGE_ROUND) on a published methodology
version. While it is open, each indicator's lead unit (牵头单位) enters the counties' raw values and
submits them (ENTER_VALUE, only for the indicators it leads); the bureau approves each value or returns it
with a comment, and a returned value can be corrected until publication even after the window closes.
Publishing needs every value reviewed; it computes the results (services/results.py) and freezes the round.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bizenv import permissions, scoring
from apps.bizenv.models import Entry, Indicator, Methodology, Reference, Round
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.org.models import Unit

REVIEWED = (Entry.Status.APPROVED,)
WAITING = (Entry.Status.SAVED, Entry.Status.SUBMITTED, Entry.Status.RETURNED)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise BusinessRuleError(message)


def require_organiser(by) -> None:
    require(permissions.can_manage_rounds(by), _("只有营商环境评价的组织单位可以进行此操作。"))


def require_status(round_: Round, *statuses: str) -> None:
    if round_.status not in statuses:
        labels = "、".join(str(Round.Status(status).label) for status in statuses)
        raise BusinessRuleError(
            _("评价轮次“%(name)s”当前为“%(status)s”，此操作只能在“%(allowed)s”时进行。")
            % {"name": round_.name, "status": round_.get_status_display(), "allowed": labels}
        )


# --- the tree ------------------------------------------------------------------------------------------------


def indicators_of(methodology: Methodology) -> list[Indicator]:
    """The version's indicators in code order, with their lead units."""
    return list(methodology.indicators.select_related("lead_unit").order_by("code"))


def leaves(indicators: Iterable[Indicator]) -> list[Indicator]:
    """The indicators that take raw values: those without children."""
    indicators = list(indicators)
    parents = {indicator.parent_id for indicator in indicators}
    return [indicator for indicator in indicators if indicator.pk not in parents]


def scoring_tree(indicators: Iterable[Indicator]) -> scoring.Group:
    """The version's tree as the scoring engine reads it (the root is the overall score)."""
    indicators = list(indicators)
    children: dict[int | None, list[Indicator]] = {}
    for indicator in indicators:
        children.setdefault(indicator.parent_id, []).append(indicator)

    def node(indicator: Indicator) -> scoring.Indicator | scoring.Group:
        below = children.get(indicator.pk)
        if below:
            return scoring.Group(indicator.code, [node(child) for child in below], indicator.weight)
        return scoring.Indicator(
            indicator.code, indicator.method, indicator.parameters, indicator.weight, indicator.direction
        )

    return scoring.Group("", [node(indicator) for indicator in children.get(None, [])])


# --- rounds ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundFields:
    name: str
    year: int
    quarter: int | None
    opens_on: date
    closes_on: date
    aggregation: str = Round.Aggregation.ARITHMETIC
    threshold: Decimal = Decimal("0.6667")
    disclosure: str = Round.Disclosure.OWN


def _check_fields(fields: RoundFields, units: list[Unit], exclude: int | None = None) -> None:
    require(fields.closes_on >= fields.opens_on, _("填报截止日期不能早于开始日期。"))
    require(bool(units), _("请至少选择一个参评区县。"))
    others = Round.objects.exclude(pk=exclude).filter(year=fields.year, quarter=fields.quarter)
    require(not others.exists(), _("%(period)s 已有评价轮次。") % {"period": _period_label(fields)})


def _period_label(fields: RoundFields) -> str:
    if fields.quarter:
        return _("%(year)s年第%(quarter)s季度") % {"year": fields.year, "quarter": fields.quarter}
    return _("%(year)s年度") % {"year": fields.year}


@records_actor
@transaction.atomic
def create_round(*, methodology: Methodology, fields: RoundFields, units: list[Unit], by: AbstractBaseUser) -> Round:
    """A new round in draft, on a published methodology version."""
    require_organiser(by)
    require(
        methodology.is_published,
        _("评价只能使用已发布的评价方法版本，“%(code)s”尚未发布。") % {"code": methodology.code},
    )
    _check_fields(fields, units)
    round_ = Round.objects.create(methodology=methodology, created_by=by, **fields.__dict__)
    round_.units.set(units)
    return round_


@records_actor
@transaction.atomic
def update_round(*, round_: Round, fields: RoundFields, units: list[Unit], by: AbstractBaseUser) -> Round:
    """Change a round's settings; the counties and the aggregation only before it opens."""
    require_organiser(by)
    require_status(round_, Round.Status.DRAFT, Round.Status.OPEN, Round.Status.CLOSED)
    _check_fields(fields, units, exclude=round_.pk)
    if round_.status != Round.Status.DRAFT:
        require(
            {unit.pk for unit in units} == set(round_.units.values_list("pk", flat=True)),
            _("轮次开始填报后不能再调整参评区县。"),
        )
    for name, value in fields.__dict__.items():
        setattr(round_, name, value)
    round_.save()
    round_.units.set(units)
    return round_


@records_actor
def delete_round(*, round_: Round, by: AbstractBaseUser) -> None:
    require_organiser(by)
    require_status(round_, Round.Status.DRAFT)
    round_.delete()


@records_actor
def open_round(*, round_: Round, by: AbstractBaseUser) -> Round:
    """Open the data-entry window (a closed round can be opened again for late values)."""
    require_organiser(by)
    require_status(round_, Round.Status.DRAFT, Round.Status.CLOSED)
    round_.status = Round.Status.OPEN
    round_.save(update_fields=["status"])
    return round_


@records_actor
def close_round(*, round_: Round, by: AbstractBaseUser) -> Round:
    """End the entry window: lead units may then only correct the values returned to them."""
    require_organiser(by)
    require_status(round_, Round.Status.OPEN)
    round_.status = Round.Status.CLOSED
    round_.save(update_fields=["status"])
    return round_


@records_actor
def set_disclosure(*, round_: Round, disclosure: str, by: AbstractBaseUser) -> Round:
    """Who among the counties sees the results: each its own, or the whole city's ranking."""
    require_organiser(by)
    require(disclosure in Round.Disclosure.values, _("未知的公开范围。"))
    round_.disclosure = disclosure
    round_.save(update_fields=["disclosure"])
    return round_


# --- raw values ------------------------------------------------------------------------------------------------


def can_enter(user, round_: Round, indicator: Indicator, entry: Entry | None = None) -> bool:
    """The lead unit may enter while the round is open, and correct a returned value until publication."""
    if not permissions.leads(user, indicator):
        return False
    if round_.status == Round.Status.OPEN:
        return True
    return round_.status == Round.Status.CLOSED and entry is not None and entry.status == Entry.Status.RETURNED


def check_value(indicator: Indicator, value: str) -> str:
    """The raw value as stored, after the indicator's method has read it (a clear message otherwise)."""
    value = value.strip()
    require(bool(value), _("请填写原始值。"))
    require(len(value) <= 40, _("原始值最多 40 个字符。"))
    try:
        scoring.normalise(indicator.method, value, _method_params(indicator))
    except scoring.RawValueError as error:
        raise BusinessRuleError(error.message) from error
    except scoring.ParameterError:
        pass  # the value is fine; the version's parameters were checked when it was published
    return value


def _method_params(indicator: Indicator) -> dict:
    return {**indicator.parameters, "direction": indicator.direction}


def _require_in_round(round_: Round, unit: Unit, indicator: Indicator) -> None:
    require(indicator.methodology_id == round_.methodology_id, _("该指标不属于本轮次的评价方法版本。"))
    require(round_.units.filter(pk=unit.pk).exists(), _("“%(unit)s”不是本轮次的参评区县。") % {"unit": unit})
    require(not indicator.children.exists(), _("指标“%(code)s”由下级指标汇总，不直接填报。") % {"code": indicator.code})


@records_actor
@transaction.atomic
def save_entry(
    *,
    round_: Round,
    unit: Unit,
    indicator: Indicator,
    value: str,
    by: AbstractBaseUser,
    note: str = "",
    source: str = Entry.Source.MANUAL,
) -> Entry:
    """Enter or correct a county's raw value; a corrected value goes back to review."""
    _require_in_round(round_, unit, indicator)
    entry = Entry.objects.filter(round=round_, unit=unit, indicator=indicator).first()
    require(
        can_enter(by, round_, indicator, entry) or source == Entry.Source.PLATFORM,
        _("您不能填报指标“%(code)s”：只有牵头单位在填报期内可以填报，截止后只能修改被退回的数据。")
        % {"code": indicator.code},
    )
    value = check_value(indicator, value)
    if entry is None:
        entry = Entry(round=round_, unit=unit, indicator=indicator)
    elif entry.value == value and entry.note == note:
        return entry
    entry.value, entry.note, entry.source, entry.entered_by = value, note.strip(), source, by
    entry.status = Entry.Status.SUBMITTED if source == Entry.Source.PLATFORM else Entry.Status.SAVED
    entry.reviewed_by = entry.reviewed_at = None
    entry.save()
    return entry


@records_actor
def submit_entries(*, round_: Round, indicator: Indicator, by: AbstractBaseUser) -> int:
    """Send the lead unit's saved (and corrected) values of one indicator for review; how many went.

    A returned value goes back for review only once corrected (saving it makes it "saved" again).
    """
    require(permissions.leads(by, indicator), _("只有牵头单位可以报送该指标的数据。"))
    require_status(round_, Round.Status.OPEN, Round.Status.CLOSED)
    saved = list(Entry.objects.filter(round=round_, indicator=indicator, status=Entry.Status.SAVED))
    for entry in saved:  # one by one, so that the audit log has every change
        entry.status = Entry.Status.SUBMITTED
        entry.save(update_fields=["status"])
    return len(saved)


@records_actor
def review_entry(*, entry: Entry, approve: bool, by: AbstractBaseUser, comment: str = "") -> Entry:
    """Approve a submitted value, or return it to the lead unit with the reason."""
    require_organiser(by)
    require_status(entry.round, Round.Status.OPEN, Round.Status.CLOSED)
    require(entry.status == Entry.Status.SUBMITTED, _("只能审核已报送的数据。"))
    require(approve or bool(comment.strip()), _("退回时请写明退回理由。"))
    entry.status = Entry.Status.APPROVED if approve else Entry.Status.RETURNED
    entry.review_comment = comment.strip()
    entry.reviewed_by, entry.reviewed_at = by, timezone.now()
    entry.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return entry


@records_actor
@transaction.atomic
def approve_submitted(*, round_: Round, indicator: Indicator, by: AbstractBaseUser) -> int:
    """Approve every submitted value of one indicator at once; how many."""
    require_organiser(by)
    require_status(round_, Round.Status.OPEN, Round.Status.CLOSED)
    submitted = list(Entry.objects.filter(round=round_, indicator=indicator, status=Entry.Status.SUBMITTED))
    now = timezone.now()
    for entry in submitted:
        entry.status, entry.reviewed_by, entry.reviewed_at = Entry.Status.APPROVED, by, now
        entry.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return len(submitted)


# --- references -------------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def save_references(
    *, round_: Round, values: dict[tuple[int, str], str], by: AbstractBaseUser, source: str = ""
) -> int:
    """The province's and city's averages by (indicator id, level); an empty value removes one."""
    require_organiser(by)
    require(not round_.is_published, _("已发布的评价轮次不能再修改参考值。"))
    indicators = {indicator.pk: indicator for indicator in round_.methodology.indicators.all()}
    changed = 0
    for (indicator_id, level), value in values.items():
        indicator = indicators[indicator_id]
        if not value.strip():
            changed += Reference.objects.filter(round=round_, indicator=indicator, level=level).delete()[0]
            continue
        try:
            value = check_value(indicator, value)
        except BusinessRuleError as error:
            raise BusinessRuleError(f"{indicator.code} {indicator.name}：{error.message}") from error
        Reference.objects.update_or_create(
            round=round_, indicator=indicator, level=level, defaults={"value": value, "source": source}
        )
        changed += 1
    return changed


# --- progress ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorProgress:
    """How far one indicator's values have come: entered, waiting for review, returned, approved."""

    indicator: Indicator
    expected: int
    counts: dict[str, int]

    @property
    def entered(self) -> int:
        return sum(self.counts.values())

    @property
    def missing(self) -> int:
        return self.expected - self.entered

    @property
    def approved(self) -> int:
        return self.counts.get(Entry.Status.APPROVED, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.expected) if self.expected else 100


def progress(round_: Round, indicators: Iterable[Indicator]) -> list[IndicatorProgress]:
    """Each leaf indicator's entry progress over the round's counties (one query)."""
    expected = round_.units.count()
    counts: dict[int, dict[str, int]] = {}
    rows = Entry.objects.filter(round=round_).values_list("indicator_id", "status")
    for indicator_id, status in rows:
        by_status = counts.setdefault(indicator_id, {})
        by_status[status] = by_status.get(status, 0) + 1
    return [IndicatorProgress(indicator, expected, counts.get(indicator.pk, {})) for indicator in leaves(indicators)]


def unreviewed(round_: Round) -> dict[str, int]:
    """Values not yet approved, by status (empty when all are)."""
    counts: dict[str, int] = {}
    for status in Entry.objects.filter(round=round_, status__in=WAITING).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts
