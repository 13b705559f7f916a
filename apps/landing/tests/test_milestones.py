"""Milestones (项目节点): the plan and its order, reaching one through the pipeline without double entry, the pages."""

from datetime import date

import pytest
from django.urls import reverse

from apps.core.errors import BusinessRuleError
from apps.investment.models import Stage, StageChange
from apps.investment.services.workflow import advance_project, confirm_stage, return_stage
from apps.landing.models import Milestone
from apps.landing.selectors.milestones import project_milestones
from apps.landing.services.milestones import plan_milestones, reach_milestone

pytestmark = pytest.mark.django_db

PLAN = {
    "started": date(2026, 6, 20),
    "main_structure": date(2026, 12, 31),
    "completed": date(2027, 6, 30),
    "producing": date(2027, 9, 30),
    "at_capacity": date(2028, 6, 30),
}


@pytest.fixture
def signed(progress_make, officer_a):
    """东城区's project signed (and confirmed) on 1 June 2026, not started."""
    return progress_make(officer_a, Stage.SIGNED, name="东城光伏组件项目")


def _advances(project, stage: Stage) -> list[StageChange]:
    return list(project.changes.filter(kind=StageChange.Kind.ADVANCE, to_stage=stage))


def _states(project) -> dict[str, tuple]:
    project.refresh_from_db()
    return {
        s.kind.value: (s.planned_on, s.actual_on, s.reached, s.pending, s.overdue) for s in project_milestones(project)
    }


# ---- the plan -------------------------------------------------------------------------------


def test_the_plan_creates_changes_and_drops_milestones(signed, officer_a):
    plan_milestones(
        project=signed, planned={"started": date(2026, 12, 1), "completed": date(2027, 6, 30)}, by=officer_a
    )

    result = plan_milestones(
        project=signed, planned={"started": date(2026, 12, 10), "completed": None, "producing": date(2027, 8, 1)},
        by=officer_a,
    )  # fmt: skip

    assert [(m.kind, m.planned_on) for m in result] == [
        ("started", date(2026, 12, 10)),
        ("producing", date(2027, 8, 1)),
    ]
    assert set(Milestone.objects.filter(project=signed).values_list("kind", flat=True)) == {"started", "producing"}


@pytest.mark.parametrize(
    ("planned", "message", "field"),
    [
        ({"started": date(2026, 5, 31)}, "“开工”的计划日期不能早于签约日期（2026-06-01）。", "started"),
        (
            {"started": date(2026, 12, 1), "completed": date(2026, 11, 30)},
            "“竣工”的计划日期不能早于“开工”。",
            "completed",
        ),
        (
            {"started": date(2026, 12, 1), "main_structure": None, "at_capacity": date(2026, 11, 1)},
            "“达产”的计划日期不能早于“开工”。",
            "at_capacity",
        ),
    ],
)
def test_planned_dates_follow_signing_and_each_other(signed, officer_a, planned, message, field):
    with pytest.raises(BusinessRuleError) as error:
        plan_milestones(project=signed, planned=planned, by=officer_a)

    assert (error.value.message, error.value.field) == (message, field)
    assert not Milestone.objects.exists()


def test_a_partial_plan_is_checked_against_the_dates_already_planned(signed, officer_a):
    """Changing one date keeps the others: 竣工 cannot be moved before the 开工 already planned."""
    plan_milestones(
        project=signed, planned={"started": date(2026, 12, 1), "completed": date(2027, 6, 30)}, by=officer_a
    )

    with pytest.raises(BusinessRuleError, match="“竣工”的计划日期不能早于“开工”"):
        plan_milestones(project=signed, planned={"completed": date(2026, 11, 30)}, by=officer_a)

    assert Milestone.objects.get(project=signed, kind="completed").planned_on == date(2027, 6, 30)


def test_a_project_in_talks_has_no_plan_yet(progress_make, officer_a):
    project = progress_make(officer_a, Stage.NEGOTIATION)

    with pytest.raises(BusinessRuleError, match="项目签约后才能制定节点计划"):
        plan_milestones(project=project, planned={"started": date(2026, 12, 1)}, by=officer_a)


def test_a_reached_milestone_stays_in_the_plan(progress_project, officer_a):
    """主体完工 keeps its own date; 开工 is reached through the pipeline: neither can be taken off the plan."""
    plan_milestones(
        project=progress_project,
        planned={"started": date(2026, 6, 2), "main_structure": date(2026, 10, 1)},
        by=officer_a,
    )
    reach_milestone(project=progress_project, kind="main_structure", happened_on=date(2026, 10, 8), by=officer_a)

    for kind, label in (("main_structure", "主体完工"), ("started", "开工")):
        with pytest.raises(BusinessRuleError, match=f"“{label}”已完成，不能从计划中删除"):
            plan_milestones(project=progress_project, planned={kind: None}, by=officer_a)
    assert Milestone.objects.filter(project=progress_project).count() == 2


def test_only_the_owning_side_plans_and_reaches(
    signed, officer_b, progress_coordinator, progress_viewer_a, progress_handler
):
    for user in (officer_b, progress_coordinator, progress_viewer_a, progress_handler):
        with pytest.raises(BusinessRuleError, match="只有项目责任单位可以维护项目节点"):
            plan_milestones(project=signed, planned={"started": date(2026, 12, 1)}, by=user)
        with pytest.raises(BusinessRuleError, match="只有项目责任单位可以维护项目节点"):
            reach_milestone(project=signed, kind="started", happened_on=date(2026, 7, 1), by=user)

    signed.refresh_from_db()
    assert (signed.stage, Milestone.objects.count(), _advances(signed, Stage.STARTED)) == (Stage.SIGNED, 0, [])


# ---- reaching a milestone moves the pipeline --------------------------------------------------


def test_reaching_the_start_moves_the_pipeline_and_waits_for_the_level_above(signed, officer_a, progress_coordinator):
    plan_milestones(project=signed, planned={"started": date(2026, 6, 20)}, by=officer_a)

    reached = reach_milestone(project=signed, kind="started", happened_on=date(2026, 7, 1), by=officer_a)

    signed.refresh_from_db()
    assert reached.pending is True
    assert (signed.stage, signed.counted_stage, signed.started_on) == (Stage.STARTED, Stage.SIGNED, None)
    [change] = _advances(signed, Stage.STARTED)
    assert (change.happened_on, change.reason, change.approval) == (date(2026, 7, 1), "项目节点：开工", "pending")
    assert _states(signed)["started"] == (date(2026, 6, 20), date(2026, 7, 1), True, True, False)

    confirm_stage(change=change, by=progress_coordinator)

    assert _states(signed)["started"] == (date(2026, 6, 20), date(2026, 7, 1), True, False, False)
    assert (signed.counted_stage, signed.started_on) == (Stage.STARTED, date(2026, 7, 1))


def test_a_start_already_in_the_pipeline_is_not_entered_twice(signed, officer_a):
    """开工 registered on the pipeline page shows on the milestone; reaching it again adds no second record."""
    advance_project(project=signed, happened_on=date(2026, 7, 1), by=officer_a)

    with pytest.raises(BusinessRuleError, match="项目已登记“开工”") as error:
        reach_milestone(project=signed, kind="started", happened_on=date(2026, 7, 5), by=officer_a)

    assert error.value.field == "kind"
    assert [c.happened_on for c in _advances(signed, Stage.STARTED)] == [date(2026, 7, 1)]
    assert _states(signed)["started"][1:4] == (date(2026, 7, 1), True, True)


def test_a_started_project_cannot_reach_the_start_again(progress_project, officer_a):
    with pytest.raises(BusinessRuleError, match="项目已登记“开工”"):
        reach_milestone(project=progress_project, kind="started", happened_on=date(2026, 11, 1), by=officer_a)

    assert len(_advances(progress_project, Stage.STARTED)) == 1
    assert progress_project.started_on == date(2026, 6, 2)


@pytest.mark.parametrize(("kind", "message"), [("producing", "须先登记竣工。"), ("at_capacity", "须先登记投产。")])
def test_milestones_are_reached_in_the_pipelines_order(progress_project, officer_a, kind, message):
    with pytest.raises(BusinessRuleError, match=message):
        reach_milestone(project=progress_project, kind=kind, happened_on=date(2026, 11, 1), by=officer_a)

    progress_project.refresh_from_db()
    assert progress_project.stage == Stage.STARTED


def test_the_pipelines_gate_and_date_rules_apply(progress_project, signed, officer_a):
    with pytest.raises(BusinessRuleError, match="进入“竣工”阶段前须补齐：竣工验收材料"):
        reach_milestone(project=progress_project, kind="completed", happened_on=date(2026, 11, 1), by=officer_a)
    with pytest.raises(BusinessRuleError, match="日期不能早于上一次变动（2026-06-01）"):
        reach_milestone(project=signed, kind="started", happened_on=date(2026, 5, 20), by=officer_a)
    with pytest.raises(BusinessRuleError, match="日期不能晚于今天"):
        reach_milestone(project=signed, kind="started", happened_on=date(2026, 11, 19), by=officer_a)

    assert _advances(progress_project, Stage.COMPLETED) == []
    assert _advances(signed, Stage.STARTED) == []


def test_a_returned_start_is_no_longer_reached(signed, officer_a, progress_coordinator):
    reached = reach_milestone(project=signed, kind="started", happened_on=date(2026, 7, 1), by=officer_a)
    return_stage(change=reached.change, opinion="开工照片与项目不符", by=progress_coordinator)

    assert _states(signed)["started"] == (None, None, False, False, False)
    again = reach_milestone(project=signed, kind="started", happened_on=date(2026, 7, 3), by=officer_a)
    assert again.change.happened_on == date(2026, 7, 3)


# ---- 主体完工, which is no stage -------------------------------------------------------------


def test_the_main_structure_is_kept_on_the_milestone_and_moves_no_stage(progress_project, officer_a):
    plan_milestones(project=progress_project, planned={"main_structure": date(2026, 10, 1)}, by=officer_a)
    changes = progress_project.changes.count()

    reached = reach_milestone(
        project=progress_project, kind="main_structure", happened_on=date(2026, 10, 8), by=officer_a
    )

    assert (reached.change, reached.pending) == (None, False)
    assert Milestone.objects.get(project=progress_project, kind="main_structure").achieved_on == date(2026, 10, 8)
    assert progress_project.changes.count() == changes
    assert _states(progress_project)["main_structure"] == (date(2026, 10, 1), date(2026, 10, 8), True, False, False)


@pytest.mark.parametrize(
    ("planned", "happened_on", "message", "field"),
    [
        (False, date(2026, 10, 8), "请先在节点计划中列出“主体完工”的计划日期。", "kind"),
        (True, date(2026, 6, 1), "主体完工日期不能早于开工日期（2026-06-02）。", "happened_on"),
        (True, date(2026, 11, 19), "日期不能晚于今天。", "happened_on"),
    ],
)
def test_the_main_structure_needs_a_plan_and_a_date_after_the_start(
    progress_project, officer_a, planned, happened_on, message, field
):
    if planned:
        plan_milestones(project=progress_project, planned={"main_structure": date(2026, 10, 1)}, by=officer_a)

    with pytest.raises(BusinessRuleError) as error:
        reach_milestone(project=progress_project, kind="main_structure", happened_on=happened_on, by=officer_a)

    assert (error.value.message, error.value.field) == (message, field)
    assert not Milestone.objects.filter(achieved_on__isnull=False).exists()


def test_the_main_structure_waits_for_the_start(signed, officer_a):
    plan_milestones(project=signed, planned={"main_structure": date(2026, 10, 1)}, by=officer_a)

    with pytest.raises(BusinessRuleError, match="须先登记开工"):
        reach_milestone(project=signed, kind="main_structure", happened_on=date(2026, 10, 8), by=officer_a)


def test_a_planned_date_passed_unreached_is_overdue(progress_project, officer_a):
    plan_milestones(
        project=progress_project,
        planned={"started": date(2026, 6, 1), "main_structure": date(2026, 11, 17), "completed": date(2026, 11, 18)},
        by=officer_a,
    )

    states = _states(progress_project)

    assert states["started"] == (date(2026, 6, 1), date(2026, 6, 2), True, False, False)
    assert states["main_structure"] == (date(2026, 11, 17), None, False, False, True)
    assert states["completed"] == (date(2026, 11, 18), None, False, False, False)  # due today, not yet late
    assert states["producing"] == (None, None, False, False, False)


# ---- the pages ------------------------------------------------------------------------------


def test_the_milestone_page_shows_plan_and_actual_dates_and_the_forms(client_for, progress_project, officer_a):
    plan_milestones(project=progress_project, planned={"started": date(2026, 6, 1)}, by=officer_a)

    response = client_for(officer_a).get(reverse("landing:project_milestones", args=[progress_project.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    table = page.split('data-testid="milestones"')[1].split("</table>")[0]
    assert "2026年6月1日" in table
    assert "2026年6月2日" in table
    assert table.count("未列入计划") == 4
    assert 'data-testid="plan-form"' in page
    assert 'data-testid="reach-form"' in page


def test_a_reader_sees_the_milestones_without_the_forms(client_for, progress_project, progress_viewer_a):
    response = client_for(progress_viewer_a).get(reverse("landing:project_milestones", args=[progress_project.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="milestones"' in page
    assert 'data-testid="plan-form"' not in page
    assert 'data-testid="reach-form"' not in page


def test_saving_the_plan_through_the_page(client_for, signed, officer_a):
    data = {"started": "2026-12-01", "completed": "2027-06-30"}

    response = client_for(officer_a).post(reverse("landing:project_milestones", args=[signed.pk]), data)

    assert response.status_code == 302
    assert dict(Milestone.objects.filter(project=signed).values_list("kind", "planned_on")) == {
        "started": date(2026, 12, 1),
        "completed": date(2027, 6, 30),
    }


def test_a_plan_out_of_order_is_refused_on_the_field(client_for, signed, officer_a):
    data = {"started": "2026-12-01", "completed": "2026-11-01"}

    response = client_for(officer_a).post(reverse("landing:project_milestones", args=[signed.pk]), data)

    assert response.status_code == 200
    form = response.context["plan_form"]
    assert form.errors == {"completed": ["“竣工”的计划日期不能早于“开工”。"]}
    assert "“竣工”的计划日期不能早于“开工”。" in response.content.decode()
    assert not Milestone.objects.exists()


def test_reaching_through_the_page_moves_the_stage_once(client_for, signed, officer_a):
    url = reverse("landing:milestone_reach", args=[signed.pk])
    client = client_for(officer_a)

    response = client.post(url, {"kind": "started", "happened_on": "2026-07-01"}, follow=True)

    assert "已报送“开工”（2026-07-01），待上级确认后计入统计。" in response.content.decode()
    again = client.post(url, {"kind": "started", "happened_on": "2026-07-02"})
    assert again.status_code == 200
    assert again.context["reach_form"].errors == {"kind": ["项目已登记“开工”。"]}
    assert 'data-testid="plan-form"' in again.content.decode()  # the plan stays at hand after a refusal
    assert [c.happened_on for c in _advances(signed, Stage.STARTED)] == [date(2026, 7, 1)]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", "login"), ("officer_b", 404), ("progress_handler", 404), ("progress_viewer_a", 403)],
)
def test_who_may_not_plan_or_reach(request, client, signed, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    responses = [
        client.post(reverse("landing:project_milestones", args=[signed.pk]), {"started": "2026-12-01"}),
        client.post(reverse("landing:milestone_reach", args=[signed.pk]), {"kind": "started", "happened_on": "2026-07-01"}),
    ]  # fmt: skip

    for response in responses:
        if expected == "login":
            assert response.status_code == 302
            assert reverse("org:login") in response["Location"]
        else:
            assert response.status_code == expected
    signed.refresh_from_db()
    assert (signed.stage, Milestone.objects.count()) == (Stage.SIGNED, 0)


def test_a_dropped_project_gets_no_plan(signed, officer_a):
    signed.status = signed.Status.DROPPED
    signed.save(update_fields=["status"])

    with pytest.raises(BusinessRuleError, match="项目已终止"):
        plan_milestones(project=signed, planned={"started": date(2026, 12, 1)}, by=officer_a)
    assert not Milestone.objects.filter(project=signed).exists()
