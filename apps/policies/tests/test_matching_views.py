"""The matching pages: runs and their progress, an item's qualifying enterprises with case states in scope,
the export, the reasons on demand, the enterprise page's section, and their query counts."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.enterprises.models import Enterprise
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.policies.models import Fulfilment, MatchRun, PolicyMatch
from apps.policies.services.matching import qualifying_enterprises, run_matching

CAPITAL_1000 = {"all": [{"field": "registered_capital", "op": "gte", "value": "1000"}]}


@pytest.fixture
def rich_item(item):
    item.rule = CAPITAL_1000
    item.save()
    return item


@pytest.fixture
def matched(rich_item, enterprise):
    """The sample enterprise matched, with a paid case of 东城区工信局 (a county-A department)."""
    run_matching(MatchRun.objects.create())
    return Fulfilment.objects.create(number="ZC2026000001", item=rich_item, enterprise=enterprise, unit=rich_item.department,
                                     channel="window", state="paid")  # fmt: skip


@pytest.fixture
def hotline_agent(units, city):
    """Reads the registry (VIEW_POLICY) but no fulfilment case."""
    return UserFactory(username="hotline", name="热线坐席", unit=units["window"], roles=[roles.HOTLINE_AGENT])


def _more_enterprises(n: int) -> None:
    Enterprise.objects.bulk_create(
        Enterprise(name=f"示范市第{k}号装备有限公司", registered_capital=Decimal("5000"), founded_on=date(2019, 1, 1))
        for k in range(n)
    )


# ---- runs ---------------------------------------------------------------------------------------------


def test_run_list_is_empty_at_first_and_offers_the_start_to_the_policy_office(client_for, policy_officer, reviewer):
    page = client_for(policy_officer).get(reverse("policies:match_runs"))
    assert page.status_code == 200
    assert "还没有进行过政策匹配" in page.content.decode()
    assert reverse("policies:match_run_start") in page.content.decode()
    page = client_for(reviewer).get(reverse("policies:match_runs"))
    assert reverse("policies:match_run_start") not in page.content.decode()


def test_starting_a_run_from_the_page(client_for, policy_officer, rich_item, enterprise,
                                      django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(policy_officer).post(reverse("policies:match_run_start"))
    run = MatchRun.objects.get()
    assert response.url == reverse("policies:match_run_detail", args=[run.pk])
    page = client_for(policy_officer).get(response.url)
    assert "已完成" in page.content.decode()
    assert PolicyMatch.objects.filter(item=rich_item, enterprise=enterprise, current=True).exists()


def test_start_is_refused_without_the_permission_or_while_running(client_for, reviewer, policy_officer):
    assert client_for(reviewer).post(reverse("policies:match_run_start")).status_code == 403
    MatchRun.objects.create(status=MatchRun.Status.RUNNING)
    response = client_for(policy_officer).post(reverse("policies:match_run_start"), follow=True)
    assert "正在进行" in response.content.decode()
    assert MatchRun.objects.count() == 1


def test_progress_is_polled_while_running_and_stops_when_finished(client_for, reviewer):
    run = MatchRun.objects.create(status=MatchRun.Status.RUNNING, stage="match", items=4, processed=1)
    url = reverse("policies:match_run_progress", args=[run.pk])
    body = client_for(reviewer).get(url).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "逐条匹配政策条款" in body
    assert 'value="25"' in body
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.FINISHED)
    assert "hx-trigger" not in client_for(reviewer).get(url).content.decode()


def test_portal_users_do_not_see_runs(client_for, portal_user):
    assert client_for(portal_user).get(reverse("policies:match_runs")).status_code == 403


# ---- an item's qualifying enterprises ---------------------------------------------------------------------


def test_item_page_shows_case_states_only_in_scope(client_for, rich_item, matched, units, reviewer_a, reviewer_b):
    Fulfilment.objects.filter(pk=matched.pk).update(unit=units["industry_a"])
    url = reverse("policies:item_matches", args=[rich_item.pk])
    page_a = client_for(reviewer_a).get(url).content.decode()
    assert "示范市星火智能装备有限公司" in page_a
    assert 'data-testid="case-state">已兑付<' in page_a
    page_b = client_for(reviewer_b).get(url).content.decode()
    assert "示范市星火智能装备有限公司" in page_b  # enterprise names are public
    assert 'data-testid="case-state"' not in page_b
    assert "尚无兑现件" in page_b
    assert "示范市星火智能装备有限公司" not in client_for(reviewer_b).get(url, {"application": "paid"}).content.decode()
    assert "示范市星火智能装备有限公司" in client_for(reviewer_a).get(url, {"application": "paid"}).content.decode()


def test_export_follows_the_scope_of_case_states(client_for, rich_item, matched, units, reviewer_a, reviewer_b):
    Fulfilment.objects.filter(pk=matched.pk).update(unit=units["industry_a"])
    url = reverse("policies:item_matches", args=[rich_item.pk])

    def cells(user):
        response = client_for(user).get(url, {"export": "xlsx"})
        sheet = load_workbook(BytesIO(response.content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    rows_a, rows_b = cells(reviewer_a), cells(reviewer_b)
    assert rows_a[1][0] == rows_b[1][0] == "示范市星火智能装备有限公司"
    assert rows_a[1][-2:] == ["是", "已兑付"]
    assert rows_b[1][-2] == "否"
    assert rows_b[1][-1] in ("", None)


def test_search_filters_and_empty_state(client_for, rich_item, matched, reviewer):
    url = reverse("policies:item_matches", args=[rich_item.pk])
    assert "示范市星火" in client_for(reviewer).get(url, {"q": "91990100MA0000001X"}).content.decode()
    page = client_for(reviewer).get(url, {"q": "没有这家"}).content.decode()
    assert "没有符合筛选条件的企业" in page
    page = client_for(reviewer).get(url, {"application": "not_applied"}).content.decode()
    assert "示范市星火" not in page


def test_registry_readers_see_only_the_count(client_for, rich_item, matched, hotline_agent):
    page = client_for(hotline_agent).get(reverse("policies:item_matches", args=[rich_item.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="match-count">1<' in body
    assert "示范市星火智能装备有限公司" not in body
    explain = client_for(hotline_agent).get(reverse("policies:item_matches", args=[rich_item.pk]), {"explain": "1"})
    assert explain.status_code == 404


def test_reasons_on_demand(client_for, rich_item, matched, enterprise, reviewer):
    url = reverse("policies:item_matches", args=[rich_item.pk])
    body = client_for(reviewer).get(url, {"explain": enterprise.pk}).content.decode()
    assert "注册资本不低于 1,000 万元：符合（3,000 万元）" in body
    other = Enterprise.objects.create(name="不相干企业")
    assert client_for(reviewer).get(url, {"explain": other.pk}).status_code == 404
    assert client_for(reviewer).get(url, {"explain": "x"}).status_code == 404


def test_the_item_page_does_not_grow_with_the_matches(client_for, rich_item, matched, reviewer, count_queries):
    client = client_for(reviewer)
    url = reverse("policies:item_matches", args=[rich_item.pk])
    one = count_queries(lambda: client.get(url))
    _more_enterprises(8)
    run_matching(MatchRun.objects.create())
    for other in Enterprise.objects.exclude(pk=matched.enterprise_id)[:4]:
        Fulfilment.objects.create(number=f"ZC2026{other.pk:06d}", item=rich_item, enterprise=other,
                                  unit=rich_item.department, channel="online", state="submitted")  # fmt: skip
    assert PolicyMatch.objects.filter(item=rich_item, current=True).count() == 9
    assert count_queries(lambda: client.get(url)) == one
    assert count_queries(lambda: client.get(url, {"export": "xlsx"})) <= one + 2


def test_qualifying_enterprises_is_one_query(rich_item, matched, reviewer, count_queries):
    list(qualifying_enterprises(rich_item, reviewer))  # the user's permissions, read once
    one = count_queries(lambda: list(qualifying_enterprises(rich_item, reviewer)))
    _more_enterprises(6)
    run_matching(MatchRun.objects.create())
    rows = []
    assert count_queries(lambda: rows.extend(qualifying_enterprises(rich_item, reviewer))) == one == 1
    assert len(rows) == 7
    assert [row.latest_state for row in rows if row.enterprise_id == matched.enterprise_id] == ["paid"]


# ---- the enterprise's page ------------------------------------------------------------------------------


def test_enterprise_page_lists_the_items_it_may_enjoy(client_for, rich_item, enterprise, reviewer):
    body = client_for(reviewer).get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "可享受的惠企政策" in body
    assert "技术改造补助" in body
    assert reverse("policies:item_matches", args=[rich_item.pk]) in body
    assert "注册资本不低于 1,000 万元" in body


def test_enterprise_page_leaves_out_items_not_met(client_for, rich_item, enterprise, reviewer):
    Enterprise.objects.filter(pk=enterprise.pk).update(registered_capital=Decimal("100"))
    body = client_for(reviewer).get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "技术改造补助" not in body
