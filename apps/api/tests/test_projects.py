"""Projects through the API: the token's scope, and writes through the pipeline's services."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from apps.api.models import IntegrationToken
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import Project, StageChange
from apps.investment.tests.factories import lead

PROJECTS = "/api/v1/projects/"


@pytest.fixture
def project_a(officer_a):
    return lead(officer_a, name="东城区新能源电池项目")


@pytest.fixture
def project_b(officer_b):
    return lead(officer_b, name="西城区生物医药项目")


def test_a_county_token_lists_and_opens_only_its_countys_projects(api_a, project_a, project_b):
    listed = api_a.get(PROJECTS).json()

    assert [p["name"] for p in listed["results"]] == ["东城区新能源电池项目"]
    assert api_a.get(f"{PROJECTS}{project_a.pk}/").json()["code"] == project_a.code
    foreign = api_a.get(f"{PROJECTS}{project_b.pk}/")
    assert foreign.status_code == 404
    assert foreign.json() == {"detail": "未找到。"}


def test_the_list_filters_by_stage_search_and_date(api_a, officer_a, project_a):
    lead(officer_a, name="东城区数据中心项目")

    assert api_a.get(PROJECTS, {"q": "数据中心"}).json()["count"] == 1
    assert api_a.get(PROJECTS, {"stage": "signed"}).json()["count"] == 0
    assert api_a.get(PROJECTS, {"created_after": "2000-01-01"}).json()["count"] == 2
    bad = api_a.get(PROJECTS, {"stage": "nowhere"})
    assert bad.status_code == 400
    assert "stage" in bad.json()["errors"]
    assert bad.json()["detail"]


def test_pages_are_stable_and_at_most_200(api_a, officer_a):
    projects = [lead(officer_a, name=f"东城区第{i}号项目") for i in range(3)]

    first = api_a.get(PROJECTS, {"page_size": 2}).json()
    second = api_a.get(PROJECTS, {"page_size": 2, "page": 2}).json()

    assert first["count"] == 3
    assert first["next"] is not None
    assert [p["id"] for p in first["results"] + second["results"]] == [p.pk for p in projects]
    assert len(api_a.get(PROJECTS, {"page_size": 1000}).json()["results"]) == 3  # capped at 200, 3 exist
    assert api_a.get(PROJECTS, {"page": 9}).status_code == 404


def test_registering_a_lead_goes_through_the_service_with_the_integration_account(api_a, county_a):
    enterprise = make_enterprise("示范新能源科技有限公司")
    data = {
        "enterprise": enterprise.pk,
        "name": "储能电站项目",
        "channel": "professional",
        "planned_investment": "8000",
    }

    response = api_a.post(PROJECTS, data, format="json")

    assert response.status_code == 201, response.json()
    project = Project.objects.get(pk=response.json()["id"])
    account = IntegrationToken.objects.get().account
    assert project.unit == county_a
    assert project.created_by == account
    assert project.code.startswith("XM")
    assert response.json()["code"] == project.code
    assert project.planned_investment == Decimal(8000)
    assert StageChange.objects.filter(project=project, kind=StageChange.Kind.REGISTER, by=account).exists()
    entry = LogEntry.objects.get_for_object(project).get(action=LogEntry.Action.CREATE)
    assert entry.actor == account


def test_a_lead_on_a_merged_enterprise_is_refused_as_on_the_page(api_a):
    enterprise = make_enterprise("已合并的企业有限公司")
    enterprise.status = enterprise.Status.MERGED
    enterprise.save()

    response = api_a.post(PROJECTS, {"enterprise": enterprise.pk, "name": "项目", "channel": "expo"}, format="json")

    assert response.status_code == 400
    assert "enterprise" in response.json()["errors"]
    assert not Project.objects.exists()


def test_updating_the_basic_fields_goes_through_the_service(api_a, project_a):
    response = api_a.patch(f"{PROJECTS}{project_a.pk}/", {"expected_jobs": 300, "name": "新名称"}, format="json")

    assert response.status_code == 200, response.json()
    project_a.refresh_from_db()
    assert (project_a.expected_jobs, project_a.name) == (300, "新名称")
    entry = LogEntry.objects.get_for_object(project_a).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert entry.actor == IntegrationToken.objects.get().account


def test_the_services_rule_is_the_same_400_as_the_pages_form_error(api_a, project_a):
    response = api_a.patch(f"{PROJECTS}{project_a.pk}/", {"counted_before": "100"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "新建项目没有此前已统计的投资；增资扩建或升格项目才填写。"
    assert body["errors"] == {"counted_before": [body["detail"]]}
    project_a.refresh_from_db()
    assert project_a.counted_before == 0


def test_shape_errors_name_their_fields(api_a, project_a):
    response = api_a.patch(f"{PROJECTS}{project_a.pk}/", {"expected_jobs": -1, "channel": "x"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"expected_jobs", "channel"}


def test_another_countys_project_cannot_be_changed(api_a, project_b):
    response = api_a.patch(f"{PROJECTS}{project_b.pk}/", {"name": "越权修改"}, format="json")

    assert response.status_code == 404
    project_b.refresh_from_db()
    assert project_b.name == "西城区生物医药项目"


def test_a_read_only_token_cannot_write(issue, api_for, county_a, project_a):
    client = api_for(issue(county_a, ["projects:read"]))

    response = client.patch(f"{PROJECTS}{project_a.pk}/", {"name": "只读"}, format="json")

    assert response.status_code == 403
    project_a.refresh_from_db()
    assert project_a.name == "东城区新能源电池项目"


def test_every_list_is_recorded_as_a_bulk_read_on_the_token(api_a, project_a):
    api_a.get(PROJECTS, {"q": "电池"})

    token = IntegrationToken.objects.get()
    entry = LogEntry.objects.get_for_object(token).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == token.account
    assert entry.additional_data == {
        "what": "接口批量读取 /api/v1/projects/",
        "rows": 1,
        "query": "q=%E7%94%B5%E6%B1%A0",
    }


def test_the_list_makes_the_same_queries_for_more_projects(api_a, officer_a, count_queries):
    api_a.get(PROJECTS)  # the token's first use writes its last_used_at

    def add_and_list(n):
        for i in range(n):
            lead(officer_a, name=f"项目{i}")
        return lambda: api_a.get(PROJECTS)

    few = count_queries(add_and_list(2))
    many = count_queries(add_and_list(8))
    assert few == many
