"""A synthetic enterprise registry for the matching benchmarks, with known duplicates.

Names are built like the demo's (yingshang/demo/company_names.py: 行政区划 + 字号 + 行业 + 组织形式)
from a much larger space: any of the 3,511 divisions of apps/enterprises/data/regions.tsv, 字号 of
the demo or of two to four characters drawn from the 3,755 characters of GB 2312 level 1 (the
commonest Hanzi), the demo's 行业 words and organisation forms. Every name is unique.

Ground truth: a share of the records (``twin_share``) get a twin — the same enterprise typed again
(region dropped or changed, organisation form swapped, brackets and spaces, the short form
字号 + 行业, one character mistyped) and without the USCC. Branches (X有限公司深圳分公司) are
generated too: they belong to their parent's group and are *not* duplicates of it.

A core (字号 + 行业) is used by at most one base record per province, and a core written without a
region by one record only: two base records are then never a plausible duplicate of each other
(深圳华锐科技 and 深圳市华锐科技, or 广东华锐科技 and 深圳市华锐科技, would be).

Pure Python and seeded: the same size and seed give the same records. No database.
"""

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from apps.enterprises.matching.regions import short_form
from yingshang.demo.company_names import (
    COOPERATIVE,
    FORM_SWAPS,
    INDUSTRY_WORDS,
    LEGAL_FORMS,
    PARTNERSHIP,
    trade_names,
    unique_uscc,
)

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "apps" / "enterprises" / "data" / "regions.tsv"
SZSE_LIST = ROOT.parent / "shared" / "data" / "szse-a-share-list.xlsx"
IGNORED = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

WITHOUT_REGION = 0.12
WITH_INDUSTRY = 0.92
WITH_USCC = 0.9
BRANCH_SHARE = 0.02
BRACKETED_REGION = 0.04
#: how twins are typed, with weights
TWIN_KINDS = (
    ("region_dropped", 3),
    ("region_changed", 2),
    ("form_swapped", 3),
    ("width", 3),
    ("short_form", 2),
    ("typo", 1),
)


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    #: every way a name registered there may begin (深圳市, 深圳, 广东省深圳市), with weights
    prefixes: tuple[str, ...]
    weights: tuple[int, ...]
    short: str


@dataclass(frozen=True, slots=True)
class SyntheticRecord:
    id: int
    name: str
    uscc: str
    region_code: str
    #: "base", "branch", "szse", or how the twin was typed (TWIN_KINDS)
    kind: str
    #: id of the record this one duplicates (twins) or belongs to (branches); 0 for none
    of: int = 0
    prefix: str = ""
    trade: str = ""
    industry: str = ""
    form: str = ""


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    #: ids of the records the query names (a record and its twin are one enterprise)
    truth: frozenset[int]
    kind: str


@cache
def common_hanzi() -> str:
    """The 3,755 characters of GB 2312 level 1 (一级汉字), in their (pinyin) order."""
    characters = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            if high == 0xD7 and low > 0xF9:
                break
            characters.append(bytes([high, low]).decode("gb2312"))
    return "".join(characters)


@cache
def divisions() -> tuple[Division, ...]:
    """Every division of regions.tsv with the prefixes names registered there begin with."""
    with REGIONS.open(encoding="utf-8") as rows:
        names = {row["code"]: row["name"] for row in csv.DictReader(rows, delimiter="\t")}
    found = []
    for code, name in names.items():
        if name in IGNORED:
            continue
        short = short_form(name)
        if not code.endswith("00"):  # a county: mostly its full name, or after its city (深圳市南山区)
            city = names.get(code[:4] + "00", "")
            city = city if city and city not in IGNORED else names.get(code[:2] + "0000", "")
            options = ((name, 45), (city + name, 35), (short, 20))
        elif not code.endswith("0000"):  # a city: 深圳市, 深圳, 广东省深圳市
            options = ((name, 40), (short, 40), (names.get(code[:2] + "0000", "") + name, 20))
        else:
            options = ((name, 50), (short, 50))
        options = tuple((prefix, weight) for prefix, weight in options if prefix)
        prefixes, weights = zip(*options, strict=True)
        found.append(Division(code, prefixes, weights, short or name))
    return tuple(found)


class Generator:
    """Draws names, each unique, and keeps the cores taken in each province and those taken without a region."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:synthetic")
        self.names: set[str] = set()
        self.usccs: set[str] = set()
        self.regionless_cores: set[str] = set()
        #: core → provinces (first two digits of the region code) a base record uses it in
        self.cores: dict[str, set[str]] = {}
        self.trades = trade_names()
        self.hanzi = common_hanzi()
        self.divisions = divisions()
        self.industries = [i.word for i in INDUSTRY_WORDS]
        self.industry_weights = [i.weight for i in INDUSTRY_WORDS]
        self.forms = [f for f, _w in LEGAL_FORMS] + [PARTNERSHIP, COOPERATIVE]
        self.form_weights = [w for _f, w in LEGAL_FORMS] + [1, 1]

    def trade(self) -> str:
        """A demo 字号 (45%) or two to four common characters."""
        if self.rng.random() < 0.45:
            return self.rng.choice(self.trades)
        length = self.rng.choices((2, 3, 4), weights=(55, 35, 10))[0]
        return "".join(self.rng.choices(self.hanzi, k=length))

    def record(self, record_id: int) -> SyntheticRecord:
        """A new base record with a unique name."""
        while True:
            division = self.rng.choice(self.divisions)
            prefix = (
                "" if self.rng.random() < WITHOUT_REGION else self.rng.choices(division.prefixes, division.weights)[0]
            )
            trade = self.trade()
            industry = (
                self.rng.choices(self.industries, self.industry_weights)[0] if self.rng.random() < WITH_INDUSTRY else ""
            )
            form = self.rng.choices(self.forms, self.form_weights)[0]
            core, province = trade + industry, division.code[:2]
            if (
                core in self.regionless_cores
                or not prefix
                and core in self.cores
                or province in self.cores.get(core, ())
            ):
                continue
            if prefix and division.code.endswith("00") and self.rng.random() < BRACKETED_REGION:  # 华为技术（深圳）
                name = f"{core}（{division.short}）{form}"
            else:
                name = prefix + core + form
            if name in self.names:
                continue
            self.names.add(name)
            self.cores.setdefault(core, set()).add(province)
            if not prefix:
                self.regionless_cores.add(core)
            uscc = self.uscc(division.code, form) if self.rng.random() < WITH_USCC else ""
            return SyntheticRecord(record_id, name, uscc, division.code, "base", 0, prefix, trade, industry, form)

    def uscc(self, region_code: str, form: str) -> str:
        category = "3" if form == COOPERATIVE else "1"
        return unique_uscc(self.rng, self.usccs, region_code, category=category, new_style=self.rng.random() < 0.6)

    def branch(self, record_id: int, parent: SyntheticRecord) -> SyntheticRecord | None:
        """A branch of ``parent`` in another city: its full name and 分公司."""
        division = self.rng.choice(self.divisions)
        name = f"{parent.name}{division.short}分公司"
        if name in self.names or parent.form in (COOPERATIVE, PARTNERSHIP):
            return None
        self.names.add(name)
        uscc = self.uscc(division.code, "") if self.rng.random() < WITH_USCC else ""
        return SyntheticRecord(record_id, name, uscc, division.code, "branch", parent.id)

    def variant(self, record: SyntheticRecord, kind: str) -> str:
        """``record``'s name typed another way; "" when the kind does not apply or the name is taken."""
        core = record.trade + record.industry
        name = ""
        if kind == "region_dropped" and record.prefix:
            name = core + record.form
        elif kind == "region_changed":
            prefixes = [p for p in self._division(record).prefixes if p != record.prefix]
            name = self.rng.choice(prefixes) + core + record.form if prefixes else ""
        elif kind == "form_swapped" and record.form in FORM_SWAPS:
            name = self._written_prefix(record) + core + FORM_SWAPS[record.form]
        elif kind == "width":
            name = self._width(record)
        elif kind == "short_form" and record.industry:
            name = core
        elif kind == "typo" and len(record.trade) >= 2:
            position = self.rng.randrange(len(record.trade))
            trade = record.trade[:position] + self.rng.choice(self.hanzi) + record.trade[position + 1 :]
            name = self._written_prefix(record) + trade + record.industry + record.form
        if not name or name in self.names or name == record.name:
            return ""
        return name

    def _written_prefix(self, record: SyntheticRecord) -> str:
        return record.name[: len(record.prefix)] if record.name.startswith(record.prefix) else ""

    def _division(self, record: SyntheticRecord) -> Division:
        return _division_by_code()[record.region_code]

    def _width(self, record: SyntheticRecord) -> str:
        """Half-width brackets for full-width, or a space (half- or full-width) between the parts."""
        if "（" in record.name:
            return record.name.replace("（", "(").replace("）", ")")
        prefix = self._written_prefix(record)
        space = self.rng.choice((" ", "\u3000"))
        rest = record.name[len(prefix) :]
        return f"{prefix}{space}{rest}" if prefix else f"{rest[: -len(record.form)]}{space}{record.form}"

    def twin(self, record_id: int, record: SyntheticRecord) -> SyntheticRecord | None:
        """The record typed again by someone else, without its USCC."""
        kinds = [k for k, _w in TWIN_KINDS]
        kind = self.rng.choices(kinds, weights=[w for _k, w in TWIN_KINDS])[0]
        name = self.variant(record, kind)
        if not name:
            return None
        self.names.add(name)
        return SyntheticRecord(record_id, name, "", record.region_code, kind, record.id)


@cache
def _division_by_code() -> dict[str, Division]:
    return {division.code: division for division in divisions()}


def generate(
    size: int, *, seed: int = 20261122, twin_share: float = 0.02, extra: tuple[str, ...] = ()
) -> list[SyntheticRecord]:
    """``size`` records (ids 1…size): base records, ``twin_share`` of them twinned, 2% branches; ``extra`` names
    (the SZSE full names) are included as records of kind "szse" without USCC."""
    generator = Generator(seed)
    records: list[SyntheticRecord] = []
    for name in extra:
        if name not in generator.names:
            generator.names.add(name)
            records.append(SyntheticRecord(len(records) + 1, name, "", "", "szse"))
    while len(records) < size:
        record_id = len(records) + 1
        roll = generator.rng.random()
        made = None
        if roll < twin_share and len(records) > 100:
            made = generator.twin(record_id, _base_at_random(generator.rng, records))
        elif roll < twin_share + BRANCH_SHARE and len(records) > 100:
            made = generator.branch(record_id, _base_at_random(generator.rng, records))
        records.append(made or generator.record(record_id))
    return records


def _base_at_random(rng: random.Random, records: list[SyntheticRecord]) -> SyntheticRecord:
    while True:
        record = records[rng.randrange(len(records))]
        if record.kind == "base":
            return record


def twins_of(records: list[SyntheticRecord]) -> dict[int, set[int]]:
    """Record id → the ids that are the same enterprise (a record and its twins), for records that have twins."""
    same: dict[int, set[int]] = {}
    for record in records:
        if record.of and record.kind not in ("base", "branch", "szse"):
            group = same.setdefault(record.of, {record.of})
            group.add(record.id)
            same[record.id] = group
    return same


def truth_pairs(records: list[SyntheticRecord]) -> set[tuple[int, int]]:
    """(smaller id, larger id) of every two records that are one enterprise (a record and its twin, two twins)."""
    pairs = set()
    for group in {id(g): g for g in twins_of(records).values()}.values():
        ordered = sorted(group)
        pairs.update((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :])
    return pairs


QUERY_KINDS = ("region_dropped", "form_swapped", "width", "short_form")


def online_queries(records: list[SyntheticRecord], count: int, *, seed: int = 20261122) -> list[Query]:
    """``count`` names sampled from the base records and typed as staff type them, a quarter of each kind."""
    rng = random.Random(f"{seed}:queries")
    generator = Generator(seed)
    generator.rng = rng
    generator.names = {r.name for r in records}
    same = twins_of(records)
    queries: list[Query] = []
    bases = [r for r in records if r.kind == "base"]
    for index in range(count * 20):
        if len(queries) == count:
            break
        kind = QUERY_KINDS[index % len(QUERY_KINDS)]
        record = rng.choice(bases)
        text = generator.variant(record, kind)
        generator.names.discard(text)  # queries are not added to the registry
        if text:
            queries.append(Query(text, frozenset(same.get(record.id, {record.id})), kind))
    return queries


def szse_companies(path: Path = SZSE_LIST) -> list[dict[str, str]]:
    """The SZSE listing's rows (公司全称, A股简称, 省份, 城市, 所属行业 …) as dicts; [] when the file is absent."""
    if not path.exists():
        return []
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Workbook contains no default style"
        sheet = openpyxl.load_workbook(path).active
    rows: Iterator = sheet.iter_rows(values_only=True)
    headers = ["".join(str(h).split()) for h in next(rows)]
    return [dict(zip(headers, (str(v or "").strip() for v in row), strict=False)) for row in rows]
