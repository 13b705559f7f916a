"""Task force pages: set up or adjust a project's task force, its members, the list, the leader's page.

Viewing needs VIEW_TASK_FORCE (a leader always sees their own page); setting up and adjusting need
CHANGE_TASK_FORCE and the project's owning side (services.taskforces.can_keep); everything stays in
the user's data scope.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment.permissions import get_project_for_user
from apps.investment.selectors.projects import area_units
from apps.landing import permissions
from apps.landing.forms.taskforces import (
    LeaderPickForm,
    MemberChangeForm,
    MemberForm,
    MemberRemoveForm,
    TaskForceFilterForm,
    TaskForceForm,
)
from apps.landing.models import TaskForce, TaskForceMember
from apps.landing.selectors import taskforces as selectors
from apps.landing.services import taskforces as services

TASK_FORCE_HEADERS = ("项目编号", "项目名称", "责任单位", "包抓领导", "牵头单位", "成立日期", "成员数", "工作方案")
MISSING_HEADERS = ("项目编号", "项目名称", "投资企业", "责任单位", "阶段", "协议投资（万元）", "计划投资（万元）")


def _keepable_task_force(request: HttpRequest, pk: int) -> TaskForce:
    task_force = permissions.get_for_user(
        permissions.visible_task_forces(request.user).select_related("project__unit"),
        request.user,
        pk,
        permission=permissions.CHANGE_TASK_FORCE,
    )
    permissions.require(services.can_keep(request.user, task_force.project))
    return task_force


# ---- set up and adjust ----------------------------------------------------------------------


@login_required
def task_force_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Set up the project's task force, or adjust it when there is one."""
    project = get_project_for_user(request.user, pk, action=permissions.CHANGE_TASK_FORCE)
    permissions.require(services.can_keep(request.user, project))
    task_force = TaskForce.objects.filter(project=project).first()
    form = TaskForceForm(
        request.POST or None,
        people=selectors.candidate_people(project),
        units=selectors.candidate_units(project),
        task_force=task_force,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if task_force is None:
                services.set_up_task_force(project=project, by=request.user, **form.cleaned_data)
            else:
                services.update_task_force(task_force=task_force, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存“%(name)s”的项目专班。") % {"name": project.name})
            return redirect("landing:project_landing", pk=project.pk)
    context = {"form": form, "project": project, "task_force": task_force}
    return render(request, "landing/taskforce_form.html", context)


@login_required
def task_force_members(request: HttpRequest, pk: int) -> HttpResponse:
    """The members with their roles; the form adds one."""
    task_force = _keepable_task_force(request, pk)
    form = MemberForm(request.POST or None, people=selectors.candidate_people(task_force.project))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_member(task_force=task_force, by=request.user, **form.cleaned_data)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("%(name)s已加入项目专班。") % {"name": member.person.name})
            return redirect("landing:task_force_members", pk=task_force.pk)
    members = task_force.members.select_related("person__unit")
    context = {
        "task_force": task_force,
        "project": task_force.project,
        "form": form,
        "members": members,
        "role_choices": TaskForceMember.Role.choices,
    }
    return render(request, "landing/taskforce_members.html", context)


@login_required
@require_POST
def task_force_member_change(request: HttpRequest, pk: int) -> HttpResponse:
    task_force = _keepable_task_force(request, pk)
    form = MemberChangeForm(request.POST)
    member = task_force.members.filter(pk=form.data.get("member") or 0).select_related("person").first()
    if not form.is_valid() or member is None:
        messages.error(request, _("请选择要调整的专班成员和职责。"))
        return redirect("landing:task_force_members", pk=task_force.pk)
    try:
        services.change_member(
            member=member, role=form.cleaned_data["role"], duty=form.cleaned_data["duty"], by=request.user
        )
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已调整%(name)s的职责。") % {"name": member.person.name})
    return redirect("landing:task_force_members", pk=task_force.pk)


@login_required
@require_POST
def task_force_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    task_force = _keepable_task_force(request, pk)
    form = MemberRemoveForm(request.POST)
    member = task_force.members.filter(pk=form.data.get("member") or 0).select_related("person").first()
    if not form.is_valid() or member is None:
        messages.error(request, _("请选择要移出的专班成员。"))
        return redirect("landing:task_force_members", pk=task_force.pk)
    try:
        services.remove_member(member=member, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已将%(name)s移出项目专班。") % {"name": member.person.name})
    return redirect("landing:task_force_members", pk=task_force.pk)


# ---- the list -------------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_TASK_FORCE, raise_exception=True)
def task_force_list(request: HttpRequest) -> HttpResponse:
    """Task forces in scope; "重大项目未建专班" lists the major projects still without one instead."""
    form = TaskForceFilterForm(
        request.GET, units=area_units(request.user), leaders=selectors.leaders_in_scope(request.user)
    )
    data = form.cleaned_data if form.is_valid() else {}
    missing = bool(data.get("missing"))
    if missing:
        rows = selectors.missing_task_forces(request.user, data)
    else:
        rows = selectors.filter_task_forces(selectors.list_task_forces(request.user), data)
    if wants_export(request):
        return _export_missing(request, rows) if missing else _export_task_forces(request, rows)
    context = {
        "form": form,
        "missing": missing,
        "page": paginate(request, rows),
        "query": query_without_page(request),
        "missing_count": 0 if missing else selectors.missing_task_forces(request.user).count(),
    }
    return render(request, "landing/taskforce_list.html", context)


def _export_task_forces(request: HttpRequest, task_forces) -> HttpResponse:
    rows = list(task_forces)
    record_access(request.user, by=request.user, what="导出项目专班", rows=len(rows))
    return xlsx_response(
        _("项目专班"),
        TASK_FORCE_HEADERS,
        (
            (
                t.project.code,
                t.project.name,
                t.project.unit.name,
                t.leader.name,
                t.lead_unit.name,
                t.established_on,
                t.member_count,
                t.plan,
            )  # fmt: skip
            for t in rows
        ),
    )


def _export_missing(request: HttpRequest, projects) -> HttpResponse:
    rows = list(projects)
    record_access(request.user, by=request.user, what="导出重大项目未建专班", rows=len(rows))
    return xlsx_response(
        _("重大项目未建专班"),
        MISSING_HEADERS,
        (
            (
                p.code,
                p.name,
                p.enterprise.name,
                p.unit.name,
                p.get_stage_display(),
                p.contracted_investment,
                p.planned_investment,
            )  # fmt: skip
            for p in rows
        ),
    )


# ---- the leader's page ----------------------------------------------------------------------


@login_required
def leader_page(request: HttpRequest) -> HttpResponse:
    """我包抓的项目: the leader's projects with their light and reasons, problems, steps, next milestone."""
    permissions.require(selectors.may_open_leader_page(request.user))
    picker = None
    leader = request.user
    if selectors.can_pick_leader(request.user):
        picker = LeaderPickForm(request.GET, leaders=selectors.leaders_in_scope(request.user))
        if picker.is_valid() and picker.cleaned_data.get("leader"):
            leader = picker.cleaned_data["leader"]
    rows = selectors.leader_rows(selectors.leader_task_forces(request.user, leader), today=timezone.localdate())
    context = {
        "leader": leader,
        "picker": picker,
        "rows": rows,
        "counts": _level_counts(rows),
        "missing_count": _missing_count(request.user),
    }
    return render(request, "landing/leader_page.html", context)


def _level_counts(rows) -> dict[str, int]:
    counts = {"red": 0, "amber": 0, "green": 0}
    for row in rows:
        counts[row.status.level] += 1
    return counts


def _missing_count(user) -> int | None:
    """重大项目未建专班 in the viewer's scope, for those who may see task forces."""
    if not user.has_perm(permissions.VIEW_TASK_FORCE):
        return None
    return selectors.missing_task_forces(user).count()
