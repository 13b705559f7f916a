from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.errors import BusinessRuleError
from apps.investment.models import Project, Stage, StageChange
from apps.investment.services.workflow import (
    advance_project,
    allowed_moves,
    confirm_stage,
    drop_project,
    pause_project,
    resume_project,
    return_stage,
)
from apps.investment.tests.factories import advance_to, lead, ready_to_sign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_lead_moves_to_negotiation_without_confirmation(officer_a):
    project = lead(officer_a, industry=None)

    with pytest.raises(BusinessRuleError, match="须补齐：所属行业、计划投资"):
        advance_project(project=project, happened_on=TODAY, by=officer_a)
    ready_to_sign(project, officer_a)
    advance_to(project, Stage.NEGOTIATION, by=officer_a)

    assert (project.stage, project.counted_stage) == (Stage.NEGOTIATION, Stage.NEGOTIATION)
    assert project.assessed_at is not None


def test_a_countys_signing_counts_only_once_the_level_above_confirms(officer_a, coordinator):
    project = ready_to_sign(lead(officer_a), officer_a)
    advance_to(project, Stage.NEGOTIATION, by=officer_a)

    change = advance_project(project=project, happened_on=TODAY, by=officer_a)

    project.refresh_from_db()
    assert change.approval == StageChange.Approval.PENDING
    assert (project.stage, project.counted_stage, project.signed_on) == (Stage.SIGNED, Stage.NEGOTIATION, None)
    assert [m.kind for m in allowed_moves(project, officer_a)] == ["pause", "drop"]
    confirm_stage(change=change, opinion="协议已核实", by=coordinator)
    project.refresh_from_db()
    assert (project.counted_stage, project.signed_on) == (Stage.SIGNED, TODAY)
    assert StageChange.objects.get(pk=change.pk).approved_by == coordinator


def test_the_own_unit_cannot_confirm_and_a_return_sends_the_project_back(officer_a, county_admin_a, coordinator):
    project = advance_to(ready_to_sign(lead(officer_a), officer_a), Stage.NEGOTIATION, by=officer_a)
    change = advance_project(project=project, happened_on=TODAY, by=officer_a)

    with pytest.raises(BusinessRuleError):
        confirm_stage(change=change, by=county_admin_a)
    with pytest.raises(BusinessRuleError, match="退回须写明理由"):
        return_stage(change=change, opinion=" ", by=coordinator)
    return_stage(change=change, opinion="协议未盖章", by=coordinator)

    project.refresh_from_db()
    assert (project.stage, project.counted_stage) == (Stage.NEGOTIATION, Stage.NEGOTIATION)


def test_dates_must_follow_each_other_and_not_be_in_the_future(officer_a, coordinator):
    project = ready_to_sign(lead(officer_a), officer_a)
    advance_to(project, Stage.SIGNED, by=officer_a, confirmer=coordinator, start=TODAY - timedelta(days=10))

    with pytest.raises(BusinessRuleError, match="不能早于上一次变动"):
        advance_project(project=project, happened_on=TODAY - timedelta(days=20), by=officer_a)
    with pytest.raises(BusinessRuleError, match="不能晚于今天"):
        advance_project(project=project, happened_on=TODAY + timedelta(days=1), by=officer_a)


def test_pause_resume_and_drop_need_reasons_and_follow_the_table(officer_a):
    project = lead(officer_a)

    with pytest.raises(BusinessRuleError, match="请写明暂停的原因"):
        pause_project(project=project, happened_on=TODAY, reason="", by=officer_a)
    pause_project(project=project, happened_on=TODAY, reason="企业资金链紧张", by=officer_a)
    assert [m.kind for m in allowed_moves(project, officer_a)] == ["resume", "drop"]
    with pytest.raises(BusinessRuleError, match="当前不能"):
        advance_project(project=project, happened_on=TODAY, by=officer_a)
    resume_project(project=project, happened_on=TODAY, by=officer_a)
    drop_project(project=project, happened_on=TODAY, reason="落户外省", by=officer_a)

    project.refresh_from_db()
    assert (project.status, project.status_reason) == (Project.Status.DROPPED, "落户外省")
    assert allowed_moves(project, officer_a) == []
    assert list(project.changes.values_list("kind", flat=True)) == ["register", "pause", "resume", "drop"]


def test_another_county_and_a_reader_cannot_move_the_project(officer_a, officer_b, city_leader):
    project = lead(officer_a)

    for user in (officer_b, city_leader):
        assert allowed_moves(project, user) == []
        with pytest.raises(BusinessRuleError):
            advance_project(project=project, happened_on=TODAY, by=user)


def test_a_coordinating_bureau_project_counts_at_once(coordinator):
    project = ready_to_sign(lead(coordinator), coordinator)

    advance_to(project, Stage.SIGNED, by=coordinator)

    assert project.counted_stage == Stage.SIGNED
    assert project.changes.filter(approval="pending").count() == 0
