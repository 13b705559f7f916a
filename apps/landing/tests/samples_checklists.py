"""Sample checklist records for the URL walker: a step of a project of the unit, given to a department of the unit.

Templates are the city's (shared): every manager of templates sees them.
"""

import itertools

from django.utils import timezone

from apps.core.tests.samples import sample
from apps.investment.tests.samples import make_project_sample
from apps.landing.models import Checklist, ChecklistStep, ChecklistTemplate, TemplateStep
from apps.org.models import Unit
from apps.org.tests.factories import make_unit

_serial = itertools.count(1)


@sample(ChecklistStep)
def make_step_sample(unit: Unit, marker: str) -> ChecklistStep:
    project = make_project_sample(unit, marker)
    department = make_unit(
        parent=unit, name=f"{marker}办理部门", kind=Unit.Kind.DEPARTMENT, code=f"CK{next(_serial):05d}"
    )
    checklist = Checklist.objects.create(
        project=project, template_name=marker, template_revision=1, started_on=timezone.localdate(),
        created_by=project.created_by,
    )  # fmt: skip
    return ChecklistStep.objects.create(
        checklist=checklist, order=1, code="sample", name=marker, description=marker, department=department,
        time_limit_days=5,
    )  # fmt: skip


@sample(ChecklistTemplate, shared=True)
def make_template_sample(unit: Unit, marker: str) -> ChecklistTemplate:
    return ChecklistTemplate.objects.create(code=f"sample-{next(_serial)}", name=marker, description=marker)


@sample(TemplateStep, shared=True)
def make_template_step_sample(unit: Unit, marker: str) -> TemplateStep:
    template = make_template_sample(unit, marker)
    return TemplateStep.objects.create(
        template=template, order=1, code="sample", name=marker, department_hint="自然资源", time_limit_days=5
    )
