"""Keeping the checklist templates (手续清单模板): the city's, kept by the coordinating unit.

Every change to a template or its steps bumps its revision; checklists already made keep their own
copy of the steps and record the revision they were copied from, so they never change with it.
"""

from uuid import uuid4

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment import permissions as pipeline
from apps.investment.models import Project, ProjectDocument
from apps.landing import permissions
from apps.landing.models import ChecklistTemplate, TemplateStep
from apps.org.models import Unit

TEMPLATE_FIELDS = ("name", "description", "project_kind", "commitment_days", "commitment_note", "is_active")


def can_manage_templates(user) -> bool:
    """Templates are city-wide: kept by holders of the right who work in the coordinating unit."""
    return user.has_perm(permissions.MANAGE_TEMPLATES) and pipeline.is_coordinator(user)


def _require_manager(user) -> None:
    if not can_manage_templates(user):
        raise BusinessRuleError(_("只有牵头部门的模板管理人员可以修改手续清单模板。"))


def _full_clean(obj, exclude: tuple[str, ...] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise BusinessRuleError(" ".join(messages), field=None if name == "__all__" else name) from exc


def _bump(template: ChecklistTemplate) -> None:
    template.revision += 1
    template.save()


@records_actor
@transaction.atomic
def save_template(
    *, by: AbstractBaseUser, template: ChecklistTemplate | None = None, **fields: object
) -> ChecklistTemplate:
    """Create a template or change its details; a change bumps the revision."""
    _require_manager(by)
    creating = template is None or template.pk is None
    template = template or ChecklistTemplate()
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"not template fields: {sorted(unknown)}")
    kind = fields.get("project_kind", template.project_kind) or ""
    if kind and kind not in Project.Kind.values:
        raise BusinessRuleError(_("请选择有效的项目类型。"), field="project_kind")
    changed = [name for name, value in fields.items() if getattr(template, name) != value]
    for name, value in fields.items():
        setattr(template, name, value)
    if creating:
        template.code = f"template-{uuid4().hex[:8]}"
        template.revision = 1
    elif changed:
        template.revision += 1
    _full_clean(template)
    template.save()
    return template


@records_actor
@transaction.atomic
def save_template_step(
    *,
    template: ChecklistTemplate,
    by: AbstractBaseUser,
    name: str,
    time_limit_days: int,
    step: TemplateStep | None = None,
    order: int | None = None,
    department: Unit | None = None,
    department_hint: str = "",
    prerequisites=(),
    materials: str = "",
    document_kind: str = "",
    is_permit: bool = False,
) -> TemplateStep:
    """Add or change a step; prerequisites only among the template's own steps and never in a circle."""
    _require_manager(by)
    if step is not None and step.template_id != template.pk:
        raise BusinessRuleError(_("该手续不属于这个模板。"))
    _check_department(department, department_hint)
    prerequisites = list(prerequisites)
    _check_prerequisites(template, step, prerequisites)
    if document_kind and document_kind not in ProjectDocument.Kind.values:
        raise BusinessRuleError(_("请选择有效的批文归档类别。"), field="document_kind")
    others = template.steps.exclude(pk=step.pk) if step is not None else template.steps.all()
    if is_permit and others.filter(is_permit=True).exists():
        raise BusinessRuleError(_("一个模板只能有一个施工许可节点。"), field="is_permit")
    step = step or TemplateStep(template=template, code=_free_code(template))
    step.order = order or step.order or (template.steps.aggregate(last=Max("order"))["last"] or 0) + 1
    step.name = name.strip()
    step.department = department
    step.department_hint = "" if department is not None else department_hint.strip()
    step.time_limit_days = time_limit_days
    step.materials = materials.strip()
    step.document_kind = document_kind
    step.is_permit = is_permit
    _full_clean(step, exclude=("template",))
    step.save()
    step.prerequisites.set(prerequisites)
    _bump(template)
    return step


@records_actor
@transaction.atomic
def delete_template_step(*, step: TemplateStep, by: AbstractBaseUser) -> None:
    """Remove a step from the template (checklists already made keep theirs)."""
    _require_manager(by)
    template = step.template
    step.delete()
    _bump(template)


def _check_department(department: Unit | None, hint: str) -> None:
    if department is not None and department.kind != Unit.Kind.DEPARTMENT:
        raise BusinessRuleError(_("责任部门须是部门。"), field="department")
    if department is None and not hint.strip():
        raise BusinessRuleError(
            _("请指定责任部门，或填写部门名称关键词（如“自然资源”），按项目所在地查找部门。"), field="department_hint"
        )


def _check_prerequisites(template: ChecklistTemplate, step: TemplateStep | None, prerequisites: list) -> None:
    if any(p.template_id != template.pk for p in prerequisites):
        raise BusinessRuleError(_("前置手续只能是本模板中的手续。"), field="prerequisites")
    if step is None:
        return  # a new step has no followers yet, so it cannot close a circle
    if any(p.pk == step.pk for p in prerequisites):
        raise BusinessRuleError(_("手续不能以自身为前置手续。"), field="prerequisites")
    graph = _prerequisite_graph(template)
    graph[step.pk] = {p.pk for p in prerequisites}
    for prerequisite in prerequisites:
        if _reaches(graph, prerequisite.pk, step.pk):
            raise BusinessRuleError(
                _("“%(name)s”本身要在该手续之后办理，不能作为它的前置手续（会形成循环）。")
                % {"name": prerequisite.name},
                field="prerequisites",
            )


def _prerequisite_graph(template: ChecklistTemplate) -> dict[int, set[int]]:
    """Each step of the template → the steps it waits for, in one query."""
    through = TemplateStep.prerequisites.through
    graph: dict[int, set[int]] = {}
    rows = through.objects.filter(from_templatestep__template=template)
    for follower, prerequisite in rows.values_list("from_templatestep_id", "to_templatestep_id"):
        graph.setdefault(follower, set()).add(prerequisite)
    return graph


def _reaches(graph: dict[int, set[int]], start: int, target: int) -> bool:
    """Whether ``target`` is among ``start``'s prerequisites, directly or further back."""
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    return False


def _free_code(template: ChecklistTemplate) -> str:
    taken = set(template.steps.values_list("code", flat=True))
    number = len(taken) + 1
    while f"step-{number}" in taken:
        number += 1
    return f"step-{number}"
