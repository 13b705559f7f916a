"""A project's landing page: its review, checklist, task force, problems and progress in one place."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_access
from apps.core.exports import xlsx_response
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment.permissions import get_project_for_user
from apps.investment.selectors.projects import active_teams, area_units, filter_projects
from apps.landing import permissions
from apps.landing.forms.taskforces import LandingProjectFilterForm
from apps.landing.selectors import checklists, problems, progress, reviews, taskforces
from apps.landing.selectors.projects import landing_projects


@login_required
def project_landing(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, action=permissions.VIEW_CHECKLIST)
    context = {"project": project}
    for area in (reviews, checklists, taskforces, problems, progress):
        context.update(area.panel(project, request.user))
    return render(request, "landing/project_landing.html", context)


@login_required
@permission_required(permissions.VIEW_CHECKLIST, raise_exception=True)
def project_list(request: HttpRequest) -> HttpResponse:
    """Projects past negotiation (and those under joint review): the pipeline's filters, plus landing's own."""
    # ---- project list (task forces and problems) ----
    today = timezone.localdate()
    form = LandingProjectFilterForm(
        request.GET,
        units=area_units(request.user),
        teams=active_teams(request.user),
        leaders=taskforces.leaders_in_scope(request.user),
    )
    projects = landing_projects(request.user).select_related("task_force__leader")
    if form.is_valid():
        projects = filter_projects(projects, form.cleaned_data)
        projects = taskforces.filter_landing(projects, form.cleaned_data, today=today)
    # ---- end project list ----
    if wants_export(request):
        return _export(request, projects, today=today)
    page = paginate(request, projects)
    context = {"form": form, "page": page, "query": query_without_page(request)}
    # ---- project list statuses (task forces and problems) ----
    page.object_list = taskforces.with_status(page.object_list, today=today)
    # ---- end project list statuses ----
    return render(request, "landing/project_list.html", context)


EXPORT_HEADERS = [
    _("项目编号"), _("项目名称"), _("投资企业"), _("责任单位"), _("阶段"), _("协议投资（万元）"),
    _("签约日期"), _("开工日期"), _("投产日期"), _("包抓领导"), _("落地状态"), _("状态说明"),
]  # fmt: skip


def _export(request: HttpRequest, projects, *, today) -> HttpResponse:
    projects = taskforces.with_status(projects.select_related("enterprise", "unit"), today=today)
    record_access(request.user, by=request.user, what="导出落地项目", rows=len(projects))
    rows = (
        (
            p.code,
            p.name,
            p.enterprise.name,
            p.unit.name,
            p.get_stage_display(),
            p.contracted_investment,
            p.signed_on,
            p.started_on,
            p.producing_on,
            p.task_force.leader.name if getattr(p, "task_force", None) else "",
            p.light.label,
            "；".join(p.light.reasons),
        )  # fmt: skip
        for p in projects
    )
    return xlsx_response(_("落地项目"), EXPORT_HEADERS, rows)
