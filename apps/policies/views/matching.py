"""Policy matching pages: the batch runs with their progress, an item's qualifying enterprises, the reasons."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import StyledFormMixin
from apps.core.lists import paginate, query_without_page, wants_export
from apps.policies import permissions
from apps.policies.models import MatchRun, PolicyItem, PolicyMatch
from apps.policies.services import eligibility, matching

RUNS_PER_PAGE = 20


class MatchFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("企业名称或统一社会信用代码")}),
    )  # fmt: skip
    application = forms.ChoiceField(
        label=gettext_lazy("申报情况"), required=False,
        choices=[("", gettext_lazy("全部")), *matching.APPLICATION_FILTERS],
    )  # fmt: skip


# ---- runs -----------------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def match_runs(request: HttpRequest) -> HttpResponse:
    runs = MatchRun.objects.select_related("started_by")
    context = {
        "page": paginate(request, runs, per_page=RUNS_PER_PAGE),
        "query": query_without_page(request),
        "can_run": request.user.has_perm(permissions.RUN_MATCHING),
        "running": MatchRun.objects.filter(status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]).exists(),
    }
    return render(request, "policies/matching/match_runs.html", context)


@login_required
@permission_required(permissions.RUN_MATCHING, raise_exception=True)
@require_POST
def match_run_start(request: HttpRequest) -> HttpResponse:
    try:
        run = matching.start_matching(request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("policies:match_runs")
    messages.info(request, _("已开始匹配全部企业与有效的政策条款，完成后本页自动更新。"))
    return redirect("policies:match_run_detail", pk=run.pk)


def _run_context(run: MatchRun) -> dict:
    return {"run": run, "stage": matching.stage_label(run)}


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def match_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchRun.objects.select_related("started_by"), pk=pk)
    return render(request, "policies/matching/match_run_detail.html", _run_context(run))


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def match_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchRun, pk=pk)
    return render(request, "policies/matching/match_run_detail.html#run-progress", _run_context(run))


# ---- an item's qualifying enterprises -----------------------------------------------------------------


EXPORT_HEADERS = [
    gettext_lazy("企业名称"), gettext_lazy("统一社会信用代码"), gettext_lazy("注册地"), gettext_lazy("首次匹配时间"),
    gettext_lazy("状态变化时间"), gettext_lazy("已有兑现件"), gettext_lazy("最近兑现件状态"),
]  # fmt: skip


@login_required
@permission_required(permissions.VIEW_POLICY, raise_exception=True)
def item_matches(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PolicyItem.objects.select_related("policy", "department"), pk=pk)
    user = request.user
    can_list = user.has_perm(permissions.VIEW_FULFILMENT)
    if "explain" in request.GET:
        return _reasons(request, item, can_list)
    context = {
        "item": item,
        "count": PolicyMatch.objects.filter(item=item, current=True).count(),
        "last_run": MatchRun.objects.filter(status=MatchRun.Status.FINISHED).first(),
        "can_list": can_list,
    }
    if can_list:
        form = MatchFilterForm(request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        matches = matching.qualifying_enterprises(
            item, user, text=data.get("q", ""), application=data.get("application", "")
        )
        if wants_export(request):
            return _export(request, item, matches)
        page = paginate(request, matches)
        for match in page.object_list:
            match.state_label = matching.state_label(match.latest_state)
        context.update(form=form, page=page, query=query_without_page(request))
    return render(request, "policies/matching/item_matches.html", context)


def _reasons(request: HttpRequest, item: PolicyItem, can_list: bool) -> HttpResponse:
    """Why one of the qualifying enterprises meets the item's rule (rules.explain), on demand."""
    if not can_list:
        raise Http404
    try:
        enterprise_id = int(request.GET["explain"])
    except ValueError:
        raise Http404 from None
    match = PolicyMatch.objects.filter(item=item, enterprise_id=enterprise_id).select_related("enterprise").first()
    if match is None:
        raise Http404
    explanation = eligibility.check(item, match.enterprise, timezone.localdate())
    context = {"item": item, "enterprise": match.enterprise, "explanation": explanation}
    return render(request, "policies/matching/_reasons.html", context)


def _export(request: HttpRequest, item: PolicyItem, matches) -> HttpResponse:
    record_access(item, by=request.user, what="导出符合条款条件的企业", rows=matches.count())
    rows = (
        (
            match.enterprise.name,
            match.enterprise.uscc or "",
            match.enterprise.region_name or match.enterprise.region_code,
            timezone.localtime(match.first_matched_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(match.changed_at).strftime("%Y-%m-%d %H:%M"),
            _("是") if match.applied else _("否"),
            matching.state_label(match.latest_state),
        )
        for match in matches.iterator(chunk_size=2000)
    )
    return xlsx_response(_("符合条件的企业"), [str(header) for header in EXPORT_HEADERS], rows)
