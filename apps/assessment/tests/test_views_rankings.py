"""The ranking pages: a snapshot's table with its links and corrections, the live standing, the leader's page."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.assessment.models import Snapshot
from apps.assessment.services.periods import period_of
from apps.assessment.services.snapshots import take_snapshot

pytestmark = pytest.mark.django_db

SEPTEMBER = period_of("month", date(2026, 9, 1))
OCTOBER = period_of("month", date(2026, 10, 1))


@pytest.fixture
def september(clock, scheme, ranked, keeper):
    ranked()
    return take_snapshot(scheme=scheme, period=SEPTEMBER, by=keeper)


def test_the_ranking_shows_scores_flags_and_links_to_the_records(client_for, september, keeper, county_a):
    response = client_for(keeper).get(reverse("assessment:snapshot_detail", args=[september.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    rows = page.split('data-testid="ranking-row"')[1:]
    assert [("东城区" in r, "西城区" in r, "南湖区" in r) for r in rows] == [
        (True, False, False), (False, True, False), (False, False, True),
    ]  # fmt: skip
    assert "84.00" in rows[0]
    assert "通报表扬" in rows[0]
    assert "约谈" in rows[2]
    drill = reverse("investment:kpi_drilldown", args=["signed"])
    assert f'href="{drill}?period=custom&amp;start=2026-01-01&amp;end=2026-09-30&amp;unit={county_a.pk}"' in rows[0]
    assert "与上期快照相比，源数据没有更正" in page


def test_the_ranking_exports_to_excel(client_for, september, keeper):
    response = client_for(keeper).get(reverse("assessment:snapshot_detail", args=[september.pk]), {"export": "xlsx"})

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "单位", "得分", "扣分")
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [(1, "东城区", 84), (2, "西城区", 60), (3, "南湖区", 52)]
    assert rows[3][-1] == "约谈"


def test_a_correction_is_listed_and_explained_by_the_keeper(client_for, september, scheme, enter, county_c, keeper):
    enter(scheme, "major_reserve", county_c, date(2026, 9, 30), 11)
    october = take_snapshot(scheme=scheme, period=OCTOBER)
    correction = october.corrections.get()
    url = reverse("assessment:snapshot_detail", args=[october.pk])
    client = client_for(keeper)

    assert 'name="reason"' in client.get(url).content.decode()
    client.post(
        reverse("assessment:correction_explain", args=[correction.pk]), {"reason": "南湖区补报储备项目，经核实更正"}
    )

    page = client.get(url).content.decode()
    assert "南湖区补报储备项目，经核实更正" in page
    assert 'name="reason"' not in page


def test_a_county_reads_the_ranking_it_is_in_but_cannot_take_one(client_for, september, scheme, county_keeper_a):
    client = client_for(county_keeper_a)
    assert client.get(reverse("assessment:snapshot_detail", args=[september.pk])).status_code == 200
    assert client.get(reverse("assessment:snapshot_take", args=[scheme.pk])).status_code == 403
    post = client.post(reverse("assessment:correction_explain", args=[1]), {"reason": "x"})
    assert post.status_code == 404


def test_the_keeper_takes_an_ended_periods_snapshot_from_the_page(client_for, clock, scheme, ranked, keeper):
    ranked()
    client = client_for(keeper)
    url = reverse("assessment:snapshot_take", args=[scheme.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"period": "month:2026-09-30"})

    assert "2026年10月" in page
    assert "2026年11月" not in page
    snapshot = Snapshot.objects.get(kind="month", ends_on=date(2026, 9, 30))
    assert response.url == reverse("assessment:snapshot_detail", args=[snapshot.pk])
    assert "month:2026-09-30" not in client.get(url).content.decode()


def test_the_standing_shows_who_is_behind_the_time_progress(client_for, clock, scheme, ranked, keeper):
    ranked()

    response = client_for(keeper).get(reverse("assessment:standing", args=[scheme.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "2026年11月9日" in page  # up to yesterday
    assert page.count('data-testid="progress-bar"') == 3
    # 签约项目数 has no signings: every county is red against 10.4 of 12 by 9 November
    behind = page.split('data-testid="behind"')[1].split("</div>")[0]
    assert "东城区" in behind
    assert "南湖区" in behind


def test_the_leader_page_shows_the_latest_ranking_and_the_standing(client_for, september, city_leader):
    response = client_for(city_leader).get(reverse("assessment:leader"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "2026年9月排名" in page
    assert page.count('data-testid="ranking-row"') == 3
    assert 'data-testid="progress-chart"' in page


def test_the_leader_page_without_schemes_says_so(client_for, clock, city_leader):
    page = client_for(city_leader).get(reverse("assessment:leader")).content.decode()

    assert "本年度没有您可查看的考核方案" in page


def test_the_ranking_takes_the_same_number_of_queries_for_3_and_6_units(
    client_for, clock, scheme, ranked, keeper, city, count_queries
):
    from decimal import Decimal

    from apps.assessment.models import Target
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    ranked()
    first = take_snapshot(scheme=scheme, period=period_of("month", date(2026, 8, 1)))
    client = client_for(keeper)
    three = count_queries(lambda: client.get(reverse("assessment:snapshot_detail", args=[first.pk])))
    for n in range(3):
        unit = make_unit(parent=city, name=f"新区{n}", kind=Unit.Kind.COUNTY, code=f"99019{n}")
        for item in scheme.items.all():
            Target.objects.create(item=item, unit=unit, value=Decimal(10))
    second = take_snapshot(scheme=scheme, period=SEPTEMBER)

    assert count_queries(lambda: client.get(reverse("assessment:snapshot_detail", args=[second.pk]))) == three
