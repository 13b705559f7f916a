"""URL-walker samples of the chain maps: chains and their links are city-wide reference records (shared), with
the marker in their names."""

from apps.chains.models import Chain, Link, Segment
from apps.core.tests.samples import sample
from apps.org.models import Unit


@sample(Chain, shared=True)
def make_chain_sample(unit: Unit, marker: str) -> Chain:
    return Chain.objects.create(name=marker)


@sample(Link, shared=True)
def make_link_sample(unit: Unit, marker: str) -> Link:
    chain = make_chain_sample(unit, f"{marker}链")
    return Link.objects.create(chain=chain, segment=Segment.UPSTREAM, name=marker, keywords=[marker])
