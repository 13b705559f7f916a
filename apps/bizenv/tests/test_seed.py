"""The data migration: the national 18 first-level indicators and a second level marked as a draft."""

import pytest

from apps.bizenv.models import Indicator, Methodology

pytestmark = pytest.mark.django_db

NATIONAL_18 = [
    "开办企业", "劳动力市场监管", "办理建筑许可", "政府采购", "招标投标", "获得电力", "获得用水用气", "登记财产",
    "获得信贷", "保护中小投资者", "知识产权创造、保护和运用", "跨境贸易", "纳税", "执行合同", "办理破产", "市场监管",
    "政务服务", "包容普惠创新",
]  # fmt: skip


def test_2025_is_a_draft_with_the_national_18_in_order(seeded):
    first = seeded.indicators.filter(level=1).order_by("order")

    assert seeded.status == Methodology.Status.DRAFT
    assert [i.name for i in first] == NATIONAL_18
    assert [i.code for i in first] == [f"{n:02d}" for n in range(1, 19)]
    assert not any(i.is_draft for i in first)


def test_every_second_level_indicator_is_a_draft_under_its_first_level(seeded):
    second = list(seeded.indicators.filter(level=2).select_related("parent"))

    assert len(second) > 60
    assert all(i.is_draft for i in second)
    assert all(i.code.startswith(i.parent.code + ".") and i.parent.level == 1 for i in second)
    assert all(i.lead_unit_id is None for i in seeded.indicators.all())


def test_frontier_parameters_follow_doing_business_2020(seeded):
    time = seeded.indicators.get(name="开办企业时间")
    judicial = seeded.indicators.get(name="司法程序质量指数")
    recovery = seeded.indicators.get(name="回收率")

    assert (time.direction, time.kind, time.parameters["best"], time.parameters["worst"]) == (
        "lower_better", "time", 0.5, 100)  # fmt: skip
    assert (judicial.direction, judicial.parameters["best"], judicial.parameters["worst"]) == ("higher_better", 18, 0)
    assert (recovery.parameters["best"], recovery.parameters["worst"]) == (92.9, 0)


def test_seeded_parameters_pass_the_services_own_checks(seeded):
    from apps.bizenv.methods import clean_parameters

    for indicator in Indicator.objects.filter(methodology=seeded):
        clean_parameters(indicator.method, indicator.direction, indicator.parameters, required=False)


def test_satisfaction_indicators_come_from_surveys(seeded):
    satisfaction = seeded.indicators.filter(kind=Indicator.Kind.SATISFACTION)

    assert satisfaction.exists()
    assert set(satisfaction.values_list("data_source", flat=True)) == {Indicator.Source.SURVEY}
