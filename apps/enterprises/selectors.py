"""Reads of the registry: matching a typed name against it, and search-as-you-type."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from apps.enterprises.index import candidate_ids
from apps.enterprises.matching.compare import Comparison, Reason, Verdict, compare_parsed, through_alias
from apps.enterprises.matching.normalize import clean_name, parse_name
from apps.enterprises.matching.reasons import describe
from apps.enterprises.models import Enterprise, EnterpriseName
from apps.enterprises.uscc import normalize_uscc

VERDICT_RANK = {Verdict.SAME: 2, Verdict.GROUP: 1, Verdict.DIFFERENT: 0}
USCC_PREFIX = re.compile(r"^[0-9A-Y]{4,18}$")
PINYIN_PREFIX = re.compile(r"^[a-z]{2,30}$")
MIN_SEARCH_LENGTH = 2


@dataclass(frozen=True)
class Match:
    enterprise: Enterprise
    comparison: Comparison
    #: the name of the enterprise the query matched best (its full name, a short or a former name)
    matched_name: str

    @property
    def verdict(self) -> Verdict:
        return self.comparison.verdict

    @property
    def score(self) -> float:
        return self.comparison.score

    @property
    def percent(self) -> int:
        return round(self.comparison.score * 100)

    @property
    def reasons(self) -> list[str]:
        return [
            describe(reason)
            for reason in self.comparison.reasons
            if reason.code != "similar" or self.verdict == Verdict.DIFFERENT
        ]

    @property
    def rank(self) -> tuple[int, float]:
        return _rank(self.comparison)


def registry_enterprises():
    """Enterprises with what a match or a search result shows: names, tags and the parent."""
    names = Prefetch("names", queryset=EnterpriseName.objects.order_by("id"))
    return Enterprise.objects.active().select_related("parent", "industry").prefetch_related(names, "tags")


def find_matches(
    name: str, *, uscc: str = "", limit: int = 10, exclude: Iterable[int] = (), with_different: bool = False
) -> list[Match]:
    """Registry enterprises most likely the same as (or of one group with) the named one, best first.

    Candidates are compared on their names alone (one query for all of them); only the best
    ``limit`` are then loaded whole for display.
    """
    query = parse_name(name)
    code = normalize_uscc(uscc)
    ids = {pk for pk, _weight in candidate_ids(name)} if query.clean else set()
    if query.clean:
        ids |= set(EnterpriseName.objects.filter(name_clean=query.clean).values_list("enterprise_id", flat=True))
    if code:
        ids |= set(Enterprise.objects.filter(uscc=code).values_list("id", flat=True))
    ids -= set(exclude)
    best: dict[int, tuple[Comparison, str]] = {}
    rows = EnterpriseName.objects.filter(enterprise_id__in=ids, enterprise__status=Enterprise.Status.ACTIVE)
    for pk, alias, kind, their_code in rows.values_list("enterprise_id", "name", "kind", "enterprise__uscc"):
        parsed = parse_name(alias)
        comparison = compare_parsed(query, parsed, first_uscc=code, second_uscc=their_code or "")
        if kind != EnterpriseName.Kind.FULL:
            comparison = through_alias(comparison, name=query, alias=parsed)
        if pk not in best or _rank(comparison) > _rank(best[pk][0]):
            best[pk] = (comparison, alias)
    ranked = sorted(best.items(), key=lambda item: _rank(item[1][0]), reverse=True)
    if not with_different:
        ranked = [item for item in ranked if item[1][0].verdict != Verdict.DIFFERENT]
    ranked = ranked[:limit]
    enterprises = registry_enterprises().in_bulk([pk for pk, _found in ranked])
    return [Match(enterprises[pk], comparison, alias) for pk, (comparison, alias) in ranked if pk in enterprises]


def _rank(comparison: Comparison) -> tuple[int, float]:
    return VERDICT_RANK[comparison.verdict], comparison.score


def search_enterprises(text: str, *, limit: int = 20) -> list[Match]:
    """Search as you type: by any part of a name, a short name, pinyin initials (hwjs) or a USCC prefix."""
    text = text.strip()
    if len(text) < MIN_SEARCH_LENGTH:
        return []
    code = normalize_uscc(text)
    if USCC_PREFIX.match(code) and any(ch.isdigit() for ch in code):
        return _by_uscc_prefix(code, limit)
    if PINYIN_PREFIX.match(text.lower()):
        found = _by_pinyin(text.lower(), limit)
        if found:
            return found
    return _by_name(text, limit)


def _by_uscc_prefix(code: str, limit: int) -> list[Match]:
    found = registry_enterprises().filter(uscc__gte=code, uscc__lt=code + "Z").order_by("uscc")[:limit]
    reason = (Reason("uscc_equal"),)
    return [Match(e, Comparison(Verdict.SAME, 1.0, 1.0, 1.0, reason), e.name) for e in found]


def _by_pinyin(initials: str, limit: int) -> list[Match]:
    rows = (
        EnterpriseName.objects.filter(
            pinyin_initials__gte=initials,
            pinyin_initials__lt=initials + "{",
            enterprise__status=Enterprise.Status.ACTIVE,
        )
        .order_by("pinyin_initials", "enterprise_id")
        .values_list("enterprise_id", "name", "pinyin_initials")[: limit * 3]
    )
    first: dict[int, tuple[str, str]] = {}
    for pk, name, found in rows:
        first.setdefault(pk, (name, found))
    enterprises = registry_enterprises().in_bulk(list(first)[:limit])
    matches = []
    for pk, (name, found) in first.items():
        if pk in enterprises:
            score = round(0.6 + 0.4 * len(initials) / max(len(found), 1), 3)
            reason = (Reason("same_pinyin", {"initials": found}),)
            matches.append(Match(enterprises[pk], Comparison(Verdict.DIFFERENT, score, score, 0.0, reason), name))
    return sorted(matches, key=lambda m: m.score, reverse=True)


def _by_name(text: str, limit: int) -> list[Match]:
    wanted = clean_name(text)
    matches = find_matches(text, limit=limit * 3, with_different=True)
    return sorted(matches, key=lambda m: (_contains(wanted, m), *m.rank), reverse=True)[:limit]


def _contains(wanted: str, match: Match) -> bool:
    """Whether the typed text appears as it is in one of the enterprise's names: those come first."""
    return any(wanted in alias.name_clean for alias in match.enterprise.names.all())
