"""Quality of the name comparer: the labelled pairs of bench/data/name_pairs.tsv and the SZSE listing.

Each evaluation runs ours (``compare_names`` at its default thresholds) and a plain baseline
beside it: rapidfuzz ``fuzz.ratio`` on the raw names, "same" at ≥ 90, "group" at ≥ 75, else
"different". Functions return table rows (tuples of strings) for bench_matching.py to print.
"""

import csv
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz

from apps.enterprises.matching.compare import compare_names

PAIRS = Path(__file__).resolve().parent / "data" / "name_pairs.tsv"
LABELS = ("same", "group", "different")
BASELINE_SAME, BASELINE_GROUP = 90, 75
HARD_NEGATIVE_SAMPLE = 5000


def ours(first: str, second: str) -> str:
    return compare_names(first, second).verdict.value


def baseline(first: str, second: str) -> str:
    """fuzz.ratio on the names as typed: ≥ 90 same, ≥ 75 group, else different."""
    score = fuzz.ratio(first, second)
    return "same" if score >= BASELINE_SAME else "group" if score >= BASELINE_GROUP else "different"


def read_pairs(path: Path = PAIRS) -> list[tuple[str, str, str, str]]:
    """(name_a, name_b, label, kind) rows, spaces kept (some pairs test them)."""
    with path.open(encoding="utf-8", newline="") as rows:
        reader = csv.reader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        return [(a, b, label, kind) for a, b, label, kind in reader]


def judge(pairs, method: Callable[[str, str], str]) -> tuple[list[str], float]:
    """The verdict of each pair and the microseconds per pair."""
    started = time.perf_counter()
    verdicts = [method(a, b) for a, b, *_rest in pairs]
    return verdicts, (time.perf_counter() - started) * 1e6 / max(len(pairs), 1)


def per_verdict(labels: list[str], verdicts: list[str]) -> dict[str, tuple[float, float, int, int]]:
    """label → (precision, recall, pairs labelled so, pairs judged so)."""
    scores = {}
    for label in LABELS:
        judged = sum(v == label for v in verdicts)
        actual = sum(x == label for x in labels)
        right = sum(v == x == label for v, x in zip(verdicts, labels, strict=True))
        scores[label] = (right / judged if judged else 0.0, right / actual if actual else 0.0, actual, judged)
    return scores


def labelled_set_tables(path: Path = PAIRS) -> dict[str, list[tuple[str, ...]]]:
    """Per-verdict precision/recall of both methods, confusion matrices and per-kind accuracy."""
    pairs = read_pairs(path)
    labels = [label for _a, _b, label, _k in pairs]
    results = {name: judge(pairs, method) for name, method in (("ours", ours), ("baseline", baseline))}
    verdict_rows = []
    for name, (verdicts, micros) in results.items():
        accuracy = sum(v == x for v, x in zip(verdicts, labels, strict=True)) / len(labels)
        for label, (precision, recall, actual, judged) in per_verdict(labels, verdicts).items():
            verdict_rows.append(
                (
                    name,
                    label,
                    str(actual),
                    str(judged),
                    f"{precision:.3f}",
                    f"{recall:.3f}",
                    f"{accuracy:.3f}",
                    f"{micros:.0f}",
                )
            )
    confusion_rows = []
    for name, (verdicts, _micros) in results.items():
        counts = Counter(zip(labels, verdicts, strict=True))
        for label in LABELS:
            confusion_rows.append((name, label, *(str(counts[(label, v)]) for v in LABELS)))
    kind_rows = []
    by_kind: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, (_a, _b, label, kind) in enumerate(pairs):
        by_kind[(label, kind)].append(index)
    for (label, kind), indices in sorted(by_kind.items()):
        right = [sum(results[n][0][i] == labels[i] for i in indices) / len(indices) for n in ("ours", "baseline")]
        kind_rows.append((label, kind, str(len(indices)), f"{right[0]:.3f}", f"{right[1]:.3f}"))
    return {"verdicts": verdict_rows, "confusion": confusion_rows, "kinds": kind_rows, "count": [(str(len(pairs)),)]}


def mistakes(path: Path = PAIRS, limit: int = 25) -> list[tuple[str, ...]]:
    """Pairs ours gets wrong, for reading: label, kind, verdict, names."""
    wrong = []
    for a, b, label, kind in read_pairs(path):
        verdict = ours(a, b)
        if verdict != label:
            wrong.append((label, kind, verdict, a.strip(), b.strip()))
    return wrong[:limit]


def szse_tables(companies: list[dict[str, str]], *, seed: int = 20261122) -> list[tuple[str, ...]]:
    """A股简称 ↔ 公司全称 recall of "same", and the false "same" rate on hard negatives built from the list."""
    rows = []
    positives = [(c["A股简称"], c["公司全称"]) for c in companies if c.get("A股简称") and c.get("公司全称")]
    rows += _rate_rows("简称 ↔ 全称（应为同一企业）", positives, "same")
    rng = random.Random(f"{seed}:szse")
    by_prefix = defaultdict(list)
    by_sector = defaultdict(list)
    for company in companies:
        by_prefix[company["A股简称"][:2]].append(company)
        by_sector[(company.get("省份", ""), company.get("所属行业", ""))].append(company)
    prefix_pairs = [(a, b) for group in by_prefix.values() for a, b in combinations(group, 2)]
    short_vs_full = [(a["A股简称"], b["公司全称"]) for a, b in prefix_pairs] + [
        (b["A股简称"], a["公司全称"]) for a, b in prefix_pairs
    ]
    full_vs_full = [(a["公司全称"], b["公司全称"]) for a, b in prefix_pairs]
    sector_pairs = [(a["公司全称"], b["公司全称"]) for group in by_sector.values() for a, b in combinations(group, 2)]
    sector_pairs = rng.sample(sector_pairs, min(HARD_NEGATIVE_SAMPLE, len(sector_pairs)))
    rows += _rate_rows("简称前两字相同：甲简称 ↔ 乙全称（不同企业）", short_vs_full, "same")
    rows += _rate_rows("简称前两字相同：甲全称 ↔ 乙全称（不同企业）", full_vs_full, "same")
    rows += _rate_rows("同省同行业：甲全称 ↔ 乙全称（抽样，不同企业）", sector_pairs, "same")
    return rows


def _rate_rows(label: str, pairs: list[tuple[str, str]], verdict: str) -> list[tuple[str, ...]]:
    """Share of ``pairs`` each method judges ``verdict`` (and, for ours, "group")."""
    rows = []
    for name, method in (("ours", ours), ("baseline", baseline)):
        verdicts = Counter(method(a, b) for a, b in pairs)
        share = verdicts[verdict] / max(len(pairs), 1)
        group = verdicts["group"] / max(len(pairs), 1)
        rows.append((label, name, str(len(pairs)), f"{share:.3f}", f"{group:.3f}"))
    return rows


def szse_misses(companies: list[dict[str, str]], limit: int = 20) -> list[tuple[str, ...]]:
    """SZSE short names ours does not judge the same as their full names."""
    missed = []
    for company in companies:
        comparison = compare_names(company["A股简称"], company["公司全称"])
        if comparison.verdict.value != "same":
            missed.append(
                (company["A股简称"], company["公司全称"], comparison.verdict.value, f"{comparison.score:.2f}")
            )
    return missed[:limit]
