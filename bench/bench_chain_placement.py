"""Precision and recall of automatic placement (apps/chains/services/placement.py) on real data: the 2,875
companies of the Shenzhen Stock Exchange's A-share list (../shared/data/szse-a-share-list.xlsx, never copied into
the project) placed on six seed-like chains defined below.

    .venv/bin/python bench/bench_chain_placement.py [--show 15] [--list ../shared/data/szse-a-share-list.xlsx]

What the placement reads: the full legal name (公司全称) and the industry of 所属行业. The list gives only the
industry's section (门类 "C 制造业"), not its division, and no business scope, so the links' division codes never
match and placement rests on the keywords in the names: a lower bound of what a registry with divisions and
business scopes gets.

How the truth was labelled: by the company's English name (英文名称, the company's own translation, which the
placement never reads) against an English vocabulary written per link independently of its Chinese keywords
(e.g. 电池片与组件: solar, photovoltaic, PV). A company belongs to a link when its English name matches the
link's vocabulary. This is a silver standard: it agrees with the Chinese name where the translation is literal and
misses companies whose names say nothing of what they make (宁德时代 is "Contemporary Amperex Technology"), so it
leaves out of both what the names cannot show. The vocabulary was corrected once, after reading the disagreements,
where it mislabelled plainly (MOTORS are car makers, a singular motor an electric motor; "oil" is petroleum unless
edible; "Communications Technology/Construction" are transport works; "Chemistry" is chemical); the Chinese keywords were written first and not tuned to it.
``--show N`` prints the disagreements for review by hand.

Prints figures per chain and in all; asserts nothing. No database is needed.
"""

import argparse
import os
import re
import sys
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SZSE_LIST = ROOT.parent / "shared" / "data" / "szse-a-share-list.xlsx"


@dataclass(frozen=True)
class BenchLink:
    chain: str
    name: str
    codes: tuple[str, ...]
    keywords: tuple[str, ...]
    truth: str  # an English regular expression over 英文名称


LINKS = [
    BenchLink("新能源汽车", "动力电池", ("38",), ("锂电", "电池", "锂能", "储能", "电芯"), r"batter|lithium|energy storage"),
    BenchLink("新能源汽车", "电池材料", ("26", "32"), ("正极", "负极", "电解液", "隔膜", "锂业", "钴业"),
              r"cathode|anode|electrolyte|separator|lithium|cobalt"),
    BenchLink("新能源汽车", "驱动电机与电控", ("38",), ("电机", "电驱", "电控"), r"\bmotor\b(?!\s*dies)|electric machine|electric drive"),
    BenchLink("新能源汽车", "汽车零部件", ("36",), ("汽车零部件", "汽配", "车灯", "轮胎", "底盘"),
              r"auto(motive)? (parts|components)|tire|tyre|chassis"),
    BenchLink("新能源汽车", "整车制造", ("36",), ("汽车", "客车", "乘用车", "商用车"), r"automobile|\bbus\b|vehicle|\bmotors\b"),
    BenchLink("新能源汽车", "充换电", ("38",), ("充电", "换电"), r"charg"),
    BenchLink("光伏", "硅材料与硅片", ("30", "39"), ("硅片", "硅材料", "多晶硅", "单晶硅"), r"silicon"),
    BenchLink("光伏", "电池片与组件", ("38",), ("光伏", "太阳能"), r"solar|photovoltaic|\bpv\b"),
    BenchLink("光伏", "逆变器", ("38",), ("逆变器", "电源"), r"inverter|power suppl"),
    BenchLink("氢能", "制氢与燃料电池", ("26", "38"), ("氢能", "氢", "燃料电池"), r"hydrogen|fuel cell"),
    BenchLink("新材料", "稀土与磁性材料", ("32", "39"), ("稀土", "磁材", "磁业", "磁性"), r"rare earth|magnet"),
    BenchLink("新材料", "先进复合材料", ("29", "30"), ("碳纤维", "复合材料", "新材料"),
              r"carbon fib|composite|new material|advanced material"),
    BenchLink("新材料", "化工新材料", ("26",), ("化工", "化学", "化学品"), r"chemi(cal|stry)"),
    BenchLink("绿色食品", "乳制品", ("14",), ("乳业", "乳品", "奶业"), r"dairy|milk"),
    BenchLink("绿色食品", "食品加工", ("13", "14"), ("食品", "肉类", "粮油"), r"food|meat|grain|edible oil"),
    BenchLink("绿色食品", "酒与饮料", ("15",), ("酒", "饮料", "酿造"), r"wine|liquor|beverage|brew|distill|spirit|beer"),
    BenchLink("绿色食品", "种养殖", ("01", "03"), ("农业", "种业", "牧业", "养殖", "农牧"),
              r"agricultur|seed|farm|livestock|husbandry|breeding|\bagri"),
    BenchLink("数字经济", "集成电路", ("39",), ("半导体", "集成电路", "芯片", "微电子"),
              r"semiconductor|integrated circuit|\bchips?\b|microelectronic|\bic\b"),
    BenchLink("数字经济", "软件与信息服务", ("65",), ("软件", "信息技术", "数据", "信息服务"),
              r"software|information tech|\bdata\b|\bit\b"),
    BenchLink("数字经济", "通信设备", ("39",), ("通信", "通讯", "光通信"), r"telecom|wireless|communication(?!s (technology|construction))"),
]  # fmt: skip


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingshang.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    import django

    django.setup()


def companies(path: Path) -> list[dict[str, str]]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Workbook contains no default style"
        sheet = openpyxl.load_workbook(path).active
    rows = sheet.iter_rows(values_only=True)
    headers = ["".join(str(h).split()) for h in next(rows)]
    return [dict(zip(headers, (str(v or "").strip() for v in row), strict=False)) for row in rows]


def facts(row: dict[str, str]):
    from apps.chains.services.placement import Facts

    section, _, name = row["所属行业"].partition(" ")
    return Facts(name=row["公司全称"], industry_code=section, industry_name=name, section=section)


def evaluate(rows: list[dict[str, str]]) -> tuple[dict, dict]:
    """Per link: the companies suggested (score ≥ MIN_SCORE) and those the English names say belong."""
    from apps.chains.models import Link
    from apps.chains.services.placement import MIN_SCORE, fit

    suggested, truth = defaultdict(set), defaultdict(set)
    all_facts = [(row["A股代码"], facts(row), row["英文名称"]) for row in rows]
    for bench in LINKS:
        link = Link(name=bench.name, industry_codes=list(bench.codes), keywords=list(bench.keywords))
        pattern = re.compile(bench.truth, re.IGNORECASE)
        for code, company, english in all_facts:
            if fit(link, company)[0] >= MIN_SCORE:
                suggested[bench].add(code)
            if pattern.search(english):
                truth[bench].add(code)
    return suggested, truth


def _ratio(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def report(suggested: dict, truth: dict) -> None:
    print(f"{'产业链':<8}{'建议':>6}{'真值':>6}{'命中':>6}{'精确率':>9}{'召回率':>9}")
    totals = [0, 0, 0]
    for chain in dict.fromkeys(bench.chain for bench in LINKS):
        links = [bench for bench in LINKS if bench.chain == chain]
        counts = [sum(len(table[bench]) for bench in links) for table in (suggested, truth)]
        hits = sum(len(suggested[bench] & truth[bench]) for bench in links)
        totals = [totals[0] + counts[0], totals[1] + counts[1], totals[2] + hits]
        print(
            f"{chain:<8}{counts[0]:>6}{counts[1]:>6}{hits:>6}{_ratio(hits, counts[0]):>9}{_ratio(hits, counts[1]):>9}"
        )
    print(f"{'合计':<8}{totals[0]:>6}{totals[1]:>6}{totals[2]:>6}{_ratio(totals[2], totals[0]):>9}"
          f"{_ratio(totals[2], totals[1]):>9}")  # fmt: skip


def show(rows: list[dict[str, str]], suggested: dict, truth: dict, limit: int) -> None:
    by_code = {row["A股代码"]: row for row in rows}
    for bench in LINKS:
        wrong = sorted(suggested[bench] - truth[bench])[:limit]
        missed = sorted(truth[bench] - suggested[bench])[:limit]
        for label, codes in (("建议但真值不含", wrong), ("真值含但未建议", missed)):
            for code in codes:
                print(f"{bench.chain}·{bench.name}\t{label}\t{by_code[code]['公司全称']}\t{by_code[code]['英文名称']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print up to N disagreements per link and kind")
    parser.add_argument("--list", type=Path, default=SZSE_LIST, help="the SZSE list (xlsx)")
    options = parser.parse_args()
    if not options.list.exists():
        print(f"未找到 {options.list}，无法测量。")
        return
    setup_django()
    rows = [row for row in companies(options.list) if row.get("公司全称") and row.get("公司全称") != "公司全称"]
    print(f"深交所 A 股公司 {len(rows)} 家，{len(LINKS)} 个环节（{len({b.chain for b in LINKS})} 条产业链）")
    suggested, truth = evaluate(rows)
    report(suggested, truth)
    if options.show:
        show(rows, suggested, truth, options.show)


if __name__ == "__main__":
    main()
