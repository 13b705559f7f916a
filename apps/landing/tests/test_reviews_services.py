"""Joint review (联评联审) services: opening, answering, closing, the deadline scan, the rules they enforce."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry

from apps.core.errors import BusinessRuleError
from apps.core.models import Notice
from apps.core.pending import pending_for
from apps.investment.models import ProjectParticipant, Stage
from apps.investment.tests.factories import lead
from apps.landing.models import JointReview, OpinionChange, ReviewOpinion, Verdict
from apps.landing.selectors.reviews import department_groups, review_conditions
from apps.landing.services.reviews import close_expired_reviews, give_opinion, open_review
from apps.landing.services.scans import scan_landing
from apps.org import roles
from apps.org.models import Unit
from apps.org.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("review_clock")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 16)
DUE = date(2026, 11, 23)  # five working days after Monday 16 November


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def review(review_project, review_departments, review_handlers, officer_a, county_admin_a):
    """东城区's project asks natural resources, ecology and emergency management, five working days."""
    departments = [review_departments[key] for key in ("resources", "ecology", "emergency")]
    return open_review(
        project=review_project,
        subject="项目联评联审",
        note="用地 120 亩，年综合能耗 8000 吨标准煤",
        departments=departments,
        time_limit_days=5,
        by=officer_a,
    )


def opinion_of(review, key, departments) -> ReviewOpinion:
    return review.opinions.get(department=departments[key])


def answer(review, key, departments, handlers, verdict, **texts) -> ReviewOpinion:
    opinion = opinion_of(review, key, departments)
    return give_opinion(opinion=opinion, verdict=verdict, by=handlers[key], **texts)


# ---- opening ----------------------------------------------------------------------------------


def test_opening_asks_each_department_and_lets_it_see_the_project(
    review, review_project, review_departments, review_handlers, officer_a
):
    assert (review.opened_on, review.due_on, review.status) == (MONDAY, DUE, JointReview.Status.OPEN)
    assert review.opened_by == officer_a
    asked = {o.department_id: o.verdict for o in review.opinions.all()}
    expected = {review_departments[k].pk for k in ("resources", "ecology", "emergency")}
    assert asked == dict.fromkeys(expected, Verdict.PENDING)
    participants = ProjectParticipant.objects.filter(project=review_project, role="联审部门")
    assert set(participants.values_list("unit", flat=True)) == expected
    resources = review_departments["resources"]
    notice = Notice.objects.get(recipient=review_handlers["resources"])
    assert notice.key == f"landing.review.{review.pk}.asked.{resources.pk}"
    assert notice.url == f"/landing/reviews/{review.pk}/"
    assert "东城新能源电池项目" in notice.title
    assert not Notice.objects.filter(recipient=review_handlers["housing"]).exists()  # not asked


def test_deadline_counts_working_days_across_the_national_day_holiday(
    review_clock, review_project, review_departments, officer_a
):
    # 2026: 1–7 October are the holiday, Saturday 10 October is a make-up working day
    review_clock.move_to(at(date(2026, 9, 30)))

    review = open_review(
        project=review_project,
        subject="项目联评联审",
        departments=[review_departments["resources"]],
        time_limit_days=5,
        by=officer_a,
    )

    # 8 Oct (1), 9 Oct (2), Sat 10 Oct (3, 调休上班), Mon 12 Oct (4), Tue 13 Oct (5)
    assert review.due_on == date(2026, 10, 13)


def test_the_city_and_the_projects_county_offer_their_departments(review_project, review_departments, county_a, city):
    groups = department_groups(review_project)

    assert [g.area for g in groups] == [city, county_a]
    assert set(groups[0].departments) == set(review_departments.values())
    assert [d.name for d in groups[1].departments] == ["东城区投资促进局"]


def _open(project, by, **overrides):
    values = {"project": project, "subject": "项目联评联审", "departments": [], "time_limit_days": 5, "by": by}
    values.update(overrides)
    return open_review(**values)


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("no_departments", "departments", "请至少选择一个审查部门。"),
        ("duplicate", "departments", "审查部门不能重复选择。"),
        ("not_a_department", "departments", "不是可征求意见的部门"),
        ("other_county", "departments", "不是可征求意见的部门"),
        ("zero_days", "time_limit_days", "审查期限须为 1 至 60 个工作日。"),
        ("too_many_days", "time_limit_days", "审查期限须为 1 至 60 个工作日。"),
        ("no_subject", "subject", "请填写审查事项。"),
    ],
)
def test_opening_refuses_bad_input(
    review_project, review_departments, officer_a, county_a, county_b, case, field, message
):
    resources = review_departments["resources"]
    western = Unit.objects.get(name="西城区投资促进局")
    overrides = {
        "no_departments": {},
        "duplicate": {"departments": [resources, resources]},
        "not_a_department": {"departments": [county_a]},
        "other_county": {"departments": [western]},
        "zero_days": {"departments": [resources], "time_limit_days": 0},
        "too_many_days": {"departments": [resources], "time_limit_days": 61},
        "no_subject": {"departments": [resources], "subject": "  "},
    }[case]

    with pytest.raises(BusinessRuleError) as error:
        _open(review_project, officer_a, **overrides)

    assert error.value.field == field
    assert message in error.value.message
    assert not JointReview.objects.exists()


def test_only_the_owning_side_opens_a_review(review_project, review_departments, officer_b, city_leader):
    for person in (officer_b, city_leader):
        with pytest.raises(BusinessRuleError, match="只有项目的责任单位可以发起联评联审"):
            _open(review_project, person, departments=[review_departments["resources"]])
    assert not JointReview.objects.exists()


def test_a_review_is_opened_only_in_negotiation(officer_a, review_departments):
    project = lead(officer_a, name="仍是线索的项目")
    assert project.stage == Stage.LEAD

    with pytest.raises(BusinessRuleError, match="处于“洽谈”阶段"):
        _open(project, officer_a, departments=[review_departments["resources"]])


def test_one_open_review_per_project(review, review_project, review_departments, county_admin_a):
    with pytest.raises(BusinessRuleError, match="该项目已有正在进行的联评联审"):
        _open(review_project, county_admin_a, departments=[review_departments["housing"]])
    assert JointReview.objects.count() == 1


# ---- answering and closing -----------------------------------------------------------------------


def test_review_closes_when_every_department_answered_with_the_strictest_conclusion(
    review, review_departments, review_handlers, officer_a, county_admin_a
):
    answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)
    answer(review, "ecology", review_departments, review_handlers, Verdict.CONDITIONAL, conditions="先行取得环评批复")
    review.refresh_from_db()
    assert review.status == JointReview.Status.OPEN
    assert review.conclusion == ""

    answer(review, "emergency", review_departments, review_handlers, Verdict.AGREE)

    review.refresh_from_db()
    assert (review.status, review.close_reason, review.conclusion) == (
        JointReview.Status.CLOSED,
        JointReview.CloseReason.ANSWERED,
        Verdict.CONDITIONAL,
    )
    assert review.closed_at is not None
    assert not review.opinions.filter(late=True).exists()
    closed = Notice.objects.filter(key=f"landing.review.{review.pk}.closed")
    assert {n.recipient for n in closed} == {officer_a, county_admin_a}  # the project's unit, those who open reviews
    assert "综合意见：有条件同意。" in closed[0].body


def test_an_answer_records_who_when_and_only_the_texts_of_its_verdict(review, review_departments, review_handlers):
    opinion = answer(
        review, "ecology", review_departments, review_handlers, Verdict.CONDITIONAL,
        conditions="  先行取得环评批复  ", reason="不应保存", legal_basis="不应保存",
    )  # fmt: skip

    opinion.refresh_from_db()
    assert (opinion.verdict, opinion.conditions, opinion.reason, opinion.legal_basis) == (
        Verdict.CONDITIONAL,
        "先行取得环评批复",
        "",
        "",
    )
    assert opinion.answered_by == review_handlers["ecology"]
    assert opinion.answered_at is not None
    assert opinion.late is False
    entry = LogEntry.objects.get_for_object(opinion).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == review_handlers["ecology"]
    assert entry.changes_dict["verdict"] == ["pending", "conditional"]


def test_a_disagreement_makes_the_conclusion_disagree(review, review_departments, review_handlers):
    answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)
    answer(review, "ecology", review_departments, review_handlers, Verdict.CONDITIONAL, conditions="先行取得环评批复")
    answer(
        review, "emergency", review_departments, review_handlers, Verdict.DISAGREE,
        reason="与危化品仓库安全距离不足", legal_basis="《危险化学品安全管理条例》第十九条",
    )  # fmt: skip

    review.refresh_from_db()
    assert review.conclusion == Verdict.DISAGREE


@pytest.mark.parametrize(
    ("verdict", "texts", "field"),
    [
        (Verdict.CONDITIONAL, {}, "conditions"),
        (Verdict.DISAGREE, {"legal_basis": "《土地管理法》"}, "reason"),
        (Verdict.DISAGREE, {"reason": "不符合国土空间规划"}, "legal_basis"),
        (Verdict.PENDING, {}, "verdict"),
        ("maybe", {}, "verdict"),
    ],
)
def test_answers_need_their_texts(review, review_departments, review_handlers, verdict, texts, field):
    opinion = opinion_of(review, "resources", review_departments)

    with pytest.raises(BusinessRuleError) as error:
        give_opinion(opinion=opinion, verdict=verdict, by=review_handlers["resources"], **texts)

    assert error.value.field == field
    opinion.refresh_from_db()
    assert (opinion.verdict, opinion.answered_at) == (Verdict.PENDING, None)


def test_only_people_of_the_asked_department_answer(review, review_departments, review_handlers, officer_a, city):
    opinion = opinion_of(review, "resources", review_departments)
    leader_in_department = UserFactory(unit=review_departments["resources"], roles=[roles.CITY_LEADER])
    for person in (review_handlers["ecology"], review_handlers["housing"], officer_a, leader_in_department):
        with pytest.raises(BusinessRuleError, match="只有被征求意见部门的经办人"):
            give_opinion(opinion=opinion, verdict=Verdict.AGREE, by=person)
    opinion.refresh_from_db()
    assert opinion.verdict == Verdict.PENDING


def test_an_answer_from_a_stale_page_is_refused(review, review_departments, review_handlers):
    seen = opinion_of(review, "resources", review_departments)
    stale = ReviewOpinion.objects.get(pk=seen.pk)
    give_opinion(opinion=seen, verdict=Verdict.AGREE, by=review_handlers["resources"])

    with pytest.raises(BusinessRuleError, match="刚被其他人反馈或修改"):
        give_opinion(opinion=stale, verdict=Verdict.CONDITIONAL, conditions="补充条件", by=review_handlers["resources"])

    assert ReviewOpinion.objects.get(pk=seen.pk).verdict == Verdict.AGREE
    assert not OpinionChange.objects.exists()


# ---- changing an answer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "texts"),
    [
        (Verdict.CONDITIONAL, {"conditions": "补充地质灾害评估"}),
        (Verdict.DISAGREE, {"reason": "占用永久基本农田", "legal_basis": "《土地管理法》第三十五条"}),
    ],
)
def test_a_department_that_agreed_objects_only_with_a_recorded_reason(
    review, review_departments, review_handlers, new, texts
):
    handler = review_handlers["resources"]
    opinion = answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)

    with pytest.raises(BusinessRuleError) as error:
        give_opinion(opinion=opinion, verdict=new, by=handler, **texts)
    assert error.value.field == "change_reason"
    assert "已同意的部门不得无理由新增否定意见" in error.value.message
    assert ReviewOpinion.objects.get(pk=opinion.pk).verdict == Verdict.AGREE
    assert not OpinionChange.objects.exists()

    give_opinion(opinion=opinion, verdict=new, change_reason="规划调整后重新核查发现问题", by=handler, **texts)

    change = OpinionChange.objects.get()
    assert (change.opinion, change.from_verdict, change.to_verdict, change.by) == (opinion, Verdict.AGREE, new, handler)
    assert change.reason == "规划调整后重新核查发现问题"
    assert ReviewOpinion.objects.get(pk=opinion.pk).verdict == new


def test_conditions_turning_into_an_objection_also_need_a_reason(review, review_departments, review_handlers):
    handler = review_handlers["ecology"]
    opinion = answer(review, "ecology", review_departments, review_handlers, Verdict.CONDITIONAL, conditions="先行环评")

    with pytest.raises(BusinessRuleError) as error:
        give_opinion(
            opinion=opinion,
            verdict=Verdict.DISAGREE,
            reason="位于水源保护区",
            legal_basis="《水污染防治法》",
            by=handler,
        )

    assert error.value.field == "change_reason"


def test_easing_an_answer_needs_no_reason_but_is_recorded(review, review_departments, review_handlers):
    handler = review_handlers["ecology"]
    opinion = answer(review, "ecology", review_departments, review_handlers, Verdict.CONDITIONAL, conditions="先行环评")

    give_opinion(opinion=opinion, verdict=Verdict.AGREE, by=handler)

    change = OpinionChange.objects.get()
    assert (change.from_verdict, change.to_verdict, change.reason) == (
        Verdict.CONDITIONAL,
        Verdict.AGREE,
        "修改意见内容",
    )
    assert ReviewOpinion.objects.get(pk=opinion.pk).conditions == ""


def test_giving_the_same_answer_again_changes_nothing(review, review_departments, review_handlers):
    opinion = answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)

    with pytest.raises(BusinessRuleError, match="意见没有变化"):
        give_opinion(opinion=opinion, verdict=Verdict.AGREE, by=review_handlers["resources"])
    assert not OpinionChange.objects.exists()


# ---- the deadline ------------------------------------------------------------------------------------


def test_the_scan_closes_a_review_past_its_deadline_and_marks_the_late(
    review, review_departments, review_handlers, officer_a, county_admin_a
):
    answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)
    assert close_expired_reviews(today=DUE) == 0  # the deadline day itself is still in time

    closed = close_expired_reviews(today=date(2026, 11, 24))

    review.refresh_from_db()
    assert closed == 1
    assert (review.status, review.close_reason, review.conclusion) == (
        JointReview.Status.CLOSED,
        JointReview.CloseReason.DEADLINE,
        Verdict.AGREE,
    )
    late = {o.department_id for o in review.opinions.filter(late=True)}
    assert late == {review_departments["ecology"].pk, review_departments["emergency"].pk}
    notices = Notice.objects.filter(key=f"landing.review.{review.pk}.closed")
    assert {n.recipient for n in notices} == {officer_a, county_admin_a}
    assert "2 个部门逾期未反馈" in notices[0].body


def test_the_scan_is_idempotent(review):
    assert scan_landing(today=date(2026, 11, 24))["联审到期结束"] == 1
    sent = Notice.objects.count()

    assert scan_landing(today=date(2026, 11, 25))["联审到期结束"] == 0
    assert Notice.objects.count() == sent


def test_nobody_answering_leaves_the_conclusion_pending(review):
    close_expired_reviews(today=date(2026, 11, 24))

    review.refresh_from_db()
    assert review.conclusion == Verdict.PENDING
    assert review.opinions.filter(late=True).count() == 3


def test_a_late_answer_after_closing_is_marked_late_and_updates_the_conclusion(
    review_clock, review, review_departments, review_handlers
):
    answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)
    close_expired_reviews(today=date(2026, 11, 24))
    review_clock.move_to(at(date(2026, 11, 25)))

    opinion = answer(
        review, "emergency", review_departments, review_handlers, Verdict.DISAGREE,
        reason="安全距离不足", legal_basis="《安全生产法》",
    )  # fmt: skip

    opinion.refresh_from_db()
    review.refresh_from_db()
    assert opinion.late is True
    assert (review.status, review.close_reason, review.conclusion) == (
        JointReview.Status.CLOSED,
        JointReview.CloseReason.DEADLINE,
        Verdict.DISAGREE,
    )


def test_an_answer_after_the_deadline_is_late_even_before_the_scan(
    review_clock, review, review_departments, review_handlers
):
    review_clock.move_to(at(date(2026, 11, 24)))

    opinion = answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)

    assert ReviewOpinion.objects.get(pk=opinion.pk).late is True


def test_a_change_after_the_deadline_keeps_a_timely_answer_in_time(
    review_clock, review, review_departments, review_handlers
):
    opinion = answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)
    review_clock.move_to(at(date(2026, 11, 24)))

    give_opinion(
        opinion=opinion,
        verdict=Verdict.CONDITIONAL,
        conditions="补充",
        change_reason="补充条件",
        by=review_handlers["resources"],
    )

    assert ReviewOpinion.objects.get(pk=opinion.pk).late is False


# ---- what others read --------------------------------------------------------------------------------


def test_review_conditions_are_the_conditional_opinions_of_the_project(
    review, review_project, review_departments, review_handlers
):
    answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)
    ecology = answer(review, "ecology", review_departments, review_handlers, Verdict.CONDITIONAL, conditions="先行环评")
    emergency = answer(review, "emergency", review_departments, review_handlers, Verdict.CONDITIONAL, conditions="安评")

    conditions = review_conditions(review_project)

    assert conditions == [ecology, emergency]  # departments in the tree's order, the agreeing one left out
    assert [(o.department.name, o.conditions, o.review) for o in conditions] == [
        ("示范市生态环境局", "先行环评", review),
        ("示范市应急管理局", "安评", review),
    ]


def test_the_department_sees_a_pending_item_that_turns_red_after_the_deadline(
    review_clock, review, review_departments, review_handlers
):
    handler = review_handlers["resources"]
    [item] = [i for i in pending_for(handler) if i.title == "待反馈的联审意见"]
    assert (item.count, item.level, item.due, item.url) == (1, "warning", DUE, "/landing/reviews/?status=awaiting")

    review_clock.move_to(at(date(2026, 11, 24)))
    [item] = [i for i in pending_for(handler) if i.title == "待反馈的联审意见"]
    assert item.level == "danger"

    answer(review, "resources", review_departments, review_handlers, Verdict.AGREE)
    assert not [i for i in pending_for(handler) if i.title == "待反馈的联审意见"]
    assert not [i for i in pending_for(review_handlers["housing"]) if i.title == "待反馈的联审意见"]
