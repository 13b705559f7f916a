from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Industry
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import PipelineSettings, ScreeningRule, Stage, StageGate
from apps.investment.services.projects import register_lead
from apps.investment.services.rules import save_gate
from apps.investment.services.workflow import advance_project
from apps.investment.tests.factories import advance_to, lead, ready_to_sign

pytestmark = pytest.mark.django_db


def test_only_pipeline_administrators_open_the_settings(client_for, coordinator, officer_a, city_leader):
    assert client_for(coordinator).get(reverse("investment:settings_edit")).status_code == 200
    for user in (officer_a, city_leader):
        assert client_for(user).get(reverse("investment:settings_edit")).status_code == 403
        assert client_for(user).get(reverse("investment:gate_edit", args=["signed"])).status_code == 403


def test_time_limits_are_checked_and_saved(client_for, coordinator, bureau):
    client = client_for(coordinator)
    data = {
        "respond_days": 2,
        "assess_days": 1,
        "claim_days": 90,
        "major_threshold": "50000",
        "coordinating_unit": bureau.pk,
    }

    refused = client.post(reverse("investment:settings_edit"), data)
    client.post(reverse("investment:settings_edit"), {**data, "assess_days": 5})

    assert "研判时限不能短于响应时限" in refused.content.decode()
    settings = PipelineSettings.current()
    assert (settings.respond_days, settings.assess_days, settings.claim_days) == (2, 5, 90)
    assert settings.major_threshold == Decimal(50000)


def test_a_gate_set_on_the_page_stops_a_project_without_the_evidence(client_for, coordinator, officer_a):
    client_for(coordinator).post(
        reverse("investment:gate_edit", args=["intention"]),
        {"required_fields": ["industry", "expected_jobs"], "required_documents": ["other"], "needs_approval": "on"},
    )
    gate = StageGate.objects.get(stage=Stage.INTENTION)
    assert (gate.required_fields, gate.required_documents, gate.needs_approval) == (
        ["industry", "expected_jobs"], ["other"], True,
    )  # fmt: skip

    with pytest.raises(BusinessRuleError, match="预计就业"):
        advance_project(project=ready_to_sign(lead(officer_a), officer_a), happened_on=None, by=officer_a)


def test_a_lead_has_no_gate_and_unknown_requirements_are_refused(coordinator):
    with pytest.raises(BusinessRuleError):
        save_gate(stage=Stage.LEAD, required_fields=[], required_documents=[], needs_approval=False, by=coordinator)
    with pytest.raises(BusinessRuleError, match="未知的条件"):
        save_gate(
            stage=Stage.SIGNED, required_fields=["code"], required_documents=[], needs_approval=True, by=coordinator
        )


def test_a_screening_rule_made_on_the_page_warns_at_registration(client_for, coordinator, officer_a):
    client = client_for(coordinator)
    blank = client.post(
        reverse("investment:screening_rule_create"), {"name": "两高", "kind": "two_high", "action": "warn"}
    )
    assert "请选择适用行业或填写关键词" in blank.content.decode()

    client.post(
        reverse("investment:screening_rule_create"),
        {"name": "两高项目提示", "kind": "two_high", "action": "warn", "keywords": "电解铝、焦化", "is_active": "on"},
    )

    registration = register_lead(
        enterprise=make_enterprise("示范市某铝业有限公司"), unit=officer_a.unit, by=officer_a,
        name="年产20万吨电解铝项目", channel="professional",
    )  # fmt: skip
    assert any("两高项目提示" in outcome.message for outcome in registration.screening)
    listed = client.get(reverse("investment:screening_rule_list")).content.decode()
    assert "两高项目提示" in listed


def test_amount_rules_need_a_threshold(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("investment:screening_rule_create"), {"name": "亩均", "kind": "min_per_mu", "action": "warn"}
    )

    assert "该类规则须填写标准" in response.content.decode()
    assert not ScreeningRule.objects.filter(name="亩均").exists()


def test_a_gate_change_does_not_touch_projects_already_past_it(coordinator, officer_a):
    project = advance_to(ready_to_sign(lead(officer_a), officer_a), Stage.NEGOTIATION, by=officer_a)
    project.industry = Industry.objects.get(code="39")

    save_gate(
        stage=Stage.INTENTION,
        required_fields=["expected_tax"],
        required_documents=[],
        needs_approval=False,
        by=coordinator,
    )

    project.refresh_from_db()
    assert project.counted_stage == Stage.NEGOTIATION
