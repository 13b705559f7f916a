"""The chain diagram's data for ECharts (a tree: chain → segments → links → sub-links), built from the chain's
coverage; pure (no queries), so the page and its tests read the same structure.

Each link node carries its state (补链/延链/强链/已覆盖) as the colour, the figures its tooltip shows, and the URL
of the link's page that a click opens. The colours are the Bootstrap colours of the state badges, so the legend
under the chart is the badges themselves.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.chains.models import Chain, Segment
from apps.chains.services.coverage import LinkCoverage, LinkState

COLOURS = {
    LinkState.FILL: "#dc3545",
    LinkState.EXTEND: "#0dcaf0",
    LinkState.STRENGTHEN: "#ffc107",
    LinkState.COVERED: "#198754",
}
SEGMENT_COLOUR = "#6c757d"


def legend() -> list[dict]:
    """The states in the order the legend shows them, with their label and colour."""
    return [{"state": state.value, "label": str(state.label), "colour": COLOURS[state]} for state in LinkState]


def chain_tree(chain: Chain, coverage: Iterable[LinkCoverage]) -> dict:
    """The ECharts tree of the chain; ``coverage`` in map order (parents before their sub-links)."""
    segments = {value: _segment_node(label) for value, label in Segment.choices}
    nodes: dict[int, dict] = {}
    for row in coverage:
        node = _link_node(row)
        nodes[row.link.pk] = node
        parent = nodes.get(row.link.parent_id)
        (parent or segments[row.link.segment])["children"].append(node)
    return {
        "name": chain.name,
        "itemStyle": {"color": SEGMENT_COLOUR},
        "children": [node for node in segments.values() if node["children"]],
    }


def _segment_node(label) -> dict:
    return {"name": str(label), "itemStyle": {"color": SEGMENT_COLOUR}, "children": []}


def _link_node(row: LinkCoverage) -> dict:
    return {
        "name": row.link.name,
        "value": row.enterprises,
        "state": row.state,
        "itemStyle": {"color": COLOURS[row.state]},
        "url": reverse("chains:link_detail", args=[row.link.pk]),
        "tooltip": [
            _("状态：%(state)s") % {"state": row.state_label},
            _("本地确认企业：%(count)s 家（薄弱阈值 %(threshold)s）")
            % {"count": row.enterprises, "threshold": row.link.threshold},
            _("链主企业：%(count)s 家") % {"count": row.leaders},
            _("上年营业收入：%(amount)s 万元") % {"amount": f"{row.revenue:,.0f}"},
            _("协议投资：%(amount)s 万元") % {"amount": f"{row.investment:,.0f}"},
        ],  # fmt: skip
        "children": [],
    }
