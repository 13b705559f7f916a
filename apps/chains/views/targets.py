"""Target pages: a link's recommended targets, a chain's targets for its gaps, a link's past leads, target → lead."""

from functools import lru_cache
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from apps.chains import permissions
from apps.chains.locality import outside_condition
from apps.chains.models import Chain, Link, LinkLead, Placement
from apps.chains.services import targets as target_service
from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import StyledFormMixin
from apps.core.lists import paginate, query_without_page, wants_export
from apps.enterprises.models import Enterprise
from apps.investment.models import Project, Stage
from apps.investment.permissions import visible_projects
from apps.investment.services.projects import who_holds

TARGETS_SHOWN = 100
TARGETS_PER_PAGE = 20
CHAIN_TARGETS_PER_LINK = 10
REGIONS_FILE = Path(__file__).resolve().parents[2] / "enterprises" / "data" / "regions.tsv"


@lru_cache(maxsize=1)
def province_choices() -> list[tuple[str, str]]:
    """(two-digit prefix, province name) from the national division codes."""
    lines = REGIONS_FILE.read_text(encoding="utf-8").splitlines()[1:]
    return [(code[:2], name) for code, name in (line.split("\t")[:2] for line in lines) if code.endswith("0000")]


class TargetFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("企业名称或统一社会信用代码")}),
    )  # fmt: skip
    tag = forms.ChoiceField(label=gettext_lazy("标签"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("注册地"), required=False)
    min_score = forms.IntegerField(label=gettext_lazy("最低得分"), required=False, min_value=0, max_value=100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("全部")), *((tag, tag) for tag in target_service.TAG_POINTS)]
        self.fields["region"].choices = [("", _("全部")), *province_choices()]


def _require_view(user) -> None:
    if not permissions.can_view(user):
        raise PermissionDenied


def _user_unit(request: HttpRequest):
    return getattr(request.user, "unit", None)


# ---- a link's targets --------------------------------------------------------------------------------------


@login_required
def link_targets(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    link = get_object_or_404(Link.objects.select_related("chain", "parent"), pk=pk)
    form = TargetFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    found = target_service.recommend(
        link, limit=TARGETS_SHOWN, unit=_user_unit(request), tag=data.get("tag", ""), region=data.get("region", ""),
        text=data.get("q", "").strip(), min_score=data.get("min_score") or 0,
    )  # fmt: skip
    if wants_export(request):
        record_access(link, by=request.user, what="导出环节目标企业", rows=len(found))
        return _export(_("目标企业") + f"-{link.name}", [(link, target) for target in found])
    context = {
        "link": link,
        "form": form,
        "page": paginate(request, found, per_page=TARGETS_PER_PAGE),
        "query": query_without_page(request),
        "can_open_lead": permissions.can_open_lead(request.user),
    }
    return render(request, "chains/link_targets.html", context)


@login_required
def chain_targets(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    chain = get_object_or_404(Chain, pk=pk)
    rows = target_service.recommend_for_chain(chain, per_link=CHAIN_TARGETS_PER_LINK, unit=_user_unit(request))
    if wants_export(request):
        record_access(chain, by=request.user, what="导出产业链目标企业")
        pairs = [(row.coverage.link, target) for row in rows for target in row.targets]
        return _export(_("目标企业") + f"-{chain.name}", pairs)
    context = {"chain": chain, "rows": rows, "can_open_lead": permissions.can_open_lead(request.user)}
    return render(request, "chains/chain_targets.html", context)


EXPORT_HEADERS = [
    pgettext_lazy("chain", "环节"), gettext_lazy("企业名称"), gettext_lazy("统一社会信用代码"), gettext_lazy("注册地"),
    gettext_lazy("所属行业"), gettext_lazy("标签"), gettext_lazy("总分"), gettext_lazy("环节匹配"),
    gettext_lazy("企业标签"), gettext_lazy("企业规模"), gettext_lazy("已有联系"), gettext_lazy("认领情况"),
    gettext_lazy("理由"),
]  # fmt: skip


def _export(title: str, pairs) -> HttpResponse:
    rows = []
    for link, target in pairs:
        points = {part.label: part.points for part in target.parts}
        enterprise = target.enterprise
        rows.append((
            link.name, enterprise.name, enterprise.uscc or "", enterprise.region_name or enterprise.region_code,
            str(enterprise.industry or ""), "、".join(target.tags), target.score, *(
                points.get(label, 0) for label in (_("环节匹配"), _("企业标签"), _("企业规模"), _("已有联系"))
            ), target.claim_note, "；".join(reason for part in target.parts for reason in part.reasons),
        ))  # fmt: skip
    return xlsx_response(title, [str(header) for header in EXPORT_HEADERS], rows)


# ---- target → lead -----------------------------------------------------------------------------------------


@login_required
@require_POST
def target_open(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_open_lead(request.user):
        raise PermissionDenied
    link = get_object_or_404(Link.objects.select_related("chain"), pk=pk)
    pool = Enterprise.objects.active().filter(outside_condition()).select_related("industry__parent")
    enterprise = get_object_or_404(pool, pk=_int(request.POST.get("enterprise")))
    score = target_service.score_target(link, enterprise, unit=request.user.unit).score
    try:
        registration = target_service.open_lead(link=link, enterprise=enterprise, by=request.user, score=score)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("chains:link_targets", pk=link.pk)
    if registration.in_conflict:
        holder = who_holds(enterprise, registration.project.unit)
        unit = holder.unit.name if holder is not None else _("其他单位")
        messages.warning(request, _("已登记为招商线索：该企业已由%(unit)s认领，已转协调。") % {"unit": unit})
    else:
        messages.success(request, _("已转为本单位的招商线索。"))
    return redirect("investment:project_detail", pk=registration.project.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ---- a link's past leads and projects ------------------------------------------------------------------------


class LeadFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("项目或企业名称")}),
    )  # fmt: skip
    stage = forms.ChoiceField(
        label=gettext_lazy("阶段"), required=False, choices=[("", gettext_lazy("全部")), *Stage.choices]
    )


LEAD_HEADERS = [
    gettext_lazy("项目编号"), gettext_lazy("项目名称"), gettext_lazy("企业"), gettext_lazy("责任单位"),
    gettext_lazy("阶段"), gettext_lazy("状态"), gettext_lazy("来源"), gettext_lazy("登记时间"),
]  # fmt: skip


def link_projects(link: Link):
    """Projects on the link: leads opened from its targets and projects of enterprises confirmed on it."""
    from_target = LinkLead.objects.filter(link=link, project=OuterRef("pk"))
    placed = Placement.objects.filter(link=link, status=Placement.Status.CONFIRMED).values("enterprise_id")
    return (
        Project.objects.annotate(from_target=Exists(from_target))
        .filter(Q(from_target=True) | Q(enterprise_id__in=placed))
        .select_related("unit", "enterprise")
        .order_by("-created_at", "-id")
    )


@login_required
def link_leads(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    link = get_object_or_404(Link.objects.select_related("chain"), pk=pk)
    form = LeadFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    projects = link_projects(link)
    if data.get("q"):
        projects = projects.filter(Q(name__contains=data["q"]) | Q(enterprise__name__contains=data["q"]))
    if data.get("stage"):
        projects = projects.filter(stage=data["stage"])
    if wants_export(request):
        record_access(link, by=request.user, what="导出环节招商线索")
        return _export_leads(link, projects)
    page = paginate(request, projects)
    visible = set(visible_projects(request.user).filter(pk__in=[p.pk for p in page]).values_list("pk", flat=True))
    for project in page:
        project.is_visible = project.pk in visible
    context = {"link": link, "form": form, "page": page, "query": query_without_page(request)}
    return render(request, "chains/link_leads.html", context)


def _export_leads(link: Link, projects) -> HttpResponse:
    rows = (
        (
            project.code,
            project.name,
            project.enterprise.name,
            project.unit.name,
            project.get_stage_display(),
            project.get_status_display(),
            _("目标推荐") if project.from_target else _("环节企业"),
            f"{project.created_at:%Y-%m-%d}",
        )
        for project in projects
    )
    return xlsx_response(_("环节招商线索") + f"-{link.name}", [str(header) for header in LEAD_HEADERS], rows)
