"""What a bulletin says: a snapshot's ranking, key figures, praise and admonitions, corrections and trend as
the fields of the Word template, with the charts as images.

``gather`` reads the facts from the database (a handful of queries, whatever the number of units);
``document_fields`` turns the facts and the issuer's wording into the template's fields without touching the
database, so a template can be tried against ``sample_material`` before it is accepted. ``FIELDS`` lists
every field for the people who edit the template.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.assessment.figures import figure, percent
from apps.assessment.models import Snapshot, SnapshotRow
from apps.assessment.services import scoring
from apps.core import charts
from apps.supervision.services.task_periods import monthly_overdue

#: units per completion chart: a chart of more would not fit the type area's height, so it continues
UNITS_PER_CHART = 24
TREND_ITEMS = 4

#: (field, what it holds) — shown on the templates page; ``document_fields`` supplies every one of them
FIELDS: list[tuple[str, str]] = [
    ("issuing_unit", gettext_lazy("印发单位")),
    ("number", gettext_lazy("文号，如 示招考〔2026〕3号")),
    ("title", gettext_lazy("标题")),
    ("version_note", gettext_lazy("修订说明（第 1 版为空）")),
    ("recipients", gettext_lazy("主送单位")),
    ("period", gettext_lazy("考核周期，如 2026年10月")),
    ("scheme", gettext_lazy("考核方案名称")),
    ("summary_paragraphs", gettext_lazy("综述，逐段（段落循环）")),
    ("key_figures", gettext_lazy("各项指标总体完成情况，逐句")),
    ("ranking_intro", gettext_lazy("排名表前的说明")),
    (
        "rows",
        gettext_lazy(
            "排名表：row.rank 名次、row.unit 单位、row.score 得分、row.deducted 扣分、"
            "row.change 较上期、row.behind 落后序时进度的指标"
        ),
    ),  # fmt: skip
    ("completion_charts", gettext_lazy("综合完成率柱状图（图片，单位多时分为几张）")),
    ("trend_chart", gettext_lazy("主要指标完成率走势图（图片）")),
    ("praise_text", gettext_lazy("通报表扬")),
    ("admonish_text", gettext_lazy("约谈")),
    ("accountability_text", gettext_lazy("问责审查")),
    ("supervision_text", gettext_lazy("本月督办事项逾期和漏报情况（月度通报；其他通报为空）")),
    ("corrections_text", gettext_lazy("数据更正说明")),
    (
        "corrections",
        gettext_lazy("更正表：row.unit、row.metric、row.corrects 原通报期、row.published、row.corrected、row.reason"),
    ),  # fmt: skip
    ("requirements_paragraphs", gettext_lazy("下一步工作要求，逐段（可为空）")),
    ("issued_on", gettext_lazy("印发日期，如 2026年11月5日")),
    ("annex_note", gettext_lazy("附件说明")),
    ("annex_items", gettext_lazy("附件的列：各项指标名称（列循环 tc）")),
    ("annex_rows", gettext_lazy("附件的行：row.rank 名次、row.unit 单位、row.cells 各项指标的完成率")),
]


@dataclass(frozen=True)
class Line:
    """A unit's row of the snapshot, as the bulletin needs it."""

    unit: str
    rank: int
    score: Decimal
    deducted: Decimal
    previous_rank: int | None
    change: str
    praised: bool
    admonish: bool
    accountability: bool
    #: the stored item results (scoring.ItemResult.as_json), by item id
    items: dict[int, dict]


@dataclass(frozen=True)
class Material:
    """The facts of one snapshot a bulletin is made from."""

    scheme: str
    period: str
    items: list[dict]
    lines: list[Line]
    corrections: list[dict]
    #: the monthly figures of the year so far, for the trend chart: period labels and per item the units'
    #: average completion, with the average time-progress as a reference series
    trend_periods: list[str] = field(default_factory=list)
    trend: dict[str, list[float | None]] = field(default_factory=dict)
    #: the month's overdue supervision tasks (monthly snapshots only): unit, working days overdue, still open
    overdue_tasks: list[dict] = field(default_factory=list)
    missing_reports: int = 0
    monthly: bool = False


@dataclass(frozen=True)
class Wording:
    """What the issuer writes or confirms: the document's own text."""

    issuing_unit: str
    number: str
    title: str
    recipients: str
    issued_on: str
    summary: str
    requirements: str = ""
    version_note: str = ""


def gather(snapshot: Snapshot) -> Material:
    rows = snapshot.rows.select_related("unit").order_by("rank", "unit__path")
    corrections = snapshot.corrections.select_related("unit", "metric", "corrects").order_by("unit__path", "metric")
    items = snapshot.inputs["items"]
    periods, trend = _trend(snapshot, items)
    overdue = _supervision(snapshot)
    return Material(
        scheme=snapshot.scheme.name,
        period=snapshot.label,
        items=items,
        lines=[_line(row) for row in rows],
        corrections=[
            {
                "unit": c.unit.name,
                "metric": c.metric.name,
                "kind": c.metric.kind,
                "corrects": c.corrects.label,
                "published": c.published,
                "corrected": c.corrected,
                "reason": c.reason,
            }
            for c in corrections
        ],
        trend_periods=periods,
        trend=trend,
        overdue_tasks=overdue.tasks if overdue else [],
        missing_reports=overdue.missing if overdue else 0,
        monthly=overdue is not None,
    )


@dataclass(frozen=True)
class _Overdue:
    tasks: list[dict]
    missing: int


def _supervision(snapshot: Snapshot) -> _Overdue | None:
    """The month's overdue supervision tasks and missing reports (督办事项), for a monthly bulletin."""
    if snapshot.kind != "month":
        return None
    found = monthly_overdue(year=snapshot.ends_on.year, month=snapshot.ends_on.month)
    tasks = [{"unit": row.task.unit.name, "days": row.overdue_days, "open": row.still_open} for row in found.tasks]
    return _Overdue(tasks, len(found.missing))


def _line(row: SnapshotRow) -> Line:
    return Line(
        unit=row.unit.name, rank=row.rank, score=row.score, deducted=row.deducted, previous_rank=row.previous_rank,
        change=row.change, praised=row.praised, admonish=row.admonish, accountability=row.accountability,
        items={item["item"]: item for item in row.items},
    )  # fmt: skip


def _trend(snapshot: Snapshot, items: list[dict]) -> tuple[list[str], dict[str, list[float | None]]]:
    """The year's monthly snapshots up to this one (or, without them, this kind's)."""
    earlier = Snapshot.objects.filter(scheme=snapshot.scheme_id, ends_on__lte=snapshot.ends_on)
    months = list(earlier.filter(kind="month").order_by("ends_on").values_list("pk", "label"))
    if not months:
        months = list(earlier.filter(kind=snapshot.kind).order_by("ends_on").values_list("pk", "label"))
    by_snapshot: dict[int, list[list[dict]]] = {}
    for snapshot_id, row_items in SnapshotRow.objects.filter(snapshot__in=[pk for pk, _label in months]).values_list(
        "snapshot", "items"
    ):
        by_snapshot.setdefault(snapshot_id, []).append(row_items)
    shown = sorted(items, key=lambda item: -Decimal(item["weight"]))[:TREND_ITEMS]
    series: dict[str, list[float | None]] = {item["name"]: [] for item in shown}
    reference: list[float | None] = []
    for pk, _label in months:
        rows = by_snapshot.get(pk, [])
        for item in shown:
            series[item["name"]].append(_average(rows, item["id"], "completion"))
        reference.append(_average_expected(rows, {item["id"] for item in shown}))
    series[str(_("序时进度"))] = reference
    return [_short_label(label) for _pk, label in months], series


def _average(rows: list[list[dict]], item_id: int, key: str) -> float | None:
    values = [Decimal(i[key]) for row in rows for i in row if i["item"] == item_id and i[key] is not None]
    return round(float(sum(values) / len(values)) * 100, 1) if values else None


def _average_expected(rows: list[list[dict]], item_ids: set[int]) -> float | None:
    shares = [
        Decimal(i["expected"]) / Decimal(i["target"])
        for row in rows
        for i in row
        if i["item"] in item_ids and Decimal(i["target"]) > 0
    ]
    return round(float(sum(shares) / len(shares)) * 100, 1) if shares else None


def _short_label(label: str) -> str:
    # "2026年10月" reads as "10月" on the axis; the chart's title carries the year
    return label.split("年", 1)[1] if "年" in label and label.split("年", 1)[1] else label


def default_summary(material: Material) -> str:
    """The opening paragraph the page proposes; the issuer may rewrite it."""
    lines = material.lines
    if not lines:
        return _("%(period)s无参加考核的单位。") % {"period": material.period}
    top = [line.unit for line in lines if line.praised] or [lines[0].unit]
    bottom = [line.unit for line in lines if line.admonish]
    behind = sum(1 for line in lines if _worst_light(line) == scoring.RED)
    text = _("%(period)s，按照《%(scheme)s》办法，对%(units)s个单位的%(items)s项指标进行了考核。%(top)s位居前列") % {
        "period": material.period,
        "scheme": material.scheme,
        "units": len(lines),
        "items": len(material.items),
        "top": "、".join(top),
    }
    if bottom:
        text += _("；%(bottom)s排名靠后") % {"bottom": "、".join(bottom)}
    text += _("。%(behind)s个单位有指标落后序时进度。") % {"behind": behind}
    return text


def document_fields(material: Material, wording: Wording) -> tuple[dict, dict[str, bytes | list[bytes]]]:
    """The template's fields and its images (PNG)."""
    items = material.items
    lines = material.lines
    context = {
        "issuing_unit": wording.issuing_unit,
        "number": wording.number,
        "title": wording.title,
        "version_note": wording.version_note,
        "recipients": wording.recipients,
        "period": material.period,
        "scheme": material.scheme,
        "summary_paragraphs": _paragraphs(wording.summary),
        "key_figures": [_key_figure(item, lines) for item in items],
        "ranking_intro": _("%(period)s，%(units)s个单位参加考核，得分及排名如下：")
        % {"period": material.period, "units": len(lines)},
        "rows": [_ranking_row(line, items) for line in lines],
        "praise_text": _praise(lines),
        "admonish_text": _admonish(lines),
        "accountability_text": _accountability(lines),
        "supervision_text": _supervision_text(material),
        "corrections_text": _corrections_text(material.corrections),
        "corrections": [_correction_row(c) for c in material.corrections],
        "requirements_paragraphs": _paragraphs(wording.requirements),
        "issued_on": wording.issued_on,
        "annex_note": _("下表为各单位各项指标的完成率（完成数 ÷ 年度目标），带 * 的落后序时进度。"),
        "annex_items": [item["name"] for item in items],
        "annex_rows": [_annex_row(line, items) for line in lines],
    }
    images = {"completion_charts": _completion_charts(material), "trend_chart": _trend_chart(material)}
    return context, images


def _paragraphs(text: str) -> list[str]:
    return [paragraph.strip() for paragraph in text.splitlines() if paragraph.strip()]


def _worst_light(line: Line) -> str:
    lights = {item["light"] for item in line.items.values()}
    return scoring.RED if scoring.RED in lights else scoring.AMBER if scoring.AMBER in lights else scoring.GREEN


def _change(line: Line) -> str:
    if line.change == "new" or line.previous_rank is None:
        return _("新")
    if line.change == "up":
        return f"↑{line.previous_rank - line.rank}"
    if line.change == "down":
        return f"↓{line.rank - line.previous_rank}"
    return "→"


def _ranking_row(line: Line, items: list[dict]) -> dict:
    behind = [item["name"] for item in items if line.items.get(item["id"], {}).get("light") == scoring.RED]
    return {
        "rank": line.rank,
        "unit": line.unit,
        "score": f"{line.score:.2f}",
        "deducted": f"{line.deducted:.2f}" if line.deducted else "—",
        "change": _change(line),
        "behind": "、".join(behind) or "—",
    }


def _key_figure(item: dict, lines: list[Line]) -> str:
    results = [line.items[item["id"]] for line in lines if item["id"] in line.items]
    name, kind = item["name"], item["kind"]
    if not results:
        return _("%(name)s：本期无数据。") % {"name": name}
    actual = sum(Decimal(r["actual"]) for r in results)
    target = sum(Decimal(r["target"]) for r in results)
    expected = sum(Decimal(r["expected"]) for r in results)
    if kind == "rate":
        count = len(results)
        return _("%(name)s：各单位平均%(actual)s，目标平均%(target)s。") % {
            "name": name,
            "actual": figure(actual / count, kind),
            "target": figure(target / count, kind),
        }
    if target <= 0:
        return _("%(name)s：完成%(actual)s（未下达目标）。") % {"name": name, "actual": figure(actual, kind)}
    return _("%(name)s：完成%(actual)s，为年度目标%(target)s的%(share)s，序时进度%(expected)s。") % {
        "name": name,
        "actual": figure(actual, kind),
        "target": figure(target, kind),
        "share": percent(actual / target),
        "expected": percent(expected / target),
    }


def _names(lines: list[Line]) -> str:
    return "、".join(line.unit for line in lines)


def _praise(lines: list[Line]) -> str:
    praised = [line for line in lines if line.praised]
    if not praised:
        return _("本期无通报表扬的单位。")
    return _("对排名前%(n)s位的%(names)s予以通报表扬。") % {"n": len(praised), "names": _names(praised)}


def _admonish(lines: list[Line]) -> str:
    flagged = [line for line in lines if line.admonish]
    if not flagged:
        return _("本期无约谈的单位。")
    return _("对排名后%(n)s位的%(names)s予以通报批评，并约谈其主要负责同志。") % {
        "n": len(flagged),
        "names": _names(flagged),
    }


def _accountability(lines: list[Line]) -> str:
    flagged = [line for line in lines if line.accountability]
    if not flagged:
        return _("本期无连续两期排名靠后的单位。")
    return _("%(names)s连续两期排名靠后，按照“通报必约谈、约谈必问责”的要求，移交问责审查。") % {
        "names": _names(flagged)
    }


def _supervision_text(material: Material) -> str:
    """One paragraph on the month's supervision tasks: overdue per unit (longest delay) and missing reports."""
    if not material.monthly:
        return ""
    tasks, missing = material.overdue_tasks, material.missing_reports
    if not tasks and not missing:
        return _("本月无逾期督办事项，各责任单位均按期报送进展。")
    text = _("本月无逾期督办事项。") if not tasks else ""
    if tasks:
        by_unit: dict[str, list[dict]] = {}
        for task in tasks:
            by_unit.setdefault(task["unit"], []).append(task)
        detail = "、".join(
            _("%(unit)s%(n)s项（最长逾期%(days)s个工作日）")
            % {"unit": unit, "n": len(rows), "days": max(row["days"] for row in rows)}
            for unit, rows in by_unit.items()
        )
        text = _("本月督办事项逾期%(n)s项，其中月底仍未办结%(open)s项：%(detail)s。") % {
            "n": len(tasks), "open": sum(1 for task in tasks if task["open"]), "detail": detail,
        }  # fmt: skip
    if missing:
        text += _("未按期报送进展%(n)s次。") % {"n": missing}
    return text


def _corrections_text(corrections: list[dict]) -> str:
    if not corrections:
        return _("本期无数据更正。")
    return _("以往通报的数据经核实更正%(n)s处，更正后的数据已计入本期考核，具体如下：") % {"n": len(corrections)}


def _correction_row(correction: dict) -> dict:
    kind = correction["kind"]
    return {
        "unit": correction["unit"],
        "metric": correction["metric"],
        "corrects": correction["corrects"],
        "published": figure(correction["published"], kind),
        "corrected": figure(correction["corrected"], kind),
        "reason": correction["reason"] or _("（未说明）"),
    }


def _annex_row(line: Line, items: list[dict]) -> dict:
    cells = []
    for item in items:
        result = line.items.get(item["id"])
        if result is None:
            cells.append("—")
            continue
        behind = "*" if result["light"] == scoring.RED else ""
        cells.append(f"{percent(result['completion'])}{behind}")
    return {"rank": line.rank, "unit": line.unit, "cells": cells}


def _overall(line: Line, items: list[dict]) -> tuple[float, float | None]:
    """The unit's completion weighted by the items' weights, and its weighted time-progress (both in %)."""
    done = due = weights = Decimal(0)
    for item in items:
        result = line.items.get(item["id"])
        if result is None or result["completion"] is None or Decimal(result["target"]) <= 0:
            continue
        weight = Decimal(item["weight"])
        done += weight * min(Decimal(result["completion"]), Decimal(item["cap"]))
        due += weight * Decimal(result["expected"]) / Decimal(result["target"])
        weights += weight
    if not weights:
        return 0.0, None
    return float(done / weights * 100), float(due / weights * 100)


def _completion_charts(material: Material) -> list[bytes]:
    figures = [(line.unit, *_overall(line, material.items)) for line in material.lines]
    dues = [due for _unit, _done, due in figures if due is not None]
    reference = sum(dues) / len(dues) if dues else None
    values = [(unit, done) for unit, done, _due in figures]
    chunks = [values[start : start + UNITS_PER_CHART] for start in range(0, len(values), UNITS_PER_CHART)] or [[]]
    title = _("%(period)s各单位综合完成率（按权重）") % {"period": material.period}
    return [
        charts.completion_chart(
            chunk,
            title=title if n == 0 else _("%(title)s（续）") % {"title": title},
            reference=reference,
            reference_label=_("平均序时进度"),
        )
        for n, chunk in enumerate(chunks)
    ]


def _trend_chart(material: Material) -> bytes:
    return charts.trend_chart(
        material.trend_periods,
        material.trend,
        title=_("主要指标平均完成率走势（%(scheme)s）") % {"scheme": material.scheme},
        y_label="%",
    )


def sample_material() -> Material:
    """Three made-up units over two items: the facts a new template is tried against before it is accepted."""
    items = [
        {"id": 1, "name": _("签约项目数"), "kind": "count", "weight": "50", "method": "completion", "cap": "1.2"},
        {"id": 2, "name": _("到位资金"), "kind": "amount", "weight": "50", "method": "completion", "cap": "1.2"},
    ]

    def result(item: int, actual: str, target: str, light: str) -> dict:
        share = Decimal(actual) / Decimal(target)
        return {
            "item": item, "actual": actual, "target": target, "expected": str(Decimal(target) * Decimal("0.8")),
            "completion": str(share), "progress": str(share / Decimal("0.8")), "light": light, "points": "0",
        }  # fmt: skip

    lines = [
        Line(_("甲县"), 1, Decimal("98.50"), Decimal(0), 2, "up", True, False, False,
             {1: result(1, "10", "12", "green"), 2: result(2, "52000", "60000", "green")}),
        Line(_("乙县"), 2, Decimal("80.00"), Decimal(0), 1, "down", False, False, False,
             {1: result(1, "8", "12", "green"), 2: result(2, "40000", "60000", "amber")}),
        Line(_("丙县"), 3, Decimal("61.25"), Decimal(2), 3, "same", False, True, True,
             {1: result(1, "5", "12", "red"), 2: result(2, "30000", "60000", "red")}),
    ]  # fmt: skip
    corrections = [
        {"unit": _("乙县"), "metric": _("到位资金"), "kind": "amount", "corrects": _("示例上月"),
         "published": Decimal(38000), "corrected": Decimal(39000), "reason": _("补录到位资金凭证")},
    ]  # fmt: skip
    return Material(
        scheme=_("示例考核方案"), period=_("示例月份"), items=items, lines=lines, corrections=corrections,
        trend_periods=["1月", "2月"], trend={_("签约项目数"): [40.0, 60.0], _("序时进度"): [8.3, 16.7]},
        overdue_tasks=[{"unit": _("丙县"), "days": 6, "open": True}], missing_reports=1, monthly=True,
    )  # fmt: skip


def sample_wording() -> Wording:
    return Wording(
        issuing_unit=_("示例单位"), number=_("示例〔2026〕1号"), title=_("示例通报标题"), recipients=_("各有关单位"),
        issued_on=_("2026年1月5日"), summary=_("示例综述。"), requirements=_("示例工作要求。"),
    )  # fmt: skip
