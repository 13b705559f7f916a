"""Keeping the indicator system: each rule refused in Chinese, published versions frozen, copies deep."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from apps.bizenv.models import Indicator, Methodology
from apps.bizenv.services import methodologies as services
from apps.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db


def _point(draft, **fields):
    """Fields for an observation point under 01.01."""
    values = {
        "code": "01.01.01", "name": "设立登记时间", "kind": "time", "direction": "lower_better",
        "parameters": {"best": 0.5, "worst": 10},
    }  # fmt: skip
    return {**values, **fields}


def _published(draft, bizenv_keeper):
    services.update_indicator(
        indicator=draft.indicators.get(code="01.02"), by=bizenv_keeper, parameters={"best": 1, "worst": 18}
    )
    return services.publish_methodology(methodology=draft, by=bizenv_keeper, confirm_drafts=True)


# ---- versions -------------------------------------------------------------------------------


def test_a_keeper_creates_an_empty_draft_version(bizenv_keeper):
    methodology = services.create_methodology(code=" 2026 ", name="2026年指标体系", by=bizenv_keeper)

    assert (methodology.code, methodology.status, methodology.created_by) == ("2026", "draft", bizenv_keeper)


@pytest.mark.parametrize(
    ("code", "name", "message"),
    [
        ("T1", "重复", "已有版本号为“T1”的评价方法。"),
        ("20 26", "空格", "版本号只能由字母、数字和点组成，如“2025”。"),
        ("2026", " ", "请填写版本名称。"),
    ],
)
def test_a_version_needs_a_new_code_and_a_name(draft, bizenv_keeper, code, name, message):
    with pytest.raises(BusinessRuleError) as error:
        services.create_methodology(code=code, name=name, by=bizenv_keeper)

    assert error.value.message == message


def test_only_the_keeper_changes_the_indicator_system(draft, reader, city_leader):
    for person in (reader, city_leader):
        with pytest.raises(BusinessRuleError) as error:
            services.create_indicator(methodology=draft, by=person, code="02", name="劳动力市场监管")
        assert error.value.message == "只有营商环境管理员可以维护评价指标体系。"

    assert draft.indicators.count() == 3


def test_a_draft_version_is_deleted_with_its_indicators(draft, bizenv_keeper):
    services.delete_methodology(methodology=draft, by=bizenv_keeper)

    assert not Methodology.objects.filter(code="T1").exists()
    assert not Indicator.objects.filter(methodology__code="T1").exists()


# ---- indicators -----------------------------------------------------------------------------


def test_an_observation_point_goes_under_a_second_level_indicator(draft, bizenv_keeper, bureau, market_bureau):
    parent = draft.indicators.get(code="01.01")

    point = services.create_indicator(
        methodology=draft, parent=parent, by=bizenv_keeper, lead_unit=bureau, co_units=[market_bureau],
        weight=Decimal("0.5"), **_point(draft),
    )  # fmt: skip

    assert (point.level, point.parent, point.lead_unit) == (3, parent, bureau)
    assert list(point.co_units.all()) == [market_bureau]
    assert point.parameters == {"best": 0.5, "worst": 10}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "02.01.01"}, "下级指标的代码须以上级代码“01.01.”开头。"),
        ({"code": "01.01.01.01"}, "观测点的代码应有 3 段（以点分隔）。"),
        ({"code": "01/01"}, "指标代码只能由字母、数字和点组成，如“01”“01.02”。"),
        ({"name": " "}, "请填写指标名称。"),
        ({"weight": Decimal("-1")}, "权重不能为负数。"),
        ({"parameters": {}}, "计分方法需要参数：前沿最优值、前沿最差值。"),
        ({"parameters": {"best": 0.5}}, "计分方法需要参数：前沿最差值。"),
        ({"parameters": {"best": "快", "worst": 10}}, "“前沿最优值”须为数字。"),
        ({"parameters": {"best": 10, "worst": 0.5}}, "前沿最优值须小于前沿最差值。"),
        ({"method": "efficacy", "parameters": {"satisfactory": 5, "unacceptable": 2}}, "满意值须小于不允许值。"),
        ({"method": "standard", "parameters": {"standard": 3}}, "计分方法需要参数：每单位扣分。"),
        ({"method": "standard", "parameters": {"standard": 3, "step": -2}}, "每单位扣分不能为负数。"),
        ({"alert_threshold": Decimal(120)}, "预警阈值须在0到100之间。"),
        ({"excellence_threshold": Decimal(60)}, "优秀阈值须高于预警阈值。"),
        ({"kind": "speed"}, "指标类型：值 'speed' 不是有效选项。"),
    ],
)
def test_an_indicator_breaking_a_rule_is_refused_in_chinese(draft, bizenv_keeper, fields, message):
    parent = draft.indicators.get(code="01.01")

    with pytest.raises(BusinessRuleError) as error:
        services.create_indicator(methodology=draft, parent=parent, by=bizenv_keeper, **_point(draft, **fields))

    assert error.value.message == message
    assert not draft.indicators.filter(level=3).exists()


def test_a_code_is_unique_within_its_version(draft, seeded, bizenv_keeper):
    with pytest.raises(BusinessRuleError) as error:
        services.create_indicator(
            methodology=draft, parent=draft.indicators.get(code="01"), by=bizenv_keeper, code="01.01", name="重复"
        )

    assert error.value.message == "本版本已有代码为“01.01”的指标。"
    assert seeded.indicators.filter(code="01.01").exists()  # another version may use the same code


def test_observation_points_have_no_sub_indicators(draft, bizenv_keeper):
    point = services.create_indicator(
        methodology=draft, parent=draft.indicators.get(code="01.01"), by=bizenv_keeper, **_point(draft)
    )

    with pytest.raises(BusinessRuleError) as error:
        services.create_indicator(
            methodology=draft, parent=point, by=bizenv_keeper, code="01.01.01.01", name="更细", method="yes_no"
        )

    assert error.value.message == "指标最多三级（一级指标、二级指标、观测点），观测点下不能再设下级。"


def test_the_parent_must_be_in_the_same_version(draft, seeded, bizenv_keeper):
    foreign = seeded.indicators.get(code="01")

    with pytest.raises(BusinessRuleError) as error:
        services.create_indicator(methodology=draft, parent=foreign, by=bizenv_keeper, code="01.09", name="外来")

    assert error.value.message == "上级指标不属于同一评价方法版本。"


def test_a_first_level_indicator_may_leave_its_parameters_to_its_sub_indicators(draft, bizenv_keeper):
    indicator = services.create_indicator(methodology=draft, by=bizenv_keeper, code="02", name="劳动力市场监管")

    assert (indicator.level, indicator.parameters, indicator.weight, indicator.alert_threshold) == (
        1, {}, Decimal(1), Decimal(70))  # fmt: skip


def test_lead_and_co_operating_units_must_be_active_and_distinct(draft, bizenv_keeper, bureau, market_bureau):
    indicator = draft.indicators.get(code="01.01")
    market_bureau.is_active = False
    market_bureau.save()

    cases = [
        ({"lead_unit": market_bureau}, "牵头单位“市市场监督管理局”已停用。"),
        ({"co_units": [market_bureau]}, "配合单位“市市场监督管理局”已停用。"),
        ({"lead_unit": bureau, "co_units": [bureau]}, "牵头单位不必再列为配合单位。"),
    ]
    for fields, message in cases:
        with pytest.raises(BusinessRuleError) as error:
            services.update_indicator(indicator=draft.indicators.get(pk=indicator.pk), by=bizenv_keeper, **fields)
        assert error.value.message == message

    indicator.refresh_from_db()
    assert indicator.lead_unit is None


def test_editing_an_indicator_sets_its_units_and_confirms_the_draft(draft, bizenv_keeper, bureau, market_bureau):
    indicator = draft.indicators.get(code="01.01")

    services.update_indicator(
        indicator=indicator, by=bizenv_keeper, name="开办企业时间（全流程）", lead_unit=market_bureau,
        co_units=[bureau], is_draft=False,
    )  # fmt: skip

    indicator.refresh_from_db()
    assert (indicator.name, indicator.lead_unit, indicator.is_draft) == ("开办企业时间（全流程）", market_bureau, False)
    assert list(indicator.co_units.all()) == [bureau]


def test_an_indicator_with_children_keeps_its_code_and_cannot_be_deleted(draft, bizenv_keeper):
    first = draft.indicators.get(code="01")

    with pytest.raises(BusinessRuleError) as error:
        services.update_indicator(indicator=first, by=bizenv_keeper, code="09")
    assert error.value.message == "有下级指标的指标不能修改代码。"
    with pytest.raises(BusinessRuleError) as error:
        services.delete_indicator(indicator=draft.indicators.get(code="01"), by=bizenv_keeper)
    assert error.value.message == "请先删除“开办企业”的下级指标。"

    assert draft.indicators.filter(code="01").exists()


def test_a_leaf_indicator_is_deleted(draft, bizenv_keeper):
    services.delete_indicator(indicator=draft.indicators.get(code="01.02"), by=bizenv_keeper)

    assert list(draft.indicators.values_list("code", flat=True)) == ["01", "01.01"]


def test_changes_are_audited_with_the_keeper_as_actor(draft, bizenv_keeper):
    indicator = services.update_indicator(indicator=draft.indicators.get(code="01.01"), by=bizenv_keeper, weight=3)

    entry = LogEntry.objects.get_for_object(indicator).latest("timestamp")
    assert entry.actor == bizenv_keeper
    assert "weight" in entry.changes_dict


# ---- publication ----------------------------------------------------------------------------


def test_publishing_refuses_while_drafts_remain_unless_confirmed(draft, bizenv_keeper):
    services.update_indicator(
        indicator=draft.indicators.get(code="01.02"), by=bizenv_keeper, parameters={"best": 1, "worst": 18}
    )

    with pytest.raises(BusinessRuleError) as error:
        services.publish_methodology(methodology=draft, by=bizenv_keeper)

    assert error.value.message == "还有 2 项指标是草案（待管理员核对），请核对后确认发布；发布即确认全部草案指标。"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_confirms_every_draft_and_freezes_the_version(draft, bizenv_keeper):
    published = _published(draft, bizenv_keeper)

    published.refresh_from_db()
    assert (published.status, published.published_by) == ("published", bizenv_keeper)
    assert published.published_at is not None
    assert not published.indicators.filter(is_draft=True).exists()


def test_an_indicator_without_parameters_or_weight_stops_the_publication(draft, bizenv_keeper):
    with pytest.raises(BusinessRuleError) as error:
        services.publish_methodology(methodology=draft, by=bizenv_keeper, confirm_drafts=True)
    assert (
        error.value.message
        == "以下指标不完整，不能发布：01.02 开办企业环节：计分方法需要参数：前沿最优值、前沿最差值。"
    )

    services.update_indicator(
        indicator=draft.indicators.get(code="01.02"), by=bizenv_keeper, weight=0, parameters={"best": 1, "worst": 18}
    )
    services.update_indicator(indicator=draft.indicators.get(code="01.01"), by=bizenv_keeper, weight=0)
    with pytest.raises(BusinessRuleError) as error:
        services.publish_methodology(methodology=draft, by=bizenv_keeper, confirm_drafts=True)
    assert error.value.message == "以下指标不完整，不能发布：01 开办企业：下级指标的权重之和为0。"


def test_an_empty_version_is_not_published(bizenv_keeper):
    empty = services.create_methodology(code="E", name="空版本", by=bizenv_keeper)

    with pytest.raises(BusinessRuleError) as error:
        services.publish_methodology(methodology=empty, by=bizenv_keeper)

    assert error.value.message == "该版本还没有指标，不能发布。"


def test_the_seeded_draft_cannot_be_published_before_the_city_completes_it(seeded, bizenv_keeper):
    with pytest.raises(BusinessRuleError) as error:
        services.publish_methodology(methodology=seeded, by=bizenv_keeper, confirm_drafts=True)

    assert error.value.message.startswith(
        "以下指标不完整，不能发布：01.04 开办企业便利度：计分方法需要参数：前沿最优值、前沿最差值；"
    )
    assert error.value.message.endswith("共 44 项。")


def test_a_published_version_and_its_indicators_are_frozen(draft, bizenv_keeper, bureau):
    published = _published(draft, bizenv_keeper)
    indicator = published.indicators.get(code="01.01")
    frozen = "评价方法版本“T1”已发布，不能再修改；如需调整，请复制为新版本。"

    attempts = [
        lambda: services.create_indicator(methodology=published, by=bizenv_keeper, code="02", name="新"),
        lambda: services.update_indicator(indicator=indicator, by=bizenv_keeper, lead_unit=bureau),
        lambda: services.delete_indicator(indicator=indicator, by=bizenv_keeper),
        lambda: services.update_methodology(methodology=published, name="改名", notes="", by=bizenv_keeper),
        lambda: services.delete_methodology(methodology=published, by=bizenv_keeper),
        lambda: services.publish_methodology(methodology=published, by=bizenv_keeper),
    ]
    for attempt in attempts:
        with pytest.raises(BusinessRuleError) as error:
            attempt()
        assert error.value.message == frozen

    indicator.refresh_from_db()
    assert (indicator.lead_unit, published.indicators.count(), published.name) == (None, 3, "测试版本")


# ---- copies ---------------------------------------------------------------------------------


def test_a_copy_is_a_new_draft_with_the_whole_tree_and_its_units(draft, bizenv_keeper, bureau, market_bureau):
    services.update_indicator(
        indicator=draft.indicators.get(code="01.01"), by=bizenv_keeper, lead_unit=bureau, co_units=[market_bureau]
    )
    source = _published(draft, bizenv_keeper)

    copy = services.copy_methodology(source=source, code="T2", name="测试版本二", by=bizenv_keeper)

    assert (copy.status, copy.based_on, copy.created_by) == ("draft", source, bizenv_keeper)
    twins = {i.code: i for i in copy.indicators.select_related("parent")}
    assert sorted(twins) == ["01", "01.01", "01.02"]
    assert twins["01.01"].parent == twins["01"]
    assert (twins["01.01"].lead_unit, list(twins["01.01"].co_units.all())) == (bureau, [market_bureau])
    assert twins["01.01"].parameters == {"best": 0.5, "worst": 100}
    assert twins["01.01"].weight == Decimal(2)
    assert not set(twins.values()) & set(source.indicators.all())


def test_editing_a_copy_leaves_the_source_alone(draft, bizenv_keeper):
    copy = services.copy_methodology(source=draft, code="T2", name="草稿的副本", by=bizenv_keeper)

    services.update_indicator(indicator=copy.indicators.get(code="01.01"), by=bizenv_keeper, name="改过的名称")

    assert draft.indicators.get(code="01.01").name == "开办企业时间"
    assert copy.indicators.get(code="01.01").is_draft  # a copy of a draft keeps its draft marks


def test_a_copy_needs_a_new_version_code(draft, bizenv_keeper):
    with pytest.raises(BusinessRuleError) as error:
        services.copy_methodology(source=draft, code="T1", name="重复", by=bizenv_keeper)

    assert error.value.message == "已有版本号为“T1”的评价方法。"
    assert Methodology.objects.filter(code="T1").count() == 1
