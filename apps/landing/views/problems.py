"""Problem pages: the ledger (问题台账), a problem with its history and moves, raising one on a project.

Viewing needs VIEW_PROBLEM within the data scope (permissions.visible_problems). Raising is for the
task force's leader and members and the project's owning side; each move is for whom the move table
of services.problems allows (the department answers, the raiser confirms or sends back, the owning
side reassigns). A problem the user may see but not move answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_access
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.investment.permissions import get_project_for_user
from apps.investment.selectors.projects import area_units
from apps.landing import permissions
from apps.landing.forms.problems import AnswerForm, CloseForm, ProblemFilterForm, ProblemForm, ReassignForm, ReopenForm
from apps.landing.models import ProjectProblem
from apps.landing.selectors import problems as selectors
from apps.landing.services import problems as services

LEDGER_HEADERS = (
    "问题编号", "项目编号", "项目名称", "项目单位", "问题", "具体情况", "类别", "提出方", "提出人", "提出日期",
    "责任部门", "办理时限", "状态", "是否逾期", "答复意见", "答复日期", "解决日期", "升级包抓领导",
)  # fmt: skip


def _problem(request: HttpRequest, pk: int) -> ProjectProblem:
    queryset = permissions.visible_problems(request.user).select_related(
        "project__unit", "project__enterprise", "department", "raised_by", "answered_by"
    )
    return permissions.get_for_user(queryset, request.user, pk, permission=permissions.VIEW_PROBLEM)


# ---- the ledger -----------------------------------------------------------------------------


@login_required
@permission_required(permissions.VIEW_PROBLEM, raise_exception=True)
def problem_list(request: HttpRequest) -> HttpResponse:
    form = ProblemFilterForm(
        request.GET, departments=selectors.ledger_departments(request.user), units=area_units(request.user)
    )
    today = timezone.localdate()
    problems = selectors.list_problems(request.user)
    if form.is_valid():
        problems = selectors.filter_problems(problems, form.cleaned_data, today=today, user=request.user)
    if wants_export(request):
        return _export(request, problems, today)
    context = {"form": form, "page": paginate(request, problems), "query": query_without_page(request), "today": today}
    return render(request, "landing/problem_list.html", context)


def _export(request: HttpRequest, problems, today) -> HttpResponse:
    rows = list(problems)
    record_access(request.user, by=request.user, what="导出项目问题台账", rows=len(rows))
    return xlsx_response(_("项目问题台账"), LEDGER_HEADERS, (_row(p, today) for p in rows))


def _row(p: ProjectProblem, today) -> tuple:
    overdue = p.status == ProjectProblem.Status.OPEN and p.due_on < today
    escalated = timezone.localtime(p.escalated_at).date() if p.escalated_at else None
    return (
        p.code, p.project.code, p.project.name, p.project.unit.name, p.title, p.description,
        p.get_category_display(), p.get_source_display(), p.raised_by.name, p.raised_on, p.department.name,
        p.due_on, p.get_status_display(), _("是") if overdue else _("否"), p.answer, p.answered_on, p.closed_on,
        escalated,
    )  # fmt: skip


# ---- one problem ----------------------------------------------------------------------------


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    context = {
        "problem": problem,
        "events": problem.events.select_related("by"),
        "moves": services.allowed_moves(problem, request.user),
        "overdue": problem.status == ProjectProblem.Status.OPEN and problem.due_on < timezone.localdate(),
        "today": timezone.localdate(),
    }
    return render(request, "landing/problem_detail.html", context)


@login_required
def problem_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, action=permissions.VIEW_PROBLEM)
    permissions.require(services.can_raise(request.user, project))
    form = ProblemForm(request.POST or None, departments=selectors.department_choices(project))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("title", "description", "category", "source", "department")}
        try:
            problem = services.raise_problem(project=project, by=request.user, **data, **form.deadline())
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                _("已提出问题 %(code)s，交%(unit)s答复。") % {"code": problem.code, "unit": problem.department.name},
            )
            return redirect("landing:problem_detail", pk=problem.pk)
    return render(request, "landing/problem_form.html", {"form": form, "project": project})


def _perform(request: HttpRequest, pk: int, move: services.Move, make_form, perform) -> HttpResponse:
    """GET shows the move's form, POST makes the move; 403 when the table does not give it to the user."""
    problem = _problem(request, pk)
    permissions.require(move in services.allowed_moves(problem, request.user))
    form = make_form(problem, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(problem, form)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已%(move)s：%(code)s。") % {"move": move.label, "code": problem.code})
            return redirect("landing:problem_detail", pk=problem.pk)
    return render(request, "landing/problem_move.html", {"problem": problem, "move": move, "form": form})


@login_required
def problem_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request,
        pk,
        services.ANSWER,
        lambda problem, data: AnswerForm(data),
        lambda problem, form: services.answer_problem(problem=problem, by=request.user, **form.cleaned_data),
    )


@login_required
def problem_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request,
        pk,
        services.CLOSE,
        lambda problem, data: CloseForm(data),
        lambda problem, form: services.close_problem(problem=problem, by=request.user, **form.cleaned_data),
    )


@login_required
def problem_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request,
        pk,
        services.REOPEN,
        lambda problem, data: ReopenForm(data),
        lambda problem, form: services.reopen_problem(
            problem=problem, reason=form.cleaned_data["reason"], by=request.user, **form.deadline()
        ),
    )


@login_required
def problem_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    return _perform(
        request,
        pk,
        services.REASSIGN,
        lambda problem, data: ReassignForm(data, departments=selectors.department_choices(problem.project)),
        lambda problem, form: services.reassign_problem(
            problem=problem,
            department=form.cleaned_data["department"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            **form.deadline(),
        ),
    )
