"""The appeals indicators on a small hand-computed fixture, the score, snapshots, scheme versions and pages.

October 2026, counted on 2026-11-05. 住建局 leads T1–T5 (T5 after 市场监管局 returned it), 市场监管局 leads T6;
T7 (merged) and T8 (dispatched in September) are outside the base.

| ticket | signed     | contacted  | replied    | follow-up            | note                       |
|--------|------------|------------|------------|----------------------|----------------------------|
| T1     | on time    | on time    | on time    | 解决, 5               |                            |
| T2     | late       | on time    | late       | 部分解决, 3           |                            |
| T3     | on time    | late       | — (due)    | —                    |                            |
| T4     | on time    | on time    | on time    | 解决, 2, redone once  | mediation: no satisfaction |
| T5     | on time    | — (not due)| — (not due)| —                    | returned by 市场监管局 first |
| T6     | — (not due)|            |            |                      | 市场监管局                  |

住建局: 签收 4/5, 响应 3/4, 按时办结 2/4, 解决 (1 + 0.5 + 1)/3, 满意 2/2 (level ≥ 3), 重办 1/3, 回退 0/5.
市场监管局: 回退 1/2 (T5's first dispatch and T6), nothing else due.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.appeals.models import Appeal, Assignment, Category, KpiScheme, MonthlySnapshot, TimeLimitPolicy
from apps.appeals.models.statistics import Indicator
from apps.appeals.services import statistics
from apps.appeals.services.hot_spots import hot_spots
from apps.appeals.tests.conftest import at
from apps.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db

AS_OF = at(2026, 11, 5, 10)
OCT = date(2026, 10, 1)


def _ticket(number, hotline, lead, *, dispatched, signed=None, contacted=None, replied=None, late=(), **fields):
    """A ticket dispatched at ``dispatched``: due dates two days on, or passed by ``late`` stage names."""
    due = {stage: dispatched + timedelta(days=2) for stage in ("sign_for", "contact", "reply")}
    for stage in late:
        due[stage] = dispatched + timedelta(hours=1)
    appeal = Appeal.objects.create(
        number=number, query_code="ABC234", channel="hotline", appeal_type="complaint",
        category=fields.pop("category", None) or Category.objects.get(code="010301"), title=number, content=number,
        unit=hotline, policy=TimeLimitPolicy.objects.filter(appeal_type="complaint").first(),
        created_at=dispatched, dispatched_at=dispatched, state=fields.pop("state", "handling"),
        sign_for_due=due["sign_for"], contact_due=due["contact"], reply_due=due["reply"], **fields,
    )  # fmt: skip
    moments = {"signed_at": signed, "contacted_at": contacted, "replied_at": replied}
    Assignment.objects.create(appeal=appeal, unit=lead, role="lead", created_at=dispatched, state="handling", **moments)
    return appeal


@pytest.fixture
def october(hotline, housing, market):
    day = at(2026, 10, 12, 9)
    soon = day + timedelta(minutes=30)
    mediation = Category.objects.get(code="0102")
    _ticket("T1", hotline, housing, dispatched=day, signed=soon, contacted=soon, replied=soon, solved="solved",
            satisfaction=5)  # fmt: skip
    _ticket("T2", hotline, housing, dispatched=day, signed=day + timedelta(hours=3), contacted=soon,
            replied=day + timedelta(hours=3), late=("sign_for", "reply"), solved="partly", satisfaction=3)  # fmt: skip
    _ticket("T3", hotline, housing, dispatched=day, signed=soon, contacted=day + timedelta(hours=3),
            late=("contact", "reply"))  # fmt: skip
    _ticket("T4", hotline, housing, dispatched=day, signed=soon, contacted=soon, replied=soon, solved="solved",
            satisfaction=2, redo_count=1, category=mediation)  # fmt: skip
    # T5: returned by 市场监管局, then led by 住建局; its contact and reply are due after the moment of counting
    t5 = _ticket("T5", hotline, housing, dispatched=at(2026, 10, 30, 9), signed=at(2026, 10, 30, 9, 30))
    Appeal.objects.filter(pk=t5.pk).update(contact_due=AS_OF + timedelta(days=1), reply_due=AS_OF + timedelta(days=9))
    Assignment.objects.create(appeal=t5, unit=market, role="lead", created_at=day, state="returned")
    t6 = _ticket("T6", hotline, market, dispatched=at(2026, 10, 31, 16))
    later = AS_OF + timedelta(hours=2)
    Appeal.objects.filter(pk=t6.pk).update(sign_for_due=later, contact_due=later, reply_due=later)
    master = Appeal.objects.get(number="T1")
    _ticket("T7", hotline, housing, dispatched=day, signed=soon, state="merged", merged_into=master)
    _ticket("T8", hotline, housing, dispatched=at(2026, 9, 30, 9), signed=at(2026, 9, 30, 9))


def _pairs(fractions):
    return {key: (fraction.numerator, fraction.denominator) for key, fraction in fractions.items()}


def test_the_hand_computed_month(october, housing, market):
    scheme = statistics.scheme_for(OCT)
    figures = statistics.count_figures(OCT, date(2026, 11, 1), scheme, as_of=AS_OF)
    assert _pairs(figures[housing.pk]) == {
        Indicator.SIGN_FOR_ON_TIME: (4, 5),
        Indicator.RESPONSE: (3, 4),
        Indicator.RESOLVED_ON_TIME: (2, 4),
        Indicator.RESOLUTION: (Decimal("2.5"), 3),
        Indicator.SATISFACTION: (2, 2),
        Indicator.RETURN: (0, 5),
        Indicator.REDO: (1, 3),
        Indicator.BAD_RATING_RECTIFICATION: (0, 0),
    }
    market_pairs = _pairs(figures[market.pk])
    assert market_pairs[Indicator.RETURN] == (1, 2)
    assert all(denominator == 0 for key, (_n, denominator) in market_pairs.items() if key != Indicator.RETURN)
    assert figures[housing.pk][Indicator.RESOLUTION].rate == Decimal("83.33")


def test_the_scheme_parameters_change_the_formulas(october, housing):
    scheme = statistics.scheme_for(OCT)
    scheme.satisfied_min_level, scheme.partly_solved_weight = 4, Decimal("0")
    figures = statistics.count_figures(OCT, date(2026, 11, 1), scheme, as_of=AS_OF)[housing.pk]
    assert _pairs(figures)[Indicator.SATISFACTION] == (1, 2)
    assert _pairs(figures)[Indicator.RESOLUTION] == (2, 3)


def test_the_score_weighs_the_rates_with_a_denominator():
    fractions = {
        Indicator.RESPONSE: statistics.Fraction(Decimal(3), 4),
        Indicator.RESOLUTION: statistics.Fraction(Decimal("2.5"), 3),
        Indicator.SATISFACTION: statistics.Fraction(Decimal(2), 2),
        Indicator.RETURN: statistics.Fraction(Decimal(1), 4),
    }
    shipped = {Indicator.RESPONSE: Decimal(30), Indicator.RESOLUTION: Decimal(35), Indicator.SATISFACTION: Decimal(35)}
    # (30 × 75 + 35 × 83.33 + 35 × 100) / 100
    assert statistics.score(fractions, shipped) == Decimal("86.67")
    # lower is better: 回退率 25% scores 75; an indicator without a denominator drops out of the weights
    weights = {Indicator.RETURN: Decimal(50), Indicator.SATISFACTION: Decimal(50), Indicator.REDO: Decimal(20)}
    assert statistics.score(fractions, weights) == Decimal("87.50")
    assert statistics.score({}, shipped) is None


def test_ranking_shares_ranks_and_puts_the_unscored_last(october, housing, market, hotline):
    figures = statistics.count_figures(OCT, date(2026, 11, 1), statistics.scheme_for(OCT), as_of=AS_OF)
    weights = statistics.weights_of(statistics.scheme_for(OCT))
    rows = statistics.ranking(figures, [hotline, housing, market], weights)
    assert [(row.unit, row.rank) for row in rows] == [(housing, 1), (market, None)]
    assert rows[0].score == Decimal("86.67")
    assert [cell.denominator for cell in rows[0].cells] == [5, 4, 4, 3, 2, 5, 3, 0]


def test_a_county_sums_its_units(city, county_a, county_b):
    from apps.org.models import Unit

    town = Unit.objects.get(code="990101001")
    figures = {
        town.pk: {Indicator.RESPONSE: statistics.Fraction(Decimal(1), 2)},
        county_a.pk: {Indicator.RESPONSE: statistics.Fraction(Decimal(3), 4)},
        county_b.pk: {Indicator.RESPONSE: statistics.Fraction(Decimal(0), 1)},
    }
    summed = statistics.summed(figures, [county_a, county_b, city])
    assert _pairs(summed[county_a.pk])[Indicator.RESPONSE] == (4, 6)
    assert _pairs(summed[city.pk])[Indicator.RESPONSE] == (4, 7)


def test_a_snapshot_keeps_the_month_as_it_was(october, housing, time_machine):
    time_machine.move_to(AS_OF)
    snapshot = statistics.take_snapshot(OCT)
    Appeal.objects.filter(number="T3").update(solved="solved")  # a later follow-up does not change the kept month
    kept = statistics.snapshot_figures(snapshot)
    assert _pairs(kept[housing.pk])[Indicator.RESOLUTION] == (Decimal("2.5"), 3)
    assert snapshot.scheme == statistics.scheme_for(OCT)


def test_an_unfinished_month_cannot_be_kept(time_machine):
    time_machine.move_to(at(2026, 10, 20))
    with pytest.raises(BusinessRuleError, match="尚未结束"):
        statistics.take_snapshot(OCT)


def test_the_scan_keeps_last_month_once(october, time_machine):
    time_machine.move_to(AS_OF)
    assert "已生成" in statistics.scan_snapshots()
    first = MonthlySnapshot.objects.get(month=OCT)
    assert "已存在" in statistics.scan_snapshots()
    assert MonthlySnapshot.objects.get(month=OCT).computed_at == first.computed_at


def test_a_new_scheme_version_ends_the_current_one():
    fields = {"name": "2027年口径", "valid_from": date(2027, 1, 1), "satisfied_min_level": 4}
    weights = {key: Decimal(0) for key in Indicator.values} | {Indicator.SATISFACTION: Decimal(100)}
    new = statistics.add_scheme(fields | {"partly_solved_weight": Decimal("0.5"), "note": ""}, weights)
    assert statistics.scheme_for(date(2026, 12, 31)).valid_to == date(2027, 1, 1)
    assert statistics.scheme_for(date(2027, 1, 1)) == new
    with pytest.raises(BusinessRuleError, match="晚于"):
        statistics.add_scheme(fields | {"valid_from": date(2026, 6, 1), "partly_solved_weight": 0, "note": ""}, weights)
    assert KpiScheme.objects.count() == 2


def test_hot_spots_by_category_month_and_area(october, housing, county_a):
    Appeal.objects.filter(number__in=["T1", "T2"]).update(area=county_a)
    analysis = hot_spots(Appeal.objects.all(), date(2026, 9, 1), date(2026, 10, 1))
    assert analysis.months == [date(2026, 9, 1), OCT]
    rows = {category.code: (counts, total) for category, counts, total in analysis.by_category}
    assert rows["01"] == ([1, 7], 8)
    assert dict(analysis.by_area) == {county_a.name: 2, "": 6}
    assert analysis.total == 8
    top = analysis.growth[0]
    assert (top.category.code, top.count, top.before, top.change) == ("010301", 7, 0, None)


# ---- pages ------------------------------------------------------------------------------------


def test_the_ranking_page_and_export(october, agent, client_for, time_machine):
    time_machine.move_to(AS_OF)
    client = client_for(agent)
    page = client.get("/appeals/statistics/?month=2026-10")
    assert page.status_code == 200
    html = page.content.decode()
    assert "市住房和城乡建设局" in html
    assert "86.67" in html
    assert "实时计算" in html
    export = client.get("/appeals/statistics/?month=2026-10&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_office_keeps_a_snapshot_a_handler_cannot(october, agent, housing_handler, client_for, time_machine):
    time_machine.move_to(AS_OF)
    assert client_for(housing_handler).post("/appeals/statistics/snapshot/", {"month": "2026-10"}).status_code == 403
    response = client_for(agent).post("/appeals/statistics/snapshot/", {"month": "2026-10"})
    assert response.status_code == 302
    assert MonthlySnapshot.objects.filter(month=OCT).exists()
    assert "已定版" in client_for(agent).get("/appeals/statistics/?month=2026-10").content.decode()


def test_a_handler_sees_only_its_own_unit(october, housing_handler, client_for, time_machine):
    time_machine.move_to(AS_OF)
    html = client_for(housing_handler).get("/appeals/statistics/?month=2026-10").content.decode()
    assert "市住房和城乡建设局" in html
    assert "市市场监督管理局" not in html


def test_the_ranking_page_reads_a_fixed_number_of_queries(
    october, agent, hotline, city, client_for, count_queries, time_machine
):
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    time_machine.move_to(AS_OF)
    client = client_for(agent)
    for grouping in ("unit", "area"):
        url = f"/appeals/statistics/?month=2026-10&grouping={grouping}"
        small = count_queries(lambda url=url: client.get(url))
        for number in range(6):
            unit = make_unit(
                parent=city, name=f"市第{number}局", kind=Unit.Kind.DEPARTMENT, code=f"9901{grouping}{number}"
            )
            _ticket(f"X{grouping}{number}", hotline, unit, dispatched=at(2026, 10, 13, 9), signed=at(2026, 10, 13, 9))
        assert count_queries(lambda url=url: client.get(url)) == small


def test_the_scheme_form_validates_and_adds_a_version(agent, housing_handler, client_for):
    assert client_for(housing_handler).get("/appeals/statistics/schemes/new/").status_code == 403
    client = client_for(agent)
    empty = {f"weight_{key}": "0" for key in Indicator.values}
    form = {"name": "2027年口径", "valid_from": "2027-01-01", "satisfied_min_level": "4", "partly_solved_weight": "0.5"}
    response = client.post("/appeals/statistics/schemes/new/", form | empty)
    assert "至少为一项指标设置大于0的权重" in response.content.decode()
    response = client.post("/appeals/statistics/schemes/new/", form | empty | {"weight_satisfaction": "100"})
    assert response.status_code == 302
    assert KpiScheme.objects.filter(name="2027年口径").exists()


def test_the_hot_spot_page(october, agent, client_for, time_machine):
    time_machine.move_to(AS_OF)
    response = client_for(agent).get("/appeals/hot-spots/?start=2026-09&end=2026-10")
    assert response.status_code == 200
    assert "道路破损" in response.content.decode()
    bad = client_for(agent).get("/appeals/hot-spots/?start=2026-10&end=2026-09")
    assert "起始月份不能晚于截止月份" in bad.content.decode()
