"""The investment guide of a chain (招商指南): a Word document for the teams that go out and for the investors.

It holds, in this order: the chain diagram as a picture (segments as columns, links as boxes coloured by their
state), the local strengths (covered links, chain leaders and figures), the gaps by kind (补链、延链、强链), the
target list of each gap, and the land and policy offers — items of policies in force (apps/policies) whose rule
or text mentions the gaps' industry codes or keywords, or else the general ones — saying so when there are none.
The document uses the official page and fonts (apps/core/official_docx.py) and the house chart fonts
(apps/core/charts.py), so Chinese never prints as empty boxes.
"""

import io
import json
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch

from apps.chains.locality import local_condition
from apps.chains.models import Chain, Placement, Segment
from apps.chains.services.coverage import LinkCoverage, LinkState, chain_coverage
from apps.chains.services.targets import LinkTargets, recommend_for_chain
from apps.core.charts import CJK_FONT_FAMILY, DPI, figure_png, find_cjk_font
from apps.core.official_docx import HEADING_FONT, LATIN_FONT, official_document, set_fonts
from apps.policies.models import BenefitKind, Policy, PolicyItem

STATE_COLOURS = {
    LinkState.COVERED: "#2e8b57", LinkState.STRENGTHEN: "#f0ad4e", LinkState.FILL: "#d9534f",
    LinkState.EXTEND: "#8e6fc1",
}  # fmt: skip
TARGETS_PER_GAP = 10
GENERAL_OFFERS = 10
TABLE_SIZE = Pt(10.5)  # 五号
DIAGRAM_WIDTH_MM = 156


@dataclass
class Offers:
    land: list[PolicyItem]
    support: list[PolicyItem]
    fitted: bool  # the items mention the gaps' codes or keywords (else they are the general ones)


def chain_guide(chain: Chain, *, unit=None) -> bytes:
    """The chain's investment guide as .docx bytes."""
    coverage = chain_coverage(chain)
    targets = recommend_for_chain(chain, per_link=TARGETS_PER_GAP, unit=unit)
    document = official_document()
    _heading_style(document)
    document.add_paragraph(
        _("%(chain)s产业链招商指南") % {"chain": chain.name}, style="Title"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    today = timezone.localdate()
    _centred(document, _("%(year)s年%(month)s月") % {"year": today.year, "month": today.month})
    if chain.description:
        document.add_paragraph(chain.description)
    _diagram_section(document, coverage)
    _strength_section(document, chain, coverage)
    _gap_section(document, coverage)
    _target_section(document, targets)
    _offer_section(document, policy_offers([row.coverage for row in targets]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- sections ------------------------------------------------------------------------------------------------


def _diagram_section(document, coverage: list[LinkCoverage]) -> None:
    document.add_paragraph(_("一、产业链图谱"), style="Heading 1")
    document.add_picture(io.BytesIO(diagram_png(coverage)), width=Mm(DIAGRAM_WIDTH_MM))
    document.add_paragraph(
        _(
            "图中自上游至下游分列各环节，颜色表示本地覆盖情况：绿色为已覆盖，橙色为薄弱（强链），红色为缺失（补链），紫色为可延伸的下游环节（延链）。"
        )
    )


def _strength_section(document, chain: Chain, coverage: list[LinkCoverage]) -> None:
    document.add_paragraph(_("二、本地产业基础"), style="Heading 1")
    present = [row for row in coverage if row.enterprises]
    if not present:
        document.add_paragraph(_("本产业链尚无已确认的本地企业。"))
        return
    total = len(set().union(*(row.enterprise_ids for row in present)))
    document.add_paragraph(
        _("本地已有 %(count)s 家企业分布在 %(links)s 个环节，其中 %(covered)s 个环节已形成配套。")
        % {"count": total, "links": len(present), "covered": sum(row.state == LinkState.COVERED for row in coverage)}
    )
    headers = [
        pgettext("chain", "环节"),
        _("位置"),
        _("本地企业"),
        _("链主企业"),
        _("上年营业收入（万元）"),
        _("协议投资（万元）"),
    ]
    rows = [
        [
            "　" * row.depth + row.link.name, row.link.get_segment_display(), row.enterprises, row.leaders,
            f"{row.revenue:,.0f}", f"{row.investment:,.0f}",
        ]
        for row in present
    ]  # fmt: skip
    _table(document, headers, rows)
    leaders = _leader_names(chain)
    if leaders:
        document.add_paragraph(_("链主企业：%(names)s。") % {"names": "、".join(leaders)})


def _gap_section(document, coverage: list[LinkCoverage]) -> None:
    document.add_paragraph(_("三、缺链短板"), style="Heading 1")
    by_state: dict[str, list[LinkCoverage]] = defaultdict(list)
    for row in coverage:
        by_state[row.state].append(row)
    kinds = [
        (LinkState.FILL, _("补链（本地尚无企业的环节）")),
        (LinkState.EXTEND, _("延链（尚未布局的下游环节）")),
        (LinkState.STRENGTHEN, _("强链（本地企业少于阈值的薄弱环节）")),
    ]
    if not any(by_state[state] for state, _label in kinds):
        document.add_paragraph(_("本产业链各环节均已覆盖，没有缺失或薄弱环节。"))
        return
    for state, label in kinds:
        rows = by_state[state]
        names = "、".join(
            f"{row.link.name}（{row.enterprises}/{row.link.threshold}）" if state == LinkState.STRENGTHEN else row.link.name
            for row in rows
        )  # fmt: skip
        document.add_paragraph(f"{label}：{names or _('无')}。")


def _target_section(document, targets: list[LinkTargets]) -> None:
    document.add_paragraph(_("四、目标企业"), style="Heading 1")
    if not targets:
        document.add_paragraph(_("没有需要招引的缺失或薄弱环节。"))
        return
    headers = [_("序号"), _("企业名称"), _("注册地"), _("标签"), _("得分"), _("推荐理由")]
    for row in targets:
        document.add_paragraph(f"{row.coverage.link.name}（{row.coverage.state_label}）", style="Heading 2")
        if not row.targets:
            document.add_paragraph(_("暂未找到适合本环节的外地目标企业。"))
            continue
        _table(document, headers, [_target_row(number, target) for number, target in enumerate(row.targets, 1)])


def _target_row(number: int, target) -> list:
    enterprise = target.enterprise
    reasons = [reason for part in target.parts for reason in part.reasons]
    return [
        number, enterprise.name, enterprise.region_name or enterprise.region_code, "、".join(target.tags),
        target.score, "；".join(reasons),
    ]  # fmt: skip


def _offer_section(document, offers: Offers) -> None:
    document.add_paragraph(_("五、用地和政策支持"), style="Heading 1")
    if not offers.land and not offers.support:
        document.add_paragraph(_("目前没有有效的惠企政策条款可列入本指南。"))
        return
    if not offers.fitted:
        document.add_paragraph(_("没有专门针对本产业链环节的政策条款，以下为普遍适用的有效政策。"))
    for title, items in ((_("（一）用地保障"), offers.land), (_("（二）政策支持"), offers.support)):
        document.add_paragraph(title, style="Heading 2")
        if not items:
            document.add_paragraph(_("暂无。"))
        for item in items:
            document.add_paragraph(
                f"{item.title}（{item.policy.title}{item.number}，{item.get_benefit_kind_display()}）：{item.benefit}"
            )


# ---- policy offers -----------------------------------------------------------------------------------------


def policy_offers(gaps: list[LinkCoverage]) -> Offers:
    """Items of policies in force that mention the gaps' codes or keywords, or else the general ones."""
    items = list(
        PolicyItem.objects.filter(policy__in=Policy.objects.in_force(timezone.localdate()))
        .select_related("policy")
        .order_by("policy__issued_on", "position", "id")
    )
    terms = {str(term) for row in gaps for term in [*row.link.keywords, *row.link.industry_codes] if str(term)}
    fitted = [item for item in items if _mentions(item, terms)]
    chosen = fitted or [item for item in items if not _mentions_industry(item)][:GENERAL_OFFERS]
    land = [item for item in chosen if item.benefit_kind == BenefitKind.LAND]
    support = [item for item in chosen if item.benefit_kind != BenefitKind.LAND]
    return Offers(land=land, support=support, fitted=bool(fitted))


def _mentions(item: PolicyItem, terms: set[str]) -> bool:
    text = " ".join((item.title, item.benefit, item.beneficiaries, item.conditions))
    rule = json.dumps(item.rule, ensure_ascii=False)
    # codes are matched in the rule only: "36" in a text is as likely a number of months
    return any(f'"{term}"' in rule or (not term.isascii() and term in text) for term in terms)


def _mentions_industry(item: PolicyItem) -> bool:
    """An item whose rule is about industries is not a general offer."""
    return "industry" in json.dumps(item.rule)


# ---- the diagram -------------------------------------------------------------------------------------------------


def diagram_png(coverage: list[LinkCoverage]) -> bytes:
    """Segments as columns from upstream to downstream, each link a box coloured by its state, sub-links indented."""
    find_cjk_font()
    columns = {segment: [row for row in coverage if row.link.segment == segment] for segment in Segment.values}
    rows = max((len(links) for links in columns.values()), default=0) or 1
    width_in, height_in = DIAGRAM_WIDTH_MM / 25.4, max(2.2, 0.8 + 0.42 * rows)
    figure = Figure(figsize=(width_in, height_in), dpi=DPI)
    axes = figure.add_axes((0, 0.1, 1, 0.9))
    axes.set_xlim(0, 3)
    axes.set_ylim(rows + 1, 0)
    axes.axis("off")
    for column, (segment, links) in enumerate(columns.items()):
        axes.text(column + 0.5, 0.45, Segment(segment).label, ha="center", va="center", fontsize=11,
                  fontfamily=CJK_FONT_FAMILY, fontweight="bold")  # fmt: skip
        for place, row in enumerate(links, 1):
            indent = 0.08 * row.depth
            box = FancyBboxPatch(
                (column + 0.06 + indent, place + 0.08), 0.88 - indent, 0.72, boxstyle="round,pad=0.01,rounding_size=0.05",
                facecolor=STATE_COLOURS[row.state], edgecolor="white",
            )  # fmt: skip
            axes.add_patch(box)
            axes.text(column + 0.5 + indent / 2, place + 0.44, f"{row.link.name}（{row.enterprises}）", ha="center",
                      va="center", fontsize=8, color="white", fontfamily=CJK_FONT_FAMILY)  # fmt: skip
    handles = [Patch(color=colour, label=LinkState(state).label) for state, colour in STATE_COLOURS.items()]
    figure.legend(handles=handles, loc="lower center", ncol=4, frameon=False,
                  prop={"family": CJK_FONT_FAMILY, "size": 8})  # fmt: skip
    return figure_png(figure)


# ---- helpers -------------------------------------------------------------------------------------------------


def _leader_names(chain: Chain) -> list[str]:
    leaders = Placement.objects.filter(
        local_condition(through="enterprise__"), link__chain=chain, status=Placement.Status.CONFIRMED,
        is_chain_leader=True,
    )  # fmt: skip
    return sorted(set(leaders.values_list("enterprise__name", flat=True)))


def _heading_style(document) -> None:
    for name, size in (("Heading 1", Pt(16)), ("Heading 2", Pt(14))):
        style = document.styles[name]
        set_fonts(style, HEADING_FONT, LATIN_FONT)
        style.font.size, style.font.bold, style.font.color.rgb = size, False, RGBColor(0, 0, 0)


def _centred(document, text: str) -> None:
    paragraph = document.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document, headers: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = TABLE_SIZE
