"""Reviewing suggested duplicates: clusters, a pair side by side, merge or dismiss; merges and undo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.lists import paginate, query_without_page, wants_export
from apps.enterprises import merging, permissions, scanning, services
from apps.enterprises.clustering import DisjointSets
from apps.enterprises.forms import DuplicateFilterForm, MergeForm
from apps.enterprises.matching.compare import compare_names
from apps.enterprises.matching.reasons import describe_all
from apps.enterprises.models import DuplicateScan, DuplicateSuggestion, Enterprise, Merge
from apps.enterprises.permissions import get_enterprise_for_user, get_merge_for_user, get_suggestion_for_user

CLUSTERS_PER_PAGE = 10
#: open suggestions grouped into clusters at once; more are reached by filtering
CLUSTER_LIMIT = 3000


@login_required
@permission_required(permissions.MERGE, raise_exception=True)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    form = DuplicateFilterForm(request.GET or {"status": "open"})
    suggestions = _filtered(form)
    if wants_export(request):
        return _export(request, suggestions)
    clusters = clusters_of(list(suggestions[:CLUSTER_LIMIT]))
    context = {
        "form": form,
        "page": paginate(request, clusters, per_page=CLUSTERS_PER_PAGE),
        "query": query_without_page(request),
        "truncated": suggestions.count() > CLUSTER_LIMIT,
        "scan": DuplicateScan.objects.first(),
    }
    return render(request, "enterprises/duplicate_list.html", context)


def _filtered(form: DuplicateFilterForm):
    suggestions = DuplicateSuggestion.objects.select_related("first", "second", "decided_by").order_by("-score", "id")
    if not form.is_valid():
        return suggestions.filter(status=DuplicateSuggestion.Status.OPEN)
    data = form.cleaned_data
    if data["status"]:
        suggestions = suggestions.filter(status=data["status"])
    if data["verdict"]:
        suggestions = suggestions.filter(verdict=data["verdict"])
    if data["q"].strip():
        text = data["q"].strip()
        suggestions = suggestions.filter(Q(first__name__icontains=text) | Q(second__name__icontains=text))
    return suggestions


def clusters_of(suggestions: list[DuplicateSuggestion]) -> list[dict]:
    """Suggestions joined into clusters of enterprises they connect, the strongest cluster first."""
    sets = DisjointSets()
    for s in suggestions:
        sets.join(s.first_id, s.second_id)
    clusters: dict[int, dict] = {}
    for s in suggestions:
        cluster = clusters.setdefault(sets.find(s.first_id), {"suggestions": [], "enterprises": {}, "score": 0.0})
        cluster["suggestions"].append(s)
        cluster["enterprises"].update({s.first_id: s.first, s.second_id: s.second})
        cluster["score"] = max(cluster["score"], s.score)
    ordered = sorted(clusters.values(), key=lambda c: -c["score"])
    for cluster in ordered:
        cluster["enterprises"] = sorted(cluster["enterprises"].values(), key=lambda e: e.pk)
    return ordered


def _export(request: HttpRequest, suggestions) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出疑似重复企业", rows=suggestions.count())
    rows = (
        (
            s.first.name,
            s.first.uscc or "",
            s.second.name,
            s.second.uscc or "",
            s.get_verdict_display(),
            round(s.score * 100),
            describe_all(s.reasons),
            s.get_status_display(),
            s.source,
        )
        for s in suggestions
    )
    headers = [
        _("企业甲"), _("甲的信用代码"), _("企业乙"), _("乙的信用代码"), _("判断"), _("得分"), _("理由"), _("状态"), _("来源"),
    ]  # fmt: skip
    return xlsx_response(_("疑似重复企业"), headers, rows)


@login_required
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    pair = [suggestion.first, suggestion.second]
    default = max(pair, key=lambda e: (bool(e.uscc), e.names.count(), -e.pk))
    context = {
        "suggestion": suggestion,
        "pair": [_side(e) for e in pair],
        "reasons": describe_all(suggestion.reasons),
        "form": MergeForm(suggestion=suggestion, initial={"survivor": default.pk}),
    }
    return render(request, "enterprises/duplicate_detail.html", context)


def _side(enterprise: Enterprise) -> dict:
    references = []
    for model, field in merging.references():
        count = model._default_manager.filter(**{field: enterprise}).count()
        if count:
            references.append((model._meta.verbose_name, count))
    return {
        "enterprise": enterprise,
        "names": enterprise.names.order_by("kind", "id"),
        "tags": enterprise.tags.all(),
        "children": enterprise.children.count(),
        "references": references,
    }


@login_required
@require_POST
def duplicate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    form = MergeForm(request.POST, suggestion=suggestion)
    if not form.is_valid():
        messages.error(request, _("请选择要保留的记录。"))
        return redirect("enterprises:duplicate_detail", pk=suggestion.pk)
    survivor_pk = form.cleaned_data["survivor"]
    survivor, merged = (
        (suggestion.first, suggestion.second)
        if survivor_pk == suggestion.first_id
        else (suggestion.second, suggestion.first)
    )
    try:
        merging.merge_enterprises(survivor=survivor, merged=merged, suggestion=suggestion, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("enterprises:duplicate_detail", pk=suggestion.pk)
    messages.success(
        request,
        _("已把“%(merged)s”合并到“%(survivor)s”，可在合并记录中撤销。")
        % {"merged": merged.name, "survivor": survivor.name},
    )
    return redirect("enterprises:detail", pk=survivor.pk)


@login_required
@require_POST
def duplicate_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    try:
        services.dismiss_suggestion(suggestion=suggestion, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已标记为不是重复，以后的扫描不再提示这一对。"))
    return redirect("enterprises:duplicate_list")


@login_required
@require_POST
def duplicate_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """A keeper who found a duplicate by hand opens the pair's review page."""
    enterprise = get_enterprise_for_user(request.user, pk, action=permissions.MERGE)
    other_pk = request.POST.get("other", "")
    other = Enterprise.objects.active().filter(pk=int(other_pk)).first() if other_pk.isdigit() else None
    if other is None or other.pk == enterprise.pk:
        messages.error(request, _("请先查找并选择另一条重复的企业记录。"))
        return redirect("enterprises:detail", pk=enterprise.pk)
    comparison = compare_names(
        enterprise.name, other.name, first_uscc=enterprise.uscc or "", second_uscc=other.uscc or ""
    )
    services.suggest_duplicate(
        first=enterprise,
        second=other,
        verdict=DuplicateSuggestion.Verdict.SAME,
        score=comparison.same_score,
        reasons=[{"code": r.code, "detail": r.detail} for r in comparison.reasons],
        source="manual",
    )
    low, high = sorted((enterprise.pk, other.pk))
    suggestion = DuplicateSuggestion.objects.get(first_id=low, second_id=high)
    if suggestion.status != DuplicateSuggestion.Status.OPEN:
        messages.info(request, _("这两条记录此前已处理过：%(status)s。") % {"status": suggestion.get_status_display()})
    return redirect("enterprises:duplicate_detail", pk=suggestion.pk)


# ---- scans ---------------------------------------------------------------------------------


@login_required
@permission_required(permissions.MERGE, raise_exception=True)
@require_POST
def scan_start(request: HttpRequest) -> HttpResponse:
    scan = scanning.start_duplicate_scan(by=request.user)
    if scan.status == DuplicateScan.Status.FINISHED:
        messages.success(request, _("扫描完成，新增 %(count)s 条疑似重复。") % {"count": scan.suggestions})
    else:
        messages.info(request, _("已开始扫描全库疑似重复企业，完成后本页自动更新。"))
    return redirect("enterprises:duplicate_list")


@login_required
@permission_required(permissions.MERGE, raise_exception=True)
def scan_status(request: HttpRequest) -> HttpResponse:
    return render(request, "enterprises/duplicate_list.html#scan-status", {"scan": DuplicateScan.objects.first()})


# ---- merges --------------------------------------------------------------------------------


@login_required
@permission_required(permissions.MERGE, raise_exception=True)
def merge_list(request: HttpRequest) -> HttpResponse:
    merges = Merge.objects.select_related("survivor", "merged", "merged_by", "undone_by")
    text = request.GET.get("q", "").strip()
    if text:
        merges = merges.filter(Q(survivor__name__icontains=text) | Q(merged__name__icontains=text))
    if wants_export(request):
        return _export_merges(request, merges)
    context = {"page": paginate(request, merges), "q": text, "query": query_without_page(request)}
    return render(request, "enterprises/merge_list.html", context)


def _export_merges(request: HttpRequest, merges) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出企业合并记录", rows=merges.count())
    rows = (
        (
            m.survivor.name,
            m.merged.name,
            m.merged_by.name,
            timezone.localtime(m.merged_at).replace(tzinfo=None),
            m.undone_by.name if m.undone_by else "",
            timezone.localtime(m.undone_at).replace(tzinfo=None) if m.undone_at else "",
        )
        for m in merges
    )
    headers = [_("保留企业"), _("被合并企业"), _("合并人"), _("合并时间"), _("撤销人"), _("撤销时间")]
    return xlsx_response(_("企业合并记录"), headers, rows)


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_merge_for_user(request.user, pk)
    try:
        merging.undo_merge(merge=merge, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤销合并，“%(name)s”已恢复。") % {"name": merge.merged.name})
    return redirect("enterprises:merge_list")
