"""KPIs of the investment pipeline (招商指标), each with its formula, parts and the projects behind it.

Every figure is an aggregate in SQL: a few grouped queries give all KPIs for every child unit at
once (one over projects, one over the monthly fund totals of the units in scope — FundMonthTotal,
kept by services/kpi_rollup.py — and one over the fund records of the few projects the viewer takes
part in elsewhere), and the whole is the sum of the groups. A custom period that does not run from
the first of a month to the last of one sums the fund records themselves, as the drill-downs do.
Nothing is computed per project in Python. The formulas, inclusion rules and a worked example
are in docs/metrics.md; keep the two in step.

What counts (the same for every KPI):
- a stage counts once the level above has confirmed it (``counted_stage``), dated by the event;
- projects marked 不纳入招商统计 count nowhere;
- 不重复统计: a signing counts once (its one ``signed_on``), and an expansion or upgrade counts only
  its increment, ``max(contracted − counted_before, 0)``; one without increment is no new signing.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.templatetags.amounts import wan_yuan
from apps.investment.models import FundMonthTotal, FundRecord, Project, Stage
from apps.investment.permissions import is_coordinator, visible_projects
from apps.org.models import Unit
from apps.org.selectors import AREA_KINDS, area_of

#: 1亿 and 10亿 in 万元, the unit of every amount
YI = Decimal(10000)
TEN_YI = Decimal(100000)
AMOUNT = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal(0), output_field=AMOUNT)


def stages_from(stage: Stage) -> list[str]:
    """The stage and every later one: "has reached ``stage``"."""
    return [s.value for s in Stage if s.rank >= Stage(stage).rank]


# ---- periods ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A reporting period, both ends included; a fund record counts when its month starts inside it."""

    start: date
    end: date
    label: str

    @property
    def first_month(self) -> date:
        return self.start.replace(day=1)

    @property
    def whole_months(self) -> bool:
        """From the first of a month to the last of a month, as a year, a quarter or a month always is."""
        return self.start.day == 1 and self.end == _month_end(self.end.replace(day=1))

    def year_before(self) -> "Period":
        """The same period of the previous year (同期), for growth rates."""
        return Period(_year_before(self.start), _year_before(self.end), _("上年同期"))


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), _("%(year)s年") % {"year": year})


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    end = _month_end(date(year, 3 * quarter, 1))
    return Period(start, end, _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter})


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period(start, _month_end(start), _("%(year)s年%(month)s月") % {"year": year, "month": month})


def custom_period(start: date, end: date) -> Period:
    label = _("%(start)s至%(end)s") % {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    return Period(start, end, label)


def _month_end(first: date) -> date:
    following = (
        first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return following - timedelta(days=1)


# ---- what counts, as SQL ------------------------------------------------------------------


def counted_investment(prefix: str = "") -> Greatest:
    """SQL twin of Project.counted_investment: the contracted amount less what was counted before, never < 0."""
    contracted = Coalesce(F(f"{prefix}contracted_investment"), ZERO, output_field=AMOUNT)
    before = Coalesce(F(f"{prefix}counted_before"), ZERO, output_field=AMOUNT)
    return Greatest(ExpressionWrapper(contracted - before, output_field=AMOUNT), ZERO, output_field=AMOUNT)


def new_signing(prefix: str = "") -> Q:
    """A new signing under 不重复统计: a new project, or an expansion or upgrade with an increment."""
    return Q(**{f"{prefix}kind": Project.Kind.NEW}) | Q(
        **{f"{prefix}contracted_investment__gt": F(f"{prefix}counted_before")}
    )


def signed_in(period: Period, prefix: str = "") -> Q:
    """Signed in the period, the signing confirmed, and a new signing under 不重复统计."""
    return Q(
        **{f"{prefix}counted_stage__in": stages_from(Stage.SIGNED), f"{prefix}signed_on__range": _range(period)}
    ) & new_signing(prefix)


def reached_by_end(stage: Stage, date_field: str, period: Period) -> Q:
    """Confirmed at ``stage`` (or later) with the event on or before the period's end."""
    return Q(counted_stage__in=stages_from(stage), **{f"{date_field}__lte": period.end})


def started_in(period: Period) -> Q:
    """Construction started in the period (confirmed), on a project with a signing date."""
    return Q(counted_stage__in=stages_from(Stage.STARTED), started_on__range=_range(period), signed_on__isnull=False)


def _range(period: Period) -> tuple[date, date]:
    return (period.start, period.end)


def _months(period: Period) -> tuple[date, date]:
    return (period.first_month, period.end)


def counted_projects(projects: QuerySet) -> QuerySet:
    """The projects that may count: those of ``projects`` (the viewer's scope) not excluded from statistics.

    ``projects`` must hold each project once (the scope's ``visible_to`` does: participants are a
    subquery, not a join), or the sums below would count a project as often as it appears.
    """
    return projects.filter(excluded_from_statistics=False)


# ---- whose figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiScope:
    """The projects whose figures count for a viewer, and where their fund sums may be read.

    ``projects`` holds them all, each once. With ``owned`` (a unit path, "" for every unit) every
    project owned in that subtree is among them, and their fund sums come from FundMonthTotal;
    ``others`` are the rest of ``projects`` (owned elsewhere, taken part in), summed from their records,
    None when there are none. Without ``owned`` every sum comes from the records.
    """

    projects: QuerySet
    owned: str | None = None
    others: QuerySet | None = None


def kpi_scope(user, unit: Unit | None = None) -> KpiScope:
    """The viewer's projects, the same as permissions.visible_projects, optionally within one unit's subtree.

    Said as the owned subtree plus the projects taken part in elsewhere, which is what the fund totals
    need, and cheaper for the database than visible_to's subquery over every participant row.
    """
    subtree = _whole_subtree(user)
    if subtree is None or (unit is not None and not unit.path.startswith(subtree)):
        projects = visible_projects(user)
        return KpiScope(projects.in_unit(unit) if unit is not None else projects)
    if unit is not None:  # within the viewer's subtree: every project owned there, and no other
        return KpiScope(Project.objects.in_unit(unit), owned=unit.path)
    if not subtree:
        return KpiScope(Project.objects.all(), owned="")
    owned = Project.objects.filter(unit__path__startswith=subtree)
    others = _taken_part_in(subtree)
    return KpiScope(owned if others is None else owned | others, owned=subtree, others=others)


def _taken_part_in(subtree: str) -> QuerySet | None:
    """The projects owned outside the subtree that a unit in it takes part in (visible_to's participants).

    By the units' ids, so that the database reads the subtree's few participant rows by their index
    rather than every row of the coordinating unit, which takes part in every project.
    """
    units = list(Unit.objects.filter(path__startswith=subtree).values_list("pk", flat=True))
    taken_part = Project.objects.filter(participants__unit__in=units).exclude(unit__in=units)
    return Project.objects.filter(pk__in=taken_part.values("pk")) if taken_part.exists() else None


def _whole_subtree(user) -> str | None:
    """The unit path all of whose projects visible_projects gives the user ("" for every project), if any.

    Its twin is permissions.visible_projects: the coordinating unit sees every project, any other
    unit its subtree and the projects it takes part in (``_taken_part_in``); no unit, nothing.
    """
    unit = getattr(user, "unit", None) if user.is_authenticated and user.is_active else None
    if unit is None:
        return None
    if is_coordinator(user):
        return ""
    # the root's subtree is every unit, unless the tree has other roots
    if unit.depth == 1 and not Unit.objects.exclude(path__startswith=unit.path).exists():
        return ""
    return unit.path


# ---- raw figures --------------------------------------------------------------------------


@dataclass
class Figures:
    """The sums every KPI is made from, for one unit or for all; they add up across units and months."""

    signed: int = 0
    contracted: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    started: int = 0
    producing: int = 0
    at_capacity: int = 0
    over_1yi: int = 0
    over_10yi: int = 0
    started_in_period: int = 0
    days_to_start: int = 0
    in_place: Decimal = Decimal(0)
    signed_funds: Decimal = Decimal(0)
    out_of_province_funds: Decimal = Decimal(0)
    out_of_province_funds_last_year: Decimal = Decimal(0)
    foreign_funds: Decimal = Decimal(0)
    fixed_assets: Decimal = Decimal(0)

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(**{name: getattr(self, name) + getattr(other, name) for name in FIGURES})

    def __iadd__(self, other: "Figures") -> "Figures":
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @classmethod
    def of(cls, row: dict) -> "Figures":
        """From one row of a scan (its aggregates; None where nothing was summed)."""
        figures = cls()
        for name in FIGURES:
            value = row.get(name)
            if name == "days_to_start" and value is not None:
                value = value.days
            if value is not None:
                setattr(figures, name, value)
        return figures


FIGURES = tuple(f.name for f in fields(Figures))


def at_least(amount: Decimal):
    """Counted investment (不重复统计) of at least ``amount``, as a condition."""
    return GreaterThanOrEqual(counted_investment(), Value(amount, output_field=AMOUNT))


def _project_aggregates(period: Period) -> dict:
    signed = signed_in(period)
    started = started_in(period)
    days = ExpressionWrapper(F("started_on") - F("signed_on"), output_field=DurationField())
    return {
        "signed": Count("pk", filter=signed),
        "contracted": Sum(counted_investment(), filter=signed),
        "planned": Sum("planned_investment", filter=signed),
        "started": Count("pk", filter=signed & reached_by_end(Stage.STARTED, "started_on", period)),
        "producing": Count("pk", filter=signed & reached_by_end(Stage.PRODUCING, "producing_on", period)),
        "at_capacity": Count("pk", filter=signed & reached_by_end(Stage.AT_CAPACITY, "at_capacity_on", period)),
        "over_1yi": Count("pk", filter=signed & at_least(YI)),
        "over_10yi": Count("pk", filter=signed & at_least(TEN_YI)),
        "started_in_period": Count("pk", filter=started),
        "days_to_start": Sum(days, filter=started),
    }


def _fund_aggregates(period: Period) -> dict:
    """Sums over the fund records joined to their projects (``funds__``): this period and last year's."""
    this, last = Q(funds__month__range=_months(period)), Q(funds__month__range=_months(period.year_before()))
    return {
        "in_place": Sum("funds__amount", filter=this),
        "signed_funds": Sum("funds__amount", filter=this & signed_in(period)),
        "out_of_province_funds": Sum("funds__out_of_province", filter=this),
        "out_of_province_funds_last_year": Sum("funds__out_of_province", filter=last),
        "foreign_funds": Sum("funds__foreign", filter=this),
        "fixed_assets": Sum("funds__fixed_asset", filter=this),
    }


def _with_fund_records(projects: QuerySet, period: Period) -> QuerySet:
    """Confirmed-signed counted projects joined to their records of the period and of the same period last year.

    One join from the (scoped) projects to the records: the aggregates reuse it.
    """
    months = Q(funds__month__range=_months(period)) | Q(funds__month__range=_months(period.year_before()))
    return projects.filter(counted_stage__in=stages_from(Stage.SIGNED)).filter(months)


def _record_sums(projects: QuerySet, period: Period) -> QuerySet:
    """The fund sums of ``projects`` (counted ones) from their records, by owning unit and month."""
    return (
        _with_fund_records(projects, period)
        .order_by()
        .annotate(cell_month=Case(When(funds__month__gte=period.first_month, then=F("funds__month")), default=None))
        .values("unit_id", "cell_month")
        .annotate(**_fund_aggregates(period))
    )


def _total_sums(owned: str, period: Period) -> QuerySet:
    """The same sums from FundMonthTotal, for every project owned in the subtree of ``owned``.

    Exact for a period of whole months only: 当期签约项目 are then those whose signing month is one of
    the period's months.
    """
    this, last = Q(month__range=_months(period)), Q(month__range=_months(period.year_before()))
    signed = this & Q(new_signing=True, signed_month__range=_months(period))
    totals = FundMonthTotal.objects.filter(this | last)
    if owned:
        totals = totals.filter(unit__path__startswith=owned)
    return (
        totals.order_by()
        .annotate(cell_month=Case(When(month__gte=period.first_month, then=F("month")), default=None))
        .values("unit_id", "cell_month")
        .annotate(
            in_place=Sum("amount", filter=this),
            signed_funds=Sum("amount", filter=signed),
            out_of_province_funds=Sum("out_of_province", filter=this),
            out_of_province_funds_last_year=Sum("out_of_province", filter=last),
            foreign_funds=Sum("foreign", filter=this),
            fixed_assets=Sum("fixed_asset", filter=this),
        )
    )


def _fund_rows(scope: "KpiScope", period: Period) -> list[dict]:
    """The fund sums of the scope: from the totals for its owned subtree and whole months, else from the records."""
    if scope.owned is None or not period.whole_months:
        return list(_record_sums(counted_projects(scope.projects), period))
    rows = list(_total_sums(scope.owned, period))
    if scope.others is not None:
        rows += _record_sums(counted_projects(scope.others), period)
    return rows


@dataclass(frozen=True)
class Cell:
    """The figures of one group of owning units in one month of the period (None: outside its months)."""

    key: str
    month: date | None
    figures: Figures


def scan(projects: "QuerySet | KpiScope", period: Period, *, path_length: int = 0) -> list[Cell]:
    """Every sum behind the KPIs by month and by the owning unit's path prefix of ``path_length``.

    ``projects`` is the viewer's scope: a queryset, whose fund sums are read from the records, or a
    KpiScope (``kpi_scope``), whose owned subtree's fund sums are read from FundMonthTotal. One query
    over projects and one or two over funds; only rows that can count are read (projects signed or
    started in the period, records or totals of its months and of the same months last year).
    Totals, units and months are sums of the cells: at most (units × months) of them, never one per
    project. ``path_length`` 0 groups every unit together.
    """
    scope = projects if isinstance(projects, KpiScope) else KpiScope(projects)
    counted = counted_projects(scope.projects)
    signed = signed_in(period)
    signings = (
        counted.filter(signed | started_in(period))
        .order_by()
        .annotate(
            cell_month=TruncMonth(Case(When(signed, then=F("signed_on")), default=None, output_field=DateField()))
        )
        .values("unit_id", "cell_month")
        .annotate(**_project_aggregates(period))
    )
    # grouped by the unit's id (no join to the unit table for every fund record), then by path prefix here
    rows = [*signings, *_fund_rows(scope, period)]
    paths = dict(Unit.objects.filter(pk__in={row["unit_id"] for row in rows}).values_list("pk", "path"))
    return [Cell(paths[row["unit_id"]][:path_length], row["cell_month"], Figures.of(row)) for row in rows]


def total(cells: list[Cell]) -> Figures:
    figures = Figures()
    for cell in cells:
        figures += cell.figures
    return figures


# ---- KPIs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSpec:
    key: str
    name: Promise
    #: count / amount / rate / growth / days: how the value reads
    kind: str
    #: count / amount / days: how the numerator and denominator read
    parts: str
    formula: Promise
    numerator_label: Promise
    numerator: Callable[[Figures], object]
    drill: str
    denominator_label: Promise | None = None
    denominator: Callable[[Figures], object] | None = None
    denominator_drill: str | None = None


@dataclass(frozen=True)
class Kpi:
    """One KPI's value with what it is made of; ``drill`` names the projects behind the numerator."""

    key: str
    name: str
    kind: str
    parts: str
    value: object
    numerator: object
    denominator: object
    formula: str
    numerator_label: str
    denominator_label: str
    drill: str
    denominator_drill: str | None

    @property
    def value_text(self) -> str:
        return _read(self.value, self.kind)

    @property
    def numerator_text(self) -> str:
        return _read(self.numerator, self.parts)

    @property
    def denominator_text(self) -> str:
        return _read(self.denominator, self.parts) if self.denominator is not None else ""


def _read(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "count":
        return _("%(n)s 个") % {"n": value}
    if kind == "amount":
        return wan_yuan(value) if value else _("0 万元")
    if kind == "days":
        return _("%(n)s 天") % {"n": f"{value:.1f}".removesuffix(".0")}
    percent = f"{value * 100:.1f}%"
    return f"+{percent}" if kind == "growth" and value > 0 else percent


SIGNED_LABEL = gettext_lazy("当期签约项目数")
CONTRACTED_LABEL = gettext_lazy("当期签约项目协议投资额")
FUNDS_LABEL = gettext_lazy("统计期内到位资金")

SPECS = (
    KpiSpec(
        "signed_count", gettext_lazy("签约项目数"), "count", "count",
        gettext_lazy("签约日期在统计期内且签约已经上级确认的项目个数；增资扩建、升格项目有新增投资才计入（不重复统计）"),
        SIGNED_LABEL, lambda f: f.signed, "signed",
    ),
    KpiSpec(
        "contracted", gettext_lazy("协议投资额"), "amount", "amount",
        gettext_lazy("Σ 当期签约项目计入统计的协议投资；增资扩建、升格项目只计增量 = 协议投资 − 此前已统计投资"),
        CONTRACTED_LABEL, lambda f: f.contracted, "signed",
    ),
    KpiSpec(
        "start_rate", gettext_lazy("开工率"), "rate", "count",
        gettext_lazy("当期签约项目中截至期末已开工的项目数 ÷ 当期签约项目数 × 100%"),
        gettext_lazy("其中已开工"), lambda f: f.started, "started",
        SIGNED_LABEL, lambda f: f.signed, "signed",
    ),
    KpiSpec(
        "producing_rate", gettext_lazy("投产率"), "rate", "count",
        gettext_lazy("当期签约项目中截至期末已投产的项目数 ÷ 当期签约项目数 × 100%"),
        gettext_lazy("其中已投产"), lambda f: f.producing, "producing",
        SIGNED_LABEL, lambda f: f.signed, "signed",
    ),
    KpiSpec(
        "capacity_rate", gettext_lazy("达产率"), "rate", "count",
        gettext_lazy("当期签约项目中截至期末已达产的项目数 ÷ 当期签约项目数 × 100%"),
        gettext_lazy("其中已达产"), lambda f: f.at_capacity, "at_capacity",
        SIGNED_LABEL, lambda f: f.signed, "signed",
    ),
    KpiSpec(
        "funds_in_place", gettext_lazy("到位资金"), "amount", "amount",
        gettext_lazy("Σ 统计期内各月到位资金，含往期签约的续建项目"),
        FUNDS_LABEL, lambda f: f.in_place, "funds",
    ),
    KpiSpec(
        "funds_rate", gettext_lazy("资金到位率"), "rate", "amount",
        gettext_lazy("当期签约项目在统计期内的到位资金 ÷ 当期签约项目协议投资额 × 100%"),
        gettext_lazy("当期签约项目到位资金"), lambda f: f.signed_funds, "signed_funds",
        CONTRACTED_LABEL, lambda f: f.contracted, "signed",
    ),
    KpiSpec(
        "share_1yi", gettext_lazy("亿元以上项目占比"), "rate", "count",
        gettext_lazy("计入统计的协议投资 ≥ 1 亿元的当期签约项目数 ÷ 当期签约项目数 × 100%"),
        gettext_lazy("亿元以上项目数"), lambda f: f.over_1yi, "over_1yi",
        SIGNED_LABEL, lambda f: f.signed, "signed",
    ),
    KpiSpec(
        "share_10yi", gettext_lazy("10亿元以上项目占比"), "rate", "count",
        gettext_lazy("计入统计的协议投资 ≥ 10 亿元的当期签约项目数 ÷ 当期签约项目数 × 100%"),
        gettext_lazy("10亿元以上项目数"), lambda f: f.over_10yi, "over_10yi",
        SIGNED_LABEL, lambda f: f.signed, "signed",
    ),
    KpiSpec(
        "out_of_province", gettext_lazy("省外到位资金"), "amount", "amount",
        gettext_lazy("Σ 统计期内各月到位资金中的省外资金"),
        gettext_lazy("省外到位资金"), lambda f: f.out_of_province_funds, "out_of_province",
    ),
    KpiSpec(
        "out_of_province_share", gettext_lazy("省外资金占比"), "rate", "amount",
        gettext_lazy("省外到位资金 ÷ 到位资金 × 100%"),
        gettext_lazy("省外到位资金"), lambda f: f.out_of_province_funds, "out_of_province",
        FUNDS_LABEL, lambda f: f.in_place, "funds",
    ),
    KpiSpec(
        "out_of_province_growth", gettext_lazy("省外资金同比增长"), "growth", "amount",
        gettext_lazy("（本期省外到位资金 − 上年同期省外到位资金）÷ 上年同期省外到位资金 × 100%"),
        gettext_lazy("本期省外到位资金"), lambda f: f.out_of_province_funds, "out_of_province",
        gettext_lazy("上年同期省外到位资金"), lambda f: f.out_of_province_funds_last_year, "out_of_province_last_year",
    ),
    KpiSpec(
        "foreign", gettext_lazy("外资到位"), "amount", "amount",
        gettext_lazy("Σ 统计期内各月到位资金中的外资"),
        gettext_lazy("外资到位"), lambda f: f.foreign_funds, "foreign",
    ),
    KpiSpec(
        "foreign_share", gettext_lazy("外资占比"), "rate", "amount",
        gettext_lazy("外资到位 ÷ 到位资金 × 100%"),
        gettext_lazy("外资到位"), lambda f: f.foreign_funds, "foreign",
        FUNDS_LABEL, lambda f: f.in_place, "funds",
    ),
    KpiSpec(
        "days_to_start", gettext_lazy("签约至开工平均天数"), "days", "days",
        gettext_lazy("Σ（开工日期 − 签约日期）÷ 统计期内开工的项目数"),
        gettext_lazy("签约至开工天数合计"), lambda f: f.days_to_start, "started_in_period",
        gettext_lazy("统计期内开工项目数"), lambda f: f.started_in_period, "started_in_period",
    ),
)  # fmt: skip
SPEC_BY_KEY = {spec.key: spec for spec in SPECS}


def kpis_from(figures: Figures) -> dict[str, Kpi]:
    """Every KPI from the sums, in display order."""
    return {spec.key: _kpi(spec, figures) for spec in SPECS}


def _kpi(spec: KpiSpec, figures: Figures) -> Kpi:
    numerator = spec.numerator(figures)
    denominator = spec.denominator(figures) if spec.denominator else None
    return Kpi(
        key=spec.key,
        name=str(spec.name),
        kind=spec.kind,
        parts=spec.parts,
        value=_value(spec.kind, numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        formula=str(spec.formula),
        numerator_label=str(spec.numerator_label),
        denominator_label=str(spec.denominator_label or ""),
        drill=spec.drill,
        denominator_drill=spec.denominator_drill,
    )


def _value(kind: str, numerator, denominator):
    if kind in ("count", "amount"):
        return numerator
    if not denominator:
        return None
    if kind == "growth":
        return (Decimal(numerator) - Decimal(denominator)) / Decimal(denominator)
    return Decimal(numerator) / Decimal(denominator)


def compute_kpis(projects: QuerySet, period: Period, *, unit: Unit | None = None) -> dict[str, Kpi]:
    """All KPIs of ``projects`` (the viewer's scope) for the period, optionally within one unit's subtree."""
    if unit is not None:
        projects = projects.in_unit(unit)
    return kpis_from(total(scan(projects, period)))


# ---- per unit -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    label: str
    #: child / own (the unit itself) / other (projects the unit takes part in elsewhere) / total
    role: str
    unit: Unit | None
    kpis: dict[str, Kpi]


def default_base(user) -> Unit | None:
    """Whose children the per-unit table lists: the viewer's unit, the whole area for the coordinating bureau."""
    unit = getattr(user, "unit", None)
    if unit is not None and is_coordinator(user):
        return area_of(unit) or unit
    return unit


def kpi_units(base: Unit | None) -> QuerySet:
    """The units a viewer may narrow the KPIs to: the subtree of their default base (``default_base``)."""
    if base is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=base.path, is_active=True).order_by("path")


def unit_breakdown(projects: "QuerySet | KpiScope", period: Period, base: Unit) -> tuple[list[UnitRow], list[Cell]]:
    """The KPIs of each child unit of ``base`` (areas always, other units when they have data), then the total.

    ``projects`` as for ``scan``. A few queries whatever the number of units; the cells are returned for
    ``monthly``.
    """
    cells = scan(projects, period, path_length=Unit.steplen * (base.depth + 1))
    by_key: dict[str, Figures] = {}
    for cell in cells:
        by_key.setdefault(cell.key, Figures())
        by_key[cell.key] += cell.figures
    children = list(Unit.objects.filter(path__startswith=base.path, depth=base.depth + 1).order_by("path"))
    rows = [
        UnitRow(child.display_name, "child", child, kpis_from(by_key.get(child.path) or Figures()))
        for child in children
        if child.path in by_key or (child.is_active and child.kind in AREA_KINDS)
    ]
    if base.path in by_key:
        own = kpis_from(by_key[base.path])
        rows.append(UnitRow(_("%(unit)s本级") % {"unit": base.display_name}, "own", base, own))
    known = {child.path for child in children} | {base.path}
    others = Figures()
    for key, figures in by_key.items():
        if key not in known:
            others += figures
    if any(key not in known for key in by_key):
        rows.append(UnitRow(_("参与的其他单位项目"), "other", None, kpis_from(others)))
    rows.append(UnitRow(_("合计"), "total", None, kpis_from(total(cells))))
    return rows, cells


# ---- by month -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: date
    signed: int
    planned: Decimal
    contracted: Decimal
    funds: Decimal
    out_of_province: Decimal
    foreign: Decimal
    fixed_asset: Decimal


def monthly(cells: list[Cell], period: Period, *, today: date | None = None) -> list[MonthRow]:
    """Signings, contracted and in-place investment month by month, up to the current month."""
    by_month: dict[date, Figures] = {}
    for cell in cells:
        if cell.month is not None:
            by_month[cell.month] = by_month.get(cell.month, Figures()) + cell.figures
    return [_month_row(month, by_month.get(month) or Figures()) for month in _month_list(period, today)]


def _month_list(period: Period, today: date | None) -> list[date]:
    last = min(period.end, today or timezone.localdate())
    months, month = [], period.first_month
    while month <= last:
        months.append(month)
        month = _month_end(month) + timedelta(days=1)
    return months


def _month_row(month: date, figures: Figures) -> MonthRow:
    return MonthRow(
        month=month,
        signed=figures.signed,
        planned=figures.planned,
        contracted=figures.contracted,
        funds=figures.in_place,
        out_of_province=figures.out_of_province_funds,
        foreign=figures.foreign_funds,
        fixed_asset=figures.fixed_assets,
    )


# ---- drill-down ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    key: str
    title: Promise
    #: the period whose funds the list shows (this one, or the same period last year)
    last_year: bool = False


DRILLS = {
    drill.key: drill
    for drill in (
        Drill("signed", gettext_lazy("当期签约项目")),
        Drill("started", gettext_lazy("当期签约项目中截至期末已开工的项目")),
        Drill("producing", gettext_lazy("当期签约项目中截至期末已投产的项目")),
        Drill("at_capacity", gettext_lazy("当期签约项目中截至期末已达产的项目")),
        Drill("over_1yi", gettext_lazy("亿元以上当期签约项目")),
        Drill("over_10yi", gettext_lazy("10亿元以上当期签约项目")),
        Drill("signed_funds", gettext_lazy("当期签约项目中统计期内有到位资金的项目")),
        Drill("funds", gettext_lazy("统计期内有到位资金的项目")),
        Drill("out_of_province", gettext_lazy("统计期内有省外到位资金的项目")),
        Drill("out_of_province_last_year", gettext_lazy("上年同期有省外到位资金的项目"), last_year=True),
        Drill("foreign", gettext_lazy("统计期内有外资到位的项目")),
        Drill("started_in_period", gettext_lazy("统计期内开工的项目")),
    )
}


def _fund_sum(field: str, period: Period) -> Coalesce:
    records = (
        FundRecord.objects.filter(project=OuterRef("pk"), month__range=_months(period))
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(records, output_field=AMOUNT), ZERO, output_field=AMOUNT)


def _has_funds(period: Period, **condition) -> Exists:
    return Exists(FundRecord.objects.filter(project=OuterRef("pk"), month__range=_months(period), **condition))


def _drill_condition(key: str, period: Period):
    signed = signed_in(period)
    conditions = {
        "signed": signed,
        "started": signed & reached_by_end(Stage.STARTED, "started_on", period),
        "producing": signed & reached_by_end(Stage.PRODUCING, "producing_on", period),
        "at_capacity": signed & reached_by_end(Stage.AT_CAPACITY, "at_capacity_on", period),
        "over_1yi": signed & at_least(YI),
        "over_10yi": signed & at_least(TEN_YI),
        "signed_funds": signed & _has_funds(period),
        "funds": _has_funds(period),
        "out_of_province": _has_funds(period, out_of_province__gt=0),
        "out_of_province_last_year": _has_funds(period, out_of_province__gt=0),
        "foreign": _has_funds(period, foreign__gt=0),
        "started_in_period": started_in(period),
    }
    return conditions[key]


#: drill-downs over fund records: only confirmed-signed projects have funds that count
FUND_DRILLS = {"funds", "signed_funds", "out_of_province", "out_of_province_last_year", "foreign"}
#: the order of a drill-down: by date, so that only the shown page's amounts are computed
DRILL_ORDER = {"started_in_period": ("-started_on", "-id")}


def drilled_projects(
    projects: QuerySet, period: Period, key: str, *, unit: Unit | None = None, search: str = ""
) -> QuerySet:
    """The projects behind a KPI's numerator (a key of DRILLS), optionally in a unit and matching a search."""
    if unit is not None:
        projects = projects.in_unit(unit)
    counted = counted_projects(projects)
    if key in FUND_DRILLS:
        counted = counted.filter(counted_stage__in=stages_from(Stage.SIGNED))
    return search_projects(counted.filter(_drill_condition(key, drill_period(period, key))), search)


def drill_period(period: Period, key: str) -> Period:
    """The period whose funds a drill-down shows: the same period last year for last year's figure."""
    return period.year_before() if DRILLS[key].last_year else period


def with_amounts(drilled: QuerySet, period: Period, key: str) -> QuerySet:
    """What a drill-down lists for each project: ``counted`` (协议投资 under 不重复统计), ``period_funds``,
    ``period_out_of_province``, ``period_foreign`` (in the drill's period) and ``days_to_start``.

    Ordered by date, so that the database computes the amounts of the shown page only.
    """
    funds_period = drill_period(period, key)
    return (
        drilled.select_related("unit", "enterprise")
        .annotate(
            counted=counted_investment(),
            period_funds=_fund_sum("amount", funds_period),
            period_out_of_province=_fund_sum("out_of_province", funds_period),
            period_foreign=_fund_sum("foreign", funds_period),
            days_to_start=ExpressionWrapper(F("started_on") - F("signed_on"), output_field=DurationField()),
        )
        .order_by(*DRILL_ORDER.get(key, ("-signed_on", "-id")))
    )


def kpi_projects(projects: QuerySet, period: Period, key: str, *, unit: Unit | None = None) -> QuerySet:
    """The projects behind a KPI's numerator with the amounts the KPI adds up (see ``with_amounts``)."""
    return with_amounts(drilled_projects(projects, period, key, unit=unit), period, key)


def drill_totals(drilled: QuerySet, period: Period, key: str) -> dict[str, object]:
    """The sums of a drill-down's columns, which agree with the KPI's numerator: two aggregate queries."""
    plain = drilled.order_by()
    totals = plain.aggregate(count=Count("pk"), counted=Sum(counted_investment()))
    funds = FundRecord.objects.filter(project__in=plain.values("pk"), month__range=_months(drill_period(period, key)))
    totals |= funds.aggregate(in_place=Sum("amount"), out_of_province=Sum("out_of_province"), foreign=Sum("foreign"))
    return {name: value if value is not None else Decimal(0) for name, value in totals.items()}


def search_projects(projects: QuerySet, text: str) -> QuerySet:
    """Narrow a drill-down by a project's name or code or its enterprise's name."""
    text = text.strip()
    if not text:
        return projects
    return projects.filter(Q(name__icontains=text) | Q(code__icontains=text) | Q(enterprise__name__icontains=text))
