"""The demo city's business-environment evaluation: a version of the indicator system completed for the
demo, two published annual rounds for every county and zone, and the last ended quarter's round under way.

The indicators that time-limit commitments name (开办企业时间 …) are computed from the demo's commitment
cases (yingshang/demo/commitments.py). The shipped "2025" version stays a draft (its second-level indicators are a draft to be checked against the
official list). The demo copies it into "2025D", gives every indicator without parameters values by its
kind, names the lead units, and publishes the copy, saying so in its notes. Each area has a level of
performance that drifts between years, so the scores spread realistically and ranks move; about 2 % of the
values are missing. Province and city averages are entered as references. In the open round the 市场监管局
(demo account ``bumen``) has entered and submitted part of its values and one was returned.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.bizenv.models import Commitment, Entry, Indicator, Methodology, Reference, Round
from apps.bizenv.services import platform_values, results, rounds
from apps.bizenv.services.methodologies import copy_methodology, publish_methodology
from apps.org.models import Unit, User
from yingshang.demo.context import DemoContext

CODE = "2025D"
KEEPER = "yingshang"
MISSING = 0.02
#: first-level indicator → the city department leading it (by name)
LEAD_UNITS = {
    "开办企业": "市市场监督管理局",
    "劳动力市场监管": "市人力资源和社会保障局",
    "办理建筑许可": "市住房和城乡建设局",
    "政府采购": "市财政局",
    "招标投标": "市发展和改革委员会",
    "获得电力": "市发展和改革委员会",
    "获得用水用气": "市水务局",
    "登记财产": "市自然资源和规划局",
    "获得信贷": "市财政局",
    "保护中小投资者": "市市场监督管理局",
    "知识产权创造、保护和运用": "市市场监督管理局",
    "跨境贸易": "市商务局",
    "纳税": "国家税务总局示范市税务局",
    "执行合同": "市司法局",
    "办理破产": "市司法局",
    "市场监管": "市市场监督管理局",
    "政务服务": "市政务服务和数据管理局",
    "包容普惠创新": "市科学技术局",
}
#: parameters by kind for indicators the draft leaves without: (method, direction, parameters)
BY_KIND = {
    Indicator.Kind.TIME: ("frontier", "lower_better", {"best": 1, "worst": 30}),
    Indicator.Kind.STEPS: ("frontier", "lower_better", {"best": 1, "worst": 10}),
    Indicator.Kind.COST: ("frontier", "lower_better", {"best": 0, "worst": 5}),
    Indicator.Kind.RATE: ("efficacy", "higher_better", {"satisfactory": 98, "unacceptable": 70}),
    Indicator.Kind.SATISFACTION: ("efficacy", "higher_better", {"satisfactory": 98, "unacceptable": 75}),
    Indicator.Kind.INDEX: ("frontier", "higher_better", {"best": 100, "worst": 0}),
    Indicator.Kind.YES_NO: ("yes_no", "higher_better", {}),
}


def build(ctx: DemoContext) -> None:
    keeper = User.objects.get(username=KEEPER)
    methodology = _methodology(keeper)
    areas = list(Unit.objects.filter(depth=2, kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE)).order_by("code"))
    leaves = rounds.leaves(rounds.indicators_of(methodology))
    rng = ctx.rng("bizenv")
    level = {area.pk: rng.uniform(0.35, 0.95) for area in areas}
    today = timezone.localdate()
    for year, disclosure in ((today.year - 2, Round.Disclosure.CITY_WIDE), (today.year - 1, Round.Disclosure.OWN)):
        level = {pk: min(1.0, max(0.2, value + rng.uniform(-0.12, 0.12))) for pk, value in level.items()}
        round_ = _round(methodology, keeper, areas, year, None, date(year + 1, 1, 6), date(year + 1, 1, 31))
        _fill(round_, leaves, areas, level, rng, keeper)
        _from_platform(round_, keeper)
        _references(round_, leaves, rng)
        rounds.close_round(round_=round_, by=keeper)
        results.publish_round(round_=round_, by=keeper)
        rounds.set_disclosure(round_=round_, disclosure=disclosure, by=keeper)
    year, quarter = (today.year, (today.month - 1) // 3) if today.month > 3 else (today.year - 1, 4)
    current = _round(methodology, keeper, areas, year, quarter, today - timedelta(days=20), today + timedelta(days=10))
    _under_way(current, leaves, areas, level, rng, keeper)


def clear() -> None:
    Round.objects.all().delete()
    Methodology.objects.filter(code=CODE).delete()


def _methodology(keeper: User) -> Methodology:
    source = Methodology.objects.get(code="2025")
    copy = copy_methodology(
        source=source,
        code=CODE,
        name="2025年营商环境评价指标体系（演示）",
        by=keeper,
        notes="演示数据：由“2025”版本复制，草案二级指标的计分参数和牵头单位按示范市口径补齐后发布，不是正式指标体系。",
    )
    departments = {unit.name: unit for unit in Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, depth=2)}
    indicators = list(copy.indicators.select_related("parent"))
    leaves = set(rounds.leaves(indicators))
    measured = set(Commitment.objects.filter(is_active=True).values_list("indicator_code", flat=True))
    for indicator in indicators:
        if indicator.code in measured:
            indicator.data_source = Indicator.Source.PLATFORM
        first = indicator if indicator.level == 1 else indicator.parent
        indicator.lead_unit = departments.get(LEAD_UNITS.get(first.name, ""))
        if indicator in leaves and not indicator.parameters and indicator.kind in BY_KIND:
            indicator.method, indicator.direction, indicator.parameters = BY_KIND[indicator.kind]
        indicator.save()
    return publish_methodology(methodology=copy, by=keeper, confirm_drafts=True)


def _round(methodology, keeper, areas, year: int, quarter: int | None, opens: date, closes: date) -> Round:
    name = f"{year}年第{quarter}季度营商环境评价" if quarter else f"{year}年度营商环境评价"
    fields = rounds.RoundFields(name, year, quarter, opens, closes)
    round_ = rounds.create_round(methodology=methodology, fields=fields, units=areas, by=keeper)
    return rounds.open_round(round_=round_, by=keeper)


def raw_value(indicator: Indicator, quality: float) -> str:
    """A raw value where ``quality`` 1 is about the best and 0 about the worst the parameters allow."""
    params = indicator.parameters
    if indicator.method == Indicator.Method.YES_NO:
        return "是" if quality > 0.3 else "否"
    if indicator.method == Indicator.Method.EFFICACY:
        good, bad = Decimal(str(params["satisfactory"])), Decimal(str(params["unacceptable"]))
    elif indicator.method == Indicator.Method.STANDARD:
        step = Decimal(str(params["step"])) or Decimal(1)
        good = Decimal(str(params["standard"]))
        bad = good + (100 / step if indicator.direction == Indicator.Direction.LOWER_BETTER else -100 / step)
    else:
        good, bad = Decimal(str(params["best"])), Decimal(str(params["worst"]))
    value = bad + (good - bad) * Decimal(str(round(quality, 3)))
    if indicator.kind == Indicator.Kind.STEPS:
        return str(max(int(value.to_integral_value()), 1))
    return str(value.quantize(Decimal("0.1")))


def _quality(rng: random.Random, level: float) -> float:
    return min(1.0, max(0.0, rng.gauss(level, 0.15)))


def _fill(round_: Round, leaves, areas, level, rng, keeper: User) -> None:
    """Every value entered, submitted and approved (bulk: the demo's own data, audit logging is off)."""
    now = timezone.now()
    entries = [
        Entry(
            round=round_,
            unit=area,
            indicator=leaf,
            value=raw_value(leaf, _quality(rng, level[area.pk])),
            status=Entry.Status.APPROVED,
            entered_by=keeper,
            reviewed_by=keeper,
            reviewed_at=now,
        )  # fmt: skip
        for leaf in leaves
        for area in areas
        if rng.random() >= MISSING and leaf.data_source != Indicator.Source.PLATFORM
    ]
    Entry.objects.bulk_create(entries)


def _from_platform(round_: Round, keeper: User) -> None:
    """The indicators measured on the commitment cases take their values from them, then pass review."""
    platform_values.fill_from_platform(round_=round_, by=keeper)
    for indicator in platform_values.computed_indicators(round_):
        rounds.approve_submitted(round_=round_, indicator=indicator, by=keeper)


def _references(round_: Round, leaves, rng) -> None:
    references = []
    for leaf in leaves:
        for level, quality in ((Reference.Level.PROVINCE, rng.uniform(0.5, 0.75)), (Reference.Level.CITY, None)):
            quality = quality if quality is not None else rng.uniform(0.55, 0.8)
            references.append(Reference(round=round_, indicator=leaf, level=level, value=raw_value(leaf, quality)))
    Reference.objects.bulk_create(references)


def _under_way(round_: Round, leaves, areas, level, rng, keeper: User) -> None:
    """The quarter's round: the 市场监管局's values of 开办企业 entered and submitted, one returned."""
    lead = User.objects.filter(username="bumen").first()
    if lead is None:
        return
    mine = [leaf for leaf in leaves if leaf.lead_unit_id == lead.unit_id][:4]
    for leaf in mine:
        for area in areas:
            value = raw_value(leaf, _quality(rng, level[area.pk]))
            rounds.save_entry(round_=round_, unit=area, indicator=leaf, value=value, by=lead)
        rounds.submit_entries(round_=round_, indicator=leaf, by=lead)
    if mine:
        rounds.approve_submitted(round_=round_, indicator=mine[0], by=keeper)
        doubtful = Entry.objects.filter(round=round_, indicator=mine[-1]).first()
        rounds.review_entry(entry=doubtful, approve=False, comment="与登记系统统计口径不一致，请核对后重报", by=keeper)
