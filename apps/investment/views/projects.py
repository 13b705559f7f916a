"""Project pages: the list with its filters and export, the board, a lead in a minute, a project's record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.enterprises.marks import attach_marks, marks_for
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import find_matches
from apps.enterprises.services import EnterpriseData, register_enterprise
from apps.investment import permissions
from apps.investment.forms.projects import (
    DecisionForm,
    DocumentForm,
    LeadForm,
    MoveForm,
    ProjectFilterForm,
    ProjectForm,
)
from apps.investment.models import ClaimConflict, Introducer, PipelineSettings, Project, Stage, Team
from apps.investment.permissions import get_project_for_user
from apps.investment.selectors.events import linkable_events
from apps.investment.selectors.projects import (
    active_teams,
    area_units,
    board,
    filter_projects,
    lead_clocks,
    list_projects,
)
from apps.investment.services import projects as services
from apps.investment.services.claims import group_claims
from apps.investment.services.rewards import can_file as can_file_reward
from apps.investment.services.workflow import allowed_moves, missing_for, pending_change
from apps.org import roles
from apps.org.models import Unit
from apps.supervision.task_selectors import commitments_on_page

EXPORT_HEADERS = (
    "项目编号", "项目名称", "投资企业", "统一社会信用代码", "责任单位", "线索来源", "所属行业", "阶段", "已确认阶段", "状态",
    "计划投资（万元）", "协议投资（万元）", "计入统计的投资（万元）", "签约日期", "开工日期", "投产日期", "登记日期",
)  # fmt: skip


# ---- list and board -----------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET, units=area_units(request.user), teams=active_teams(request.user))
    projects = list_projects(request.user)
    if form.is_valid():
        projects = filter_projects(projects, form.cleaned_data)
    if wants_export(request):
        return _export(request, projects)
    page = paginate(request, projects)
    page.object_list = list(page.object_list)
    attach_marks([project.enterprise for project in page.object_list], request.user)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "clocks": lead_clocks(page.object_list),
        "totals": projects.aggregate(planned=Sum("planned_investment"), contracted=Sum("contracted_investment")),
    }
    return render(request, "investment/project_list.html", context)


def _export(request: HttpRequest, projects) -> HttpResponse:
    record_access(request.user, by=request.user, what="导出招商项目", rows=projects.count())
    rows = (
        (
            p.code,
            p.name,
            p.enterprise.name,
            p.enterprise.uscc or "",
            p.unit.name,
            p.get_channel_display(),
            str(p.industry) if p.industry else "",
            p.get_stage_display(),
            p.get_counted_stage_display(),
            p.get_status_display(),
            p.planned_investment,
            p.contracted_investment,
            p.counted_investment,
            p.signed_on,
            p.started_on,
            p.producing_on,
            p.created_at.date(),
        )  # fmt: skip
        for p in projects
    )
    return xlsx_response(_("招商项目台账"), EXPORT_HEADERS, rows)


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def project_board(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET, units=area_units(request.user), teams=active_teams(request.user))
    projects = list_projects(request.user)
    if form.is_valid():
        projects = filter_projects(projects, form.cleaned_data)
    columns = board(projects)
    context = {
        "form": form,
        "columns": columns,
        "query": query_without_page(request),
        "total": sum(c.count for c in columns),
    }
    return render(request, "investment/project_board.html", context)


# ---- a lead in a minute -------------------------------------------------------------------


def _owner_units(user):
    """Units a lead may be given to: the user's own (if it handles projects) and the investment units."""
    investment = Unit.objects.filter(people__roles__code__in=[roles.INVESTMENT_OFFICER, roles.COUNTY_ADMIN])
    coordinating = PipelineSettings.current().coordinating_unit
    condition = Q(pk__in=investment.values("pk"))
    if coordinating is not None:
        condition |= Q(pk=coordinating.pk)
    return Unit.objects.filter(condition, is_active=True).distinct().order_by("path")


def _default_owner(user, units):
    if user.has_perm(permissions.CHANGE) and user.unit is not None and units.filter(pk=user.unit.pk).exists():
        return user.unit
    return PipelineSettings.current().coordinating_unit


@login_required
@permission_required(permissions.ADD, raise_exception=True)
def lead_create(request: HttpRequest) -> HttpResponse:
    units = _owner_units(request.user)
    form = LeadForm(
        request.POST or None,
        units=units,
        introducers=Introducer.objects.visible_to(request.user),
        teams=active_teams(request.user),
        initial={"unit": _default_owner(request.user, units)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = _register(request, form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            _say_registered(request, registration)
            return redirect("investment:project_detail", pk=registration.project.pk)
    return render(request, "investment/lead_form.html", {"form": form})


def _register(request: HttpRequest, data: dict):
    enterprise = data["enterprise"] or _new_enterprise(request, data["new_enterprise"])
    details = {
        k: data[k] for k in ("name", "channel", "industry", "planned_investment", "description", "introducer", "team")
    }
    responded = request.user.has_perm(permissions.CHANGE) and request.user.unit_id == data["unit"].pk
    return services.register_lead(
        enterprise=enterprise, unit=data["unit"], by=request.user, responded=responded, **details
    )


def _new_enterprise(request: HttpRequest, name: str):
    """A new enterprise typed on the lead form: taken from the registry when the matcher is sure it is there."""
    same = [m for m in find_matches(name) if m.verdict == "same" and m.score >= 0.9]
    if same:
        return same[0].enterprise
    return register_enterprise(data=EnterpriseData(name=name), by=request.user)


def _say_registered(request: HttpRequest, registration) -> None:
    project = registration.project
    for outcome in registration.screening:
        messages.warning(request, outcome.message)
    for claim in group_claims(project.enterprise, excluding_unit=project.unit):
        messages.info(
            request,
            _("同一集团的%(enterprise)s由%(unit)s首报，请与其沟通对接，避免重复招商。")
            % {"enterprise": claim.enterprise.name, "unit": claim.unit.name},
        )
    if registration.in_conflict:
        conflict = ClaimConflict.objects.select_related("holder__unit").get(challenger=registration.claim)
        messages.warning(
            request,
            _("该企业已由%(unit)s于%(date)s首报，本线索已转统筹单位协调；协调前请勿重复对接企业。")
            % {"unit": conflict.holder.unit.name, "date": f"{conflict.holder.starts_on:%Y年%m月%d日}"},
        )
    messages.success(request, _("已登记线索“%(name)s”（%(code)s）。") % {"name": project.name, "code": project.code})


@login_required
@permission_required(permissions.ADD, raise_exception=True)
def lead_check(request: HttpRequest) -> HttpResponse:
    """While the enterprise is chosen: does another unit hold it? (htmx fragment, masked detail)."""
    pk = request.GET.get("enterprise", "")
    enterprise = Enterprise.objects.active().filter(pk=pk).first() if pk.isdigit() else None
    holder = services.who_holds(enterprise, request.user.unit) if enterprise is not None else None
    group = group_claims(enterprise, excluding_unit=request.user.unit) if enterprise is not None else []
    context = {"holder": holder, "group": group, "enterprise": enterprise}
    return render(request, "investment/_claim_holder.html", context)


# ---- a project's record -------------------------------------------------------------------


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    stage = Stage(project.stage)
    next_stage = stage.next()
    context = {
        "project": project,
        "changes": project.changes.select_related("by", "approved_by"),
        "moves": allowed_moves(project, request.user),
        "pending": pending_change(project),
        "next_stage": next_stage,
        "missing": missing_for(project, next_stage) if next_stage else [],
        "stages": list(Stage),
        "documents": project.documents.select_related("uploaded_by"),
        "negotiations": project.negotiations.select_related("recorded_by")[:5],
        "funds": project.funds.order_by("-month")[:12],
        "fund_totals": project.funds.aggregate(
            amount=Sum("amount"), out_of_province=Sum("out_of_province"), foreign=Sum("foreign")
        ),
        "claims": project.claims.select_related("unit"),
        "conflicts": _conflicts_of(project),
        "screenings": project.screenings.select_related("rule"),
        "enterprise_marks": _enterprise_marks(request, project),
        "participants": project.participants.select_related("unit"),
        "commitments": commitments_on_page(request.user, project=project),
        "clock": lead_clocks([project]).get(project.pk),
        "owns": permissions.owns(request.user, project) and request.user.has_perm(permissions.CHANGE),
        "can_file_reward": project.introducer_id is not None and can_file_reward(request.user, project),
        "move_form": MoveForm(),
        "decision_form": DecisionForm(),
        "document_form": DocumentForm(),
    }
    return render(request, "investment/project_detail.html", context)


def _enterprise_marks(request: HttpRequest, project: Project) -> list:
    """Marks other apps put on the investor (a credit warning, a fast-lane badge), shown on this project."""
    url = reverse("investment:project_detail", args=[project.pk])
    found = marks_for([project.enterprise], request.user, shown_on=project, url=url)
    return found.get(project.enterprise_id, [])


def _conflicts_of(project: Project):
    return ClaimConflict.objects.filter(Q(holder__project=project) | Q(challenger__project=project)).select_related(
        "holder__unit", "challenger__unit", "decided_by"
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, action=permissions.CHANGE)
    form = ProjectForm(
        request.POST or None,
        instance=project,
        introducers=Introducer.objects.visible_to(request.user),
        teams=Team.objects.visible_to(request.user),
        events=linkable_events(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(project=Project.objects.get(pk=project.pk), by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("investment:project_detail", pk=project.pk)
    return render(request, "investment/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def lead_respond(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, action=permissions.CHANGE)
    try:
        services.respond_to_lead(project=project, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已响应线索，请在研判时限内完成研判。"))
    return redirect("investment:project_detail", pk=project.pk)
