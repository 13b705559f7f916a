"""The normaliser: a Chinese enterprise name taken apart into what the law says it is made of.

《企业名称登记管理规定》 (国务院令第734号) Art. 6: 行政区划 + 字号 + 行业或经营特点 + 组织形式; a branch's
name is its parent's full name followed by the branch's own (北京字节跳动科技有限公司上海分公司). So:

1. ``clean``: NFKC (full-width → half-width, （） → ()), brackets unified, spaces, dots and quotes
   dropped, Latin letters upper-cased.
2. ``branch``: a branch's own name split off the end; ``base`` is the parent's full name.
3. ``legal_form``: the organisation form at the end of ``base`` (有限公司, 股份有限公司 …).
4. bracketed parts dropped; a region in brackets (华为技术(深圳)有限公司) is kept as a region.
5. leading regions (广东省深圳市…, 中国…) taken off, never leaving fewer than two characters.
6. ``core`` is what is left: 字号 + 行业; ``trade_name`` (字号) is the core with industry words taken
   off its end, again never below two characters.

Region names are also brands (宁德时代, 中国石化), so the comparer looks at ``base`` as well as ``core``.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from apps.enterprises.matching.numerals import arabic_numerals
from apps.enterprises.matching.regions import NATIONAL, region_index
from apps.enterprises.matching.vocabulary import (
    BRANCH_WORDS,
    COMMON_TRADE_NAMES,
    INDUSTRY_WORDS,
    LEGAL_FORMS,
    NATIONAL_PREFIXES,
    PARENT_ENDINGS,
    REGISTERED_FORMS,
    SHORT_NAME_PREFIXES,
)

DROPPED = re.compile(r"[\s\u3000·•・.,，、。'\"“”‘’`~!！?？;；:：\-_/\\—–…#*]+")
OPEN_BRACKETS = str.maketrans({"【": "(", "〔": "(", "[": "(", "{": "(", "〖": "(", "】": ")", "〕": ")", "]": ")", "}": ")", "〗": ")"})  # fmt: skip
BRACKETED = re.compile(r"\(([^()]*)\)")
BRACKETED_BRANCH = re.compile(r"^(?P<parent>[^()]{2,})\((?P<branch>[^()]{1,24}?(?:" + "|".join(BRANCH_WORDS) + r"))\)$")
#: a district or county right after its city, when the lists do not know it (a new district, a town)
SUBDIVISION = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:新区|区|县|旗|镇|乡|街道)")
GROUP_WORDS = frozenset({"集团", "控股", "集团公司", "控股集团"})
BRANCH = re.compile(
    "^(?P<parent>.+(?:" + "|".join(map(re.escape, PARENT_ENDINGS)) + "))"
    "(?P<branch>[^()]{1,24}?(?:" + "|".join(BRANCH_WORDS) + "))$"
)
SHARE_CLASS = re.compile(r"(?<=[\u4e00-\u9fff])[AB]$")
#: last character → the organisation forms ending with it, longest first
LEGAL_FORMS_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(sorted((f for f in LEGAL_FORMS if f[-1] == last), key=len, reverse=True))
    for last in {form[-1] for form in LEGAL_FORMS}
}
INDUSTRY_LONGEST = max(map(len, INDUSTRY_WORDS))
MIN_CORE = 2


@dataclass(frozen=True, slots=True)
class ParsedName:
    raw: str
    clean: str
    #: the name without its branch part: the parent's full name for a branch, else ``clean``
    base: str
    branch: str
    #: the organisation form as written ("有限责任公司") and its class ("有限公司")
    legal_form: str
    legal_class: str
    #: GB/T 2260 codes of the regions the name names (at its front or in brackets)
    regions: tuple[str, ...]
    #: the leading region text as written (广东省深圳市)
    region_text: str
    core: str
    trade_name: str
    #: the region is written after the 字号 (格力电器(合肥)), as groups name their regional subsidiaries
    region_after_trade: bool = False

    @property
    def is_full(self) -> bool:
        """A registered full name (it carries an organisation form), not a short name (简称)."""
        return self.legal_form in REGISTERED_FORMS

    @property
    def is_branch(self) -> bool:
        return bool(self.branch)

    @property
    def is_group_parent(self) -> bool:
        """The organisation form says 集团 (集团有限公司, (集团)股份有限公司, 集团公司)."""
        return self.legal_class.startswith("集团")

    @property
    def form_kind(self) -> str:
        """有限 / 股份 / 合伙 … for forms that say it; "" for a bare 公司, 总公司 or 集团公司."""
        for kind in ("股份", "有限", "合伙", "独资", "合作社"):
            if kind in self.legal_class:
                return kind
        return ""

    @property
    def trade_is_common(self) -> bool:
        """The 字号 is a word many unrelated enterprises use (长城, 东方) or a region or industry word."""
        trade = self.trade_name
        return trade in COMMON_TRADE_NAMES or trade in INDUSTRY_WORDS or trade in region_index().names

    @property
    def key(self) -> str:
        """The part a short name must draw on: the 字号, or region + core when the core is only an industry word."""
        if self.trade_name == self.core and self.core in INDUSTRY_WORDS:
            return self.region_text + self.core  # 中国银行: the region is the 字号
        return self.trade_name

    @property
    def indexed_text(self) -> str:
        """What the bigram index holds for this name: everything but the organisation form."""
        text = self.base[: len(self.base) - len(self.legal_form)] + self.branch if self.legal_form else self.clean
        return text.replace("(", "").replace(")", "")


def clean_name(raw: str, *, numerals: bool = True) -> str:
    """NFKC, one kind of bracket, no spaces or punctuation, Latin letters upper-cased, numbers in digits."""
    text = DROPPED.sub("", unicodedata.normalize("NFKC", raw or "").translate(OPEN_BRACKETS)).upper()
    return (arabic_numerals(text) if numerals else text).replace("()", "")


@lru_cache(maxsize=65536)
def parse_name(raw: str, *, numerals: bool = True) -> ParsedName:
    """Take a name apart; never fails, whatever the input (an empty name gives empty parts)."""
    clean = _strip_listing_marks(clean_name(raw, numerals=numerals))
    base, branch = _split_branch(clean)
    legal_form, rest, group = _split_legal_forms(base)
    rest, bracket_regions, bracket_group = _drop_brackets(rest)
    if not legal_form:
        legal_form, rest, group = _split_legal_forms(rest)
    region_text, regions, core = _split_regions(rest)
    core, inner_regions = _inner_regions(core)
    legal_class = LEGAL_FORMS.get(legal_form, "")
    if (group or bracket_group) and legal_class and not legal_class.startswith("集团"):
        legal_class = "集团" + legal_class
    return ParsedName(
        raw=raw,
        clean=clean,
        base=base,
        branch=branch,
        legal_form=legal_form,
        legal_class=legal_class,
        regions=tuple(dict.fromkeys(regions + bracket_regions + inner_regions)),
        region_text=region_text,
        core=core,
        trade_name=_trade_name(core),
        region_after_trade=bool(bracket_regions or inner_regions),
    )


def forget_regions() -> None:
    """Reload the regions (after units changed) and forget names parsed with the old ones."""
    region_index.cache_clear()
    parse_name.cache_clear()


def _strip_listing_marks(clean: str) -> str:
    """*ST海航 → 海航, 万科A → 万科: marks a stock listing adds to a short name."""
    for prefix in SHORT_NAME_PREFIXES:
        if clean.startswith(prefix) and len(clean) > len(prefix) + 1:
            clean = clean[len(prefix) :]
            break
    return SHARE_CLASS.sub("", clean)


def _split_branch(clean: str) -> tuple[str, str]:
    bracketed = BRACKETED_BRANCH.match(clean)
    if bracketed:
        return bracketed["parent"], bracketed["branch"]
    found = BRANCH.match(clean)
    if found:
        return found["parent"], found["branch"]
    for word in BRANCH_WORDS:
        if clean.endswith(word) and len(clean) > len(word) + MIN_CORE:
            head = clean[: -len(word)]
            region = _trailing_region(head)
            if len(head) - len(region) >= MIN_CORE:
                return head[: len(head) - len(region)], region + word
    return clean, ""


def _trailing_region(text: str) -> str:
    """A region name at the end of ``text`` (平安保险深圳 → 深圳), or ""."""
    index = region_index()
    for length in range(min(8, len(text) - MIN_CORE), 1, -1):
        if text[-length:] in index.names:
            return text[-length:]
    return ""


def _split_legal_forms(text: str) -> tuple[str, str, bool]:
    """The organisation form at the end (the innermost when one was typed twice), the rest, and whether
    the form marks a group parent (集团有限公司 …)."""
    form, group = "", False
    while True:
        found = next(
            (f for f in LEGAL_FORMS_BY_LAST.get(text[-1:], ()) if text.endswith(f) and len(text) - len(f) >= MIN_CORE),
            None,
        )
        if found is None or (form and found not in REGISTERED_FORMS and found != "集团"):
            return form, text, group
        form, text = found, text[: -len(found)]
        group = group or "集团" in found


def _drop_brackets(text: str) -> tuple[str, tuple[str, ...], bool]:
    """The text without its bracketed parts, the regions named in them, whether one says 集团."""
    regions: list[str] = []
    group = False
    index = region_index()

    def replace(found: re.Match) -> str:
        nonlocal group
        inside = found[1]
        regions.extend(index.names.get(inside, ()))
        group = group or inside in GROUP_WORDS
        return ""

    stripped = BRACKETED.sub(replace, text).replace("(", "").replace(")", "")
    return (stripped if len(stripped) >= MIN_CORE else text.replace("(", "").replace(")", "")), tuple(regions), group


def _split_regions(text: str) -> tuple[str, tuple[str, ...], str]:
    index = region_index()
    regions: tuple[str, ...] = ()
    consumed = 0
    while (found := index.match_prefix(text[consumed:], regions)) and len(text) - consumed - len(found[0]) >= MIN_CORE:
        regions += found[1]
        consumed += len(found[0])
    subdivision = SUBDIVISION.match(text[consumed:]) if regions and regions != (NATIONAL,) else None
    if subdivision and len(text) - consumed - len(subdivision[0]) >= MIN_CORE:
        consumed += len(subdivision[0])  # 示范市云岭县…: a district or county of a known city, unlisted
    return text[:consumed], regions, text[consumed:]


def _inner_regions(core: str) -> tuple[str, tuple[str, ...]]:
    """A region written inside the name without brackets (李宁中国体育用品, 格力电器武汉): taken out."""
    index = region_index()
    for prefix in NATIONAL_PREFIXES:
        at = core.find(prefix, MIN_CORE)
        if at > 0 and len(core) - len(prefix) >= MIN_CORE:
            return core[:at] + core[at + len(prefix) :], (NATIONAL,)
    trailing = _trailing_region(core)
    if trailing and len(core) - len(trailing) >= 3:
        return core[: -len(trailing)], index.names[trailing]
    return core, ()


def _trade_name(core: str) -> str:
    """The core with 行业 words taken off its end while at least two characters remain."""
    trade = core
    while len(trade) > MIN_CORE:
        for length in range(min(INDUSTRY_LONGEST, len(trade) - MIN_CORE), 0, -1):
            if trade[-length:] in INDUSTRY_WORDS:
                trade = trade[:-length]
                break
        else:
            return trade
    return trade
