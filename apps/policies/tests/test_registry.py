"""The policy registry's services: validation, publish, repeal, copy, who may edit, the audit log."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from apps.core.errors import BusinessRuleError
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.policies.models import Policy, PolicyItem, PolicyState
from apps.policies.services import registry

pytestmark = pytest.mark.django_db


def policy_values(units, **overrides) -> dict:
    values = {
        "title": "示范市促进科技创新若干措施", "document_number": "示政办发〔2026〕12号", "kind": Policy.Kind.MAIN,
        "parent": None, "issuing_unit": units["policy_office"], "issued_on": date(2026, 3, 1),
        "effective_from": date(2026, 3, 15), "expires_on": date(2028, 12, 31), "summary": "", "full_text": "",
    }  # fmt: skip
    return {**values, **overrides}


def item_values(units, **overrides) -> dict:
    values = {
        "number": "第一条", "title": "研发投入奖励", "benefit_kind": "reward", "benefit": "按研发费用的5%奖励。",
        "fixed_amount": None, "cap_amount": Decimal("100"), "beneficiaries": "本市科技型企业",
        "conditions": "上年度研发费用200万元以上。", "materials": " 申请表 \n\n 研发费用专项审计报告\n",
        "department": units["industry"], "auto_grant": False, "review_days": 10, "legal_days": 5, "payment_days": 10,
    }  # fmt: skip
    return {**values, **overrides}


def test_create_policy_makes_a_draft(units, policy_officer):
    policy = registry.create_policy(by=policy_officer, **policy_values(units))

    assert policy.state_on(date(2026, 6, 1)) == PolicyState.DRAFT
    assert policy.created_by == policy_officer


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": Policy.Kind.MEASURE}, "parent", "配套实施细则须选择所依据的主政策。"),
        ({"effective_from": date(2026, 2, 1)}, "effective_from", "施行日期不能早于发文日期。"),
        ({"expires_on": date(2026, 3, 14)}, "expires_on", "有效期截止日期不能早于施行日期。"),
        ({"title": "  "}, "title", "请填写政策名称。"),
        ({"document_number": "示政发〔2026〕8号"}, "document_number", "文号“示政发〔2026〕8号”已登记，请核对。"),
    ],
)
def test_policy_rules_refuse_bad_input(units, policy_officer, policy, overrides, field, message):
    before = Policy.objects.count()

    with pytest.raises(BusinessRuleError) as error:
        registry.create_policy(by=policy_officer, **policy_values(units, **overrides))

    assert (error.value.field, error.value.message) == (field, message)
    assert Policy.objects.count() == before


def test_a_measure_needs_a_main_policy_not_another_measure(units, policy_officer, policy):
    measure = registry.create_policy(by=policy_officer, **policy_values(units, kind="measure", parent=policy))

    with pytest.raises(BusinessRuleError, match="所依据的政策须是一项主政策"):
        registry.create_policy(
            by=policy_officer, **policy_values(units, kind="measure", parent=measure, document_number="示2")
        )
    assert measure.parent == policy


def test_a_county_policy_officer_cannot_edit_a_city_departments_document(units, policy, county_b):
    officer_b = UserFactory(username="policy_b", name="西城政策", unit=county_b, roles=[roles.POLICY_OFFICER])

    with pytest.raises(BusinessRuleError, match="只有发文单位的政策管理员"):
        registry.update_policy(policy=policy, by=officer_b, title="改掉")
    with pytest.raises(BusinessRuleError):
        registry.create_policy(by=officer_b, **policy_values(units))

    policy.refresh_from_db()
    assert policy.title == "示范市支持制造业高质量发展的若干政策"


def test_a_county_policy_officer_edits_the_countys_own_document(units, county_b):
    officer_b = UserFactory(username="policy_b", name="西城政策", unit=county_b, roles=[roles.POLICY_OFFICER])

    policy = registry.create_policy(by=officer_b, **policy_values(units, issuing_unit=county_b))
    registry.update_policy(policy=policy, by=officer_b, title="西城区支持楼宇经济若干措施")

    assert Policy.objects.get(pk=policy.pk).title == "西城区支持楼宇经济若干措施"


def test_a_department_handler_cannot_edit(units, policy, reviewer):
    with pytest.raises(BusinessRuleError):
        registry.create_item(policy=policy, by=reviewer, **item_values(units))
    assert not policy.items.exists()


def test_publish_needs_an_item(units, policy_officer):
    policy = registry.create_policy(by=policy_officer, **policy_values(units))

    with pytest.raises(BusinessRuleError, match="请先录入至少一个政策条款再发布"):
        registry.publish_policy(policy=policy, by=policy_officer)
    registry.create_item(policy=policy, by=policy_officer, **item_values(units))
    registry.publish_policy(policy=policy, by=policy_officer)

    assert Policy.objects.get(pk=policy.pk).state_on(date(2026, 6, 1)) == PolicyState.IN_FORCE


def test_repeal_keeps_the_document_with_date_and_note(policy, policy_officer):
    with pytest.raises(BusinessRuleError) as error:
        registry.repeal_policy(policy=policy, by=policy_officer, repealed_on=date(2026, 5, 1), note=" ")
    assert error.value.field == "repeal_note"
    assert Policy.objects.get(pk=policy.pk).repealed_on is None

    registry.repeal_policy(
        policy=policy, by=policy_officer, repealed_on=date(2026, 5, 1), note="被示政发〔2026〕20号替代"
    )

    policy.refresh_from_db()
    assert policy.state_on(date(2026, 6, 1)) == PolicyState.REPEALED
    assert policy.repeal_note == "被示政发〔2026〕20号替代"
    with pytest.raises(BusinessRuleError, match="已废止的政策不能修改"):
        registry.update_policy(policy=policy, by=policy_officer, title="x")


def test_create_item_cleans_materials_and_numbers_positions(units, policy, policy_officer, item):
    new = registry.create_item(policy=policy, by=policy_officer, **item_values(units))

    assert new.materials == "申请表\n研发费用专项审计报告"
    assert new.material_list == ["申请表", "研发费用专项审计报告"]
    assert new.position == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fixed_amount": Decimal("50"), "cap_amount": Decimal("30")}, "cap_amount", "最高限额不能低于定额。"),
        ({"review_days": 0}, "review_days", "部门审核时限须为 1 至 60 个工作日。"),
        ({"legal_days": 61}, "legal_days", "法制审核时限须为 1 至 60 个工作日。"),
        ({"fixed_amount": Decimal("-1")}, "fixed_amount", "定额须大于 0。"),
        ({"conditions": ""}, "conditions", "请填写申报条件。"),
    ],
)
def test_item_rules_refuse_bad_input(units, policy, policy_officer, overrides, field, message):
    with pytest.raises(BusinessRuleError) as error:
        registry.create_item(policy=policy, by=policy_officer, **item_values(units, **overrides))

    assert (error.value.field, error.value.message) == (field, message)
    assert not policy.items.exists()


def test_copy_item_keeps_the_rule(item, policy_officer):
    PolicyItem.objects.filter(pk=item.pk).update(rule={"field": "scale", "op": "in", "value": ["small"]})
    item.refresh_from_db()

    copy = registry.copy_item(item=item, by=policy_officer)

    assert copy.pk != item.pk
    assert (copy.title, copy.rule, copy.cap_amount) == ("技术改造补助（副本）", item.rule, Decimal("200"))


def test_corrections_of_a_published_document_are_audited(policy, policy_officer):
    registry.update_policy(policy=policy, by=policy_officer, summary="更正摘要")

    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Policy), object_id=policy.pk, action=LogEntry.Action.UPDATE
    ).get()
    assert entry.actor == policy_officer
    assert "summary" in entry.changes_dict
