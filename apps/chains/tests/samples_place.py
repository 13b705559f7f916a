"""URL-walker samples of placement: a placement and a suggestion run are city-wide reference records (shared), the
marker in the placed enterprise's name and the run's stage."""

import itertools

from apps.chains.models import Chain, Link, Placement, PlacementRun, Segment
from apps.core.tests.samples import sample
from apps.enterprises.models import Enterprise
from apps.org.models import Unit

_numbers = itertools.count(1)


def _link(marker: str) -> Link:
    chain = Chain.objects.create(name=f"定位样本链{next(_numbers)}")
    return Link.objects.create(chain=chain, segment=Segment.UPSTREAM, name=f"定位样本环节{next(_numbers)}")


@sample(Placement, shared=True)
def make_placement_sample(unit: Unit, marker: str) -> Placement:
    enterprise = Enterprise.objects.create(name=marker, region_code=unit.code[:6])
    return Placement.objects.create(link=_link(marker), enterprise=enterprise, reasons=[marker])


@sample(PlacementRun, shared=True)
def make_placement_run_sample(unit: Unit, marker: str) -> PlacementRun:
    return PlacementRun.objects.create(chain=_link(marker).chain, status="finished", stage=marker)
