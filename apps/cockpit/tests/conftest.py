"""Cockpit fixtures: a signed project with funds in each of the two counties this year, and the city's map."""

import itertools
import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.cockpit.services import upload_region_map
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import Channel, FundRecord, Project, Stage
from apps.investment.services.kpi_rollup import rebuild_all

_serial = itertools.count(1)


def signed_project(unit, by, *, contracted: int, funds: int = 0, stage=Stage.SIGNED) -> Project:
    """A new project signed (and confirmed) on 1 January this year, with its funds in January."""
    serial = next(_serial)
    year = timezone.localdate().year
    project = Project.objects.create(
        code=f"JSC-{serial:04d}", name=f"驾驶舱测试项目{serial}", unit=unit, created_by=by,
        enterprise=make_enterprise(f"示范市驾驶舱测试第{serial}号科技有限公司"), channel=Channel.PROFESSIONAL,
        kind=Project.Kind.NEW, stage=stage, counted_stage=stage, signed_on=date(year, 1, 1),
        started_on=date(year, 1, 1) if stage != Stage.SIGNED else None,
        contracted_investment=Decimal(contracted), planned_investment=Decimal(contracted),
    )  # fmt: skip
    if funds:
        FundRecord.objects.create(
            project=project, month=date(year, 1, 1), amount=Decimal(funds), out_of_province=Decimal(0),
            foreign=Decimal(0), fixed_asset=Decimal(0), entered_by=by,
        )  # fmt: skip
    return project


@pytest.fixture
def projects(county_a, county_b, officer_a, officer_b):
    made = {
        "a": signed_project(county_a, officer_a, contracted=20000, funds=5000, stage=Stage.STARTED),
        "b": signed_project(county_b, officer_b, contracted=8000, funds=1000),
    }
    rebuild_all()
    return made


def geojson(*names: str, geometry: str = "Polygon") -> bytes:
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    coordinates = [ring] if geometry == "Polygon" else [[ring]]
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": {"type": geometry, "coordinates": coordinates}}
        for name in names
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


@pytest.fixture
def city_map(city, county_a, county_b, system_admin):
    return upload_region_map(unit=city, name="示范市示意图", raw=geojson("东城区", "西城区"), by=system_admin)
