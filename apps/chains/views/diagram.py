"""The chain diagram (ECharts tree coloured by coverage) with the list of gaps below it, and its Excel export."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from apps.chains import permissions
from apps.chains.models import Chain
from apps.chains.services import diagram
from apps.chains.services.coverage import LinkState, chain_coverage
from apps.core.audit import record_access
from apps.core.exports import xlsx_response

GAP_KINDS = (LinkState.FILL, LinkState.EXTEND, LinkState.STRENGTHEN)
GAP_HEADERS = [
    pgettext_lazy("chain", "环节"), gettext_lazy("上级环节"), gettext_lazy("所处位置"), gettext_lazy("类别"),
    gettext_lazy("本地确认企业"), gettext_lazy("薄弱阈值"), gettext_lazy("链主企业"),
    gettext_lazy("上年营业收入（万元）"), gettext_lazy("协议投资（万元）"),
]  # fmt: skip


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def chain_diagram(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_object_or_404(Chain, pk=pk)
    coverage = chain_coverage(chain)
    gaps = [row for row in coverage if row.is_gap]
    context = {
        "chain": chain,
        "tree": diagram.chain_tree(chain, coverage),
        "legend": diagram.legend(),
        "gap_groups": [(LinkState(kind).label, [row for row in gaps if row.state == kind]) for kind in GAP_KINDS],
        "gap_count": len(gaps),
        "link_count": len(coverage),
        "can_place": permissions.can_place(request.user),
    }
    return render(request, "chains/chain_diagram.html", context)


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def gap_export(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_object_or_404(Chain, pk=pk)
    coverage = chain_coverage(chain)
    names = {row.link.pk: row.link.name for row in coverage}
    gaps = [row for row in coverage if row.is_gap]
    record_access(chain, by=request.user, what="导出产业链缺失和薄弱环节", rows=len(gaps))
    rows = (
        (
            row.link.name, names.get(row.link.parent_id, ""), row.link.get_segment_display(),
            str(row.state_label), row.enterprises, row.link.threshold, row.leaders, row.revenue, row.investment,
        )
        for row in gaps
    )  # fmt: skip
    title = _("%(chain)s缺失和薄弱环节") % {"chain": chain.name}
    return xlsx_response(title, [str(header) for header in GAP_HEADERS], rows)
