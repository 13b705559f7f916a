"""Joint review pages as people use them: who may open, answer and read, the list, the summary, the panel."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.investment.models import Stage
from apps.investment.tests.factories import advance_to, lead, ready_to_sign
from apps.landing.models import JointReview, OpinionChange, ReviewOpinion, Verdict
from apps.landing.services.reviews import close_expired_reviews, give_opinion, open_review
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("review_clock")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def viewer_a(county_a):
    """Someone of 东城区 who reads landing but opens no review (a leader's role)."""
    return UserFactory(username="viewer_a", name="东城区领导", unit=county_a, roles=[roles.CITY_LEADER])


@pytest.fixture
def reader_in_resources(review_departments):
    """Someone of the natural resources bureau who reads but does not answer."""
    return UserFactory(username="resources_reader", unit=review_departments["resources"], roles=[roles.CITY_LEADER])


def _open(project, departments, by, subject="项目联评联审"):
    return open_review(project=project, subject=subject, departments=departments, time_limit_days=5, by=by)


@pytest.fixture
def review(review_project, review_departments, review_handlers, officer_a):
    return _open(review_project, [review_departments["resources"], review_departments["ecology"]], officer_a)


@pytest.fixture
def other_review(officer_a, review_departments, review_handlers):
    """Another project's review, asking only the housing department."""
    project = ready_to_sign(lead(officer_a, name="东城精密制造项目"), officer_a)
    project = advance_to(project, Stage.NEGOTIATION, by=officer_a, start=date(2026, 11, 1))
    return _open(project, [review_departments["housing"]], officer_a)


# ---- opening: who may ------------------------------------------------------------------------------

OPEN_EXPECTED = {
    "anonymous": "login",
    "officer_a": "opened",
    "county_admin_a": "opened",
    "officer_b": 404,  # another county does not see the project
    "viewer_a": 403,  # sees the project, may not open reviews
    "city_leader": 403,  # the city's leader sees every project of the city, opens none
    "handler": 404,  # a department not (yet) taking part
}


@pytest.mark.parametrize("persona", list(OPEN_EXPECTED))
def test_only_the_owning_side_opens_a_review(request, client, client_for, review_project, review_departments, persona):
    resources = review_departments["resources"]
    if persona == "anonymous":
        web = client
    elif persona == "handler":
        web = client_for(request.getfixturevalue("review_handlers")["resources"])
    else:
        web = client_for(request.getfixturevalue(persona))
    url = reverse("landing:review_open", args=[review_project.pk])

    response = web.post(url, {"subject": "项目联评联审", "departments": [resources.pk], "time_limit_days": 5})

    expected = OPEN_EXPECTED[persona]
    if expected == "opened":
        review = JointReview.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("landing:review_detail", args=[review.pk])
        assert list(review.opinions.values_list("department", flat=True)) == [resources.pk]
    elif expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("org:login"))
        assert not JointReview.objects.exists()
    else:
        assert response.status_code == expected
        assert not JointReview.objects.exists()


def test_the_open_form_groups_departments_and_shows_the_deadline(
    client_for, officer_a, review_project, review_departments
):
    response = client_for(officer_a).get(reverse("landing:review_open", args=[review_project.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "示范市部门" in text
    assert "东城区部门" in text
    assert "示范市自然资源和规划局" in text
    assert "东城区投资促进局" in text
    assert 'value="项目联评联审"' in text
    assert "2026年11月23日" in text  # five working days after Monday 16 November


def test_the_deadline_preview_follows_the_time_limit(client_for, officer_a, review_project):
    url = reverse("landing:review_open", args=[review_project.pk])

    response = client_for(officer_a).get(
        url, {"time_limit_days": 10}, headers={"HX-Request": "true", "HX-Target": "review-due"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "2026年11月30日" in text
    assert "<form" not in text  # only the fragment


def test_the_open_form_shows_rule_errors_beside_the_field(client_for, officer_a, review_project):
    url = reverse("landing:review_open", args=[review_project.pk])

    response = client_for(officer_a).post(url, {"subject": "项目联评联审", "time_limit_days": 61})

    text = response.content.decode()
    assert response.status_code == 200
    assert "请至少选择一个审查部门。" in text
    assert "60" in text
    assert not JointReview.objects.exists()


def test_a_project_not_in_talks_is_sent_back_with_the_reason(client_for, officer_a):
    project = lead(officer_a, name="仍是线索的项目")

    response = client_for(officer_a).get(reverse("landing:review_open", args=[project.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("landing:project_landing", args=[project.pk])
    assert "只能对处于“洽谈”阶段" in response.content.decode()


# ---- answering: who may ------------------------------------------------------------------------------

ANSWER_EXPECTED = {
    "anonymous": "login",
    "resources_handler": "answered",
    "officer_b": 404,  # another county
    "viewer_a": 403,  # the owning county sees the opinion but gives none
    "officer_a": 403,
    "reader_in_resources": 403,  # the asked department, without the right to answer
    "ecology_handler": 404,  # asked in the same review, for its own opinion only
    "housing_handler": 404,  # asked in another review only
}


@pytest.mark.parametrize("persona", list(ANSWER_EXPECTED))
def test_only_the_asked_department_answers(request, client, client_for, review, other_review, review_handlers, persona):
    opinion = review.opinions.get(department__name="示范市自然资源和规划局")
    if persona == "anonymous":
        web = client
    elif persona.endswith("_handler"):
        web = client_for(review_handlers[persona.removesuffix("_handler")])
    else:
        web = client_for(request.getfixturevalue(persona))

    response = web.post(reverse("landing:opinion_answer", args=[opinion.pk]), {"verdict": Verdict.AGREE})

    opinion.refresh_from_db()
    expected = ANSWER_EXPECTED[persona]
    if expected == "answered":
        assert response.status_code == 302
        assert response["Location"] == reverse("landing:review_detail", args=[review.pk])
        assert (opinion.verdict, opinion.answered_by) == (Verdict.AGREE, review_handlers["resources"])
    else:
        assert response.status_code == (302 if expected == "login" else expected)
        assert (opinion.verdict, opinion.answered_at) == (Verdict.PENDING, None)


def test_an_incomplete_answer_shows_the_error_beside_its_field(client_for, review, review_handlers):
    opinion = review.opinions.get(department__name="示范市生态环境局")

    response = client_for(review_handlers["ecology"]).post(
        reverse("landing:opinion_answer", args=[opinion.pk]), {"verdict": Verdict.DISAGREE, "reason": "位于水源保护区"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "不同意须写明法律政策依据。" in text
    assert "位于水源保护区" in text  # what was typed stays
    assert ReviewOpinion.objects.get(pk=opinion.pk).verdict == Verdict.PENDING


def test_changing_an_agreement_into_an_objection_asks_for_the_reason(client_for, review, review_handlers):
    handler = review_handlers["resources"]
    opinion = review.opinions.get(department=handler.unit)
    give_opinion(opinion=opinion, verdict=Verdict.AGREE, by=handler)
    web = client_for(handler)
    url = reverse("landing:opinion_answer", args=[opinion.pk])
    objection = {"verdict": Verdict.DISAGREE, "reason": "占用基本农田", "legal_basis": "《土地管理法》第三十五条"}

    page = web.get(reverse("landing:review_detail", args=[review.pk])).content.decode()
    assert "变更理由" in page
    assert "修改意见" in page
    refused = web.post(url, objection)
    accepted = web.post(url, {**objection, "change_reason": "规划复核发现占用基本农田"})

    assert "已同意的部门不得无理由新增否定意见" in refused.content.decode()
    assert accepted.status_code == 302
    change = OpinionChange.objects.get()
    assert (change.from_verdict, change.to_verdict, change.reason) == (
        Verdict.AGREE,
        Verdict.DISAGREE,
        "规划复核发现占用基本农田",
    )
    page = web.get(reverse("landing:review_detail", args=[review.pk])).content.decode()
    assert "规划复核发现占用基本农田" in page


# ---- reading -----------------------------------------------------------------------------------------


def test_the_asked_department_sees_the_review_and_the_project(client_for, review, review_project, review_handlers):
    web = client_for(review_handlers["resources"])

    detail = web.get(reverse("landing:review_detail", args=[review.pk]))
    landing = web.get(reverse("landing:project_landing", args=[review_project.pk]))
    project = web.get(reverse("investment:project_detail", args=[review_project.pk]))

    assert detail.status_code == 200
    text = detail.content.decode()
    assert "反馈意见 · 示范市自然资源和规划局" in text
    assert "反馈意见 · 示范市生态环境局" not in text  # only its own form
    assert "示范市生态环境局" in text  # but the whole grid
    assert "还剩 5 个工作日" in text
    assert landing.status_code == 200
    assert "项目联评联审" in landing.content.decode()
    assert project.status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer_b", 404), ("housing_handler", 404), ("officer_a", 200), ("viewer_a", 200)],
)
def test_a_review_is_read_within_its_scope(request, client_for, review, other_review, review_handlers, persona, status):
    user = review_handlers["housing"] if persona == "housing_handler" else request.getfixturevalue(persona)
    web = client_for(user)

    for name in ("landing:review_detail", "landing:review_summary"):
        assert web.get(reverse(name, args=[review.pk])).status_code == status


def test_the_detail_flags_an_overdue_review_and_late_departments(
    review_clock, client_for, review, review_handlers, officer_a
):
    handler = review_handlers["resources"]
    give_opinion(opinion=review.opinions.get(department=handler.unit), verdict=Verdict.AGREE, by=handler)
    review_clock.move_to(datetime(2026, 11, 25, 9, tzinfo=SHANGHAI))
    web = client_for(officer_a)

    overdue = web.get(reverse("landing:review_detail", args=[review.pk])).content.decode()
    close_expired_reviews(today=date(2026, 11, 25))
    closed = web.get(reverse("landing:review_detail", args=[review.pk])).content.decode()

    assert "已逾期 2 个工作日" in overdue
    assert "审查期限届满" in closed
    assert closed.count('data-testid="late"') == 1


def test_the_summary_sheet_lists_every_opinion_for_printing(client_for, review, review_handlers, officer_a):
    handler = review_handlers["ecology"]
    give_opinion(
        opinion=review.opinions.get(department=handler.unit),
        verdict=Verdict.CONDITIONAL,
        conditions="先行取得环评批复",
        by=handler,
    )

    response = client_for(officer_a).get(reverse("landing:review_summary", args=[review.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "联评联审意见汇总表" in text
    assert "先行取得环评批复" in text
    assert "未反馈" in text
    assert "landing/review_print.css" in text
    assert "审查中，尚未形成综合意见" in text


def test_the_landing_panel_shows_the_latest_review_and_the_button(
    client_for, review_project, officer_a, review_departments
):
    url = reverse("landing:project_landing", args=[review_project.pk])
    web = client_for(officer_a)
    before = web.get(url).content.decode()
    review = _open(review_project, [review_departments["resources"]], officer_a, subject="用地预审联审")

    after = web.get(url).content.decode()

    assert 'data-testid="open-review"' in before
    assert "还没有联评联审" in before
    assert 'data-testid="open-review"' not in after  # one open review at a time
    assert reverse("landing:review_detail", args=[review.pk]) in after
    assert "0 / 1 个部门已反馈" in after


# ---- the list --------------------------------------------------------------------------------------------


def test_a_department_starts_from_the_opinions_waiting_for_it(client_for, review, other_review, review_handlers):
    handler = review_handlers["resources"]
    web = client_for(handler)

    waiting = web.get(reverse("landing:review_list")).content.decode()
    give_opinion(opinion=review.opinions.get(department=handler.unit), verdict=Verdict.AGREE, by=handler)
    answered = web.get(reverse("landing:review_list")).content.decode()
    everything = web.get(reverse("landing:review_list"), {"status": ""}).content.decode()

    assert "东城新能源电池项目" in waiting
    assert "东城精密制造项目" not in waiting  # not asked there
    assert "没有符合条件的联评联审" in answered
    assert "东城新能源电池项目" in everything
    assert "已反馈</span>" in everything
    assert "待反馈</span>" not in everything


def test_the_owner_filters_its_reviews(review_clock, client_for, review, other_review, review_departments, officer_a):
    web = client_for(officer_a)
    url = reverse("landing:review_list")

    def names(**query):
        response = web.get(url, query)
        assert response.status_code == 200
        text = response.content.decode()
        return {name for name in ("东城新能源电池项目", "东城精密制造项目") if name in text}

    assert names() == {"东城新能源电池项目", "东城精密制造项目"}
    assert names(q="精密") == {"东城精密制造项目"}
    assert names(department=review_departments["ecology"].pk) == {"东城新能源电池项目"}
    assert names(overdue="on") == set()
    review_clock.move_to(datetime(2026, 11, 24, 9, tzinfo=SHANGHAI))
    web = client_for(officer_a)  # a week later: a new session
    assert names(overdue="on") == {"东城新能源电池项目", "东城精密制造项目"}
    close_expired_reviews(today=date(2026, 11, 24))
    assert names(status="open") == set()
    assert names(status="closed", q="新能源") == {"东城新能源电池项目"}


def test_the_list_exports_what_it_shows(client_for, review, other_review, officer_a):
    response = client_for(officer_a).get(reverse("landing:review_list"), {"q": "新能源", "export": "xlsx"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("项目编号", "项目名称", "责任单位", "审查事项")
    assert [row[1] for row in rows[1:]] == ["东城新能源电池项目"]
    assert rows[1][6:10] == ("审查中", 2, 0, 0)


def test_the_list_needs_the_right_to_read_reviews(client, client_for, county_a):
    stranger = UserFactory(unit=county_a, roles=[roles.HOTLINE_AGENT])

    assert client.get(reverse("landing:review_list")).status_code == 302
    assert client_for(stranger).get(reverse("landing:review_list")).status_code == 403


def test_the_menu_offers_reviews_to_departments(client_for, review_handlers):
    page = client_for(review_handlers["resources"]).get(reverse("core:home")).content.decode()

    assert reverse("landing:review_list") in page


@pytest.mark.parametrize("persona", ["officer_a", "resources_handler"])
def test_the_list_does_not_query_per_review(
    request, client_for, count_queries, review_departments, review_handlers, persona
):
    officer = request.getfixturevalue("officer_a")
    user = review_handlers["resources"] if persona == "resources_handler" else officer
    web = client_for(user)
    asked = [review_departments["resources"], review_departments["ecology"]]

    def add_reviews(count):
        for _ in range(count):
            project = advance_to(
                ready_to_sign(lead(officer), officer), Stage.NEGOTIATION, by=officer, start=date(2026, 11, 1)
            )
            _open(project, asked, officer)

    def queries(expected):
        responses = []
        count = count_queries(lambda: responses.append(web.get(reverse("landing:review_list"), {"status": ""})))
        assert (
            responses[0].content.decode().count('data-testid="mine"' if persona != "officer_a" else "<tr>") >= expected
        )
        return count

    add_reviews(2)
    small = queries(2)
    add_reviews(4)
    large = queries(6)

    assert large == small
