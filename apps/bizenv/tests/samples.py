"""URL-walker samples: the indicator system is city-wide reference data, so its records are shared —
every user holding the read permission sees them. The marker is the version's or the indicator's name."""

import itertools

from apps.bizenv.models import Indicator, Methodology
from apps.core.tests.samples import sample
from apps.org.models import Unit

_codes = itertools.count(1)


@sample(Methodology, shared=True)
def make_methodology_sample(unit: Unit, marker: str) -> Methodology:
    return Methodology.objects.create(code=f"W{next(_codes)}", name=marker)


@sample(Indicator, shared=True)
def make_indicator_sample(unit: Unit, marker: str) -> Indicator:
    methodology = make_methodology_sample(unit, marker)
    return Indicator.objects.create(methodology=methodology, level=1, code="01", name=marker, lead_unit=unit)
