"""Two verdicts about a pair of names: the same enterprise, or another enterprise of the same group.

Every rule gives two scores between 0 and 1 — how strongly the names say "same legal entity" and
how strongly they say "same group" — and the reasons a person can check. The verdict applies the
thresholds: same when the first reaches ``same_threshold``, else group when the second reaches
``group_threshold``, else different. A valid USCC outranks the names: equal codes are one legal
entity whatever the names say, two different valid codes are never one.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz.distance import Indel

from apps.enterprises.matching.normalize import INDUSTRY_LONGEST, ParsedName, parse_name
from apps.enterprises.matching.regions import compatible, region_index
from apps.enterprises.matching.vocabulary import INDUSTRY_WORDS, REGION_ABBREVIATIONS

SAME_THRESHOLD = 0.8
GROUP_THRESHOLD = 0.6


class Verdict(StrEnum):
    SAME = "same"
    GROUP = "group"
    DIFFERENT = "different"


@dataclass(frozen=True)
class Reason:
    """Why the comparer thinks so: a code (see matching/reasons.py for the wording) and its details."""

    code: str
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    same: float
    group: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Comparison:
    verdict: Verdict
    score: float
    same_score: float
    group_score: float
    reasons: tuple[Reason, ...]


def compare_names(
    first: str,
    second: str,
    *,
    first_uscc: str = "",
    second_uscc: str = "",
    same_threshold: float = SAME_THRESHOLD,
    group_threshold: float = GROUP_THRESHOLD,
) -> Comparison:
    """Compare two names (and their USCCs when known; pass only valid, normalised codes)."""
    return compare_parsed(
        parse_name(first),
        parse_name(second),
        first_uscc=first_uscc,
        second_uscc=second_uscc,
        same_threshold=same_threshold,
        group_threshold=group_threshold,
    )


def compare_parsed(
    a: ParsedName,
    b: ParsedName,
    *,
    first_uscc: str = "",
    second_uscc: str = "",
    same_threshold: float = SAME_THRESHOLD,
    group_threshold: float = GROUP_THRESHOLD,
) -> Comparison:
    """As compare_names, for names already parsed."""
    if first_uscc and first_uscc == second_uscc:
        evidence = Evidence(1.0, 1.0, (Reason("uscc_equal"),))
    else:
        evidence = _by_name(a, b)
        if first_uscc and second_uscc:
            evidence = Evidence(
                min(evidence.same, 0.3),
                max(evidence.group, evidence.same * 0.9),
                (Reason("uscc_differs"), *evidence.reasons),
            )
    return _verdict(evidence, same_threshold, group_threshold)


def through_alias(comparison: Comparison, *, name: ParsedName, alias: ParsedName) -> Comparison:
    """A full name matched only through another enterprise's short alias says "group" at most.

    比亚迪 recorded as the short name of 比亚迪股份有限公司 reads as the short name of 示范比亚迪销售有限公司
    too; the group's member is not its parent. Callers compare the full names as well and keep the better.
    """
    if comparison.verdict != Verdict.SAME or not name.is_full or alias.is_full:
        return comparison
    group = min(comparison.same_score, GROUP_THRESHOLD + 0.1)
    return Comparison(
        Verdict.GROUP, group, min(comparison.same_score, SAME_THRESHOLD - 0.01), group, comparison.reasons
    )


def _verdict(evidence: Evidence, same_threshold: float, group_threshold: float) -> Comparison:
    if evidence.same >= same_threshold:
        verdict, score = Verdict.SAME, evidence.same
    elif evidence.group >= group_threshold:
        verdict, score = Verdict.GROUP, evidence.group
    else:
        verdict, score = Verdict.DIFFERENT, max(evidence.same, evidence.group)
    return Comparison(verdict, round(score, 3), round(evidence.same, 3), round(evidence.group, 3), evidence.reasons)


def _by_name(a: ParsedName, b: ParsedName) -> Evidence:
    if not a.clean or not b.clean:
        return Evidence(0.0, 0.0, ())
    if a.clean == b.clean:
        return Evidence(0.99, 0.99, (Reason("name_equal"),))
    if a.is_branch or b.is_branch:
        return _branches(a, b)
    return _enterprises(a, b)


def _branches(a: ParsedName, b: ParsedName) -> Evidence:
    parents = _enterprises(parse_name(a.base), parse_name(b.base))
    if parents.same < SAME_THRESHOLD:
        return Evidence(min(parents.same, 0.5), min(parents.group, 0.7), parents.reasons)
    if a.is_branch and b.is_branch:
        if _branch_key(a.branch) == _branch_key(b.branch):
            return Evidence(parents.same, parents.same, (*parents.reasons, Reason("same_branch")))
        return Evidence(0.2, 0.9, (Reason("sibling_branches", {"parent": a.base}),))
    branch, parent = (a, b) if a.is_branch else (b, a)
    return Evidence(0.2, 0.9, (Reason("branch_of", {"branch": branch.clean, "parent": parent.clean}),))


def _branch_key(branch: str) -> tuple[tuple[str, ...], str]:
    """上海分公司 and 上海市分公司 are one branch: the region's codes and the rest."""
    found = region_index().match_prefix(branch)
    if found is None or len(branch) == len(found[0]):
        return (), branch
    return found[1], branch[len(found[0]) :]


def _enterprises(a: ParsedName, b: ParsedName) -> Evidence:
    if a.core and a.core == b.core:
        return _same_core(a, b)
    if not (a.is_full and b.is_full):
        short, full = (a, b) if not a.is_full and (b.is_full or len(a.base) <= len(b.base)) else (b, a)
        abbreviation = _short_form(short, full)
        if abbreviation is not None:
            return abbreviation
    return _different_cores(a, b)


def _same_core(a: ParsedName, b: ParsedName) -> Evidence:
    """Same 字号 and 行业: one enterprise, unless the regions or the organisation forms say otherwise.

    The same core in two regions is most often two unrelated firms (明辉五金 in 杭州 and in 佛山),
    a weak signal below the default threshold, except in the form groups give their regional
    subsidiaries, the region after the 字号 (格力电器(合肥)有限公司). A group parent and a company of
    the same name (中国石油天然气集团 / 中国石油天然气股份) are a group: two enterprises may share a
    name with different organisation forms only when one invests in the other (企业名称登记管理规定
    实施办法 Art. 17). 有限公司 typed for 股份有限公司 is a common slip, so it only lowers the score —
    unless one name also carries its region after the 字号, the regional subsidiary's form
    (立讯精密工业(示范)有限公司 beside 立讯精密工业股份有限公司).
    """
    regions = compatible(a.regions, b.regions)
    reasons = [Reason("core_equal", {"core": a.core})]
    if regions is False:
        reasons.append(Reason("region_conflict", {"first": a.region_text, "second": b.region_text}))
        group = 0.7 if a.region_after_trade or b.region_after_trade else 0.55
        return Evidence(0.45, group, tuple(reasons))
    if a.is_full and b.is_full and a.is_group_parent != b.is_group_parent:
        reasons.append(Reason("legal_form_differs", {"first": a.legal_form, "second": b.legal_form}))
        return Evidence(0.5, 0.8, tuple(reasons))
    same = 0.95
    if regions is None and (a.regions or b.regions):
        reasons.append(Reason("region_missing"))
        same = 0.92
    if a.form_kind and b.form_kind and a.form_kind != b.form_kind:
        reasons.append(Reason("legal_form_differs", {"first": a.legal_form, "second": b.legal_form}))
        if a.region_after_trade != b.region_after_trade:
            return Evidence(0.5, 0.75, tuple(reasons))
        same -= 0.1
    return Evidence(same, same, tuple(reasons))


def _short_form(short: ParsedName, full: ParsedName) -> Evidence | None:
    """Evidence when ``short`` reads as a short name (简称) of ``full``: its characters, in order, draw on its 字号."""
    key = full.key
    target = full.base.replace("(", "").replace(")", "")
    text = short.base if short.region_text and short.region_text in target else short.core + short.legal_form
    reasons = []
    if text[:1] in REGION_ABBREVIATIONS and text[:1] not in target:
        expansions = REGION_ABBREVIATIONS[text[:1]]
        if full.region_text and not any(full.region_text.startswith(e) for e in expansions):
            return None
        reasons.append(Reason("region_abbreviation", {"abbreviation": text[0], "region": expansions[0]}))
        text = text[1:]
    start = target.find(key, len(full.region_text) if key != full.region_text + full.core else 0)
    if len(text) < 2 or start < 0:
        return None
    covered = _key_coverage(text, target, range(start, start + len(key)))
    if covered is None:
        return None
    coverage, contiguous = covered
    reasons.insert(0, Reason("short_name", {"short": short.clean, "full": full.clean}))
    if coverage < 0.5:
        same_trade = short.trade_name == full.trade_name and not full.trade_is_common
        return Evidence(0.5, 0.65 if same_trade else 0.3, tuple(reasons))
    same = 0.8 + 0.1 * coverage + (0.05 if contiguous else 0.0)
    regions = compatible(short.regions, full.regions)
    if regions is False:
        return Evidence(
            0.45, 0.6, (*reasons, Reason("region_conflict", {"first": short.region_text, "second": full.region_text}))
        )
    return Evidence(same, same, tuple(reasons))


def _key_coverage(text: str, target: str, key: range) -> tuple[float, bool] | None:
    """Align ``text`` as an ordered subsequence of ``target`` covering most of the key's characters.

    Returns (share of the key's characters matched, whether the matched key characters are one run),
    or None when ``text`` is not a subsequence of ``target`` or misses the key's first character.
    """
    # best[j]: (key characters matched, -gaps, positions) for text[:i] ending at target[j]
    best: list[tuple[int, int, tuple[int, ...]] | None] = [
        ((1 if j in key else 0), 0, (j,)) if ch == text[0] else None for j, ch in enumerate(target)
    ]
    for ch in text[1:]:
        following: list[tuple[int, int, tuple[int, ...]] | None] = [None] * len(target)
        running: tuple[int, int, tuple[int, ...]] | None = None
        for j, target_ch in enumerate(target):
            if running is not None and target_ch == ch:
                keys, gaps, positions = running
                gap = 0 if positions[-1] == j - 1 else 1
                following[j] = (keys + (1 if j in key else 0), gaps - gap, (*positions, j))
            if best[j] is not None and (running is None or best[j][:2] > running[:2]):
                running = best[j]
        best = following
    ends = [entry for entry in best if entry is not None]
    if not ends:
        return None
    keys, _gaps, positions = max(ends, key=lambda entry: entry[:2])
    if key.start not in positions:
        return None
    in_key = [p for p in positions if p in key]
    return keys / len(key), in_key == list(range(in_key[0], in_key[0] + len(in_key)))


def _different_cores(a: ParsedName, b: ParsedName) -> Evidence:
    similarity = Indel.normalized_similarity(a.core, b.core)
    reasons: list[Reason] = [Reason("similar", {"percent": round(similarity * 100)})]
    same = 0.55 * similarity
    group = 0.0
    trade = _shared_trade_name(a, b)
    if trade and (a.trade_is_common or b.trade_is_common):
        reasons.append(Reason("common_trade_name", {"trade": trade}))
    elif trade:
        reasons.append(Reason("same_trade_name", {"trade": trade}))
        group = 0.7 if a.trade_name == b.trade_name else 0.65
    return Evidence(same, group, tuple(reasons))


def _shared_trade_name(a: ParsedName, b: ParsedName) -> str:
    """The 字号 both names use: equal, or one's 字号 followed by an industry word in the other (美的 / 美的制冷设备)."""
    if a.trade_name == b.trade_name:
        return a.trade_name
    for one, other in ((a, b), (b, a)):
        trade = one.trade_name
        if len(trade) >= 2 and not one.trade_is_common and other.core.startswith(trade):
            rest = other.core[len(trade) :]
            if any(rest[:length] in INDUSTRY_WORDS for length in range(2, min(len(rest), INDUSTRY_LONGEST) + 1)):
                return trade
    return ""
