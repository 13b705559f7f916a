"""The business-environment panel: the last published round's scores, as far as its disclosure allows."""

import pytest
from django.urls import reverse

from apps.bizenv.models import Result
from apps.bizenv.services import results, rounds
from apps.bizenv.tests.conftest import (  # noqa: F401 - fixtures
    bizenv_keeper,
    bureau,
    filled,
    make_round,
    market_bureau,
    market_lead,
    published,
)
from apps.cockpit.panels.bizenv import bizenv_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(filled, bizenv_keeper):  # noqa: F811
    rounds.close_round(round_=filled, by=bizenv_keeper)
    return results.publish_round(round_=filled, by=bizenv_keeper)


def test_no_published_round_gives_an_empty_panel(city_leader, filled):  # noqa: F811
    panel = bizenv_panel(city_leader)
    assert (panel.round, panel.count) == (None, 0)


def test_the_leader_sees_every_county_and_a_county_its_own(scored, city_leader, officer_a, county_a):
    panel = bizenv_panel(city_leader)
    assert panel.round == scored
    assert panel.count == 2
    own = Result.objects.get(round=scored, unit=county_a)
    county = bizenv_panel(officer_a)
    assert county.chart["yAxis"]["data"] == ["东城区"]
    assert county.chart["series"][0]["data"][0]["url"] == reverse("bizenv:result_unit", args=[own.pk])
