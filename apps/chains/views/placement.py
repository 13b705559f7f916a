"""Placement pages: a chain's placement queue with bulk decisions, the suggestion runs with their progress, and a
link's page (its enterprises, strength and waiting suggestions, an enterprise added by hand)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from apps.chains import permissions
from apps.chains.locality import local_condition
from apps.chains.models import Chain, Link, Placement, PlacementRun
from apps.chains.services import placement as service
from apps.chains.services import placement_runs
from apps.chains.services.coverage import chain_coverage
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import StyledFormMixin
from apps.core.lists import paginate, query_without_page, wants_export
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import search_enterprises

#: the suggestions a link's page shows (the queue has them all)
LINK_SUGGESTIONS = 20
#: the local enterprises a search on the link's page offers to add
FOUND_LIMIT = 10


class QueueFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("企业名称")}),
    )  # fmt: skip
    link = forms.ModelChoiceField(
        label=pgettext_lazy("chain", "环节"),
        queryset=Link.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False,
        choices=[("", gettext_lazy("待确认")), *[c for c in Placement.Status.choices if c[0] != "suggested"],
                 ("all", gettext_lazy("全部"))],
    )  # fmt: skip
    min_score = forms.IntegerField(label=gettext_lazy("最低得分"), required=False, min_value=0, max_value=100)

    def __init__(self, *args, chain: Chain, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = Link.objects.filter(chain=chain).order_by("segment", "order", "pk")


def _queue(chain: Chain, data: dict):
    placements = Placement.objects.filter(link__chain=chain).select_related("link", "enterprise", "decided_by")
    status = data.get("status") or Placement.Status.SUGGESTED
    if status != "all":
        placements = placements.filter(status=status)
    if data.get("link"):
        placements = placements.filter(link=data["link"])
    if data.get("min_score") is not None:
        placements = placements.filter(score__gte=data["min_score"])
    if data.get("q", "").strip():
        placements = placements.filter(enterprise__name__icontains=data["q"].strip())
    return placements.order_by("-score", "link__order", "enterprise__name", "pk")


QUEUE_HEADERS = [
    pgettext_lazy("chain", "环节"), gettext_lazy("企业名称"), gettext_lazy("统一社会信用代码"), gettext_lazy("注册地"),
    gettext_lazy("匹配得分"), gettext_lazy("匹配理由"), gettext_lazy("状态"), gettext_lazy("链主企业"),
    gettext_lazy("确认人"),
]  # fmt: skip


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def placement_queue(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_object_or_404(Chain, pk=pk)
    form = QueueFilterForm(request.GET, chain=chain)
    placements = _queue(chain, form.cleaned_data if form.is_valid() else {})
    if wants_export(request):
        return _export_queue(request, chain, placements)
    context = {
        "chain": chain,
        "form": form,
        "page": paginate(request, placements),
        "query": query_without_page(request),
        "can_place": permissions.can_place(request.user),
        "last_run": PlacementRun.objects.filter(chain=chain).first(),
        "waiting": Placement.objects.filter(link__chain=chain, status=Placement.Status.SUGGESTED).count(),
    }
    return render(request, "chains/placement_queue.html", context)


def _export_queue(request: HttpRequest, chain: Chain, placements) -> HttpResponse:
    record_access(chain, by=request.user, what="导出企业环节定位", rows=placements.count())
    rows = (
        (
            p.link.name, p.enterprise.name, p.enterprise.uscc or "", p.enterprise.region_name or p.enterprise.region_code,
            p.score, "；".join(p.reasons), p.get_status_display(), _("是") if p.is_chain_leader else "",
            p.decided_by.name if p.decided_by else "",
        )
        for p in placements.iterator(chunk_size=2000)
    )  # fmt: skip
    title = _("%(chain)s企业定位") % {"chain": chain.name}
    return xlsx_response(title, [str(header) for header in QUEUE_HEADERS], rows)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Back to the page the form came from (the queue with its filters, or the link's page)."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)
    return HttpResponseRedirect(fallback)


ACTIONS = {
    "confirm": lambda placement, by: service.confirm_placement(placement=placement, by=by),
    "reject": lambda placement, by: service.reject_placement(placement=placement, by=by),
    "leader": lambda placement, by: service.mark_chain_leader(placement=placement, by=by),
    "unleader": lambda placement, by: service.mark_chain_leader(placement=placement, by=by, leader=False),
}
DONE = {
    "confirm": gettext_lazy("已确认 %(enterprise)s 在“%(link)s”环节。"),
    "reject": gettext_lazy("已否定 %(enterprise)s 在“%(link)s”环节。"),
    "leader": gettext_lazy("已将 %(enterprise)s 标为“%(link)s”环节的链主企业。"),
    "unleader": gettext_lazy("已取消 %(enterprise)s 的链主标记。"),
}


@login_required
@permission_required(permissions.PLACE_ENTERPRISE, raise_exception=True)
@require_POST
def placement_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    placement = get_object_or_404(Placement.objects.select_related("link", "enterprise"), pk=pk)
    if action not in ACTIONS:
        return HttpResponse(status=400)
    try:
        ACTIONS[action](placement, request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, DONE[action] % {"enterprise": placement.enterprise.name, "link": placement.link.name})
    return _back(request, reverse("chains:link_detail", args=[placement.link_id]))


@login_required
@permission_required(permissions.PLACE_ENTERPRISE, raise_exception=True)
@require_POST
def placement_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_object_or_404(Chain, pk=pk)
    ids = [value for value in request.POST.getlist("ids") if value.isdigit()]
    chosen = list(Placement.objects.filter(link__chain=chain, pk__in=ids).select_related("link", "enterprise"))
    action = request.POST.get("action")
    if not chosen or action not in {"confirm", "reject"}:
        messages.error(request, _("请先勾选要确认或否定的企业。"))
        return _back(request, reverse("chains:placement_queue", args=[chain.pk]))
    bulk = service.confirm_placements if action == "confirm" else service.reject_placements
    done = bulk(placements=chosen, by=request.user)
    messages.success(request, _("已处理 %(done)s 条，跳过 %(skipped)s 条已是该状态的。") % {
        "done": done, "skipped": len(chosen) - done})  # fmt: skip
    return _back(request, reverse("chains:placement_queue", args=[chain.pk]))


# ---- suggestion runs ------------------------------------------------------------------------------


@login_required
@permission_required(permissions.PLACE_ENTERPRISE, raise_exception=True)
@require_POST
def placement_run_start(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_object_or_404(Chain, pk=pk)
    try:
        run = placement_runs.start_suggesting(chain=chain, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("chains:placement_queue", pk=chain.pk)
    messages.info(request, _("已开始为本产业链的环节查找本地企业，完成后本页自动更新。"))
    return redirect("chains:placement_run_detail", pk=run.pk)


def _run_context(run: PlacementRun) -> dict:
    return {"run": run, "stage": placement_runs.stage_label(run)}


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def placement_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(PlacementRun.objects.select_related("chain", "started_by"), pk=pk)
    return render(request, "chains/placement_run.html", _run_context(run))


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def placement_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(PlacementRun.objects.select_related("chain", "started_by"), pk=pk)
    return render(request, "chains/placement_run.html#run-progress", _run_context(run))


# ---- a link's page --------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_CHAIN, raise_exception=True)
def link_detail(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Link.objects.select_related("chain", "parent"), pk=pk)
    coverage = next(row for row in chain_coverage(link.chain) if row.link.pk == link.pk)
    placements = Placement.objects.filter(link=link).select_related("enterprise", "decided_by")
    context = {
        "link": link,
        "coverage": coverage,
        "children": link.children.order_by("order", "pk"),
        "confirmed": placements.filter(status=Placement.Status.CONFIRMED).order_by(
            "-is_chain_leader", "enterprise__name"
        ),
        "suggested": placements.filter(status=Placement.Status.SUGGESTED).order_by("-score", "pk")[:LINK_SUGGESTIONS],
        "waiting": placements.filter(status=Placement.Status.SUGGESTED).count(),
        "can_place": permissions.can_place(request.user),
        "find": request.GET.get("find", "").strip(),
    }
    if context["can_place"] and context["find"]:
        context["found"] = _local_matches(context["find"])
        if request.htmx:
            return render(request, "chains/link_detail.html#found", context)
    return render(request, "chains/link_detail.html", context)


def _local_matches(text: str) -> list[Enterprise]:
    """Local enterprises whose name (short name, pinyin initials, USCC) matches what the person typed."""
    ids = [match.enterprise.pk for match in search_enterprises(text, limit=FOUND_LIMIT * 5)]
    local = Enterprise.objects.active().filter(local_condition(), pk__in=ids).in_bulk()
    return [local[pk] for pk in ids if pk in local][:FOUND_LIMIT]


@login_required
@permission_required(permissions.PLACE_ENTERPRISE, raise_exception=True)
@require_POST
def placement_add(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Link.objects.select_related("chain"), pk=pk)
    value = request.POST.get("enterprise", "")
    enterprise = Enterprise.objects.filter(pk=value).first() if value.isdigit() else None
    if enterprise is None:
        messages.error(request, _("请先查找并选择要定位的本地企业。"))
        return redirect("chains:link_detail", pk=link.pk)
    try:
        service.place_enterprise(link=link, enterprise=enterprise, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已将 %(enterprise)s 定位到“%(link)s”环节。") % {
            "enterprise": enterprise.name, "link": link.name})  # fmt: skip
    return redirect("chains:link_detail", pk=link.pk)
