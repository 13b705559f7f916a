"""Project landing (项目落地) in a real Chromium, as the people who do it: a county officer asks two departments
for a joint review and each answers from its own 待办; after signing, a department handler takes a step of the
procedure checklist from 本单位待办理 to 办结 and the project's page moves its construction-permit forecast; the
leader in charge raises a problem from a phone, the department answers and the leader closes it in the ledger.

Real time throughout (the live server's thread reads the same clock); dates are worked out with the working-day
calendar the pages use, so the tests hold on any day of a year the calendar covers.
"""

import importlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.core.models import CalendarYear
from apps.core.tests.test_browser import PHONE, browser, log_in, open_page  # noqa: F401 - fixtures
from apps.core.workdays import LIBRARY_YEARS, add_working_days, chinese_date, working_days_between
from apps.investment.models import Stage
from apps.investment.tests.factories import advance_to, lead, ready_to_sign
from apps.landing.models import ChecklistStep, JointReview, ProjectProblem, StepStatus, Verdict
from apps.landing.services.taskforces import set_up_task_force

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/yingshang-landing-problem.png")  # noqa: S108 - a fixed place the team looks at


@pytest.fixture(autouse=True)
def migration_data(transactional_db):
    """A live server's test empties the tables after each test: put back the code lists, default gates and
    checklist templates that the migrations load, when an earlier test took them away."""
    from django.apps import apps

    from apps.enterprises.models import Industry
    from apps.investment.models import StageGate
    from apps.landing.models import ChecklistTemplate

    if not Industry.objects.exists():
        importlib.import_module("apps.enterprises.migrations.0003_industries_and_builtin_tags").load(apps, None)
    if not StageGate.objects.exists():
        importlib.import_module("apps.investment.migrations.0002_default_gates_and_rules").load(apps, None)
    if not ChecklistTemplate.objects.exists():
        importlib.import_module("apps.landing.migrations.0002_default_templates").load(apps, None)


@pytest.fixture
def calendar_years(transactional_db):
    """This year and the next are in the working-day calendar: a permit forecast made in December reaches into
    January. A year chinese-calendar does not know yet is entered as an administrator does (CalendarYear)."""
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        if year not in LIBRARY_YEARS:
            CalendarYear.objects.get_or_create(
                year=year, defaults={"source": f"国务院办公厅关于{year}年部分节假日安排的通知"}
            )


def sign_in(page: Page, username: str, password: str) -> None:
    """A fresh session for the next person at the same browser."""
    page.context.clear_cookies()
    page.goto(reverse("org:login"))
    log_in(page, username, password)
    expect(page.get_by_text("我的待办")).to_be_visible()


def test_a_joint_review_asks_two_departments_and_closes_when_both_have_answered(
    open_page, live_server, calendar_years, review_project, review_departments, review_handlers, password,  # noqa: F811
):  # fmt: skip
    due = add_working_days(timezone.localdate(), 3)
    page = open_page()
    sign_in(page, "officer_a", password)

    page.goto(reverse("investment:project_detail", args=[review_project.pk]))
    page.get_by_test_id("landing-link").click()
    expect(page.get_by_role("heading", name="东城新能源电池项目")).to_be_visible()
    page.get_by_test_id("open-review").click()
    page.get_by_label("送审说明").fill("项目拟用地 120 亩，年综合能耗约 8000 吨标准煤。")
    page.get_by_label("示范市自然资源和规划局").check()
    page.get_by_label("示范市生态环境局").check()
    page.get_by_label("审查期限（工作日）").fill("3")
    expect(page.get_by_test_id("due-preview")).to_contain_text(f"3 个工作日后即 {chinese_date(due)} 为反馈截止日期")
    page.get_by_role("button", name="发起", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("已发起联评联审，已通知 2 个部门反馈意见。")
    expect(page.get_by_test_id("deadline")).to_contain_text(f"3 个工作日，{chinese_date(due)} 前反馈")
    review = JointReview.objects.get(project=review_project)
    assert sorted(review.opinions.values_list("department__name", flat=True)) == [
        "示范市生态环境局",
        "示范市自然资源和规划局",
    ]

    sign_in(page, "review_resources", password)
    page.get_by_test_id("pending-list").get_by_role("link", name="待反馈的联审意见").click()
    row = page.get_by_test_id("review-list").get_by_role("row").filter(has_text="东城新能源电池项目")
    expect(row.get_by_test_id("mine")).to_have_text("待反馈")
    row.get_by_role("link", name="项目联评联审").click()
    page.get_by_label("有条件同意").check()
    page.get_by_label("同意的条件").fill("用地须符合国土空间规划\n办理用地预审前完成勘测定界")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_role("alert")).to_contain_text("已反馈示范市自然资源和规划局的审查意见。")
    expect(page.get_by_test_id("review-status")).to_contain_text("审查中")

    sign_in(page, "review_ecology", password)
    page.get_by_test_id("pending-list").get_by_role("link", name="待反馈的联审意见").click()
    page.get_by_test_id("review-list").get_by_role("link", name="项目联评联审").click()
    page.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_role("alert")).to_contain_text("已反馈示范市生态环境局的审查意见。")
    expect(page.get_by_test_id("review-status")).to_contain_text("已结束")
    expect(page.get_by_test_id("review-status").get_by_test_id("verdict")).to_have_text("有条件同意")

    page.get_by_test_id("summary-link").click()
    opinions = page.get_by_test_id("summary-opinions")
    resources = opinions.get_by_role("row").filter(has_text="示范市自然资源和规划局").get_by_role("cell")
    expect(resources.nth(2)).to_have_text("有条件同意")
    expect(resources.nth(3)).to_contain_text("条件：用地须符合国土空间规划")
    expect(resources.nth(3)).to_contain_text("办理用地预审前完成勘测定界")
    expect(resources.nth(4)).to_contain_text("示范市自然资源和规划局经办人")
    ecology = opinions.get_by_role("row").filter(has_text="示范市生态环境局").get_by_role("cell")
    expect(ecology.nth(2)).to_have_text("同意")
    expect(ecology.nth(4)).to_contain_text("示范市生态环境局经办人")
    expect(page.get_by_test_id("summary-conclusion")).to_have_text("有条件同意（各部门均已反馈）")
    review.refresh_from_db()
    assert (review.status, review.close_reason, review.conclusion) == ("closed", "answered", Verdict.CONDITIONAL)
    assert dict(review.opinions.values_list("department__name", "verdict")) == {
        "示范市自然资源和规划局": Verdict.CONDITIONAL,
        "示范市生态环境局": Verdict.AGREE,
    }


def test_a_department_takes_a_checklist_step_to_done_and_the_permit_forecast_follows(
    open_page, live_server, calendar_years, checklists_departments, checklists_handlers, officer_a, password,  # noqa: F811
):  # fmt: skip
    today = timezone.localdate()
    project = ready_to_sign(lead(officer_a, name="东城高端装备制造项目"), officer_a)
    project = advance_to(project, Stage.SIGNED, by=officer_a, start=today - timedelta(days=12))
    checklist = project.checklist
    step = checklist.steps.get(name="用地预审与选址意见")
    assert (checklist.template_name, step.department.name) == ("新建项目（新供地）", "东城区自然资源分局")
    page = open_page()
    sign_in(page, "ck_county_resources", password)

    page.get_by_test_id("pending-list").get_by_role("link", name="待办理的手续").click()
    steps = page.get_by_test_id("steps")
    expect(steps.get_by_role("link", name="土地出让/划拨")).to_be_visible()  # the department's other steps wait
    steps.get_by_role("link", name="用地预审与选址意见").click()
    page.get_by_test_id("step-moves").get_by_role("link", name="受理").click()
    expect(page.get_by_label("受理日期")).to_have_value(today.isoformat())
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_role("alert")).to_contain_text("“用地预审与选址意见”已受理。")
    expect(page.get_by_role("heading", name="用地预审与选址意见")).to_contain_text("办理中")
    expect(page.get_by_text(chinese_date(add_working_days(today, 10)), exact=True)).to_be_visible()

    page.get_by_test_id("step-moves").get_by_role("link", name="办结").click()
    page.get_by_label("批准文号").fill("东自然资预〔2026〕18号")
    page.get_by_label("办理情况").fill("用地预审与选址意见书已核发")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_role("alert")).to_contain_text("“用地预审与选址意见”已办结。")
    expect(page.get_by_role("heading", name="用地预审与选址意见")).to_contain_text("已办结")
    expect(page.get_by_test_id("step-history")).to_contain_text("办结")

    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=project.code).click()
    done = page.get_by_role("link", name="用地预审与选址意见", exact=True)
    row = page.get_by_test_id("checklist-steps").get_by_role("row").filter(has=done)
    expect(row).to_contain_text("已办结")
    expect(row).to_contain_text(f"办结 {chinese_date(today)}")
    # 土地出让 → 建设用地规划 → 建设工程规划 (20 + 5 + 7) bound the permit (3) from today on
    permit_on = add_working_days(today, 35)
    permit_days = working_days_between(checklist.started_on, permit_on)
    forecast = page.get_by_test_id("checklist-forecast")
    expect(forecast).to_contain_text(
        f"预计 {chinese_date(permit_on)} 取得施工许可证，自起算日 {permit_days} 个工作日。"
    )
    if permit_days > 50:
        expect(forecast).to_contain_text(f"承诺 50 个工作日，超出 {permit_days - 50} 个工作日。")
    else:
        expect(forecast).to_contain_text("承诺 50 个工作日，按期。")
    critical = page.get_by_test_id("checklist-steps").locator("tr[data-critical]")
    expect(critical.first).to_contain_text("土地出让/划拨")
    step.refresh_from_db()
    assert (step.status, step.started_on, step.done_on) == (StepStatus.DONE, today, today)
    assert step.approval_number == "东自然资预〔2026〕18号"
    assert ChecklistStep.objects.get(checklist=checklist, code="permit").status == StepStatus.WAITING


def test_the_leader_raises_a_problem_on_a_phone_the_department_answers_and_the_ledger_shows_it_solved(
    open_page, live_server, calendar_years, taskforce_departments, taskforce_handlers, taskforce_leader,  # noqa: F811
    county_a, officer_a, password,
):  # fmt: skip
    today = timezone.localdate()
    project = ready_to_sign(lead(officer_a, name="东城智能装备产业园项目"), officer_a)
    project = advance_to(project, Stage.SIGNED, by=officer_a, start=today - timedelta(days=20))
    set_up_task_force(
        project=project, leader=taskforce_leader, lead_unit=county_a, plan="一月完成土地挂牌，三月开工。",
        established_on=today, by=officer_a,
    )  # fmt: skip
    due = add_working_days(today, 5)
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, "tf_leader", password)

    page.get_by_role("button", name="展开菜单").click()
    page.locator("#main-nav").get_by_role("button", name="项目落地").click()
    page.locator("#main-nav").get_by_role("link", name="我包抓的项目").click()
    page.get_by_test_id("leader-projects").get_by_role("link", name="东城智能装备产业园项目").click()
    page.get_by_test_id("problems-panel").get_by_role("link", name="提出问题").click()
    page.get_by_label(re.compile(r"^问题( \*)?$")).fill("项目用地指标尚未落实")
    page.get_by_label("具体情况").fill("园区二期 80 亩用地需调整土地利用规划，企业计划三月开工。")
    page.get_by_label("类别").select_option(label="用地")
    page.get_by_label("提出方").select_option(label="项目专班")
    page.get_by_label("责任部门").select_option(label="示范市自然资源局")
    page.get_by_label("办理时限（工作日）").fill("5")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.get_by_role("button", name="提交").click()

    code = f"WT{today.year}-0001"
    expect(page.get_by_role("alert")).to_contain_text(f"已提出问题 {code}，交示范市自然资源局答复。")
    expect(page.get_by_role("heading", name="项目用地指标尚未落实")).to_be_visible()
    expect(page.get_by_text(chinese_date(due), exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"

    desk = open_page()
    sign_in(desk, "tf_land", password)
    desk.get_by_test_id("pending-list").get_by_role("link", name="待答复的项目问题").click()
    desk.get_by_test_id("problem-list").get_by_role("link", name="项目用地指标尚未落实").click()
    desk.get_by_test_id("moves").get_by_role("link", name="答复").click()
    desk.get_by_label("答复意见").fill("已纳入本次国土空间规划调整，预计两周内批复用地指标。")
    desk.get_by_role("button", name="答复").click()
    expect(desk.get_by_role("alert")).to_contain_text(f"已答复：{code}。")
    expect(desk.get_by_test_id("moves")).to_have_count(0)  # the department has nothing more to do

    page.goto(reverse("core:home"))
    page.get_by_test_id("pending-list").get_by_role("link", name="待确认解决的项目问题").click()
    page.get_by_test_id("problem-list").get_by_role("link", name="项目用地指标尚未落实").click()
    expect(page.get_by_test_id("events")).to_contain_text("已纳入本次国土空间规划调整，预计两周内批复用地指标。")
    page.get_by_test_id("moves").get_by_role("link", name="确认解决").click()
    page.get_by_label("说明").fill("用地指标已落实，同意销号。")
    page.get_by_role("button", name="确认解决").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已确认解决：{code}。")

    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="项目问题台账").click()
    row = page.get_by_test_id("problem-list").get_by_role("row").filter(has_text="项目用地指标尚未落实")
    expect(row).to_contain_text("已解决")
    expect(row).to_contain_text("示范市自然资源局")
    expect(row).to_contain_text(chinese_date(due))
    problem = ProjectProblem.objects.get(code=code)
    assert (problem.status, problem.closed_on, problem.raised_by) == (
        ProjectProblem.Status.CLOSED,
        today,
        taskforce_leader,
    )
    assert list(problem.events.values_list("kind", flat=True)) == ["raise", "answer", "close"]
