from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from apps.chains import permissions
from apps.chains.models import LinkLead
from apps.chains.tests.conftest import make_enterprise, place
from apps.chains.tests.test_targets import outside
from apps.investment.models import Project
from apps.investment.services.projects import register_lead
from apps.org.tests.factories import UserFactory


@pytest.fixture
def stranger(county_a):
    """A staff user of 东城区 with no role: may not read the chain maps."""
    return UserFactory(username="stranger", name="无角色用户", unit=county_a, roles=[])


@pytest.fixture
def target():
    return outside("深圳锐能汽车有限公司", industry="36", tags=("行业龙头",), scope="新能源汽车整车制造")


def _open(client, link, enterprise):
    return client.post(reverse("chains:target_open", args=[link.pk]), {"enterprise": enterprise.pk})


def test_the_link_targets_page_explains_each_score(client_for, officer_a, links, target):
    response = client_for(officer_a).get(reverse("chains:link_targets", args=[links["vehicles"].pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert target.name in text
    assert "行业代码 36 汽车制造业 属于本环节" in text
    assert "标签：行业龙头" in text
    assert "转为招商线索" in text


def test_a_reader_without_the_pipeline_role_sees_targets_but_no_lead_button(client_for, city_leader, links, target):
    assert permissions.can_view(city_leader)
    assert not permissions.can_open_lead(city_leader)
    response = client_for(city_leader).get(reverse("chains:link_targets", args=[links["vehicles"].pk]))
    assert target.name in response.content.decode()
    assert "转为招商线索" not in response.content.decode()


@pytest.mark.parametrize("name", ["link_targets", "link_leads"])
def test_link_pages_need_the_chain_permission(client, client_for, stranger, links, name):
    url = reverse(f"chains:{name}", args=[links["vehicles"].pk])
    assert client.get(url).status_code == 302  # to the login page
    assert client_for(stranger).get(url).status_code == 403


@pytest.mark.parametrize("name", ["chain_targets", "chain_guide"])
def test_chain_pages_need_the_chain_permission(client, client_for, stranger, chain, name):
    url = reverse(f"chains:{name}", args=[chain.pk])
    assert client.get(url).status_code == 302
    assert client_for(stranger).get(url).status_code == 403


def test_filters_narrow_the_targets(client_for, officer_a, links, target):
    other = outside("北京某汽车有限公司", industry="36", region="110105")
    url = reverse("chains:link_targets", args=[links["vehicles"].pk])
    client = client_for(officer_a)
    text = client.get(url, {"tag": "行业龙头"}).content.decode()
    assert target.name in text
    assert other.name not in text
    text = client.get(url, {"region": "11"}).content.decode()
    assert other.name in text
    assert target.name not in text
    assert "没有找到符合条件的外地目标企业" in client.get(url, {"min_score": 99}).content.decode()


def test_the_export_holds_what_the_page_shows_and_is_audited(client_for, officer_a, links, target):
    url = reverse("chains:link_targets", args=[links["vehicles"].pk])
    response = client_for(officer_a).get(url, {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("环节", "企业名称", "统一社会信用代码")
    assert [row[1] for row in rows[1:]] == [target.name]
    assert rows[1][6] == 45  # 25 industry + 16 行业龙头 + 4 for 1,000 万元 capital
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__what="导出环节目标企业").exists()


# ---- target → lead ------------------------------------------------------------------------------------------


def test_anonymous_cannot_open_a_lead(client, links, target):
    response = _open(client, links["vehicles"], target)
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert not Project.objects.exists()


@pytest.mark.parametrize("persona", ["city_leader", "stranger"])
def test_a_user_without_the_pipeline_permission_cannot_open_a_lead(client_for, request, links, target, persona):
    response = _open(client_for(request.getfixturevalue(persona)), links["vehicles"], target)
    assert response.status_code == 403
    assert not Project.objects.exists()
    assert not LinkLead.objects.exists()


def test_an_officer_opens_a_lead_of_their_unit(client_for, officer_a, links, target):
    response = _open(client_for(officer_a), links["vehicles"], target)
    project = Project.objects.get()
    assert response["Location"] == reverse("investment:project_detail", args=[project.pk])
    assert project.unit == officer_a.unit
    assert LinkLead.objects.get().score == 45  # scored on the server, not taken from the form


def test_get_does_not_open_a_lead(client_for, officer_a, links, target):
    url = reverse("chains:target_open", args=[links["vehicles"].pk])
    assert client_for(officer_a).get(url, {"enterprise": target.pk}).status_code == 405
    assert not Project.objects.exists()


def test_a_local_enterprise_is_not_found_as_a_target(client_for, officer_a, links):
    local = make_enterprise("示范本地汽车有限公司", industry="36")
    assert _open(client_for(officer_a), links["vehicles"], local).status_code == 404
    assert not Project.objects.exists()


def test_opening_a_target_another_unit_holds_says_it_went_to_coordination(
    client_for, officer_a, officer_b, links, target
):
    register_lead(enterprise=target, unit=officer_b.unit, by=officer_b, name="先报项目", channel="professional")
    response = _open(client_for(officer_a), links["vehicles"], target)
    followed = client_for(officer_a).get(response["Location"])
    assert "该企业已由西城区认领，已转协调" in followed.content.decode()


def test_opening_the_same_target_twice_shows_why_it_is_refused(client_for, officer_a, links, target):
    client = client_for(officer_a)
    _open(client, links["vehicles"], target)
    response = _open(client, links["vehicles"], target)
    assert response["Location"] == reverse("chains:link_targets", args=[links["vehicles"].pk])
    assert "不能重复转线索" in client.get(response["Location"]).content.decode()
    assert Project.objects.count() == 1


# ---- the chain's targets and a link's leads -------------------------------------------------------------------


def test_chain_targets_lists_each_gap_with_its_targets(client_for, city_leader, chain, links, target):
    for name in ("甲", "乙"):
        place(links["vehicles"], make_enterprise(f"本地{name}汽车有限公司", industry="36"))
    text = client_for(city_leader).get(reverse("chains:chain_targets", args=[chain.pk])).content.decode()
    assert text.count('data-testid="gap-link"') == 4  # 整车制造 is covered
    assert "补链" in text
    assert "延链" in text


def test_link_leads_show_who_works_the_link(client_for, officer_a, officer_b, links, target):
    placed = make_enterprise("本地整车有限公司", industry="36")
    place(links["vehicles"], placed)
    register_lead(enterprise=placed, unit=officer_b.unit, by=officer_b, name="西城扩产项目", channel="business")
    client_for(officer_a)
    _open(client_for(officer_a), links["vehicles"], target)
    response = client_for(officer_a).get(reverse("chains:link_leads", args=[links["vehicles"].pk]))
    text = response.content.decode()
    assert "西城扩产项目" in text
    assert "深圳锐能汽车有限公司 整车制造项目" in text
    own = Project.objects.get(unit=officer_a.unit)
    assert reverse("investment:project_detail", args=[own.pk]) in text
    foreign = Project.objects.get(unit=officer_b.unit)
    assert reverse("investment:project_detail", args=[foreign.pk]) not in text  # outside the scope: no link


def test_link_leads_query_count_is_flat(client_for, officer_a, links, count_queries):
    client = client_for(officer_a)
    url = reverse("chains:link_leads", args=[links["vehicles"].pk])

    def add(number: int) -> None:
        enterprise = make_enterprise(f"本地整车{number}号有限公司", industry="36")
        place(links["vehicles"], enterprise)
        register_lead(
            enterprise=enterprise, unit=officer_a.unit, by=officer_a, name=f"项目{number}", channel="business"
        )

    add(0)
    client.get(url)
    first = count_queries(lambda: client.get(url))
    for number in range(1, 6):
        add(number)
    assert count_queries(lambda: client.get(url)) == first
