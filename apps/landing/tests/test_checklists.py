"""Procedure checklists: made from the seeded templates, steps moved by the rules, forecast, the overdue scan."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.errors import BusinessRuleError
from apps.core.models import Notice
from apps.investment.models import ProjectDocument, ProjectParticipant, Stage
from apps.investment.tests.factories import advance_to, lead, ready_to_sign
from apps.landing.models import (
    Checklist,
    ChecklistStep,
    ChecklistTemplate,
    JointReview,
    ReviewOpinion,
    StepStatus,
    TaskForce,
    TemplateStep,
)
from apps.landing.selectors.checklists import forecast
from apps.landing.services import checklists as services
from apps.landing.services import templates as template_services
from apps.landing.services.scans import scan_landing
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEEDED = ["new-land", "expansion", "leased-factory", "upgrade"]


def _signed(officer, coordinator, *, name: str = "东城精密零部件项目", unit=None, kind: str = "new"):
    project = ready_to_sign(lead(officer, name=name, unit=unit), officer)
    project.kind = kind
    project.save()
    return advance_to(project, Stage.SIGNED, by=officer, confirmer=coordinator, start=date(2026, 9, 22))


def _without_checklist(project):
    Checklist.objects.filter(project=project).delete()
    return project


def _step(project, code: str) -> ChecklistStep:
    return ChecklistStep.objects.select_related("checklist__project__unit", "department").get(
        checklist__project=project, code=code
    )


# ---- instantiation ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", SEEDED)
def test_every_seeded_template_makes_a_checklist_with_the_countys_departments(
    checklists_project, checklists_departments, officer_a, code
):
    project = _without_checklist(checklists_project)
    template = ChecklistTemplate.objects.get(code=code)

    checklist = services.create_checklist(project=project, template=template, by=officer_a)

    steps = list(checklist.steps.order_by("order"))
    sources = list(template.steps.order_by("order"))
    assert [s.name for s in steps] == [s.name for s in sources]
    assert [s.time_limit_days for s in steps] == [s.time_limit_days for s in sources]
    assert (checklist.template_name, checklist.template_revision) == (template.name, template.revision)
    assert checklist.started_on == date(2026, 9, 24)  # the signing day
    by_code = {s.code: s for s in steps}
    # 东城区 has its own 自然资源 and 住建 departments; the others are the city's
    assert by_code["permit"].department == checklists_departments["county_housing"]
    assert by_code["eia"].department == checklists_departments["ecology"]
    assert by_code["approval"].department == checklists_departments["reform"]
    assert by_code["permit"].is_permit
    assert by_code["permit"].document_kind == "permit"
    expected = {p.name for p in template.steps.get(code="permit").prerequisites.all()}
    assert {p.name for p in by_code["permit"].prerequisites.all()} == expected
    roles_given = dict(ProjectParticipant.objects.filter(project=project).values_list("unit", "role"))
    assert roles_given[checklists_departments["ecology"].pk] == "手续办理部门"


def test_the_new_land_template_orders_the_land_procedures(checklists_project):
    steps = {s.code: s for s in checklists_project.checklist.steps.prefetch_related("prerequisites")}

    assert [p.code for p in steps["land_transfer"].prerequisites.all()] == ["land_pre"]
    assert [p.code for p in steps["land_planning"].prerequisites.all()] == ["land_transfer"]
    assert [p.code for p in steps["works_planning"].prerequisites.all()] == ["land_planning"]
    assert sorted(p.code for p in steps["permit"].prerequisites.all()) == ["drawings", "fire", "works_planning"]
    assert not steps["eia"].prerequisites.exists()
    assert steps["land_pre"].department.name == "东城区自然资源分局"


def test_a_project_of_another_county_gets_the_citys_departments(
    checklists_clock, checklists_departments, checklists_coordinator, officer_b
):
    project = _signed(officer_b, checklists_coordinator, name="西城食品加工项目")

    steps = {s.code: s.department for s in project.checklist.steps.all()}

    assert steps["land_pre"] == checklists_departments["resources"]
    assert steps["permit"] == checklists_departments["housing"]


def test_a_missing_department_is_named_with_its_step(checklists_project, checklists_departments, officer_a):
    project = _without_checklist(checklists_project)
    checklists_departments["water"].is_active = False
    checklists_departments["water"].save()

    with pytest.raises(BusinessRuleError) as refused:
        services.create_checklist(
            project=project, template=ChecklistTemplate.objects.get(code="new-land"), by=officer_a
        )

    assert "供水报装" in refused.value.message
    assert "水务" in refused.value.message
    assert not Checklist.objects.filter(project=project).exists()


def test_only_the_owning_side_creates_a_checklist(checklists_project, officer_b, checklists_handlers):
    project = _without_checklist(checklists_project)
    template = ChecklistTemplate.objects.get(code="new-land")

    for user in (officer_b, checklists_handlers["county_resources"]):
        with pytest.raises(BusinessRuleError):
            services.create_checklist(project=project, template=template, by=user)

    assert not Checklist.objects.filter(project=project).exists()


# ---- the signing listener -----------------------------------------------------------------------


def test_signing_makes_the_checklist_from_the_template_for_the_projects_kind(
    checklists_clock, checklists_departments, checklists_coordinator, officer_a
):
    project = _signed(officer_a, checklists_coordinator, kind="expansion")

    checklist = Checklist.objects.get(project=project)
    assert checklist.template.code == "expansion"
    assert checklist.created_by == officer_a
    assert not checklist.steps.filter(code="land_pre").exists()


def test_signing_goes_ahead_without_a_checklist_when_departments_are_missing(
    checklists_clock, checklists_coordinator, officer_a
):
    project = _signed(officer_a, checklists_coordinator)

    assert project.stage == Stage.SIGNED
    assert not Checklist.objects.filter(project=project).exists()


def test_a_project_kind_without_an_active_template_gets_no_checklist(
    checklists_clock, checklists_departments, checklists_coordinator, officer_a
):
    ChecklistTemplate.objects.filter(project_kind="upgrade").update(is_active=False)

    project = _signed(officer_a, checklists_coordinator, kind="upgrade")

    assert not Checklist.objects.filter(project=project).exists()


def test_conditional_opinions_of_the_joint_review_become_steps(
    checklists_clock, checklists_departments, checklists_coordinator, officer_a
):
    project = ready_to_sign(lead(officer_a, name="东城化工新材料项目"), officer_a)
    project = advance_to(project, Stage.NEGOTIATION, by=officer_a, start=date(2026, 9, 1))
    review = JointReview.objects.create(
        project=project, subject="用地和环保预审", opened_on=date(2026, 9, 3), time_limit_days=5,
        due_on=date(2026, 9, 10), opened_by=officer_a, status=JointReview.Status.CLOSED,
    )  # fmt: skip
    ecology, emergency = checklists_departments["ecology"], checklists_departments["emergency"]
    ReviewOpinion.objects.create(
        review=review, department=ecology, verdict="conditional", conditions="落实VOCs治理设施"
    )
    ReviewOpinion.objects.create(review=review, department=emergency, verdict="agree")

    advance_to(project, Stage.SIGNED, by=officer_a, confirmer=checklists_coordinator, start=date(2026, 9, 24))

    conditions = list(ChecklistStep.objects.filter(checklist__project=project, source="condition"))
    assert len(conditions) == 1
    step = conditions[0]
    assert (step.name, step.description, step.department, step.time_limit_days) == (
        "落实联审条件（示范市生态环境局）", "落实VOCs治理设施", ecology, 20,
    )  # fmt: skip
    assert step.order == project.checklist.steps.count()


def test_the_template_can_be_changed_only_until_a_step_starts(checklists_project, officer_a):
    checklist = checklists_project.checklist
    leased = ChecklistTemplate.objects.get(code="leased-factory")
    services.add_step(
        checklist=checklist, name="排水许可", department=_step(checklists_project, "water").department,
        time_limit_days=7, by=officer_a,
    )  # fmt: skip

    services.change_template(checklist=checklist, template=leased, by=officer_a)

    names = list(checklist.steps.order_by("order").values_list("name", flat=True))
    assert names == [*leased.steps.order_by("order").values_list("name", flat=True), "排水许可"]
    assert checklist.template_name == "租赁厂房"
    services.start_step(step=_step(checklists_project, "approval"), started_on=date(2026, 9, 28), by=officer_a)
    with pytest.raises(BusinessRuleError, match="已有手续开始办理"):
        services.change_template(
            checklist=checklist, template=ChecklistTemplate.objects.get(code="upgrade"), by=officer_a
        )


# ---- moving steps -------------------------------------------------------------------------------


def test_a_step_waits_for_its_prerequisites(checklists_project, checklists_handlers):
    handler = checklists_handlers["county_resources"]

    with pytest.raises(BusinessRuleError) as refused:
        services.start_step(step=_step(checklists_project, "land_transfer"), started_on=date(2026, 9, 28), by=handler)
    assert refused.value.message == "须先办结前置手续：用地预审与选址意见。"

    land_pre = services.start_step(step=_step(checklists_project, "land_pre"), started_on=date(2026, 9, 25), by=handler)
    services.finish_step(step=land_pre, done_on=date(2026, 9, 29), approval_number="东自然资预〔2026〕18号", by=handler)
    with pytest.raises(BusinessRuleError, match="不能早于前置手续"):
        services.start_step(step=_step(checklists_project, "land_transfer"), started_on=date(2026, 9, 28), by=handler)
    transfer = services.start_step(
        step=_step(checklists_project, "land_transfer"), started_on=date(2026, 9, 30), by=handler
    )
    assert transfer.status == StepStatus.IN_PROGRESS


def test_the_permit_names_every_prerequisite_still_open(checklists_project, officer_a):
    with pytest.raises(BusinessRuleError) as refused:
        services.start_step(step=_step(checklists_project, "permit"), started_on=date(2026, 10, 9), by=officer_a)

    assert refused.value.message == "须先办结前置手续：建设工程规划许可证、施工图审查、消防设计审查。"


def test_a_step_not_needed_counts_as_cleared_for_its_followers(checklists_project, officer_a):
    for code in ("land_pre", "land_transfer", "land_planning"):
        services.mark_not_needed(step=_step(checklists_project, code), reason="利用存量用地", by=officer_a)

    works = services.start_step(
        step=_step(checklists_project, "works_planning"), started_on=date(2026, 10, 9), by=officer_a
    )

    assert works.status == StepStatus.IN_PROGRESS
    with pytest.raises(BusinessRuleError, match="理由"):
        services.mark_not_needed(step=_step(checklists_project, "eia"), reason=" ", by=officer_a)


@pytest.mark.parametrize(
    ("code", "started_on", "due_on"),
    [
        # limit 5: 1–7 October are the National Day holiday, Saturday 10 October is a make-up workday
        ("approval", date(2026, 9, 30), date(2026, 10, 13)),
        # limit 10: Saturdays 14 and 28 February are make-up workdays around the Spring Festival (15–23 February)
        ("energy", date(2026, 2, 13), date(2026, 3, 5)),
    ],
)
def test_due_dates_count_working_days_across_holidays_and_make_up_days(
    checklists_project, officer_a, code, started_on, due_on
):
    step = services.start_step(step=_step(checklists_project, code), started_on=started_on, by=officer_a)

    step.refresh_from_db()
    assert (step.started_on, step.due_on) == (started_on, due_on)


def test_a_step_cannot_start_in_the_future(checklists_project, officer_a):
    with pytest.raises(BusinessRuleError) as refused:
        services.start_step(step=_step(checklists_project, "approval"), started_on=date(2026, 10, 13), by=officer_a)

    assert refused.value.field == "started_on"


def test_finishing_files_the_approval_on_the_project(checklists_project, checklists_handlers):
    handler = checklists_handlers["county_resources"]
    land_pre = services.start_step(step=_step(checklists_project, "land_pre"), started_on=date(2026, 9, 25), by=handler)
    services.finish_step(step=land_pre, done_on=date(2026, 9, 28), by=handler)
    transfer = services.start_step(
        step=_step(checklists_project, "land_transfer"), started_on=date(2026, 9, 28), by=handler
    )
    upload = SimpleUploadedFile("出让合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")

    services.finish_step(
        step=transfer, done_on=date(2026, 10, 9), approval_number="3415012026B00123", upload=upload, by=handler
    )

    transfer.refresh_from_db()
    document = transfer.documents.get()
    assert (transfer.status, transfer.done_on, transfer.approval_number) == (
        "done",
        date(2026, 10, 9),
        "3415012026B00123",
    )
    assert (document.project, document.kind) == (checklists_project, ProjectDocument.Kind.LAND)


def test_only_the_owning_side_reopens_a_finished_step(checklists_project, checklists_handlers, officer_a):
    handler = checklists_handlers["reform"]
    step = services.start_step(step=_step(checklists_project, "approval"), started_on=date(2026, 9, 25), by=handler)
    services.finish_step(step=step, done_on=date(2026, 9, 28), approval_number="2609-341501-04-01-123456", by=handler)

    with pytest.raises(BusinessRuleError, match="重新办理"):
        services.reopen_step(step=step, reason="备案信息有误", by=handler)
    with pytest.raises(BusinessRuleError, match="理由"):
        services.reopen_step(step=step, reason="", by=officer_a)
    services.reopen_step(step=step, reason="备案信息有误", by=officer_a)

    step.refresh_from_db()
    assert (step.status, step.started_on, step.due_on, step.done_on, step.approval_number) == (
        "waiting", None, None, None, "",
    )  # fmt: skip
    assert "备案信息有误" in step.note


def test_a_stale_move_is_refused(checklists_project, officer_a, checklists_handlers):
    first = _step(checklists_project, "eia")
    second = _step(checklists_project, "eia")
    services.start_step(step=first, started_on=date(2026, 10, 9), by=officer_a)

    with pytest.raises(BusinessRuleError, match="刚被其他人办理"):
        services.mark_not_needed(step=second, reason="不涉及", by=checklists_handlers["ecology"])

    assert _step(checklists_project, "eia").status == StepStatus.IN_PROGRESS


def test_a_department_moves_only_its_own_steps(checklists_project, checklists_handlers):
    with pytest.raises(BusinessRuleError, match="不能对该手续"):
        services.start_step(
            step=_step(checklists_project, "eia"), started_on=date(2026, 10, 9), by=checklists_handlers["water"]
        )

    assert _step(checklists_project, "eia").status == StepStatus.WAITING


def test_reassigning_a_step_makes_the_new_department_a_participant(
    checklists_project, checklists_departments, officer_a
):
    step = _step(checklists_project, "power")
    county = checklists_departments["county_housing"]

    services.reassign_department(step=step, department=county, by=officer_a)

    assert _step(checklists_project, "power").department == county
    assert ProjectParticipant.objects.filter(project=checklists_project, unit=county).exists()


# ---- templates ----------------------------------------------------------------------------------


def test_a_template_change_leaves_running_checklists_alone(checklists_project, checklists_coordinator, officer_a):
    template = ChecklistTemplate.objects.get(code="new-land")
    eia = template.steps.get(code="eia")
    before = list(checklists_project.checklist.steps.values_list("name", "time_limit_days"))

    template_services.save_template_step(
        template=template, step=eia, name="环境影响评价审批", time_limit_days=30, department_hint="生态环境",
        by=checklists_coordinator,
    )  # fmt: skip
    template_services.delete_template_step(step=template.steps.get(code="water"), by=checklists_coordinator)
    template_services.save_template(template=template, commitment_days=40, by=checklists_coordinator)

    template.refresh_from_db()
    checklist = Checklist.objects.get(project=checklists_project)
    assert template.revision == 4
    assert (checklist.template_revision, checklist.commitment_days) == (1, 50)
    assert list(checklist.steps.values_list("name", "time_limit_days")) == before
    newer = _signed(officer_a, checklists_coordinator, name="东城第二个新建项目")
    assert newer.checklist.template_revision == 4
    assert newer.checklist.steps.get(code="eia").time_limit_days == 30
    assert not newer.checklist.steps.filter(code="water").exists()


def test_saving_a_template_unchanged_keeps_its_revision(checklists_coordinator):
    template = ChecklistTemplate.objects.get(code="upgrade")

    template_services.save_template(template=template, name=template.name, by=checklists_coordinator)

    assert ChecklistTemplate.objects.get(code="upgrade").revision == 1


def test_template_prerequisites_stay_in_the_template_and_never_circle(checklists_coordinator):
    template = ChecklistTemplate.objects.get(code="new-land")
    land_pre, permit = template.steps.get(code="land_pre"), template.steps.get(code="permit")
    elsewhere = ChecklistTemplate.objects.get(code="expansion").steps.get(code="eia")

    def save(step, prerequisites):
        return template_services.save_template_step(
            template=template, step=step, name=step.name, time_limit_days=step.time_limit_days,
            department_hint=step.department_hint, prerequisites=prerequisites, by=checklists_coordinator,
        )  # fmt: skip

    with pytest.raises(BusinessRuleError, match="循环"):
        save(land_pre, [permit])
    with pytest.raises(BusinessRuleError, match="自身"):
        save(land_pre, [land_pre])
    with pytest.raises(BusinessRuleError, match="本模板"):
        save(land_pre, [elsewhere])
    assert ChecklistTemplate.objects.get(code="new-land").revision == 1


def test_a_template_needs_a_department_or_a_hint_and_one_permit(checklists_coordinator):
    template = ChecklistTemplate.objects.get(code="leased-factory")

    with pytest.raises(BusinessRuleError) as no_department:
        template_services.save_template_step(
            template=template, name="规划核实", time_limit_days=5, by=checklists_coordinator
        )
    with pytest.raises(BusinessRuleError) as second_permit:
        template_services.save_template_step(
            template=template, name="装修施工许可", time_limit_days=3, department_hint="住房", is_permit=True,
            by=checklists_coordinator,
        )  # fmt: skip

    assert (no_department.value.field, second_permit.value.field) == ("department_hint", "is_permit")


def test_only_the_coordinating_units_managers_keep_templates(officer_a, city_leader):
    template = ChecklistTemplate.objects.get(code="upgrade")

    for user in (officer_a, city_leader):  # officer_a holds the right but works in a county
        with pytest.raises(BusinessRuleError):
            template_services.save_template(template=template, name="改名", by=user)

    assert ChecklistTemplate.objects.get(code="upgrade").name == "技术改造（不新增用地）"


# ---- forecast and critical path -----------------------------------------------------------------


@pytest.fixture
def small_checklist(checklists_project, checklists_departments, officer_a):
    """A: 5 days; B: 10 days after A; C: 3 days; P (the permit): 2 days after B and C; committed in 15 days."""
    project = _without_checklist(checklists_project)
    template = ChecklistTemplate.objects.create(code="small", name="小模板", commitment_days=15)
    reform = checklists_departments["reform"]
    made = {}
    for order, (code, limit) in enumerate([("A", 5), ("B", 10), ("C", 3), ("P", 2)], 1):
        made[code] = TemplateStep.objects.create(
            template=template, order=order, code=code, name=code, department=reform, time_limit_days=limit,
            is_permit=code == "P",
        )  # fmt: skip
    made["B"].prerequisites.set([made["A"]])
    made["P"].prerequisites.set([made["B"], made["C"]])
    return services.create_checklist(project=project, template=template, by=officer_a, started_on=date(2026, 6, 1))


def _by_code(checklist, result):
    return {step.code: result.steps[step.pk] for step in checklist.steps.all()}


def test_the_forecast_follows_the_longest_chain_to_the_permit(small_checklist):
    result = forecast(small_checklist, date(2026, 6, 1))

    steps = _by_code(small_checklist, result)
    assert (steps["A"].start, steps["A"].finish) == (date(2026, 6, 1), date(2026, 6, 8))
    # 19 June is the Dragon Boat Festival
    assert (steps["B"].start, steps["B"].finish) == (date(2026, 6, 8), date(2026, 6, 23))
    assert steps["C"].finish == date(2026, 6, 4)
    assert (result.permit_on, result.permit_days, result.days_over) == (date(2026, 6, 25), 17, 2)
    assert {code for code, step in steps.items() if step.critical} == {"A", "B", "P"}


def test_an_overdue_step_pushes_the_forecast_from_today(small_checklist, officer_a):
    services.start_step(step=small_checklist.steps.get(code="A"), started_on=date(2026, 6, 1), by=officer_a)

    result = forecast(small_checklist, date(2026, 6, 10))

    steps = _by_code(small_checklist, result)
    assert steps["A"].finish == date(2026, 6, 10)  # due on 8 June, still being handled
    assert (steps["B"].start, steps["B"].finish) == (date(2026, 6, 10), date(2026, 6, 25))
    assert (result.permit_on, result.permit_days, result.days_over) == (date(2026, 6, 29), 19, 4)
    assert {code for code, step in steps.items() if step.critical} == {"A", "B", "P"}


@pytest.mark.shipped_calendar  # 2027 as chinese-calendar 1.11 ships it: not covered
def test_the_forecast_waits_for_a_calendar_it_does_not_have(small_checklist):
    result = forecast(small_checklist, date(2026, 12, 28))

    assert (result.missing_year, result.permit_on) == (2027, None)


# ---- the overdue scan ---------------------------------------------------------------------------


def test_the_scan_tells_the_department_and_the_leader_once(checklists_project, checklists_handlers, officer_a):
    leader = UserFactory(username="ck_leader", name="东城区副区长", unit=officer_a.unit, roles=[roles.CITY_LEADER])
    TaskForce.objects.create(
        project=checklists_project, leader=leader, lead_unit=officer_a.unit, established_on=date(2026, 9, 25),
        created_by=officer_a,
    )  # fmt: skip
    handler = checklists_handlers["reform"]
    bystander = UserFactory(username="ck_bystander", name="发改委科员", unit=handler.unit)  # no role
    services.start_step(step=_step(checklists_project, "approval"), started_on=date(2026, 9, 30), by=handler)

    first = scan_landing(today=date(2026, 10, 14))
    second = scan_landing(today=date(2026, 10, 14))

    assert (first["逾期手续"], second["逾期手续"]) == (1, 0)
    step = _step(checklists_project, "approval")
    assert step.escalated_at is not None
    key = f"landing.step.{step.pk}.overdue"
    assert set(Notice.objects.filter(key=key).values_list("recipient__username", flat=True)) == {
        handler.username, leader.username,
    }  # fmt: skip
    assert not Notice.objects.filter(recipient=bystander).exists()


def test_a_step_due_today_is_not_overdue(checklists_project, officer_a):
    services.start_step(step=_step(checklists_project, "approval"), started_on=date(2026, 9, 30), by=officer_a)

    assert scan_landing(today=date(2026, 10, 13))["逾期手续"] == 0
