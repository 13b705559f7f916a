"""The chain maps' pages: the list of chains with their gaps, a chain's links in map order with their coverage,
the chain and link forms, deleting a link or a chain.

Chains are city-wide reference records (global_path): every holder of VIEW_CHAIN reads them all; keepers
(MANAGE_CHAIN) edit them, a 403 for the others.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.chains import permissions
from apps.chains.forms import ChainFilterForm, ChainForm, LinkForm
from apps.chains.models import Chain, Link
from apps.chains.services import maps as services
from apps.chains.services.chain_excel import export_chain, import_chain
from apps.chains.services.coverage import LinkState, chain_coverage, state_counts
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import XLSX_CONTENT_TYPE, xlsx_response
from apps.core.forms import add_rule_error
from apps.core.import_views import preview_import_page
from apps.core.lists import paginate, query_without_page, wants_export

LIST_HEADERS = (
    gettext_lazy("产业链"), gettext_lazy("简介"), gettext_lazy("状态"), gettext_lazy("环节数"), gettext_lazy("补链"),
    gettext_lazy("延链"), gettext_lazy("强链"), gettext_lazy("待补强环节合计"), gettext_lazy("薄弱环节阈值"),
    gettext_lazy("更新时间"),
)  # fmt: skip
GAP_STATES = (LinkState.FILL, LinkState.EXTEND, LinkState.STRENGTHEN)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _chain(pk: int) -> Chain:
    return get_object_or_404(Chain.objects.select_related("updated_by"), pk=pk)


def _link(pk: int) -> Link:
    return get_object_or_404(Link.objects.select_related("chain", "parent"), pk=pk)


def list_chains(filters: dict):
    """Chains with their link counts, narrowed by the list's search and status filter."""
    chains = Chain.objects.annotate(link_count=Count("links")).order_by("order", "name")
    if filters.get("q"):
        q = filters["q"]
        chains = chains.filter(
            Q(name__icontains=q) | Q(pk__in=Link.objects.filter(name__icontains=q).values("chain_id"))
        )
    if filters.get("active") in ("0", "1"):
        chains = chains.filter(is_active=filters["active"] == "1")
    return chains


def with_gap_counts(chains) -> list[Chain]:
    """Each chain with ``gap_counts`` (fill, extend, strengthen) and ``gap_total``, in three queries."""
    chains = list(chains)
    counts = state_counts(chains)
    for chain in chains:
        chain.gap_counts = [counts[chain.pk][state] for state in GAP_STATES]
        chain.gap_total = sum(chain.gap_counts)
    return chains


def _export_row(chain: Chain) -> list:
    status = _("启用") if chain.is_active else _("停用")
    return [chain.name, chain.description, status, chain.link_count, *chain.gap_counts, chain.gap_total,
            chain.weak_below, chain.updated_at.strftime("%Y-%m-%d %H:%M")]  # fmt: skip


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def chain_list(request: HttpRequest) -> HttpResponse:
    form = ChainFilterForm(request.GET)
    chains = list_chains(form.cleaned_data if form.is_valid() else {})
    if wants_export(request):
        rows = [_export_row(chain) for chain in with_gap_counts(chains)]
        record_access(request.user, by=request.user, what="导出产业链列表", rows=len(rows))
        return xlsx_response(_("产业链"), [str(header) for header in LIST_HEADERS], rows)
    page = paginate(request, chains)
    context = {
        "form": form,
        "page": page,
        "chains": with_gap_counts(page.object_list),
        "query": query_without_page(request),
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "chains/chain_list.html", context)


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chain = _chain(pk)
    rows = chain_coverage(chain)
    context = {
        "chain": chain,
        "rows": rows,
        "gap_counts": [(LinkState(state).label, sum(row.state == state for row in rows)) for state in GAP_STATES],
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "chains/chain_detail.html", context)


@login_required
@permission_required(permissions.MANAGE_CHAIN, raise_exception=True)
def chain_create(request: HttpRequest) -> HttpResponse:
    return _chain_form(request, None)


@login_required
@permission_required(permissions.MANAGE_CHAIN, raise_exception=True)
def chain_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _chain_form(request, _chain(pk))


def _chain_form(request: HttpRequest, chain: Chain | None) -> HttpResponse:
    _require(permissions.can_manage(request.user))
    form = ChainForm(request.POST or None, instance=chain)
    if request.method == "POST" and form.is_valid():
        try:
            if chain is None:
                chain = services.create_chain(**form.cleaned_data, by=request.user)
            else:
                services.update_chain(chain=chain, **form.cleaned_data, by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存产业链。"))
            return redirect("chains:chain_detail", pk=chain.pk)
    return render(request, "chains/chain_form.html", {"form": form, "chain": chain})


@login_required
@require_POST
def chain_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(permissions.can_manage(request.user))
    chain = _chain(pk)
    try:
        services.delete_chain(chain=chain, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("chains:chain_detail", pk=chain.pk)
    messages.success(request, _("已删除产业链“%(name)s”。") % {"name": chain.name})
    return redirect("chains:chain_list")


@login_required
@permission_required(permissions.MANAGE_CHAIN, raise_exception=True)
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a link to the chain; ``?parent=<link id>`` adds a sub-link under that link."""
    chain = _chain(pk)
    parent_id = request.GET.get("parent", "")
    parent = Link.objects.filter(chain=chain, pk=int(parent_id)).first() if parent_id.isdigit() else None
    return _link_form(request, chain, None, parent)


@login_required
@permission_required(permissions.MANAGE_CHAIN, raise_exception=True)
def link_edit(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(pk)
    return _link_form(request, link.chain, link, None)


def _link_form(request: HttpRequest, chain: Chain, link: Link | None, parent: Link | None) -> HttpResponse:
    _require(permissions.can_manage(request.user))
    initial = {"parent": parent, "segment": parent.segment} if parent else {}
    form = LinkForm(request.POST or None, instance=link, chain=chain, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if link is None:
                services.create_link(chain=chain, **form.cleaned_data, by=request.user)
            else:
                services.update_link(link=link, **form.cleaned_data, by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存环节。"))
            return redirect("chains:chain_detail", pk=chain.pk)
    context = {"form": form, "chain": chain, "link": link, "parent": parent}
    return render(request, "chains/link_form.html", context)


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(permissions.can_manage(request.user))
    link = _link(pk)
    try:
        services.delete_link(link=link, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除环节“%(name)s”及其下级环节。") % {"name": link.name})
    return redirect("chains:chain_detail", pk=link.chain_id)


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def chain_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The chain as a workbook (links and the chain's fields), the one the import reads."""
    chain = _chain(pk)
    record_access(chain, by=request.user, what="导出产业链图谱")
    filename = f"{chain.name}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(export_chain(chain), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(permissions.MANAGE_CHAIN, raise_exception=True)
def chain_import(request: HttpRequest) -> HttpResponse:
    """Upload a chain's workbook → preview every row → 确认导入 (the chain created or updated, all or nothing)."""
    _require(permissions.can_manage(request.user))

    def done(report) -> HttpResponse:
        message = _("已导入产业链“%(name)s”：新增 %(created)s 个、更新 %(updated)s 个、删除 %(deleted)s 个环节。")
        messages.success(request, message % {"name": report.chain_name, "created": report.created,
                                             "updated": report.updated, "deleted": report.deleted})  # fmt: skip
        return redirect("chains:chain_detail", pk=report.chain_id)

    return preview_import_page(
        request, key="chains_import", template="chains/chain_import.html", done=done,
        run=lambda content, commit: import_chain(content=content, commit=commit, by=request.user),
        restart="chains:chain_import",
    )  # fmt: skip
