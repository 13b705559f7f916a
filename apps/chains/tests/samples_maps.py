"""Stand-in URL-walker samples for Chain and Link (H1 owns this file: on merge, keep H1's version)."""

import itertools

from apps.chains.models import Chain, Link, Segment
from apps.core.tests.samples import sample
from apps.org.models import Unit

_numbers = itertools.count(1)


@sample(Chain, shared=True)
def make_chain_sample(unit: Unit, marker: str) -> Chain:
    return Chain.objects.create(name=f"{marker}{next(_numbers)}")


@sample(Link, shared=True)
def make_link_sample(unit: Unit, marker: str) -> Link:
    return Link.objects.create(chain=make_chain_sample(unit, marker), segment=Segment.UPSTREAM, name=marker)
