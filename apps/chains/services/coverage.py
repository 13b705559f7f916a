"""A chain's local coverage: each link's strength and whether it is a gap (补链/延链) or weak (强链).

A link's strength counts the distinct local enterprises confirmed on it or on any of its sub-links, with their
chain leaders, last year's revenue where the enterprise reported it (万元) and the contracted investment of their
projects in the pipeline (万元, dropped projects and those excluded from statistics left out). A link with no local
enterprise is a gap: to fill (补链), or, downstream, to extend the chain (延链); one with fewer than its threshold
is weak (强链). Four queries per chain whatever its size.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.chains.locality import local_condition
from apps.chains.models import Chain, Link, Placement, Segment
from apps.enterprises.models import AnnualFigures
from apps.investment.models import Project


class LinkState(models.TextChoices):
    FILL = "fill", _("补链")
    EXTEND = "extend", _("延链")
    STRENGTHEN = "strengthen", _("强链")
    COVERED = "covered", _("已覆盖")


@dataclass
class LinkCoverage:
    link: Link
    depth: int
    enterprises: int = 0
    leaders: int = 0
    revenue: Decimal = Decimal(0)
    investment: Decimal = Decimal(0)
    enterprise_ids: set[int] = field(default_factory=set, repr=False)

    @property
    def state(self) -> str:
        if not self.enterprises:
            return LinkState.EXTEND if self.link.segment == Segment.DOWNSTREAM else LinkState.FILL
        if self.enterprises < self.link.threshold:
            return LinkState.STRENGTHEN
        return LinkState.COVERED

    @property
    def state_label(self) -> str:
        return LinkState(self.state).label

    @property
    def is_gap(self) -> bool:
        return self.state != LinkState.COVERED


def chain_coverage(chain: Chain, *, year: int | None = None, today: date | None = None) -> list[LinkCoverage]:
    """Every link of the chain in map order (segment, then parents before their sub-links), with its strength."""
    year = year or (today or timezone.localdate()).year - 1
    links = list(Link.objects.filter(chain=chain).select_related("chain"))
    ordered = _map_order(links)
    own: dict[int, set[int]] = defaultdict(set)
    leaders: dict[int, set[int]] = defaultdict(set)
    placed = Placement.objects.filter(link__chain=chain, status=Placement.Status.CONFIRMED).filter(
        local_condition(through="enterprise__")
    )
    for link_id, enterprise_id, is_leader in placed.values_list("link_id", "enterprise_id", "is_chain_leader"):
        own[link_id].add(enterprise_id)
        if is_leader:
            leaders[link_id].add(enterprise_id)
    everyone = set().union(*own.values()) if own else set()
    revenue = dict(
        AnnualFigures.objects.filter(enterprise_id__in=everyone, year=year, revenue__isnull=False).values_list(
            "enterprise_id", "revenue"
        )
    )
    investment = dict(
        Project.objects.filter(enterprise_id__in=everyone, excluded_from_statistics=False)
        .exclude(status=Project.Status.DROPPED)
        .values("enterprise_id")
        .annotate(total=Sum("contracted_investment"))
        .values_list("enterprise_id", "total")
    )
    children = defaultdict(list)
    for link in links:
        children[link.parent_id].append(link.pk)
    result = []
    for link, depth in ordered:
        ids = _with_descendants(link.pk, own, children)
        leader_ids = _with_descendants(link.pk, leaders, children)
        result.append(
            LinkCoverage(
                link=link,
                depth=depth,
                enterprises=len(ids),
                leaders=len(leader_ids),
                revenue=sum((revenue.get(pk) or Decimal(0) for pk in ids), Decimal(0)),
                investment=sum((investment.get(pk) or Decimal(0) for pk in ids), Decimal(0)),
                enterprise_ids=ids,
            )
        )
    return result


def gaps(chain: Chain, **options) -> list[LinkCoverage]:
    """The links to fill, extend or strengthen, in map order."""
    return [coverage for coverage in chain_coverage(chain, **options) if coverage.is_gap]


SEGMENT_ORDER = {segment: index for index, segment in enumerate(Segment.values)}


def _map_order(links: list[Link]) -> list[tuple[Link, int]]:
    """Top-level links by segment and order, each followed by its sub-links (depth first)."""
    by_parent: dict[int | None, list[Link]] = defaultdict(list)
    for link in links:
        by_parent[link.parent_id].append(link)
    for siblings in by_parent.values():
        siblings.sort(key=lambda link: (SEGMENT_ORDER[link.segment], link.order, link.pk))
    ordered: list[tuple[Link, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for link in by_parent.get(parent_id, []):
            ordered.append((link, depth))
            walk(link.pk, depth + 1)

    walk(None, 0)
    return ordered


def _with_descendants(link_id: int, sets: dict[int, set[int]], children: dict[int | None, list[int]]) -> set[int]:
    found = set(sets.get(link_id, ()))
    for child in children.get(link_id, ()):
        found |= _with_descendants(child, sets, children)
    return found


def state_counts(chains: Iterable[Chain]) -> dict[int, Counter]:
    """How many links of each chain are in each LinkState, for a list of chains: three queries however many."""
    chain_ids = [chain.pk for chain in chains]
    links = list(Link.objects.filter(chain_id__in=chain_ids).select_related("chain"))
    own: dict[int, set[int]] = defaultdict(set)
    placed = Placement.objects.filter(link__chain_id__in=chain_ids, status=Placement.Status.CONFIRMED).filter(
        local_condition(through="enterprise__")
    )
    for link_id, enterprise_id in placed.values_list("link_id", "enterprise_id"):
        own[link_id].add(enterprise_id)
    children = defaultdict(list)
    for link in links:
        children[link.parent_id].append(link.pk)
    counts: dict[int, Counter] = {pk: Counter() for pk in chain_ids}
    for link in links:
        enterprises = len(_with_descendants(link.pk, own, children))
        counts[link.chain_id][LinkCoverage(link=link, depth=0, enterprises=enterprises).state] += 1
    return counts
