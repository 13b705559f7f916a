"""企业评议部门 pages: who may do what, the data scope, what departments see of the results, exports, queries."""

from datetime import date
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from apps.appeals.models import Campaign, CampaignEvent, EvaluationComment, Invitation
from apps.appeals.models.evaluations import CommentStatus
from apps.appeals.services import evaluations as services
from apps.appeals.tests.test_evaluations import answer_post, submit
from apps.enterprises.tests.factories import make_enterprise
from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[tuple]:
    return list(load_workbook(BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))


@pytest.fixture
def county_bizenv(county_a):
    """A BIZENV_ADMIN of 东城区: another organiser, outside the city bureau's campaign."""
    return UserFactory(username="county_bizenv", name="东城营商办", unit=county_a, roles=[roles.BIZENV_ADMIN])


@pytest.fixture
def published(open_campaign, invited, organiser, housing, market):
    """Three responses rate 住建局 (k = 3, shown) and one rates 市场监管局 (below k); then closed and published."""
    invitations = list(invited.values())
    for invitation, score in zip(invitations[:3], (5, 4, 4), strict=True):
        submit(open_campaign, invitation, {housing: score}, comments={housing.pk: f"住建意见{score}"})
    submit(open_campaign, invitations[3], {market: 2})
    for comment in EvaluationComment.objects.all():
        services.review_comment(comment=comment, approve=True, by=organiser)
    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)
    return services.change_campaign_state(campaign=open_campaign, action="publish", by=organiser)


# ---- who may act --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "other_county", "department", "organiser"])
def test_only_the_organiser_opens_a_campaign(client, make_campaign, who, request):
    campaign = make_campaign()
    people = {"other_county": "county_bizenv", "department": "housing_handler", "organiser": "organiser"}
    if who != "anonymous":
        client.force_login(request.getfixturevalue(people[who]))

    response = client.post(reverse("appeals:evaluation_act", kwargs={"pk": campaign.pk, "action": "open"}))

    campaign.refresh_from_db()
    expected = {"anonymous": 302, "other_county": 404, "department": 403, "organiser": 302}[who]
    assert response.status_code == expected
    assert campaign.state == ("open" if who == "organiser" else "draft")
    assert CampaignEvent.objects.filter(campaign=campaign, action="open").exists() == (who == "organiser")


@pytest.mark.parametrize("who", ["anonymous", "other_county", "department", "organiser"])
def test_only_the_organiser_invites(client, open_campaign, who, request):
    make_enterprise("东城区邀请测试有限公司", region_code="990101")
    people = {"other_county": "county_bizenv", "department": "housing_handler", "organiser": "organiser"}
    if who != "anonymous":
        client.force_login(request.getfixturevalue(people[who]))

    client.post(reverse("appeals:evaluation_invite", kwargs={"pk": open_campaign.pk}), {})

    assert Invitation.objects.filter(campaign=open_campaign).exists() == (who == "organiser")


def test_the_organiser_creates_a_campaign_with_the_preset(client_for, organiser, housing, market):
    client = client_for(organiser)
    page = client.get(reverse("appeals:evaluation_create"))
    assert "要素环境：" in page.content.decode()
    data = {
        "title": "2026年上半年企业评议部门", "year": 2026, "period": "h1", "opens_on": "2026-03-01",
        "closes_on": "2026-06-30", "departments": [housing.pk, market.pk], "k_threshold": 5, "allow_comments": "on",
        "intro": "", "questionnaire": services.PRESET_QUESTIONNAIRE,
    }  # fmt: skip

    response = client.post(reverse("appeals:evaluation_create"), data)

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert (campaign.unit, campaign.k_threshold, campaign.state) == (organiser.unit, 5, "draft")
    assert set(campaign.departments.all()) == {housing, market}
    assert campaign.dimensions.count() == 5


def test_the_form_refuses_a_close_before_the_open_in_chinese(client_for, organiser, housing):
    data = {"title": "评议", "year": 2026, "period": "year", "opens_on": "2026-06-01", "closes_on": "2026-05-01",
            "departments": [housing.pk], "k_threshold": 5, "questionnaire": "政务环境：办事方便"}  # fmt: skip

    response = client_for(organiser).post(reverse("appeals:evaluation_create"), data)

    assert "截止日期不能早于开始日期。" in response.content.decode()
    assert not Campaign.objects.exists()


def test_departments_and_leaders_may_not_create_campaigns(client_for, housing_handler, city_leader):
    for person in (housing_handler, city_leader):
        assert client_for(person).get(reverse("appeals:evaluation_create")).status_code == 403


# ---- scope ------------------------------------------------------------------------------------------------


def test_a_sibling_county_cannot_see_another_countys_campaign(client, county_a, county_b):
    department_a = Unit.objects.get(code="990101D01")
    organiser_a = UserFactory(username="bizenv_a", unit=department_a, roles=[roles.BIZENV_ADMIN])
    fields = services.CampaignFields(
        title="东城区企业评议部门", year=2026, period="year", opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31),
        departments=[department_a], k_threshold=5, allow_comments=True, intro="", questionnaire="政务环境：办事方便",
    )  # fmt: skip
    campaign = services.create_campaign(fields=fields, by=organiser_a)
    admin_b = UserFactory(username="admin_b", unit=county_b, roles=[roles.COUNTY_ADMIN])
    client.force_login(admin_b)

    assert client.get(reverse("appeals:evaluation_detail", kwargs={"pk": campaign.pk})).status_code == 404
    assert "东城区企业评议部门" not in client.get(reverse("appeals:evaluation_list")).content.decode()
    assert client.get(reverse("appeals:evaluation_results", kwargs={"pk": campaign.pk})).status_code == 404
    client.force_login(UserFactory(username="admin_a", unit=county_a, roles=[roles.COUNTY_ADMIN]))
    assert client.get(reverse("appeals:evaluation_detail", kwargs={"pk": campaign.pk})).status_code == 200


def test_an_evaluated_department_finds_the_campaign_but_not_the_invitations(client_for, published, housing_handler):
    client = client_for(housing_handler)

    listed = client.get(reverse("appeals:evaluation_list")).content.decode()
    page = client.get(reverse("appeals:evaluation_detail", kwargs={"pk": published.pk})).content.decode()

    assert published.title in listed
    assert 'data-testid="invitations"' not in page
    assert 'data-testid="progress"' not in page
    assert "东城区评议测试" not in page
    assert client.get(reverse("appeals:evaluation_invitations", kwargs={"pk": published.pk})).status_code == 403


# ---- results ----------------------------------------------------------------------------------------------


def test_a_department_sees_only_its_own_results_and_only_once_published(
    client_for, open_campaign, invited, organiser, housing, market, housing_handler
):
    for invitation in list(invited.values())[:3]:
        submit(open_campaign, invitation, {housing: 4, market: 2})
    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)
    url = reverse("appeals:evaluation_detail", kwargs={"pk": open_campaign.pk})
    client = client_for(housing_handler)

    before = client.get(url).content.decode()
    assert "评议结果尚未公布。" in before
    assert 'data-testid="result-row"' not in before
    assert client.get(reverse("appeals:evaluation_results", kwargs={"pk": open_campaign.pk})).status_code == 403

    services.change_campaign_state(campaign=open_campaign, action="publish", by=organiser)
    after = client.get(url).content.decode()
    assert after.count('data-testid="result-row"') == 1
    results_card = after.split('data-testid="results"')[1].split("评议题目")[0]
    assert housing.display_name in results_card
    assert market.display_name not in results_card
    exported = rows_of(client.get(reverse("appeals:evaluation_results", kwargs={"pk": open_campaign.pk})))
    assert {row[1] for row in exported[1:]} == {housing.name}


def test_the_organiser_previews_at_close_and_below_k_shows_insufficient(client_for, open_campaign, invited, organiser,
                                                                        housing, market):  # fmt: skip
    for invitation in list(invited.values())[:3]:
        submit(open_campaign, invitation, {housing: 5})
    submit(open_campaign, list(invited.values())[3], {market: 1})
    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)

    page = client_for(organiser).get(reverse("appeals:evaluation_detail", kwargs={"pk": open_campaign.pk}))

    text = page.content.decode()
    assert "结果尚未公布，仅组织单位可见。" in text
    assert text.count('data-testid="insufficient"') == 2  # 市场监管局 (1 response) and 税务局 (none)
    assert "样本不足 3 份，不予公布" in text
    assert "5.00" in text


def test_the_published_export_has_every_department_with_the_k_rule(client_for, published, organiser, market):
    rows = rows_of(client_for(organiser).get(reverse("appeals:evaluation_results", kwargs={"pk": published.pk})))

    assert rows[0][:5] == ("排名", "部门", "维度", "答卷数", "平均分")
    assert rows[1][:5] == (1, "市住房和城乡建设局", "综合", 3, 4.33)
    assert (None, market.name, "综合", None, "样本不足 3 份，不予公布") in [row[:5] for row in rows]
    assert not [row for row in rows if row[1] == market.name and row[2] != "综合"]


def test_published_comments_show_without_enterprise_data(client_for, published, housing_handler):
    page = client_for(housing_handler).get(reverse("appeals:evaluation_detail", kwargs={"pk": published.pk}))

    text = page.content.decode()
    assert text.count('data-testid="comment"') == 3
    assert "住建意见5" in text
    assert "东城区评议测试" not in text


def test_the_invitation_export_lists_codes_and_is_audited(client_for, open_campaign, invited, organiser):
    response = client_for(organiser).get(reverse("appeals:evaluation_invitations", kwargs={"pk": open_campaign.pk}))

    rows = rows_of(response)
    codes = {invitation.code for invitation in invited.values()}
    assert {row[2] for row in rows[1:]} == codes
    assert all(row[3].endswith(f"/appeals/evaluate/#{row[2]}") for row in rows[1:])
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=organiser).latest("id")
    assert entry.additional_data["what"] == "导出评议邀请（含评议码）"


# ---- the public page --------------------------------------------------------------------------------------


def test_an_enterprise_answers_with_its_code_without_logging_in(client, open_campaign, invited, housing):
    invitation = next(iter(invited.values()))
    url = reverse("appeals:evaluation_answer")
    assert "评议码" in client.get(url).content.decode()

    questionnaire = client.post(url, {"code": invitation.code.lower()})
    text = questionnaire.content.decode()
    assert 'data-testid="questionnaire"' in text
    assert housing.name in text
    assert invitation.enterprise.name not in text
    done = client.post(url, answer_post(open_campaign, invitation.code, {housing: 4}))

    assert 'data-testid="thanks"' in done.content.decode()
    assert client.post(url, {"code": "ZZZZZZZZZZ"}).content.decode().count("评议码不正确") == 1


# ---- the review queue -------------------------------------------------------------------------------------


def test_the_review_queue_is_the_organisers(client_for, open_campaign, invited, housing, organiser, housing_handler):
    submit(open_campaign, next(iter(invited.values())), {housing: 2}, comments={housing.pk: "审批材料反复要求补正"})
    comment = EvaluationComment.objects.get()
    url = reverse("appeals:evaluation_comments")

    assert client_for(housing_handler).get(url).status_code == 403
    client_for(housing_handler).post(
        reverse("appeals:evaluation_review", kwargs={"pk": comment.pk}), {"decision": "approve"}
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING

    client = client_for(organiser)
    assert "审批材料反复要求补正" in client.get(url).content.decode()
    response = client.post(reverse("appeals:evaluation_review", kwargs={"pk": comment.pk}), {"decision": "reject"})
    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.status == CommentStatus.PENDING
    client.post(reverse("appeals:evaluation_review", kwargs={"pk": comment.pk}), {"decision": "approve", "next": url})
    comment.refresh_from_db()
    assert (comment.status, comment.reviewed_by) == (CommentStatus.APPROVED, organiser)
    assert "审批材料反复要求补正" not in client.get(url).content.decode()  # the queue shows pending ones by default


# ---- queries ----------------------------------------------------------------------------------------------


def test_the_lists_and_the_campaign_page_make_a_constant_number_of_queries(
    client_for, count_queries, make_campaign, organiser, invited, open_campaign, housing, market, tax
):
    client = client_for(organiser)
    list_url, queue_url = reverse("appeals:evaluation_list"), reverse("appeals:evaluation_comments")
    detail_url = reverse("appeals:evaluation_detail", kwargs={"pk": open_campaign.pk})
    invitations = list(invited.values())
    submit(open_campaign, invitations[0], {housing: 4}, comments={housing.pk: "意见一"})
    few = [count_queries(lambda u=u: client.get(u)) for u in (list_url, queue_url)]
    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)
    few_detail = count_queries(lambda: client.get(detail_url))
    Campaign.objects.filter(pk=open_campaign.pk).update(state="open")  # reopened to take more answers
    open_campaign.refresh_from_db()
    for _ in range(8):
        make_campaign()
    for invitation in invitations[1:]:
        submit(open_campaign, invitation, {housing: 3, market: 4, tax: 5}, comments={market.pk: "意见", tax.pk: "建议"})

    many = [count_queries(lambda u=u: client.get(u)) for u in (list_url, queue_url)]
    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)
    assert many == few
    assert count_queries(lambda: client.get(detail_url)) == few_detail


def test_the_menu_shows_the_evaluations_to_the_bureau(client_for, organiser):
    page = client_for(organiser).get(reverse("core:home")).content.decode()

    assert reverse("appeals:evaluation_list") in page
    assert reverse("appeals:evaluation_comments") in page


def test_while_open_the_organiser_may_only_move_the_close_date(client_for, open_campaign, organiser, housing):
    initial = {
        "title": "改名", "year": 2026, "period": "year", "opens_on": open_campaign.opens_on.isoformat(),
        "closes_on": "2099-12-31", "departments": [housing.pk], "k_threshold": 9, "questionnaire": "新维度：新题目",
    }  # fmt: skip

    response = client_for(organiser).post(reverse("appeals:evaluation_edit", kwargs={"pk": open_campaign.pk}), initial)

    open_campaign.refresh_from_db()
    assert response.status_code == 302
    assert open_campaign.closes_on == date(2099, 12, 31)
    assert (open_campaign.title, open_campaign.k_threshold) == ("2026年度企业评议部门", 3)
    assert open_campaign.departments.count() == 3
    assert open_campaign.dimensions.count() == 2


@pytest.mark.parametrize("who", ["other_county", "department"])
def test_others_may_not_edit_a_campaign(client, make_campaign, who, request):
    campaign = make_campaign()
    client.force_login(request.getfixturevalue({"other_county": "county_bizenv", "department": "housing_handler"}[who]))

    response = client.post(reverse("appeals:evaluation_edit", kwargs={"pk": campaign.pk}), {"title": "改名"})

    campaign.refresh_from_db()
    assert response.status_code == {"other_county": 404, "department": 403}[who]
    assert campaign.title == "2026年度企业评议部门"
