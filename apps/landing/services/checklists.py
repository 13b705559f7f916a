"""Procedure checklists (手续清单): made from a template at signing, each step moved through one table.

A checklist copies its template's steps (and one step per 有条件同意 opinion of the project's joint
reviews), so a later change to the template leaves it as it is. A step is moved by its department or
by the project's owning side (代办); reopening a finished step, reassigning it and adding a step are
the owning side's. Every move is a conditional UPDATE on the status and an audit entry.
"""

import logging
from dataclasses import dataclass
from datetime import date

from auditlog.models import LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.notices import notify
from apps.core.workdays import add_working_days, chinese_date
from apps.investment import permissions as pipeline
from apps.investment.models import Project, ProjectDocument, ProjectParticipant, Stage
from apps.investment.services.projects import add_document
from apps.landing import permissions
from apps.landing.models import Checklist, ChecklistStep, ChecklistTemplate, ReviewOpinion, StepStatus, Verdict
from apps.org.models import Unit, User
from apps.org.selectors import AREA_KINDS

logger = logging.getLogger(__name__)

#: working days a department has to meet a condition it set in the joint review
CONDITION_LIMIT_DAYS = 20
FINISHED = (StepStatus.DONE, StepStatus.NOT_NEEDED)


@dataclass(frozen=True)
class StepMove:
    kind: str
    label: str
    sources: tuple[str, ...]
    target: str
    #: only the project's owning side may make it (the department may not undo its own approval)
    owner_only: bool = False


START = StepMove("start", gettext_lazy("受理"), (StepStatus.WAITING,), StepStatus.IN_PROGRESS)
FINISH = StepMove("finish", gettext_lazy("办结"), (StepStatus.IN_PROGRESS,), StepStatus.DONE)
NOT_NEEDED = StepMove(
    "not_needed", gettext_lazy("无需办理"), (StepStatus.WAITING, StepStatus.IN_PROGRESS), StepStatus.NOT_NEEDED
)
REOPEN = StepMove("reopen", gettext_lazy("重新办理"), FINISHED, StepStatus.WAITING, owner_only=True)
#: the one table of step moves: the buttons and the services read it
MOVES = {move.kind: move for move in (START, FINISH, NOT_NEEDED, REOPEN)}


# ---- who ---------------------------------------------------------------------------------------


def keeps_checklist(user, project: Project) -> bool:
    """The project's owning side: creates the checklist, reassigns, adds and reopens steps."""
    return user.has_perm(permissions.CHANGE_CHECKLIST) and pipeline.owns(user, project)


def handles(user, step: ChecklistStep) -> bool:
    """The step's own department (or a unit below it)."""
    return user.has_perm(permissions.HANDLE_STEP) and permissions.in_unit(user, step.department)


def allowed_moves(step: ChecklistStep, user) -> list[StepMove]:
    """The moves this user may make on the step now (needs step.checklist.project.unit and step.department)."""
    owner = keeps_checklist(user, step.checklist.project)
    handler = handles(user, step)
    return [
        move for move in MOVES.values() if step.status in move.sources and (owner or (handler and not move.owner_only))
    ]


def _require_owner(user, project: Project) -> None:
    if not keeps_checklist(user, project):
        raise BusinessRuleError(_("只有项目责任单位可以维护手续清单。"))


def _require_move(move: StepMove, step: ChecklistStep, user) -> None:
    if step.status not in move.sources:
        raise BusinessRuleError(
            _("该手续当前为“%(status)s”，不能%(move)s。") % {"status": step.get_status_display(), "move": move.label}
        )
    if move not in allowed_moves(step, user):
        raise BusinessRuleError(_("您不能对该手续执行“%(move)s”。") % {"move": move.label})


# ---- making a checklist -----------------------------------------------------------------------


def resolve_department(hint: str, departments: list[Unit], *, step_name: str = "") -> Unit:
    """The first of ``departments`` (nearest area first) whose name contains ``hint``."""
    hint = hint.strip()
    department = next((unit for unit in departments if hint and hint in unit.name), None)
    if department is not None:
        return department
    raise BusinessRuleError(
        _(
            "手续“%(step)s”找不到责任部门：项目所在地和全市都没有名称含“%(hint)s”的部门。"
            "请在单位管理中添加该部门，或在模板中为该手续指定部门。"
        )
        % {"step": step_name or hint, "hint": hint}
    )


def area_departments(unit: Unit) -> QuerySet:
    """The active departments directly under the unit's area and under each area above it."""
    condition = Q(pk__in=[])
    for area in areas_above(unit):
        condition |= Q(path__startswith=area.path, depth=area.depth + 1)
    return Unit.objects.filter(condition, kind=Unit.Kind.DEPARTMENT, is_active=True).order_by("path")


def nearest_departments(unit: Unit) -> list[Unit]:
    """``area_departments``, those of the nearest area first: where a step's department is looked for."""
    return sorted(area_departments(unit), key=lambda department: (-department.depth, department.path))


def areas_above(unit: Unit) -> list[Unit]:
    """The unit's own area and every area above it, nearest first."""
    prefixes = [unit.path[:n] for n in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    return list(Unit.objects.filter(path__in=prefixes, kind__in=AREA_KINDS).order_by("-depth"))


@records_actor
@transaction.atomic
def create_checklist(
    *, project: Project, template: ChecklistTemplate, by: AbstractBaseUser, started_on: date | None = None
) -> Checklist:
    """The project's checklist from a template, counted from ``started_on`` (the signing day by default)."""
    _require_owner(by, project)
    return _instantiate(project=project, template=template, by=by, started_on=started_on)


def _instantiate(*, project: Project, template: ChecklistTemplate, by, started_on: date | None) -> Checklist:
    if Stage(project.stage).rank < Stage.SIGNED.rank:
        raise BusinessRuleError(_("项目签约后才能建立手续清单。"))
    if Checklist.objects.filter(project=project).exists():
        raise BusinessRuleError(_("该项目已有手续清单。"))
    if not template.is_active:
        raise BusinessRuleError(_("模板“%(name)s”已停用。") % {"name": template.name}, field="template")
    started_on = started_on or project.signed_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise BusinessRuleError(_("起算日期不能晚于今天。"), field="started_on")
    checklist = Checklist.objects.create(
        project=project,
        template=template,
        template_name=template.name,
        template_revision=template.revision,
        commitment_days=template.commitment_days,
        started_on=started_on,
        created_by=by,
    )
    count = _copy_template_steps(checklist, template, first_order=1)
    _add_condition_steps(checklist, first_order=count + 1)
    _add_participants(checklist)
    return checklist


def _copy_template_steps(checklist: Checklist, template: ChecklistTemplate, *, first_order: int) -> int:
    """Copy every step of the template with its department resolved; returns how many were copied."""
    sources = list(template.steps.select_related("department").prefetch_related("prerequisites"))
    departments = None
    copies: dict[int, ChecklistStep] = {}
    for order, source in enumerate(sources, first_order):
        department = source.department
        if department is None:
            if departments is None:
                departments = nearest_departments(checklist.project.unit)
            department = resolve_department(source.department_hint, departments, step_name=source.name)
        copies[source.pk] = ChecklistStep.objects.create(
            checklist=checklist,
            order=order,
            code=source.code,
            name=source.name,
            description=source.materials,
            department=department,
            time_limit_days=source.time_limit_days,
            document_kind=source.document_kind,
            is_permit=source.is_permit,
            source=ChecklistStep.Source.TEMPLATE,
        )
    for source in sources:
        prerequisites = [copies[p.pk] for p in source.prerequisites.all() if p.pk in copies]
        if prerequisites:
            copies[source.pk].prerequisites.set(prerequisites)
    return len(sources)


def _add_condition_steps(checklist: Checklist, *, first_order: int) -> None:
    """One step per 有条件同意 opinion of the project's joint reviews: the department sees its condition met."""
    opinions = (
        ReviewOpinion.objects.filter(review__project=checklist.project, verdict=Verdict.CONDITIONAL)
        .select_related("department")
        .order_by("review__opened_on", "pk")
    )
    for order, opinion in enumerate(opinions, first_order):
        ChecklistStep.objects.create(
            checklist=checklist,
            order=order,
            code=f"condition-{opinion.pk}",
            name=(_("落实联审条件（%(department)s）") % {"department": opinion.department.name})[:100],
            description=opinion.conditions,
            department=opinion.department,
            time_limit_days=CONDITION_LIMIT_DAYS,
            source=ChecklistStep.Source.CONDITION,
            opinion=opinion,
        )


def _add_participants(checklist: Checklist) -> None:
    """Departments given a step take part in the project, so they see it."""
    project = checklist.project
    for unit_id in set(checklist.steps.values_list("department", flat=True)):
        if unit_id != project.unit_id:
            ProjectParticipant.objects.get_or_create(
                project=project, unit_id=unit_id, defaults={"role": _("手续办理部门")}
            )


def on_signed(*, project: Project, stage: str, happened_on: date, by) -> None:
    """At signing, the checklist from the active template for the project's kind, if there is one.

    A template whose department cannot be found does not stop the signing: the project's page then
    offers to choose a template once the department exists.
    """
    if stage != Stage.SIGNED or Checklist.objects.filter(project=project).exists():
        return
    template = (
        ChecklistTemplate.objects.filter(is_active=True, project_kind=project.kind).order_by("name", "pk").first()
    )
    if template is None:
        return
    try:
        with transaction.atomic():
            _instantiate(project=project, template=template, by=by, started_on=happened_on)
    except BusinessRuleError as error:
        logger.warning("no checklist for project %s at signing: %s", project.pk, error.message)


@records_actor
@transaction.atomic
def change_template(*, checklist: Checklist, template: ChecklistTemplate, by: AbstractBaseUser) -> Checklist:
    """Start the checklist again from another template, while no step has started."""
    _require_owner(by, checklist.project)
    if checklist.steps.exclude(status=StepStatus.WAITING).exists():
        raise BusinessRuleError(_("已有手续开始办理，不能更换模板。"), field="template")
    if not template.is_active:
        raise BusinessRuleError(_("模板“%(name)s”已停用。") % {"name": template.name}, field="template")
    checklist.steps.filter(source=ChecklistStep.Source.TEMPLATE).delete()
    kept = list(checklist.steps.order_by("order", "pk"))
    count = _copy_template_steps(checklist, template, first_order=1)
    for order, step in enumerate(kept, count + 1):
        if step.order != order:
            step.order = order
            step.save(update_fields=["order", "updated_at"])
    checklist.template = template
    checklist.template_name = template.name
    checklist.template_revision = template.revision
    checklist.commitment_days = template.commitment_days
    checklist.save()
    _add_participants(checklist)
    return checklist


# ---- moving a step ----------------------------------------------------------------------------


def _transition(step: ChecklistStep, move: StepMove, by, remark: str, **values: object) -> ChecklistStep:
    """The conditional UPDATE of one move (0 rows: someone moved it first) and its audit entry."""
    values = {"status": move.target, **values}
    before = {name: getattr(step, name) for name in values}
    updated = ChecklistStep.objects.filter(pk=step.pk, status=step.status).update(
        **values, updated_by=by, updated_at=timezone.now()
    )
    if not updated:
        raise BusinessRuleError(_("该手续刚被其他人办理，请刷新页面后重试。"))
    changes = {name: [_text(before[name]), _text(value)] for name, value in values.items() if before[name] != value}
    for name, value in values.items():
        setattr(step, name, value)
    step.updated_by = by
    LogEntry.objects.log_create(
        step,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes=changes,
        additional_data={"move": str(move.label), "note": remark},
    )
    return step


def _text(value: object) -> str:
    return "None" if value is None else str(value)


def _check_not_future(day: date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise BusinessRuleError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)


@records_actor
@transaction.atomic
def start_step(*, step: ChecklistStep, started_on: date, by: AbstractBaseUser) -> ChecklistStep:
    """The department accepts the application (受理): due after the statutory limit in working days."""
    _require_move(START, step, by)
    _check_not_future(started_on, "started_on", _("受理日期"))
    prerequisites = list(step.prerequisites.all())
    waiting = [p.name for p in prerequisites if p.status not in FINISHED]
    if waiting:
        raise BusinessRuleError(_("须先办结前置手续：%(names)s。") % {"names": "、".join(waiting)}, field="started_on")
    for prerequisite in prerequisites:
        if prerequisite.done_on and prerequisite.done_on > started_on:
            raise BusinessRuleError(
                _("受理日期不能早于前置手续“%(name)s”的办结日期（%(date)s）。")
                % {"name": prerequisite.name, "date": chinese_date(prerequisite.done_on)},
                field="started_on",
            )
    due_on = add_working_days(started_on, step.time_limit_days)
    return _transition(step, START, by, "", started_on=started_on, due_on=due_on, done_on=None, escalated_at=None)


@records_actor
@transaction.atomic
def finish_step(
    *,
    step: ChecklistStep,
    done_on: date,
    by: AbstractBaseUser,
    approval_number: str = "",
    note: str = "",
    upload=None,
) -> ChecklistStep:
    """The approval is issued (办结); an uploaded approval is filed on the project and linked to the step."""
    _require_move(FINISH, step, by)
    _check_not_future(done_on, "done_on", _("办结日期"))
    if step.started_on and done_on < step.started_on:
        raise BusinessRuleError(
            _("办结日期不能早于受理日期（%(date)s）。") % {"date": chinese_date(step.started_on)}, field="done_on"
        )
    approval_number = approval_number.strip()
    if step.is_permit and not approval_number:
        raise BusinessRuleError(_("施工许可证须填写证书编号。"), field="approval_number")
    document = None
    if upload is not None:
        kind = step.document_kind if step.document_kind in ProjectDocument.Kind.values else ProjectDocument.Kind.OTHER
        title = f"{step.name} {approval_number}".strip()[:200]
        document = add_document(project=step.checklist.project, kind=kind, upload=upload, title=title, by=by)
    values = {"done_on": done_on, "approval_number": approval_number[:100]}
    if note.strip():
        values["note"] = note.strip()
    _transition(step, FINISH, by, note.strip(), **values)
    if document is not None:
        step.documents.add(document)
    return step


@records_actor
@transaction.atomic
def mark_not_needed(*, step: ChecklistStep, reason: str, by: AbstractBaseUser) -> ChecklistStep:
    """The step does not apply to this project (e.g. 不涉及新增用地), with the reason."""
    _require_move(NOT_NEEDED, step, by)
    if not reason.strip():
        raise BusinessRuleError(_("请写明无需办理的理由。"), field="reason")
    return _transition(step, NOT_NEEDED, by, reason.strip(), note=reason.strip())


@records_actor
@transaction.atomic
def reopen_step(*, step: ChecklistStep, reason: str, by: AbstractBaseUser) -> ChecklistStep:
    """The owning side sends a finished step back to be handled again, with the reason."""
    _require_move(REOPEN, step, by)
    if not reason.strip():
        raise BusinessRuleError(_("请写明重新办理的理由。"), field="reason")
    return _transition(
        step,
        REOPEN,
        by,
        reason.strip(),
        started_on=None,
        due_on=None,
        done_on=None,
        approval_number="",
        note=_("重新办理：%(reason)s") % {"reason": reason.strip()},
        escalated_at=None,
    )


PERFORMERS = {"start": start_step, "finish": finish_step, "not_needed": mark_not_needed, "reopen": reopen_step}


def _check_department(department: Unit | None) -> None:
    if department is None or department.kind != Unit.Kind.DEPARTMENT or not department.is_active:
        raise BusinessRuleError(_("请选择在用的部门。"), field="department")


@records_actor
@transaction.atomic
def reassign_department(*, step: ChecklistStep, department: Unit, by: AbstractBaseUser) -> ChecklistStep:
    """Give an unfinished step to another department (the template's guess was wrong, or duties moved)."""
    _require_owner(by, step.checklist.project)
    if step.status in FINISHED:
        raise BusinessRuleError(_("已办结或无需办理的手续不能改派。"))
    _check_department(department)
    if department.pk == step.department_id:
        raise BusinessRuleError(_("该手续已由这个部门办理。"), field="department")
    step.department = department
    step.escalated_at = None  # the new department is told if the step is overdue
    step.updated_by = by
    step.save()
    _add_participants(step.checklist)
    return step


@records_actor
@transaction.atomic
def add_step(
    *,
    checklist: Checklist,
    name: str,
    department: Unit,
    time_limit_days: int,
    by: AbstractBaseUser,
    prerequisites=(),
    description: str = "",
) -> ChecklistStep:
    """A step the template lacks (补充手续), added by the owning side."""
    _require_owner(by, checklist.project)
    _check_department(department)
    if not name.strip():
        raise BusinessRuleError(_("请填写手续名称。"), field="name")
    if time_limit_days < 1:
        raise BusinessRuleError(_("办理时限至少 1 个工作日。"), field="time_limit_days")
    prerequisites = list(prerequisites)
    if any(p.checklist_id != checklist.pk for p in prerequisites):
        raise BusinessRuleError(_("前置手续只能是本清单中的手续。"), field="prerequisites")
    step = ChecklistStep.objects.create(
        checklist=checklist,
        order=(checklist.steps.aggregate(last=Max("order"))["last"] or 0) + 1,
        code=_free_code(checklist, "manual"),
        name=name.strip(),
        description=description.strip(),
        department=department,
        time_limit_days=time_limit_days,
        source=ChecklistStep.Source.MANUAL,
        updated_by=by,
    )
    step.prerequisites.set(prerequisites)
    _add_participants(checklist)
    return step


def _free_code(checklist: Checklist, prefix: str) -> str:
    taken = set(checklist.steps.values_list("code", flat=True))
    number = 1
    while f"{prefix}-{number}" in taken:
        number += 1
    return f"{prefix}-{number}"


# ---- the daily scan --------------------------------------------------------------------------


def escalate_overdue_steps(*, today: date | None = None) -> int:
    """Tell the department's handlers and the leader in charge, once, of each step newly past its due date."""
    today = today or timezone.localdate()
    overdue = (
        ChecklistStep.objects.overdue(today)
        .filter(escalated_at=None)
        .select_related("department", "checklist__project__task_force__leader")
    )
    escalated = 0
    for step in overdue:
        with transaction.atomic():
            if not ChecklistStep.objects.filter(pk=step.pk, escalated_at=None).update(escalated_at=timezone.now()):
                continue  # another run took it a moment ago
            _notify_overdue(step)
            escalated += 1
    return escalated


def _notify_overdue(step: ChecklistStep) -> None:
    project = step.checklist.project
    task_force = getattr(project, "task_force", None)
    recipients = [*step_handlers(step.department), task_force.leader if task_force is not None else None]
    notify(
        recipients=recipients,
        key=f"landing.step.{step.pk}.overdue",
        title=_("手续逾期：%(project)s · %(step)s") % {"project": project.name, "step": step.name},
        url=reverse("landing:step_detail", args=[step.pk]),
        body=_("%(department)s办理的“%(step)s”应于 %(due)s 办结，现已逾期。")
        % {"department": step.department.name, "step": step.name, "due": chinese_date(step.due_on)},
    )


def step_handlers(department: Unit):
    """The active people of the department (and the units below it) who may handle its steps."""
    app_label, codename = permissions.HANDLE_STEP.split(".")
    granted = Q(roles__permissions__codename=codename, roles__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    return User.objects.filter(granted, unit__path__startswith=department.path, is_active=True).distinct()
