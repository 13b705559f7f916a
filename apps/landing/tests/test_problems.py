"""项目问题: raising, answering, closing, reopening, reassigning; the overdue scan; the pages per role."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.errors import BusinessRuleError
from apps.core.models import Notice
from apps.core.pending import pending_for
from apps.investment.models import ProjectParticipant
from apps.investment.tests.conftest import bureau, coordinator, department_handler  # noqa: F401 - fixtures
from apps.investment.tests.factories import lead
from apps.landing.models import ProblemEvent, ProjectProblem
from apps.landing.services.problems import (
    answer_problem,
    close_problem,
    escalate_overdue_problems,
    raise_problem,
    reassign_problem,
    reopen_problem,
)
from apps.landing.services.scans import scan_landing
from apps.landing.services.taskforces import add_member
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = ProjectProblem.Status


@pytest.fixture
def land(taskforce_departments):
    return taskforce_departments["land"]


@pytest.fixture
def land_handler(taskforce_handlers):
    return taskforce_handlers["land"]


@pytest.fixture
def problem(taskforce_project, land, officer_a):
    return raise_problem(
        project=taskforce_project, title="用地指标尚未落实", description="需调整土地利用规划", category="land",
        source="task_force", department=land, by=officer_a,
    )  # fmt: skip


def _raise(project, department, by, **details):
    details.setdefault("title", "供电线路迁改")
    return raise_problem(project=project, department=department, by=by, **details)


def _kinds(problem) -> list[str]:
    return list(problem.events.values_list("kind", flat=True))


def _notices(key: str) -> list[str]:
    return sorted(Notice.objects.filter(key=key).values_list("recipient__username", flat=True))


# ---- raising -------------------------------------------------------------------------------


def test_a_raised_problem_gets_a_code_a_deadline_in_working_days_and_reaches_the_department(
    land_handler, taskforce_project, land, officer_a
):
    UserFactory(username="tf_land_clerk", unit=land, roles=[roles.HOTLINE_AGENT])  # no right to answer: not told
    problem = _raise(taskforce_project, land, officer_a, title="用地指标尚未落实")
    second = _raise(taskforce_project, land, officer_a, time_limit_days=3)

    assert (problem.code, second.code) == ("WT2026-0001", "WT2026-0002")
    assert (problem.raised_on, problem.due_on, second.due_on) == (date(2026, 3, 2), date(2026, 3, 16), date(2026, 3, 5))
    assert (problem.status, problem.raised_by, _kinds(problem)) == (Status.OPEN, officer_a, ["raise"])
    participant = ProjectParticipant.objects.get(project=taskforce_project, unit=land)
    assert participant.role == "问题责任部门"
    assert _notices(f"landing.problem.{problem.pk}.assigned.{land.pk}") == ["tf_land"]


def test_the_task_forces_members_and_leader_raise_problems_and_others_do_not(
    taskforce, land, taskforce_handlers, officer_b, city_leader, officer_a
):
    member = taskforce_handlers["power"]
    add_member(task_force=taskforce, person=member, role="member", by=officer_a)
    project = taskforce.project

    by_member = _raise(project, land, member)
    by_leader = _raise(project, land, taskforce.leader)

    assert (by_member.raised_by, by_leader.raised_by) == (member, taskforce.leader)
    for outsider in (officer_b, city_leader, taskforce_handlers["county"]):
        with pytest.raises(BusinessRuleError, match="只有项目专班成员、包抓领导或项目责任单位"):
            _raise(project, land, outsider)
    assert ProjectProblem.objects.count() == 2


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        ({"title": "  "}, "title", "请填写问题"),
        ({"due_on": date(2026, 3, 1)}, "due_on", "办理时限不能早于今天"),
        ({"time_limit_days": 0}, "time_limit_days", "至少 1 个工作日"),
        ({"category": "weather"}, "category", "请选择问题类别"),
    ],
)
def test_a_problem_needs_a_title_a_future_deadline_and_a_known_category(
    taskforce_project, land, officer_a, details, field, message
):
    with pytest.raises(BusinessRuleError, match=message) as error:
        _raise(taskforce_project, land, officer_a, **details)

    assert error.value.field == field
    assert not ProjectProblem.objects.exists()


def test_a_problem_goes_to_a_department_not_an_area(taskforce_project, county_a, officer_a):
    with pytest.raises(BusinessRuleError, match="请选择在用的责任部门") as error:
        _raise(taskforce_project, county_a, officer_a)

    assert error.value.field == "department"


# ---- answering, closing, reopening, reassigning -------------------------------------------------


def test_the_department_answers_and_the_raiser_confirms_it_solved(problem, land_handler, taskforce_handlers, officer_a):
    with pytest.raises(BusinessRuleError, match="当前不能对该问题执行“答复”"):
        answer_problem(problem=problem, answer="已协调", by=taskforce_handlers["power"])
    with pytest.raises(BusinessRuleError, match="请填写答复意见") as error:
        answer_problem(problem=problem, answer=" ", by=land_handler)
    assert error.value.field == "answer"

    answered = answer_problem(problem=problem, answer=" 已纳入规划调整方案 ", by=land_handler)

    assert (answered.status, answered.answer, answered.answered_by, answered.answered_on) == (
        Status.ANSWERED, "已纳入规划调整方案", land_handler, date(2026, 3, 2),
    )  # fmt: skip
    assert (
        Notice.objects.filter(recipient=officer_a, key__startswith=f"landing.problem.{problem.pk}.answered.").count()
        == 1
    )
    with pytest.raises(BusinessRuleError, match="当前不能对该问题执行“确认解决”"):
        close_problem(problem=answered, by=land_handler)

    closed = close_problem(problem=answered, note="指标已下达", by=officer_a)

    assert (closed.status, closed.closed_on) == (Status.CLOSED, date(2026, 3, 2))
    assert _kinds(closed) == ["raise", "answer", "close"]


def test_a_problem_not_solved_goes_back_to_the_department_with_a_new_deadline(
    problem, land_handler, officer_a, taskforce_clock
):
    answer_problem(problem=problem, answer="正在研究", by=land_handler)
    taskforce_clock.move_to("2026-03-09 09:00+08:00")
    problem.refresh_from_db()
    with pytest.raises(BusinessRuleError, match="请说明退回重办的原因") as error:
        reopen_problem(problem=problem, reason="", by=officer_a)
    assert error.value.field == "reason"

    reopened = reopen_problem(problem=problem, reason="答复未明确时间", time_limit_days=5, by=officer_a)

    assert (reopened.status, reopened.due_on, reopened.answer, reopened.answered_by) == (
        Status.OPEN, date(2026, 3, 16), "", None,
    )  # fmt: skip
    assert list(reopened.events.values_list("kind", "note")) == [
        ("raise", "用地指标尚未落实"), ("answer", "正在研究"), ("reopen", "答复未明确时间"),
    ]  # fmt: skip
    assert Notice.objects.filter(recipient=land_handler, key__contains=".reopened.").count() == 1


def test_the_owning_side_reassigns_a_problem_to_another_department(
    problem, taskforce, taskforce_departments, taskforce_handlers, officer_a
):
    power = taskforce_departments["power"]
    with pytest.raises(BusinessRuleError, match="当前不能对该问题执行“改派”"):
        reassign_problem(problem=problem, department=power, reason="属供电", by=taskforce.leader)
    with pytest.raises(BusinessRuleError, match="请选择另一个责任部门"):
        reassign_problem(problem=problem, department=problem.department, reason="属供电", by=officer_a)

    moved = reassign_problem(problem=problem, department=power, reason="属供电公司职责", by=officer_a)

    assert (moved.department, moved.status, moved.due_on) == (power, Status.OPEN, date(2026, 3, 16))
    assert moved.events.last().note == "改派至示范市供电公司：属供电公司职责"
    assert ProjectParticipant.objects.filter(project=problem.project, unit=power, role="问题责任部门").exists()
    assert _notices(f"landing.problem.{problem.pk}.assigned.{power.pk}") == ["tf_power"]
    with pytest.raises(BusinessRuleError, match="当前不能对该问题执行“答复”"):
        answer_problem(problem=moved, answer="已办", by=taskforce_handlers["land"])


def test_two_people_moving_one_problem_at_once_cannot_both_succeed(problem, land_handler):
    stale = ProjectProblem.objects.get(pk=problem.pk)
    answer_problem(problem=problem, answer="已协调", by=land_handler)

    with pytest.raises(BusinessRuleError, match="刚被他人处理"):
        answer_problem(problem=stale, answer="再次答复", by=land_handler)
    assert _kinds(problem) == ["raise", "answer"]


# ---- the overdue scan ----------------------------------------------------------------------


def test_the_scan_escalates_an_overdue_problem_to_the_leader_once(problem, taskforce, taskforce_clock):
    taskforce_clock.move_to("2026-03-17 09:00+08:00")

    first = scan_landing(today=date(2026, 3, 17))
    second = scan_landing(today=date(2026, 3, 17))

    assert (first["逾期问题升级"], second["逾期问题升级"]) == (1, 0)
    problem.refresh_from_db()
    assert problem.escalated_at is not None
    assert _notices(f"landing.problem.{problem.pk}.overdue") == ["tf_leader"]
    assert _kinds(problem) == ["raise", "escalate"]
    assert problem.events.last().by is None


def test_only_problems_waiting_past_their_deadline_escalate(problem, taskforce_project, land, land_handler, officer_a):
    answered = _raise(taskforce_project, land, officer_a, time_limit_days=1)
    answer_problem(problem=answered, answer="已办", by=land_handler)

    assert escalate_overdue_problems(today=date(2026, 3, 16)) == 0  # due today: not late yet
    assert escalate_overdue_problems(today=date(2026, 3, 17)) == 1
    assert not answered.events.filter(kind=ProblemEvent.Kind.ESCALATE).exists()


def test_without_a_task_force_the_owning_unit_is_told(problem, county_admin_a, taskforce_leader):
    escalate_overdue_problems(today=date(2026, 3, 17))

    assert _notices(f"landing.problem.{problem.pk}.overdue") == ["county_admin_a", "officer_a"]


def test_a_reopened_problem_may_escalate_again_but_its_leader_is_told_once(
    problem, taskforce, land_handler, officer_a, taskforce_clock
):
    escalate_overdue_problems(today=date(2026, 3, 17))
    taskforce_clock.move_to("2026-03-17 10:00+08:00")
    answer_problem(problem=problem, answer="已办", by=land_handler)
    reopen_problem(problem=problem, reason="未解决", time_limit_days=1, by=officer_a)

    assert escalate_overdue_problems(today=date(2026, 3, 19)) == 1
    assert problem.events.filter(kind=ProblemEvent.Kind.ESCALATE).count() == 2
    assert Notice.objects.filter(key=f"landing.problem.{problem.pk}.overdue").count() == 1


# ---- pages ---------------------------------------------------------------------------------

#: persona → what raising a problem on 东城区's project (with its task force) does
RAISE_EXPECTED = {
    "officer_a": "changed",
    "county_admin_a": "changed",
    "taskforce_leader": "changed",  # leads the task force though the role only reads
    "city_leader": 403,  # sees every project, is not on this task force
    "tf_hotline_a": 403,  # 东城区 without the landing roles
    "officer_b": 404,
    "department_handler": 404,
}


@pytest.fixture
def tf_hotline_a(county_a):
    return UserFactory(username="tf_hotline_a", name="东城热线坐席", unit=county_a, roles=[roles.HOTLINE_AGENT])


def test_anonymous_people_are_sent_to_log_in(client, problem):
    urls = [reverse("landing:problem_list"), reverse("landing:problem_detail", args=[problem.pk])]
    urls += [
        reverse(f"landing:problem_{move}", args=[problem.pk]) for move in ("answer", "close", "reopen", "reassign")
    ]
    urls.append(reverse("landing:problem_create", args=[problem.project_id]))
    for url in urls:
        response = client.post(url, {"answer": "x", "reason": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("org:login"))
    problem.refresh_from_db()
    assert problem.status == Status.OPEN


@pytest.mark.parametrize("persona", RAISE_EXPECTED)
def test_raising_a_problem_from_the_page(request, client_for, taskforce, land, persona):
    user = request.getfixturevalue(persona)
    data = {"title": "施工用水接入", "category": "utilities", "source": "enterprise", "department": land.pk}

    response = client_for(user).post(reverse("landing:problem_create", args=[taskforce.project_id]), data)

    expected = RAISE_EXPECTED[persona]
    if expected == "changed":
        problem = ProjectProblem.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("landing:problem_detail", args=[problem.pk])
        assert (problem.title, problem.raised_by, problem.due_on) == ("施工用水接入", user, date(2026, 3, 16))
    else:
        assert response.status_code == expected
        assert not ProjectProblem.objects.exists()


def test_the_raise_form_shows_rule_errors_on_the_field(client_for, taskforce_project, land, officer_a):
    data = {
        "title": "施工用水",
        "category": "utilities",
        "source": "staff",
        "department": land.pk,
        "due_on": "2026-03-01",
    }

    response = client_for(officer_a).post(reverse("landing:problem_create", args=[taskforce_project.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == ["办理时限不能早于今天。"]


ANSWER_EXPECTED = {"tf_land": "changed", "officer_a": 403, "taskforce_leader": 403, "officer_b": 404, "tf_power": 404}


@pytest.mark.parametrize("persona", ANSWER_EXPECTED)
def test_only_the_department_answers(
    client_for, problem, taskforce_handlers, officer_a, officer_b, taskforce_leader, persona
):
    people = {**{u.username: u for u in taskforce_handlers.values()}, "officer_a": officer_a, "officer_b": officer_b}
    people["taskforce_leader"] = taskforce_leader

    response = client_for(people[persona]).post(
        reverse("landing:problem_answer", args=[problem.pk]), {"answer": "已协调"}
    )

    problem.refresh_from_db()
    if ANSWER_EXPECTED[persona] == "changed":
        assert (response.status_code, problem.status, problem.answer) == (302, Status.ANSWERED, "已协调")
    else:
        assert (response.status_code, problem.status, _kinds(problem)) == (
            ANSWER_EXPECTED[persona],
            Status.OPEN,
            ["raise"],
        )


FOLLOW_EXPECTED = {"officer_a": "changed", "county_admin_a": "changed", "tf_land": 403, "officer_b": 404}


@pytest.mark.parametrize("persona", FOLLOW_EXPECTED)
def test_only_the_raiser_or_the_owning_side_closes_reopens_and_reassigns(
    request, client_for, problem, taskforce_handlers, taskforce_departments, persona
):
    user = taskforce_handlers["land"] if persona == "tf_land" else request.getfixturevalue(persona)
    answer_problem(problem=problem, answer="已协调", by=taskforce_handlers["land"])
    client = client_for(user)
    power = taskforce_departments["power"]

    reopen = client.post(
        reverse("landing:problem_reopen", args=[problem.pk]), {"reason": "未落实", "time_limit_days": 5}
    )
    reassign = client.post(
        reverse("landing:problem_reassign", args=[problem.pk]), {"department": power.pk, "reason": "改由供电"}
    )
    problem.refresh_from_db()

    expected = FOLLOW_EXPECTED[persona]
    if expected == "changed":
        assert (reopen.status_code, reassign.status_code) == (302, 302)
        assert (problem.status, problem.department, _kinds(problem)) == (
            Status.OPEN, power, ["raise", "answer", "reopen", "reassign"],
        )  # fmt: skip
    else:
        assert (reopen.status_code, reassign.status_code) == (expected, expected)
        assert (problem.status, _kinds(problem)) == (Status.ANSWERED, ["raise", "answer"])


@pytest.mark.parametrize(("persona", "expected"), [("officer_a", 302), ("tf_land", 403), ("officer_b", 404)])
def test_closing_from_the_page(request, client_for, problem, land_handler, persona, expected):
    answer_problem(problem=problem, answer="已协调", by=land_handler)
    user = land_handler if persona == "tf_land" else request.getfixturevalue(persona)

    response = client_for(user).post(reverse("landing:problem_close", args=[problem.pk]), {"note": "已落实"})

    problem.refresh_from_db()
    assert response.status_code == expected
    assert problem.status == (Status.CLOSED if expected == 302 else Status.ANSWERED)


def test_the_problem_page_shows_its_history_and_the_moves_the_user_may_make(
    client_for, problem, land_handler, officer_a
):
    answer_problem(problem=problem, answer="已纳入规划调整方案", by=land_handler)

    raiser = client_for(officer_a).get(reverse("landing:problem_detail", args=[problem.pk]))

    assert [m.kind for m in raiser.context["moves"]] == ["close", "reopen", "reassign"]
    text = raiser.content.decode()
    assert "WT2026-0001" in text
    assert "已纳入规划调整方案" in text
    assert "答复" in text
    handler = client_for(land_handler).get(reverse("landing:problem_detail", args=[problem.pk]))
    assert handler.context["moves"] == []


def test_a_department_sees_the_problems_given_to_it_and_those_of_its_own_projects(
    client_for, problem, taskforce_project, taskforce_departments, taskforce_handlers, officer_a
):
    power = taskforce_departments["power"]
    _raise(taskforce_project, power, officer_a, title="供电容量不足")
    own = lead(taskforce_handlers["land"], unit=taskforce_departments["land"], name="自然资源局自有项目")
    ProjectProblem.objects.create(
        code="WT2026-0900", project=own, title="自有项目的问题", raised_by=taskforce_handlers["land"],
        raised_on=date(2026, 3, 2), department=power, due_on=date(2026, 3, 20),
    )  # fmt: skip

    response = client_for(taskforce_handlers["land"]).get(reverse("landing:problem_list"))

    assert sorted(p.title for p in response.context["page"].object_list) == ["用地指标尚未落实", "自有项目的问题"]
    other = ProjectProblem.objects.get(title="供电容量不足")
    assert (
        client_for(taskforce_handlers["land"]).get(reverse("landing:problem_detail", args=[other.pk])).status_code
        == 404
    )


def test_the_ledger_filters_and_exports_the_current_state(
    client_for, problem, taskforce_project, taskforce_departments, land_handler, officer_a
):
    power = taskforce_departments["power"]
    late = _raise(taskforce_project, power, officer_a, title="供电容量不足", time_limit_days=1, source="enterprise")
    answer_problem(problem=problem, answer="已协调", by=land_handler)
    client = client_for(officer_a)
    url = reverse("landing:problem_list")

    def titles(**params) -> list[str]:
        return sorted(p.title for p in client.get(url, params).context["page"].object_list)

    assert titles() == ["供电容量不足", "用地指标尚未落实"]
    assert titles(status="answered") == ["用地指标尚未落实"]
    assert titles(department=power.pk) == ["供电容量不足"]
    assert titles(source="enterprise", category="other") == ["供电容量不足"]
    assert titles(q="用地") == ["用地指标尚未落实"]
    assert titles(mine="on", status="answered") == ["用地指标尚未落实"]
    ProjectProblem.objects.filter(pk=late.pk).update(due_on=date(2026, 2, 27))
    assert titles(overdue="on") == ["供电容量不足"]
    export = client.get(url, {"overdue": "on", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("问题编号", "项目编号", "项目名称", "项目单位", "问题")
    assert (rows[1][4], rows[1][10], rows[1][12], rows[1][13]) == ("供电容量不足", "示范市供电公司", "待答复", "是")
    assert len(rows) == 2


def test_the_ledger_takes_the_same_number_of_queries_for_2_and_6_problems(
    client_for, taskforce_project, taskforce_departments, officer_a, count_queries
):
    client = client_for(officer_a)
    url = reverse("landing:problem_list")

    def grow(n: int) -> None:
        for i in range(n):
            project = lead(officer_a)
            department = taskforce_departments["land" if i % 2 else "power"]
            _raise(project if i % 2 else taskforce_project, department, officer_a)

    grow(2)
    two = (count_queries(lambda: client.get(url)), count_queries(lambda: client.get(url, {"export": "xlsx"})))
    grow(4)

    assert (count_queries(lambda: client.get(url)), count_queries(lambda: client.get(url, {"export": "xlsx"}))) == two


def test_pending_items_for_the_department_the_raiser_and_the_leader(
    problem, taskforce, taskforce_project, land, land_handler, officer_a
):
    second = _raise(taskforce_project, land, officer_a, title="道路接入")

    assert [(i.title, i.count, i.level) for i in pending_for(land_handler) if "项目问题" in i.title] == [
        ("待答复的项目问题", 2, "warning")
    ]
    ProjectProblem.objects.filter(pk=second.pk).update(due_on=date(2026, 2, 27))
    answer_problem(problem=problem, answer="已协调", by=land_handler)
    escalate_overdue_problems(today=date(2026, 3, 2))

    assert [(i.title, i.count, i.level) for i in pending_for(land_handler) if "项目问题" in i.title] == [
        ("待答复的项目问题", 1, "danger")
    ]
    assert [(i.title, i.count) for i in pending_for(officer_a) if "项目问题" in i.title] == [
        ("待确认解决的项目问题", 1)
    ]
    assert [(i.title, i.count) for i in pending_for(taskforce.leader) if "项目问题" in i.title] == [
        ("逾期升级至我的项目问题", 1)
    ]
