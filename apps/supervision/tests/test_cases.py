from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.appeals.tests.samples import make_appeal_sample
from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Enterprise
from apps.investment.tests.samples import make_project_sample
from apps.supervision.models import CaseSource, InvestorCommitment, TypicalCase
from apps.supervision.services import cases as services
from apps.supervision.services.commitments import create_commitment

Status = TypicalCase.Status


@pytest.fixture
def make_case(supervisor):
    def make(unit, *, title="某区“一窗通办”压缩开办时间", kind="positive", **extra):
        fields = {"summary": "企业开办压缩到半个工作日。", "body": "具体做法……", **extra}
        return services.create_case(title=title, kind=kind, unit=unit, by=supervisor, **fields)

    return make


def _publish(case, supervisor, problem):
    services.add_source(case=case, kind="problem", reference=problem.code, by=supervisor)
    return services.publish_case(case=case, note="同意发布", by=supervisor)


def test_the_lifecycle_draft_published_withdrawn_and_back(make_case, make_problem, county_a, supervisor):
    problem = make_problem(county_a, title="窗口推诿")
    case = make_case(county_a, kind="negative")
    with pytest.raises(BusinessRuleError, match="至少关联一条来源"):
        services.publish_case(case=case, by=supervisor)

    case = _publish(case, supervisor, problem)
    assert case.status == Status.PUBLISHED
    assert case.published_by == supervisor
    with pytest.raises(BusinessRuleError, match="请填写撤回原因"):
        services.withdraw_case(case=case, reason="", by=supervisor)
    case = services.withdraw_case(case=case, reason="事实有出入", by=supervisor)
    case = services.redraft_case(case=case, by=supervisor)

    assert case.status == Status.DRAFT
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["create", "add_source", "publish", "withdraw", "redraft"]


def test_only_the_writing_office_writes_and_publishes(make_case, make_problem, county_a, county_handler_a, supervisor):
    with pytest.raises(BusinessRuleError, match="只有督办单位"):
        services.create_case(title="x", kind="positive", summary="x", body="x", unit=county_a, by=county_handler_a)
    case = make_case(county_a)
    problem = make_problem(county_a)
    with pytest.raises(BusinessRuleError, match="只有编写单位"):
        services.add_source(case=case, kind="problem", reference=problem.code, by=county_handler_a)
    services.add_source(case=case, kind="problem", reference=problem.code, by=supervisor)
    with pytest.raises(BusinessRuleError, match="只有编写单位"):
        services.publish_case(case=case, by=county_handler_a)
    with pytest.raises(BusinessRuleError, match="已关联"):
        services.add_source(case=case, kind="problem", reference=problem.code, by=supervisor)
    with pytest.raises(BusinessRuleError, match="未找到编号"):
        services.add_source(case=case, kind="project", reference="XM-none", by=supervisor)
    assert TypicalCase.objects.get(pk=case.pk).status == Status.DRAFT


def test_a_source_is_exactly_one_record(make_case, make_problem, county_a):
    from django.db import IntegrityError, transaction

    case = make_case(county_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseSource.objects.create(case=case)
    problem = make_problem(county_a)
    project = make_project_sample(county_a, "项目")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseSource.objects.create(case=case, problem=problem, project=project)


def test_the_sources_link_only_where_the_viewer_may_open_them(
    client_for, make_case, make_problem, county_a, county_b, supervisor, county_handler_a
):
    own_problem = make_problem(county_a, title="东城整改问题")
    foreign_problem = make_problem(county_b, title="西城整改问题")
    appeal = make_appeal_sample(county_b, "西城诉求工单")
    project = make_project_sample(county_a, "东城招商项目")
    case = make_case(county_a, title="典型案例甲")
    for kind, reference in (("problem", own_problem.code), ("problem", foreign_problem.code),
                            ("appeal", appeal.number), ("project", project.code)):  # fmt: skip
        services.add_source(case=case, kind=kind, reference=reference, by=supervisor)
    services.publish_case(case=case, by=supervisor)

    views = {view.label: view.url for view in services.sources_for(case, county_handler_a)}
    page = client_for(county_handler_a).get(reverse("supervision:case_detail", args=[case.pk])).content.decode()

    assert views[f"{own_problem.code} 东城整改问题"] == reverse("supervision:problem_detail", args=[own_problem.pk])
    assert views[f"{foreign_problem.code} 西城整改问题"] == ""
    assert views[f"{appeal.number} 西城诉求工单"] == ""
    assert views[f"{project.code} 东城招商项目"] == reverse("investment:project_detail", args=[project.pk])
    assert "西城整改问题" in page
    assert reverse("supervision:problem_detail", args=[foreign_problem.pk]) not in page
    assert reverse("supervision:problem_detail", args=[own_problem.pk]) in page


def test_drafts_are_the_offices_and_published_cases_everyones(
    client_for, make_case, make_problem, county_a, county_b, supervisor, county_handler_b
):
    draft = make_case(county_a, title="尚在起草的案例")
    published = _publish(make_case(county_a, title="已发布的案例"), supervisor, make_problem(county_a))
    client = client_for(county_handler_b)

    page = client.get(reverse("supervision:case_list")).content.decode()

    assert "已发布的案例" in page
    assert "尚在起草的案例" not in page
    assert client.get(reverse("supervision:case_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("supervision:case_detail", args=[published.pk])).status_code == 200
    office_page = client_for(supervisor).get(reverse("supervision:case_list")).content.decode()
    assert "尚在起草的案例" in office_page


@pytest.mark.parametrize("who", ["anonymous", "reader", "office"])
def test_publish_through_the_page_by_the_office_only(client, client_for, make_case, make_problem, county_a, who,
                                                     request):  # fmt: skip
    supervisor = request.getfixturevalue("supervisor")
    case = make_case(county_a)
    services.add_source(case=case, kind="problem", reference=make_problem(county_a).code, by=supervisor)
    services.publish_case(case=case, by=supervisor)
    services.withdraw_case(case=case, reason="复核", by=supervisor)
    services.redraft_case(case=case, by=supervisor)
    browser = {"anonymous": client, "reader": None, "office": None}[who]
    if who == "reader":
        browser = client_for(request.getfixturevalue("county_handler_a"))
    elif who == "office":
        browser = client_for(supervisor)

    response = browser.post(reverse("supervision:case_publish", args=[case.pk]), {"note": "同意"})

    assert response.status_code == {"anonymous": 302, "reader": 404, "office": 302}[who]
    assert (TypicalCase.objects.get(pk=case.pk).status == Status.PUBLISHED) == (who == "office")


def test_the_office_writes_and_links_through_the_pages(client_for, supervisor, make_problem, county_a):
    client = client_for(supervisor)
    bad = client.post(reverse("supervision:case_create"), {"title": "", "kind": "", "unit": county_a.pk})
    assert "请填写标题。" in bad.content.decode()
    assert "请选择案例类型（正面典型或反面典型）。" in bad.content.decode()

    client.post(reverse("supervision:case_create"), {"title": "承诺兑现的好做法", "kind": "positive",
                                                      "unit": county_a.pk, "summary": "摘要", "body": "正文"})  # fmt: skip
    case = TypicalCase.objects.get()
    problem = make_problem(county_a)
    missing = client.post(reverse("supervision:case_source_add", args=[case.pk]), {"kind": "problem",
                                                                                  "reference": "ZG1999-0001"})  # fmt: skip
    added = client.post(reverse("supervision:case_source_add", args=[case.pk]), {"kind": "problem",
                                                                                "reference": problem.code})  # fmt: skip

    assert "未找到编号为“ZG1999-0001”的整改问题" in missing.content.decode()
    assert added.status_code == 302
    source = case.sources.get()
    assert source.problem == problem
    client.post(reverse("supervision:case_source_remove", args=[source.pk]))
    assert not case.sources.exists()


def test_the_list_filters_and_makes_the_same_queries_for_more_cases(
    client_for, make_case, make_problem, county_a, supervisor, count_queries
):
    client = client_for(supervisor)
    url = reverse("supervision:case_list")
    make_case(county_a, title="正面一", kind="positive")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for number in range(5):
        _publish(make_case(county_a, title=f"反面{number}", kind="negative"), supervisor, make_problem(county_a))

    assert count_queries(lambda: client.get(url)) == few
    page = client.get(url, {"kind": "positive"}).content.decode()
    assert "正面一" in page
    assert "反面0" not in page
    assert "没有符合条件的典型案例" in client.get(url, {"q": "不存在"}).content.decode()


# ---- commitments on the enterprise and project pages ---------------------------------------------------------


@pytest.fixture
def commit(supervisor):
    def make(unit, *, content, due_on=None, **whom):
        today = timezone.localdate()
        return create_commitment(
            kind="subsidy", content=content, unit=unit, legal_basis="投资合同第五条",
            committed_on=today - timedelta(days=90), due_on=due_on or today + timedelta(days=30), by=supervisor,
            **whom,
        )  # fmt: skip

    return make


def test_the_enterprise_page_lists_the_commitments_in_scope(client_for, commit, county_a, county_b, county_handler_a,
                                                            count_queries):  # fmt: skip
    enterprise = Enterprise.objects.create(name="东城新能源有限公司")
    overdue = commit(county_a, content="东城设备补贴", enterprise=enterprise)
    InvestorCommitment.objects.filter(pk=overdue.pk).update(due_on=date(2026, 1, 31))
    project = make_project_sample(county_a, "东城新能源项目")
    type(project).objects.filter(pk=project.pk).update(enterprise=enterprise)
    commit(county_a, content="东城道路配套", project=project)
    commit(county_b, content="西城税收优惠", enterprise=enterprise)
    client = client_for(county_handler_a)
    url = reverse("enterprises:detail", args=[enterprise.pk])

    page = client.get(url).content.decode()

    assert "东城设备补贴" in page
    assert "东城道路配套" in page  # made on the enterprise's project
    assert "西城税收优惠" not in page
    assert "text-danger" in page  # past its due date
    assert reverse("supervision:commitment_detail", args=[overdue.pk]) in page
    few = count_queries(lambda: client.get(url))
    commit(county_a, content="东城人才公寓", enterprise=enterprise)
    assert count_queries(lambda: client.get(url)) == few


def test_the_project_page_lists_its_commitments(client_for, commit, county_a, county_b, officer_a):
    project = make_project_sample(county_a, "东城智能制造项目")
    commit(county_a, content="三个月内完成供地", project=project)
    commit(county_b, content="西城承诺不应出现", project=project)

    page = client_for(officer_a).get(reverse("investment:project_detail", args=[project.pk])).content.decode()

    assert "三个月内完成供地" in page
    assert "西城承诺不应出现" not in page
    assert 'data-testid="commitments"' in page
    # the investment officer does not read the supervision ledgers: the commitment is shown without its link
    assert "/supervision/commitments/" not in page
