"""Project problems (项目问题): raised, assigned to a department with a deadline, answered, closed by the raiser.

One table of moves (``MOVES``) says from which status each move goes and to which; ``allowed_moves``
says which of them a user may make now, and every move re-checks it, changes the status with a
conditional UPDATE (0 rows: someone else moved it first) and writes a ProblemEvent. Problems still
waiting for their answer past the deadline are escalated by the daily scan to the leader in charge
(or, for a project without a task force, to its owning unit).
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.notices import notify
from apps.core.workdays import WorkdayCalendar, chinese_date
from apps.investment import permissions as pipeline
from apps.investment.models import Project, ProjectParticipant
from apps.landing import permissions
from apps.landing.models import ProblemEvent, ProjectProblem, TaskForce
from apps.org.models import Unit, User

Status = ProjectProblem.Status
DEFAULT_TIME_LIMIT = 10  # working days
PARTICIPANT_ROLE = "问题责任部门"
CODE_ATTEMPTS = 5
#: a problem back with a department waits for a new answer (the old one stays in its history)
UNANSWERED = {"answer": "", "answered_by": None, "answered_on": None}


@dataclass(frozen=True)
class Move:
    kind: str
    label: str
    sources: tuple[str, ...]
    target: str


ANSWER = Move(ProblemEvent.Kind.ANSWER, gettext_lazy("答复"), (Status.OPEN,), Status.ANSWERED)
CLOSE = Move(ProblemEvent.Kind.CLOSE, gettext_lazy("确认解决"), (Status.ANSWERED,), Status.CLOSED)
REOPEN = Move(ProblemEvent.Kind.REOPEN, gettext_lazy("退回重办"), (Status.ANSWERED, Status.CLOSED), Status.OPEN)
REASSIGN = Move(ProblemEvent.Kind.REASSIGN, gettext_lazy("改派"), (Status.OPEN, Status.ANSWERED), Status.OPEN)
MOVES = {move.kind: move for move in (ANSWER, CLOSE, REOPEN, REASSIGN)}


# ---- who may do what ------------------------------------------------------------------------


def owning_side(user, project: Project) -> bool:
    """The project's own unit (or above it) with the right to raise and follow problems."""
    return user.has_perm(permissions.RAISE_PROBLEM) and pipeline.owns(user, project)


def on_task_force(user, project: Project) -> bool:
    """The user leads the project's task force or sits on it."""
    if not user.is_authenticated:
        return False
    task_force = TaskForce.objects.filter(project=project)
    return task_force.filter(Q(leader=user) | Q(members__person=user)).exists()


def can_raise(user, project: Project) -> bool:
    """The task force's members and leader, or the project's owning side."""
    return owning_side(user, project) or on_task_force(user, project)


def can_answer(user, problem: ProjectProblem) -> bool:
    """People of the responsible department holding the right to answer."""
    return user.has_perm(permissions.ANSWER_PROBLEM) and permissions.in_unit(user, problem.department)


def allowed_moves(problem: ProjectProblem, user) -> list[Move]:
    """The moves the user may make on the problem now: the page's buttons, and what the moves check."""
    if not user.is_authenticated:
        return []
    follows = problem.raised_by_id == user.pk or owning_side(user, problem.project)
    allowed = {
        ANSWER.kind: can_answer(user, problem),
        CLOSE.kind: follows,
        REOPEN.kind: follows,
        REASSIGN.kind: owning_side(user, problem.project),
    }
    return [move for move in MOVES.values() if problem.status in move.sources and allowed[move.kind]]


def _require(move: Move, problem: ProjectProblem, user) -> None:
    if move not in allowed_moves(problem, user):
        raise BusinessRuleError(_("当前不能对该问题执行“%(move)s”。") % {"move": move.label})


# ---- helpers --------------------------------------------------------------------------------


def people_holding(permission: str, units: Q) -> QuerySet:
    """Active people of the units (a condition on User) who hold the permission through a role or directly."""
    app_label, codename = permission.split(".")
    through_role = Q(roles__permissions__codename=codename, roles__permissions__content_type__app_label=app_label)
    direct = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    return User.objects.filter(units, through_role | direct, is_active=True).distinct()


def department_people(department: Unit) -> QuerySet:
    """Who answers for the department: its people (and its offices') holding the right to answer."""
    return people_holding(permissions.ANSWER_PROBLEM, Q(unit__path__startswith=department.path))


def _due_on(*, today: date, due_on: date | None, time_limit_days: int | None) -> date:
    if due_on is not None:
        if due_on < today:
            raise BusinessRuleError(_("办理时限不能早于今天。"), field="due_on")
        return due_on
    days = DEFAULT_TIME_LIMIT if time_limit_days is None else time_limit_days
    if days < 1:
        raise BusinessRuleError(_("办理时限至少 1 个工作日。"), field="time_limit_days")
    return WorkdayCalendar.load().add_working_days(today, days)


def _check_department(department: Unit | None) -> None:
    if department is None or department.kind != Unit.Kind.DEPARTMENT or not department.is_active:
        raise BusinessRuleError(_("请选择在用的责任部门。"), field="department")


def _assign(problem: ProjectProblem, department: Unit) -> None:
    """The department takes part in the project and its people are told (once per department)."""
    project = problem.project
    if not project.unit.path.startswith(department.path):
        ProjectParticipant.objects.get_or_create(project=project, unit=department, defaults={"role": PARTICIPANT_ROLE})
    title = _("项目问题待答复：%(title)s（%(project)s）") % {"title": problem.title, "project": project.name}
    notify(
        recipients=department_people(department),
        key=f"landing.problem.{problem.pk}.assigned.{department.pk}",
        title=title,
        url=reverse("landing:problem_detail", args=[problem.pk]),
    )


def _next_code(year: int) -> str:
    prefix = f"WT{year}-"
    last = ProjectProblem.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True)
    number = int(last[0].removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _save_with_code(problem: ProjectProblem) -> None:
    """WT2026-0001: the year's next number; a clash with a problem saved a moment ago takes the next one."""
    for _attempt in range(CODE_ATTEMPTS):
        problem.code = _next_code(problem.raised_on.year)
        try:
            with transaction.atomic():
                problem.save()
            return
        except IntegrityError:
            continue
    raise BusinessRuleError(_("问题编号生成冲突，请稍后重试。"))


def _move(problem: ProjectProblem, move: Move, by, note: str, **values) -> ProjectProblem:
    """Check the move, change the status if nobody moved it first, record the event."""
    _require(move, problem, by)
    moved = ProjectProblem.objects.filter(pk=problem.pk, status=problem.status).update(status=move.target, **values)
    if not moved:
        raise BusinessRuleError(_("该问题刚被他人处理，请刷新后查看。"))
    ProblemEvent.objects.create(problem=problem, kind=move.kind, note=note, by=by)
    problem.refresh_from_db()
    return problem


def _require_text(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise BusinessRuleError(message, field=field)
    return text


# ---- the moves ------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def raise_problem(
    *,
    project: Project,
    title: str,
    description: str = "",
    category: str = ProjectProblem.Category.OTHER,
    source: str = ProjectProblem.Source.TASK_FORCE,
    department: Unit,
    due_on: date | None = None,
    time_limit_days: int | None = None,
    by: AbstractBaseUser,
) -> ProjectProblem:
    """Raise a problem of the project for a department to answer by a deadline (default 10 working days)."""
    if not can_raise(by, project):
        raise BusinessRuleError(_("只有项目专班成员、包抓领导或项目责任单位可以提出问题。"))
    _check_department(department)
    today = timezone.localdate()
    problem = ProjectProblem(
        project=project,
        title=_require_text(title, "title", _("请填写问题。")),
        description=(description or "").strip(),
        category=category,
        source=source,
        department=department,
        raised_by=by,
        raised_on=today,
        due_on=_due_on(today=today, due_on=due_on, time_limit_days=time_limit_days),
    )
    if category not in ProjectProblem.Category.values or source not in ProjectProblem.Source.values:
        raise BusinessRuleError(_("请选择问题类别和提出方。"), field="category")
    _save_with_code(problem)
    ProblemEvent.objects.create(problem=problem, kind=ProblemEvent.Kind.RAISE, note=problem.title, by=by)
    _assign(problem, department)
    return problem


@records_actor
@transaction.atomic
def answer_problem(*, problem: ProjectProblem, answer: str, by: AbstractBaseUser) -> ProjectProblem:
    """The department answers; the raiser is told and confirms or sends it back."""
    text = _require_text(answer, "answer", _("请填写答复意见。"))
    today = timezone.localdate()
    problem = _move(problem, ANSWER, by, text, answer=text, answered_by=by, answered_on=today)
    notify(
        recipients=[problem.raised_by],
        key=f"landing.problem.{problem.pk}.answered.{problem.events.latest('at', 'id').pk}",
        title=_("项目问题已答复，请确认：%(title)s") % {"title": problem.title},
        url=reverse("landing:problem_detail", args=[problem.pk]),
    )
    return problem


@records_actor
@transaction.atomic
def close_problem(*, problem: ProjectProblem, note: str = "", by: AbstractBaseUser) -> ProjectProblem:
    """The raiser (or the project's owning side) confirms the problem solved (确认解决)."""
    return _move(problem, CLOSE, by, (note or "").strip(), closed_on=timezone.localdate())


@records_actor
@transaction.atomic
def reopen_problem(
    *,
    problem: ProjectProblem,
    reason: str,
    due_on: date | None = None,
    time_limit_days: int | None = None,
    by: AbstractBaseUser,
) -> ProjectProblem:
    """Not solved: back to the department (待答复) with a new deadline and the reason."""
    text = _require_text(reason, "reason", _("请说明退回重办的原因。"))
    new_due = _due_on(today=timezone.localdate(), due_on=due_on, time_limit_days=time_limit_days)
    problem = _move(problem, REOPEN, by, text, due_on=new_due, closed_on=None, escalated_at=None, **UNANSWERED)
    _tell_again(problem, _("项目问题退回重办：%(title)s"))
    return problem


@records_actor
@transaction.atomic
def reassign_problem(
    *,
    problem: ProjectProblem,
    department: Unit,
    reason: str,
    due_on: date | None = None,
    time_limit_days: int | None = None,
    by: AbstractBaseUser,
) -> ProjectProblem:
    """The owning side gives the problem to another department, with the reason and a new deadline."""
    text = _require_text(reason, "reason", _("请说明改派原因。"))
    _check_department(department)
    if department.pk == problem.department_id:
        raise BusinessRuleError(_("请选择另一个责任部门。"), field="department")
    new_due = _due_on(today=timezone.localdate(), due_on=due_on, time_limit_days=time_limit_days)
    note = _("改派至%(unit)s：%(reason)s") % {"unit": department.name, "reason": text}
    problem = _move(problem, REASSIGN, by, note, department=department, due_on=new_due, escalated_at=None, **UNANSWERED)
    _assign(problem, department)
    return problem


def _tell_again(problem: ProjectProblem, title: str) -> None:
    event = problem.events.latest("at", "id")
    notify(
        recipients=department_people(problem.department),
        key=f"landing.problem.{problem.pk}.reopened.{event.pk}",
        title=title % {"title": problem.title},
        url=reverse("landing:problem_detail", args=[problem.pk]),
    )


# ---- the daily scan -------------------------------------------------------------------------


def escalation_recipients(problem: ProjectProblem) -> list:
    """The leader in charge; for a project without a task force, its unit's people who keep task forces."""
    task_force = TaskForce.objects.filter(project=problem.project_id).select_related("leader").first()
    if task_force is not None:
        return [task_force.leader]
    return list(people_holding(permissions.CHANGE_TASK_FORCE, Q(unit=problem.project.unit_id)))


def escalate_overdue_problems(*, today: date) -> int:
    """Problems waiting for their answer past the deadline go to the leader in charge, once each."""
    waiting = ProjectProblem.objects.overdue(today).filter(escalated_at=None).select_related("project", "department")
    escalated = 0
    for problem in waiting:
        with transaction.atomic():
            if not ProjectProblem.objects.filter(pk=problem.pk, escalated_at=None).update(escalated_at=timezone.now()):
                continue  # another scan took it
            note = _("逾期未答复（时限%(day)s），已升级至包抓领导。") % {"day": chinese_date(problem.due_on)}
            ProblemEvent.objects.create(problem=problem, kind=ProblemEvent.Kind.ESCALATE, note=note)
            notify(
                recipients=escalation_recipients(problem),
                key=f"landing.problem.{problem.pk}.overdue",
                title=_("项目问题逾期未答复：%(title)s（%(unit)s）")
                % {"title": problem.title, "unit": problem.department.name},
                url=reverse("landing:problem_detail", args=[problem.pk]),
            )
            escalated += 1
    return escalated
