"""企业评议部门: the questionnaire, the campaign's state machine, invitations, one response per enterprise, the k
rule, the comment review, and the proof that nothing in the database links a response to its enterprise."""

import hashlib
import hmac
from datetime import time, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from apps.appeals.models import (
    Campaign,
    CampaignEvent,
    EvaluationAnswer,
    EvaluationComment,
    EvaluationResponse,
    Invitation,
    Question,
    UsedToken,
)
from apps.appeals.models.evaluations import CommentStatus
from apps.appeals.services import evaluation_results as results
from apps.appeals.services import evaluations as services
from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Enterprise
from apps.enterprises.tests.factories import make_enterprise
from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESPONSE_SIDE = (UsedToken, EvaluationResponse, EvaluationAnswer, EvaluationComment)
ANSWER_URL = "appeals:evaluation_answer"


def scores_for(campaign: Campaign, per_department: dict[Unit, int]) -> dict[tuple[int, int], int]:
    """Every question answered with one score for each given department."""
    questions = Question.objects.filter(dimension__campaign=campaign)
    return {(unit.pk, q.pk): score for unit, score in per_department.items() for q in questions}


def submit(campaign, invitation, per_department, comments=None):
    submission = services.Submission(scores=scores_for(campaign, per_department), comments=comments or {})
    return services.submit_response(code=invitation.code, submission=submission)


def answer_post(campaign, code: str, per_department: dict[Unit, int], comments: dict[Unit, str] | None = None):
    data = {"code": code, "submit": "1"}
    for (department, question), score in scores_for(campaign, per_department).items():
        data[f"s_{department}_{question}"] = str(score)
    for unit, text in (comments or {}).items():
        data[f"c_{unit.pk}"] = text
    return data


# ---- the questionnaire ------------------------------------------------------------------------------------


def test_the_preset_has_the_five_dimensions_of_the_acfic_survey():
    parsed = services.parse_questionnaire(services.PRESET_QUESTIONNAIRE)

    assert [name for name, _questions in parsed] == ["要素环境", "法治环境", "政务环境", "市场环境", "创新环境"]
    assert all(len(questions) == 2 for _name, questions in parsed)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "请至少填写一个维度和一道题目。"), ("只有题目没有维度", "第 1 行应写作“维度：题目”。"),
     ("政务环境：办事快\n政务环境：办事快", "第 2 行的题目重复。")],
)  # fmt: skip
def test_a_malformed_questionnaire_is_refused_with_the_line(text, message):
    with pytest.raises(BusinessRuleError) as refused:
        services.parse_questionnaire(text)

    assert refused.value.message == message


def test_a_campaign_keeps_its_dimensions_and_questions_in_order(make_campaign):
    campaign = make_campaign(questionnaire="市场环境：公平竞争\n法治环境：执法规范\n市场环境：政策兑现")

    assert [d.name for d in campaign.dimensions.all()] == ["市场环境", "法治环境"]
    assert services.questionnaire_text(campaign) == "市场环境：公平竞争\n市场环境：政策兑现\n法治环境：执法规范"


# ---- the state machine ------------------------------------------------------------------------------------


def test_draft_open_closed_published_each_move_writes_one_event(make_campaign, organiser):
    campaign = make_campaign()

    for action, state in (("open", "open"), ("close", "closed"), ("publish", "published")):
        campaign = services.change_campaign_state(campaign=campaign, action=action, by=organiser)
        assert campaign.state == state
        event = CampaignEvent.objects.filter(campaign=campaign).latest("id")
        assert (event.action, event.to_state, event.actor) == (action, state, organiser)

    assert campaign.published_on == timezone.localdate()
    assert list(CampaignEvent.objects.filter(campaign=campaign).values_list("action", flat=True)) == [
        "create", "open", "close", "publish",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("state", "action"),
    [("draft", "close"), ("draft", "publish"), ("open", "open"), ("open", "publish"), ("closed", "open"),
     ("published", "close")],
)  # fmt: skip
def test_moves_outside_the_table_are_refused_and_change_nothing(make_campaign, organiser, state, action):
    campaign = make_campaign()
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    campaign.refresh_from_db()
    events = CampaignEvent.objects.count()

    with pytest.raises(BusinessRuleError, match="评议活动当前为"):
        services.change_campaign_state(campaign=campaign, action=action, by=organiser)

    campaign.refresh_from_db()
    assert campaign.state == state
    assert CampaignEvent.objects.count() == events


def test_only_the_organising_bureau_moves_a_campaign(make_campaign, housing_handler, county_a):
    campaign = make_campaign()
    county_bureau = UserFactory(username="county_bizenv", unit=county_a, roles=[roles.BIZENV_ADMIN])

    for person in (housing_handler, county_bureau):
        with pytest.raises(BusinessRuleError, match="只有组织单位"):
            services.change_campaign_state(campaign=campaign, action="open", by=person)
        assert services.allowed_transitions_for(campaign, person) == []
    campaign.refresh_from_db()
    assert campaign.state == "draft"


def test_a_campaign_opens_only_with_departments_and_before_its_close(make_campaign, organiser):
    without = make_campaign(departments=[])
    late = make_campaign(opens_on=timezone.localdate() - timedelta(days=30),
                         closes_on=timezone.localdate() - timedelta(days=1))  # fmt: skip

    with pytest.raises(BusinessRuleError, match="请先选择被评议部门"):
        services.change_campaign_state(campaign=without, action="open", by=organiser)
    with pytest.raises(BusinessRuleError, match="截止日期已过"):
        services.change_campaign_state(campaign=late, action="open", by=organiser)


def test_a_k_below_two_is_refused(make_campaign):
    with pytest.raises(BusinessRuleError, match="公布门槛不能少于 2 份"):
        make_campaign(k=1)


def test_only_departments_of_the_organisers_government_can_be_evaluated(make_campaign, county_a):
    county_department = Unit.objects.get(code="990101D01")

    assert county_department in services.evaluable_departments(Unit.objects.get(code="990100D43"))
    outside = Unit.objects.get(code="990101001")  # a town is no department
    with pytest.raises(BusinessRuleError, match="只能评议本级政府所属的在用部门"):
        make_campaign(departments=[outside])


# ---- invitations --------------------------------------------------------------------------------------------


def test_bulk_invitation_by_county_industry_and_size_skips_those_already_invited(open_campaign, organiser):
    from apps.appeals.forms_evaluations import InviteForm
    from apps.enterprises.models import Industry

    manufacturing = Industry.objects.get(code="C")
    division = Industry.objects.filter(parent=manufacturing).first()
    big = make_enterprise("东城区大型制造有限公司", region_code="990101", registered_capital=Decimal(20000),
                          industry=division)  # fmt: skip
    make_enterprise("东城区小型制造有限公司", region_code="990101", registered_capital=Decimal(50), industry=division)
    make_enterprise(
        "西城区大型制造有限公司", region_code="990102", registered_capital=Decimal(20000), industry=division
    )
    county = Unit.objects.get(code="990101")
    form = InviteForm({"county": county.pk, "industry": manufacturing.pk, "size": "large"},
                      areas=Unit.objects.all())  # fmt: skip
    assert form.is_valid(), form.errors

    assert list(form.enterprises()) == [big]
    assert services.invite_enterprises(campaign=open_campaign, enterprises=form.enterprises(), by=organiser) == 1
    assert services.invite_enterprises(campaign=open_campaign, enterprises=form.enterprises(), by=organiser) == 0
    invitation = Invitation.objects.get(campaign=open_campaign)
    assert invitation.enterprise == big
    assert len(invitation.code) == services.CODE_LENGTH
    assert set(invitation.code) <= set(services.CODE_ALPHABET)


def test_no_invitations_once_closed(open_campaign, organiser):
    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)
    enterprise = make_enterprise("东城区迟到科技有限公司")

    with pytest.raises(BusinessRuleError, match="评议已结束，不能再邀请企业"):
        services.invite_enterprises(campaign=open_campaign, enterprises=[enterprise], by=organiser)


# ---- one response per enterprise ---------------------------------------------------------------------------


def test_a_second_response_from_the_same_enterprise_is_refused(open_campaign, invited, housing):
    invitation = next(iter(invited.values()))
    submit(open_campaign, invitation, {housing: 4})

    with pytest.raises(BusinessRuleError) as refused:
        submit(open_campaign, invitation, {housing: 1})

    assert refused.value.message == "贵企业已提交过本次评议，每家企业只能提交一次，不能重复提交或修改。"
    assert EvaluationResponse.objects.count() == 1
    assert set(EvaluationAnswer.objects.values_list("score", flat=True)) == {4}


def test_the_public_page_refuses_a_second_response_with_a_clear_message(client, open_campaign, invited, housing):
    invitation = next(iter(invited.values()))
    url = reverse(ANSWER_URL)
    assert client.post(url, answer_post(open_campaign, invitation.code, {housing: 5})).status_code == 200

    again = client.post(url, {"code": invitation.code})
    resubmitted = client.post(url, answer_post(open_campaign, invitation.code, {housing: 1}))

    message = "贵企业已提交过本次评议，每家企业只能提交一次，不能重复提交或修改。"
    assert message in again.content.decode()
    assert message in resubmitted.content.decode()
    assert EvaluationResponse.objects.count() == 1


def test_a_duplicate_registry_record_merged_into_another_cannot_answer_again(
    open_campaign, invited, organiser, housing
):
    original = next(iter(invited))
    duplicate = make_enterprise("东城区评议测试1号科技公司（重复登记）")
    services.invite_enterprises(campaign=open_campaign, enterprises=[duplicate], by=organiser)
    Enterprise.objects.filter(pk=duplicate.pk).update(status="merged", merged_into=original)
    submit(open_campaign, invited[original], {housing: 3})

    with pytest.raises(BusinessRuleError, match="贵企业已提交过本次评议"):
        submit(open_campaign, Invitation.objects.get(enterprise=duplicate), {housing: 3})


def test_the_token_is_the_hmac_of_campaign_and_enterprise_under_the_setting(settings):
    settings.EVALUATION_TOKEN_SECRET = "评议密钥-test"
    expected = hmac.new("评议密钥-test".encode(), b"7:42", hashlib.sha256).hexdigest()

    assert services.evaluation_token(7, 42) == expected
    settings.EVALUATION_TOKEN_SECRET = ""
    derived = hmac.new(settings.SECRET_KEY.encode(), b"yingshang.appeals.evaluation-token", hashlib.sha256).digest()
    assert services.evaluation_token(7, 42) == hmac.new(derived, b"7:42", hashlib.sha256).hexdigest()
    assert services.evaluation_token(7, 42) != expected
    assert services.evaluation_token(7, 43) != services.evaluation_token(8, 42)


@pytest.mark.parametrize("when", ["before", "after", "closed"])
def test_answers_are_taken_only_while_open(open_campaign, invited, organiser, housing, when):
    invitation = next(iter(invited.values()))
    today = timezone.localdate()
    day = {"before": today - timedelta(days=10), "after": today + timedelta(days=30), "closed": today}[when]
    if when == "closed":
        services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)
    submission = services.Submission(scores=scores_for(open_campaign, {housing: 4}), comments={})

    with pytest.raises(BusinessRuleError, match="当前不在填写期内"):
        services.submit_response(code=invitation.code, submission=submission, today=day)
    assert not UsedToken.objects.exists()


def test_a_department_must_be_rated_on_every_question_or_not_at_all(open_campaign, invited, housing):
    invitation = next(iter(invited.values()))
    first = Question.objects.filter(dimension__campaign=open_campaign).first()
    submission = services.Submission(scores={(housing.pk, first.pk): 5}, comments={})

    with pytest.raises(BusinessRuleError, match="请完成对“市住房和城乡建设局”的全部题目"):
        services.submit_response(code=invitation.code, submission=submission)
    with pytest.raises(BusinessRuleError, match="请至少评议一个部门"):
        services.submit_response(code=invitation.code, submission=services.Submission(scores={}, comments={}))
    assert not UsedToken.objects.exists()


def test_a_wrong_code_is_refused(open_campaign, housing):
    with pytest.raises(BusinessRuleError, match="评议码不正确"):
        services.submit_response(code="ABCDEFGHJK", submission=services.Submission(scores={}, comments={}))


# ---- anonymity ----------------------------------------------------------------------------------------------


def _cells(table: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
        return [tuple("" if value is None else str(value) for value in row) for row in cursor.fetchall()]


def _response_markers() -> set[str]:
    ids = [
        str(pk) for model in (EvaluationResponse, EvaluationAnswer) for pk in model.objects.values_list("pk", flat=True)
    ]
    return {*ids, *(pk.replace("-", "") for pk in ids), *UsedToken.objects.values_list("token", flat=True)}


def test_nothing_in_the_database_links_a_response_to_its_enterprise(client, open_campaign, invited, housing, market):
    """Six enterprises answer through the public page; then every table of the database is read cell by cell."""
    url = reverse(ANSWER_URL)
    for number, (enterprise, invitation) in enumerate(invited.items(), start=1):
        comments = {housing: f"第{number}份意见：窗口办事需要跑多次"}
        data = answer_post(open_campaign, invitation.code, {housing: 1 + number % 5, market: 5}, comments)
        response = client.post(url, data, REMOTE_ADDR=f"10.77.0.{number}", HTTP_X_CORRELATION_ID=f"trace-{number}")
        assert "提交成功" in response.content.decode(), enterprise.name
    assert EvaluationResponse.objects.count() == UsedToken.objects.count() == 6

    # 1. the schema: the response side points only at the campaign, its questions, departments and itself; no
    #    model outside it points into it; its keys are random; it holds no date or time
    allowed = {Campaign, EvaluationResponse, Question, Unit}
    for model in RESPONSE_SIDE:
        relations = {f.related_model for f in model._meta.concrete_fields if f.is_relation} - {None}
        if model is EvaluationComment:
            relations -= {apps.get_model("org", "User")}  # the reviewer, set when the bureau reviews it
        assert relations <= allowed, model
        assert not isinstance(model._meta.pk, models.AutoField | models.BigAutoField), model
        dated = {f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField)}  # incl. DateTime
        assert dated <= {"reviewed_at"}, model  # the bureau's review, long after the submission
    for model in apps.get_models(include_auto_created=True):
        if model not in RESPONSE_SIDE:
            assert not {f.related_model for f in model._meta.get_fields() if f.is_relation and f.concrete} & set(
                RESPONSE_SIDE
            ), model

    # 2. every cell of every table, the audit log, sessions and the task queue included
    tables = connection.introspection.table_names()
    assert {"auditlog_logentry", "django_session", "django_tasks_database_dbtaskresult"} <= set(tables)
    response_tables = {model._meta.db_table for model in RESPONSE_SIDE}
    enterprises = [
        *(e.name for e in invited), *(e.uscc for e in invited), *(i.code for i in invited.values()),
    ]  # fmt: skip
    client_traces = [f"10.77.0.{n}" for n in range(1, 7)] + [f"trace-{n}" for n in range(1, 7)]
    response_markers = _response_markers()
    found_enterprise, found_response = set(), set()  # the scan's positive controls
    for table in tables:
        for row in _cells(table):
            text = "\x1f".join(row)
            assert not [m for m in client_traces if m in text], (table, row)  # no address, no correlation id
            if table in response_tables:
                assert not [m for m in enterprises if m in text], (table, row)
                found_response |= {m for m in response_markers if m in text}
            else:
                assert not [m for m in response_markers if m in text], (table, row)
                found_enterprise |= {m for m in enterprises if m in text}
    assert found_enterprise == set(enterprises)  # names, credit codes and codes were there to be found
    assert found_response >= set(UsedToken.objects.values_list("token", flat=True))

    # 3. what the response side's columns hold: the campaign, departments and questions shared by every
    #    respondent, and the scores
    assert set(EvaluationAnswer.objects.values_list("department", flat=True)) == {housing.pk, market.pk}
    # the only bridge is the keyed token: recomputable only with the secret, and it says who took part, not what
    tokens = {services.evaluation_token(open_campaign.pk, e.pk) for e in invited}
    assert set(UsedToken.objects.values_list("token", flat=True)) == tokens
    assert not tokens & {hashlib.sha256(f"{open_campaign.pk}:{e.pk}".encode()).hexdigest() for e in invited}
    assert not Session.objects.exists()


def test_used_tokens_are_stored_in_token_order_not_in_the_order_of_answering(open_campaign, invited, housing):
    answered = []
    for enterprise, invitation in invited.items():
        submit(open_campaign, invitation, {housing: 4})
        answered.append(services.evaluation_token(open_campaign.pk, enterprise.pk))
    stored = _storage_order(UsedToken)

    assert stored == sorted(answered)
    assert answered != sorted(answered)  # the 6 tokens did not happen to come in order (1 in 720 otherwise)


def _storage_order(model) -> list[str]:
    storage = "ctid" if connection.vendor == "postgresql" else "rowid"
    table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk} FROM {table} ORDER BY {storage}")  # noqa: S608 - fixed names
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


def test_closing_rewrites_the_responses_in_an_order_that_is_not_the_order_of_answering(
    open_campaign, invited, organiser, housing, market
):
    for number, invitation in enumerate(invited.values(), start=1):
        submit(open_campaign, invitation, {housing: number % 5 + 1, market: 3}, comments={housing.pk: f"意见{number}"})
    comment = EvaluationComment.objects.get(text="意见2")
    services.review_comment(comment=comment, approve=False, note="含企业名称", by=organiser)
    before = {model: _storage_order(model) for model in (EvaluationResponse, EvaluationAnswer, EvaluationComment)}
    scores = sorted(EvaluationAnswer.objects.values_list("response", "department", "question", "score"))

    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)

    for model, order in before.items():
        after = _storage_order(model)
        assert sorted(after) == sorted(order), model  # the same rows, keys kept
        assert after != order, model
    assert sorted(EvaluationAnswer.objects.values_list("response", "department", "question", "score")) == scores
    comment.refresh_from_db()
    assert (comment.status, comment.reviewed_by, comment.review_note) == ("rejected", organiser, "含企业名称")


def test_a_submission_is_audited_without_actor_address_or_time_of_day(client, open_campaign, invited, housing):
    invitation = next(iter(invited.values()))
    before = LogEntry.objects.count()
    client.post(
        reverse(ANSWER_URL), answer_post(open_campaign, invitation.code, {housing: 4}), REMOTE_ADDR="10.1.2.3",
        HTTP_X_CORRELATION_ID="trace-x",
    )  # fmt: skip

    entries = list(LogEntry.objects.order_by("id")[before:])
    assert len(entries) == 1
    entry = entries[0]
    assert entry.object_pk == str(open_campaign.pk)
    assert entry.content_type.model == "campaign"
    assert (entry.actor, entry.remote_addr, entry.remote_port, entry.cid) == (None, None, None, None)
    assert timezone.localtime(entry.timestamp).time() == time.min
    assert entry.changes == {"评议答卷": ["", "收到一份匿名答卷"]}


# ---- results and the k rule -------------------------------------------------------------------------------


def test_results_are_shown_per_department_only_from_k_responses(open_campaign, invited, organiser, housing, market):
    invitations = list(invited.values())
    for invitation, score in zip(invitations[:3], (5, 4, 2), strict=True):
        submit(open_campaign, invitation, {housing: score})
    submit(open_campaign, invitations[3], {market: 5})
    submit(open_campaign, invitations[4], {market: 1})
    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)

    found = {r.department: r for r in results.department_results(open_campaign)}

    assert found[housing].published
    assert found[housing].responses == 3
    assert found[housing].mean == round((5 + 4 + 2) / 3, 2)
    politics = found[housing].dimensions[0]
    assert (politics.name, politics.answers, politics.mean) == ("政务环境", 3, round(11 / 3, 2))
    assert politics.distribution == [(5, 1, 33), (4, 1, 33), (3, 0, 0), (2, 1, 33), (1, 0, 0)]
    assert not found[market].published
    assert found[market].dimensions == []
    assert found[market].mean is None
    assert results.insufficient_label(open_campaign) == "样本不足 3 份，不予公布"
    assert results.progress(open_campaign) == results.Progress(invited=6, answered=5)


def test_the_export_has_only_published_figures_with_the_k_rule(open_campaign, invited, organiser, housing, market):
    for invitation in list(invited.values())[:3]:
        submit(open_campaign, invitation, {housing: 4})
    submit(open_campaign, list(invited.values())[3], {market: 3})
    rows = results.export_rows(open_campaign, results.department_results(open_campaign))

    housing_rows = [row for row in rows if row[1] == housing.name]
    assert housing_rows[0] == [1, housing.name, "综合", 3, 4.0, "", "", "", "", ""]
    assert housing_rows[1][2:] == ["政务环境", 3, 4.0, 0, 3, 0, 0, 0]
    market_rows = [row for row in rows if row[1] == market.name]
    assert market_rows == [["", market.name, "综合", "", "样本不足 3 份，不予公布", "", "", "", "", ""]]


# ---- the comment review -------------------------------------------------------------------------------------


def test_comments_are_shown_only_once_approved_and_only_above_k(open_campaign, invited, organiser, housing, market):
    invitations = list(invited.values())
    for number, invitation in enumerate(invitations[:3], start=1):
        submit(open_campaign, invitation, {housing: 4}, comments={housing.pk: f"意见{number}"})
    submit(open_campaign, invitations[3], {market: 4}, comments={market.pk: "市场监管意见"})
    services.change_campaign_state(campaign=open_campaign, action="close", by=organiser)
    comments = {c.text: c for c in EvaluationComment.objects.all()}
    assert {c.status for c in comments.values()} == {CommentStatus.PENDING}

    services.review_comment(comment=comments["意见1"], approve=True, by=organiser)
    services.review_comment(comment=comments["意见2"], approve=False, note="含企业名称", by=organiser)
    services.review_comment(comment=comments["市场监管意见"], approve=True, by=organiser)
    found = {r.department: r for r in results.department_results(open_campaign)}

    assert found[housing].comments == ["意见1"]
    assert found[market].comments == []  # approved, but 市场监管局 has fewer than k responses
    with pytest.raises(BusinessRuleError, match="该意见已审核过"):
        services.review_comment(comment=comments["意见1"], approve=False, note="改判", by=organiser)


def test_a_rejection_needs_a_reason_and_only_the_organiser_reviews(open_campaign, invited, housing, housing_handler):
    submit(open_campaign, next(iter(invited.values())), {housing: 4}, comments={housing.pk: "建议简化材料"})
    comment = EvaluationComment.objects.get()
    organiser = UserFactory(username="another_bizenv", unit=Unit.objects.get(code="990101"), roles=[roles.BIZENV_ADMIN])

    with pytest.raises(BusinessRuleError, match="只有组织单位的审核人员"):
        services.review_comment(comment=comment, approve=True, by=housing_handler)
    with pytest.raises(BusinessRuleError, match="只有组织单位的审核人员"):
        services.review_comment(comment=comment, approve=True, by=organiser)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_a_comment_is_kept_only_for_a_rated_department_and_when_the_campaign_allows(make_campaign, organiser, housing):
    campaign = services.change_campaign_state(campaign=make_campaign(allow_comments=False), action="open", by=organiser)
    enterprise = make_enterprise("东城区无意见科技有限公司")
    services.invite_enterprises(campaign=campaign, enterprises=[enterprise], by=organiser)

    submit(campaign, Invitation.objects.get(campaign=campaign), {housing: 4}, comments={housing.pk: "不会保存"})

    assert not EvaluationComment.objects.exists()
