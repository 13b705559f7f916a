from decimal import Decimal

import pytest

from apps.chains.models import Chain, Link, Placement, Segment
from apps.enterprises.models import Enterprise, Industry


@pytest.fixture
def chain(city):
    return Chain.objects.create(name="新能源汽车", weak_below=2)


@pytest.fixture
def links(chain):
    """battery (upstream) with its sub-link cells, motor (midstream), vehicles and charging (downstream)."""
    battery = Link.objects.create(chain=chain, segment=Segment.UPSTREAM, name="动力电池", industry_codes=["38"])
    cells = Link.objects.create(
        chain=chain, segment=Segment.UPSTREAM, parent=battery, name="电芯", keywords=["电芯", "锂离子电池"]
    )
    motor = Link.objects.create(chain=chain, segment=Segment.MIDSTREAM, name="驱动电机", keywords=["电机"])
    vehicles = Link.objects.create(chain=chain, segment=Segment.DOWNSTREAM, name="整车制造", industry_codes=["36"])
    charging = Link.objects.create(chain=chain, segment=Segment.DOWNSTREAM, name="充换电", keywords=["充电桩"])
    return {"battery": battery, "cells": cells, "motor": motor, "vehicles": vehicles, "charging": charging}


def make_enterprise(name: str, *, region: str = "990101", industry: str | None = None, scope: str = "", **fields):
    return Enterprise.objects.create(
        name=name,
        region_code=region,
        industry=Industry.objects.get(code=industry) if industry else None,
        business_scope=scope,
        registered_capital=fields.pop("capital", Decimal("1000")),
        **fields,
    )


def place(link, enterprise, *, status=Placement.Status.CONFIRMED, leader: bool = False) -> Placement:
    return Placement.objects.create(link=link, enterprise=enterprise, status=status, is_chain_leader=leader)
