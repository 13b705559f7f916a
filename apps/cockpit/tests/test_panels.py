"""The panels read the domains' own figures within the viewer's scope."""

from decimal import Decimal

import pytest
from django.utils import timezone

from apps.appeals.models import KpiScheme, MonthlySnapshot
from apps.appeals.models.statistics import Indicator, MonthlyFigure
from apps.appeals.services.statistics import previous_month
from apps.assessment.models import Metric, Scheme, SchemeItem, Target
from apps.cockpit.panels.appeals import appeals_panel
from apps.cockpit.panels.investment import investment_panel
from apps.cockpit.panels.maps import map_payload
from apps.cockpit.panels.pipeline import pipeline_panel, stage_counts
from apps.investment.models import PipelineSettings, Stage
from apps.org.models import Unit

pytestmark = pytest.mark.django_db


def _figure(panel, key):
    return next(figure for figure in panel.figures if figure.key == key)


def test_the_city_leader_gets_the_city_total_and_the_counties_ranked(projects, city_leader, county_a, county_b):
    panel = investment_panel(city_leader, timezone.localdate().year)
    assert _figure(panel, "signed").text == "2 个"
    assert _figure(panel, "contracted").text == "2.8 亿元"
    assert _figure(panel, "funds").text == "6,000 万元"
    assert _figure(panel, "started").text == "1 个"
    assert _figure(panel, "over_1yi").text == "1 个"
    assert [(area.unit, area.figures.contracted) for area in panel.areas] == [
        (county_a, Decimal(20000)),
        (county_b, Decimal(8000)),
    ]
    bars = panel.ranking_chart["series"][0]["data"]
    assert [bar["value"] for bar in bars] == [20000.0, 8000.0]
    assert f"unit={county_a.pk}" in bars[0]["url"]


def test_a_county_officer_sees_their_county_alone(projects, officer_a, county_a):
    panel = investment_panel(officer_a, timezone.localdate().year)
    assert _figure(panel, "contracted").text == "2 亿元"
    assert [area.unit for area in panel.areas] == [county_a]
    assert panel.ranking_chart["yAxis"]["data"] == ["东城区"]


def test_no_projects_give_zero_figures_and_an_empty_trend(officer_a):
    panel = investment_panel(officer_a, timezone.localdate().year)
    assert not panel.has_data
    assert _figure(panel, "signed").text == "0 个"
    assert _figure(panel, "signed").completion is None


def test_figures_are_set_against_the_assessment_targets_of_the_areas_shown(
    projects, city_leader, officer_a, city, county_a, county_b
):
    year = timezone.localdate().year
    scheme = Scheme.objects.create(year=year, group=Scheme.Group.COUNTY, name="考核", unit=city, created_by=city_leader)
    item = SchemeItem.objects.create(scheme=scheme, metric=Metric.objects.get(code="contracted"), weight=Decimal(20))
    Target.objects.create(item=item, unit=county_a, value=Decimal(40000))
    Target.objects.create(item=item, unit=county_b, value=Decimal(16000))
    city_figure = _figure(investment_panel(city_leader, year), "contracted")
    assert (city_figure.target_text, city_figure.completion) == ("56,000 万元", Decimal(28000) / Decimal(56000))
    county_figure = _figure(investment_panel(officer_a, year), "contracted")
    assert (county_figure.target_text, county_figure.completion_percent) == ("40,000 万元", "50.0%")


def test_the_funnel_counts_projects_in_progress_by_stage_with_their_list(projects, city_leader, officer_a):
    assert stage_counts(city_leader) == {Stage.STARTED: 1, Stage.SIGNED: 1}
    assert stage_counts(officer_a) == {Stage.STARTED: 1}
    panel = pipeline_panel(officer_a, timezone.localdate())
    started = next(point for point in panel.funnel_chart["series"][0]["data"] if point["name"] == "开工")
    assert started["value"] == 1
    assert "stage=started" in started["url"]


def test_major_projects_get_their_lights(projects, city_leader):
    settings = PipelineSettings.current()
    settings.major_threshold = Decimal(10000)
    settings.save()
    panel = pipeline_panel(city_leader, timezone.localdate())
    # the 2亿 project is major, under construction without last month's progress report: amber
    assert [(light.level, light.count) for light in panel.lights] == [("red", 0), ("amber", 1), ("green", 0)]
    assert "major=on" in panel.lights[1].url
    assert "level=amber" in panel.lights[1].url


def test_the_map_has_values_only_for_the_viewers_counties(projects, city_map, officer_a, county_a):
    today = timezone.localdate()
    payload = map_payload(city_map, investment_panel(officer_a, today.year), appeals_panel(officer_a, today))
    regions = {region["name"]: region["values"] for region in payload["regions"]}
    assert regions["东城区"]["contracted"]["value"] == 20000.0
    assert f"unit={county_a.pk}" in regions["东城区"]["contracted"]["url"]
    assert regions["西城区"] == {}
    assert [figure["key"] for figure in payload["figures"]][:2] == ["contracted", "funds"]


def _snapshot(figures: dict) -> MonthlySnapshot:
    """Last month's kept figures: unit → (satisfied, rated)."""
    month = previous_month(timezone.localdate())
    snapshot = MonthlySnapshot.objects.create(month=month, scheme=KpiScheme.objects.first(), computed_at=timezone.now())
    for unit, (numerator, denominator) in figures.items():
        MonthlyFigure.objects.create(
            snapshot=snapshot, unit=unit, indicator=Indicator.SATISFACTION,
            numerator=Decimal(numerator), denominator=denominator,
        )  # fmt: skip
    return snapshot


def test_appeals_rates_come_from_the_snapshot_within_the_viewers_subtree(city_leader, officer_a, county_a, county_b):
    town_a = Unit.objects.get(name="东城区东风街道")
    _snapshot({town_a: (8, 10), county_b: (5, 10)})
    today = timezone.localdate()
    city = appeals_panel(city_leader, today)
    satisfaction = next(rate for rate in city.rates if rate.label == "满意率")
    assert (satisfaction.rate, satisfaction.numerator, satisfaction.denominator) == (Decimal("65.00"), 13, 20)
    assert city.satisfaction_by_area == {county_a.pk: Decimal("80.00"), county_b.pk: Decimal("50.00")}
    county = appeals_panel(officer_a, today)
    assert next(rate for rate in county.rates if rate.label == "满意率").rate == Decimal("80.00")
    assert county.satisfaction_by_area == {county_a.pk: Decimal("80.00")}
    assert f"unit={county_a.pk}" in county.area_url(county_a.pk)


def test_without_a_snapshot_the_appeals_panel_has_no_rates(city_leader):
    panel = appeals_panel(city_leader, timezone.localdate())
    assert not panel.has_rates
    assert panel.hot_total == 0
