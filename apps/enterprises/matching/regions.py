"""Administrative divisions as the normaliser sees them: names at the front of an enterprise name.

Each division is known by its full name (广东省, 深圳市, 南山区, 本溪满族自治县); provinces and cities
also by their short forms (广东, 深圳, 昆山). A district's or county's short form is not a region
here (南山铝业 is a 字号), nor is a city's short form that is a common 字号 (东方, 永安). After the
first region, only a region inside it may follow (广东省深圳市南山区), so 洛阳永安机械 keeps 永安.

Codes are GB/T 2260 six-digit codes; "000000" stands for the whole country (中国…). Besides the
national list, the deployment's own units (its city and counties, a county created after a
redistricting, the demo's fictional 示范市) are regions too: the app adds them as a local source.
"""

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from apps.enterprises.matching.vocabulary import COMMON_TRADE_NAMES, NATIONAL_PREFIXES

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.tsv"
NATIONAL = "000000"
#: province-level autonomous regions and SARs, whose short forms no suffix rule gives
SPECIAL_SHORT_FORMS = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
AUTONOMOUS = re.compile(r"^(..+?)(?:[^族]{1,5}族)+自治[州县旗]$")
SUFFIXES = ("自治州", "自治县", "自治旗", "地区", "省", "市", "区", "县", "盟", "旗")
IGNORED_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class RegionIndex:
    #: full or free-standing short name → codes (several: 朝阳区 is in 北京 and in 长春)
    names: dict[str, tuple[str, ...]]
    #: first character → the lengths of the names starting with it, longest first
    lengths: dict[str, tuple[int, ...]]

    def match_prefix(self, text: str, within: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]] | None:
        """The longest region name at the start of ``text`` (inside one of ``within`` when given) and its codes."""
        for length in self.lengths.get(text[:1], ()):
            head = text[:length]
            codes = self.names.get(head)
            if codes and within:
                codes = tuple(c for c in codes if any(_nested(c, outer) for outer in within))
            if codes:
                return head, codes
        return None


def _nested(code: str, outer: str) -> bool:
    """A region that may follow ``outer`` in a name: inside it, or a province or city after 中国."""
    if outer == NATIONAL:
        return level(code) in (1, 2)
    return code != outer and is_within(code, outer)


def level(code: str) -> int:
    """1 province, 2 prefecture, 3 county; 0 for the whole country."""
    if code == NATIONAL:
        return 0
    if code.endswith("0000"):
        return 1
    return 2 if code.endswith("00") else 3


def is_within(code: str, ancestor: str) -> bool:
    """True when ``code`` is ``ancestor`` or lies inside it (深圳 440300 is within 广东 440000)."""
    if ancestor == NATIONAL or code == ancestor:
        return True
    depth = level(ancestor)
    return depth in (1, 2) and code[: depth * 2] == ancestor[: depth * 2]


def most_specific(codes: tuple[str, ...]) -> tuple[str, ...]:
    """The codes no other code of the same name lies within: 广东省深圳市 → 深圳 (440300) only."""
    return tuple(c for c in codes if not any(other != c and is_within(other, c) for other in codes))


def compatible(first: tuple[str, ...], second: tuple[str, ...]) -> bool | None:
    """None when either name gives no region; else whether the most specific regions of the two nest.

    广东省深圳市 and 深圳 nest; 广东省深圳市 and 广东省广州市 do not, although both are in 广东. A name
    whose region is ambiguous (朝阳区 is in 北京 and in 长春) is compatible when one reading nests.
    """
    if not first or not second:
        return None
    mine, theirs = most_specific(first), most_specific(second)
    return any(is_within(a, b) or is_within(b, a) for a in mine for b in theirs)


def short_form(name: str) -> str:
    """广东省 → 广东, 延边朝鲜族自治州 → 延边, 南山区 → 南山; "" when the short form would be one character."""
    if name in SPECIAL_SHORT_FORMS:
        return SPECIAL_SHORT_FORMS[name]
    autonomous = AUTONOMOUS.match(name)
    if autonomous:
        return autonomous.group(1)
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


LocalSource = Callable[[], Iterable[tuple[str, str]]]
_local_sources: list[LocalSource] = []


def add_local_source(source: LocalSource) -> None:
    """Add a provider of (six-digit code, name) pairs beyond the national list."""
    if source not in _local_sources:
        _local_sources.append(source)
    region_index.cache_clear()


def _divisions() -> Iterable[tuple[str, str]]:
    with DATA_FILE.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            yield row["code"], row["name"]
    for source in _local_sources:
        yield from source()


@cache
def region_index() -> RegionIndex:
    """The divisions of regions.tsv and of the local sources, loaded once per process."""
    names: dict[str, set[str]] = {prefix: {NATIONAL} for prefix in NATIONAL_PREFIXES}
    for code, name in _divisions():
        if name in IGNORED_NAMES:
            continue
        names.setdefault(name, set()).add(code)
        short = short_form(name)
        if short and (level(code) == 1 or name.endswith("市")) and short not in COMMON_TRADE_NAMES:
            names.setdefault(short, set()).add(code)
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    return RegionIndex(
        names={name: tuple(sorted(codes)) for name, codes in names.items()},
        lengths={first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()},
    )
