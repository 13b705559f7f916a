"""Batch duplicate detection over a whole registry: blocking, the same comparer as online, union-find.

1. Every name of every enterprise is parsed once and put into blocks by keys that a duplicate
   shares: its core (字号 + 行业), its distinctive 字号, its USCC.
2. Pairs are drawn inside each block; a block larger than ``max_block`` (a common core such as
   建筑工程) is sorted by name and only neighbours within ``window`` are paired.
3. Each pair of enterprises is compared with ``compare_parsed`` (best over their names).
4. "Same" pairs are joined with union-find, never putting two different valid USCCs into one
   cluster; "group" pairs are reported beside the clusters for a person to link, not merge — but
   only on structural evidence (a branch of the other, a 集团 parent, a regional subsidiary's
   bracketed region): a shared 字号 alone is worth a warning when one enterprise is typed in, not a
   review item in a scan, where it would flood the queue (a million random 字号 share thousands).

The whole run is plain Python over in-memory lists: 1,000,000 enterprises take a few minutes on
two cores (bench/bench_matching.py prints the figures; docs/performance.md records them).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from apps.enterprises.matching.compare import Comparison, Verdict, compare_parsed, through_alias
from apps.enterprises.matching.normalize import ParsedName, parse_name
from apps.enterprises.matching.regions import is_within, most_specific

MAX_BLOCK = 60
WINDOW = 8
#: a group pair from a scan needs more than a shared 字号 (0.65–0.7): a branch (0.9), a 集团 parent (0.8)
BATCH_GROUP_THRESHOLD = 0.75


@dataclass(frozen=True)
class Record:
    id: int
    #: the enterprise's name first, then its other names (short, former …)
    names: tuple[str, ...]
    uscc: str = ""


@dataclass(frozen=True)
class Pair:
    first: int
    second: int
    comparison: Comparison


@dataclass
class ClusterResult:
    pairs: list[Pair] = field(default_factory=list)
    #: enterprise ids that are one enterprise, each cluster sorted, clusters of two or more
    clusters: list[list[int]] = field(default_factory=list)
    compared: int = 0


def block_keys(parsed: ParsedName) -> set[str]:
    """The keys under which a name meets its likely duplicates."""
    keys = set()
    if len(parsed.core) >= 2:
        keys.add("c:" + parsed.core)
    if len(parsed.trade_name) >= 2 and not parsed.trade_is_common:
        keys.add("t:" + parsed.trade_name)
    if parsed.is_branch:
        keys.add("b:" + parse_name(parsed.base).core)
    return keys


def cluster_records(
    records: Iterable[Record],
    *,
    max_block: int = MAX_BLOCK,
    window: int = WINDOW,
    group_threshold: float = BATCH_GROUP_THRESHOLD,
    progress: Callable[[str, int, int], None] | None = None,
) -> ClusterResult:
    """Duplicates among the records: the pairs worth a person's look and the clusters of one enterprise."""
    mentions, blocks = _block(records)
    candidates = _candidate_pairs(mentions, blocks, max_block, window)
    result = ClusterResult()
    best: dict[tuple[int, int], Pair] = {}
    total = len(candidates)
    for done, (i, j) in enumerate(candidates, start=1):
        (first, a, first_uscc, a_primary), (second, b, second_uscc, b_primary) = mentions[i], mentions[j]
        comparison = compare_parsed(a, b, first_uscc=first_uscc, second_uscc=second_uscc)
        if not a_primary:
            comparison = through_alias(comparison, name=b, alias=a)
        if not b_primary:
            comparison = through_alias(comparison, name=a, alias=b)
        result.compared += 1
        if comparison.verdict == Verdict.DIFFERENT or (
            comparison.verdict == Verdict.GROUP and comparison.group_score < group_threshold
        ):
            continue
        key = (min(first, second), max(first, second))
        known = best.get(key)
        if known is None or _rank(comparison) > _rank(known.comparison):
            best[key] = Pair(key[0], key[1], comparison)
        if progress and done % 50000 == 0:
            progress("compare", done, total)
    result.pairs = sorted(
        best.values(), key=lambda p: (-_rank(p.comparison)[0], -p.comparison.score, p.first, p.second)
    )
    uscc_of = {record_id: code for record_id, _parsed, code, _primary in mentions if code}
    regions_of: dict[int, set[str]] = defaultdict(set)
    for record_id, parsed, _code, _primary in mentions:
        regions_of[record_id].update(most_specific(parsed.regions))
    result.clusters = _clusters(result.pairs, uscc_of, regions_of)
    return result


def _rank(comparison: Comparison) -> tuple[int, float]:
    return (2 if comparison.verdict == Verdict.SAME else 1), comparison.score


Mention = tuple[int, ParsedName, str, bool]  # record id, a name parsed, the USCC, whether it is the record's name


def _block(records: Iterable[Record]) -> tuple[list[Mention], dict[str, list[int]]]:
    mentions: list[Mention] = []
    blocks: dict[str, list[int]] = defaultdict(list)
    for record in records:
        if record.uscc:
            blocks["u:" + record.uscc].append(len(mentions))
        for position, name in enumerate(dict.fromkeys(record.names)):
            parsed = parse_name(name)
            index = len(mentions)
            mentions.append((record.id, parsed, record.uscc, position == 0))
            for key in block_keys(parsed):
                blocks[key].append(index)
    return mentions, blocks


def _candidate_pairs(mentions, blocks: dict[str, list[int]], max_block: int, window: int) -> list[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= max_block:
            neighbours = ((a, b) for n, a in enumerate(members) for b in members[n + 1 :])
        else:
            ordered = sorted(members, key=lambda m: mentions[m][1].clean)
            neighbours = ((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 : n + 1 + window])
        for a, b in neighbours:
            if mentions[a][0] != mentions[b][0]:
                pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def _clusters(pairs: list[Pair], uscc_of: dict[int, str], regions_of: dict[int, set[str]]) -> list[list[int]]:
    """Union-find over the "same" pairs that never joins two USCCs or two regions that do not nest.

    A name without a region is the same as a namesake in 高台县 and one in 铁岭市; joining both would
    make the two namesakes one enterprise, so the second union is refused.
    """
    sets = DisjointSets()
    codes: dict[int, set[str]] = {}
    regions: dict[int, set[str]] = {}
    for pair in pairs:
        if pair.comparison.verdict != Verdict.SAME:
            continue
        a, b = sets.find(pair.first), sets.find(pair.second)
        if a == b:
            continue
        mine = codes.get(a, {uscc_of[a]} if a in uscc_of else set())
        theirs = codes.get(b, {uscc_of[b]} if b in uscc_of else set())
        if mine and theirs and mine != theirs:
            continue  # two legal entities: never one cluster
        here, there = regions.get(a, regions_of.get(a, set())), regions.get(b, regions_of.get(b, set()))
        if any(not (is_within(x, y) or is_within(y, x)) for x in here for y in there):
            continue
        sets.join(b, a)
        codes[a] = mine | theirs
        regions[a] = here | there
    return [group for group in sets.groups() if len(group) > 1]


class DisjointSets:
    """Union-find over ids: which ids have been joined, directly or through others."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        """The representative of x's set (x itself when it was never joined)."""
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, x: int, y: int) -> int:
        """Put x's set into y's; returns the representative."""
        root = self.find(y)
        self.parent[self.find(x)] = root
        return root

    def groups(self) -> list[list[int]]:
        """Every set, each sorted, ordered by its smallest id."""
        members: dict[int, list[int]] = defaultdict(list)
        for node in list(self.parent):
            members[self.find(node)].append(node)
        return sorted((sorted(group) for group in members.values()), key=lambda g: g[0])
