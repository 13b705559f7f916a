"""URL-walker samples for task forces and problems.

A task force and a problem sit on a project of the unit (the marker is the project's name, the plan
and the problem's title); a problem is assigned to a department of the same unit, so another county's
problem is neither owned by nor addressed to the walker's county.
"""

import itertools

from django.utils import timezone

from apps.core.tests.samples import sample
from apps.investment.tests.samples import make_project_sample
from apps.landing.models import ProjectProblem, TaskForce
from apps.org.models import Unit, User
from apps.org.tests.factories import make_unit

_serial = itertools.count(1)


def _person(unit: Unit) -> User:
    return User.objects.create(username=f"tfsample{next(_serial)}", unit=unit, name="样本领导")


def _department(unit: Unit) -> Unit:
    found = Unit.objects.filter(path__startswith=unit.path, kind=Unit.Kind.DEPARTMENT).order_by("path").first()
    if found is not None:
        return found
    code = f"{unit.code}S{next(_serial):02d}"
    return make_unit(parent=unit, name=f"{unit.name}样本部门", kind=Unit.Kind.DEPARTMENT, code=code)


@sample(TaskForce)
def make_task_force_sample(unit: Unit, marker: str) -> TaskForce:
    project = make_project_sample(unit, marker)
    return TaskForce.objects.create(
        project=project,
        leader=_person(unit),
        lead_unit=unit,
        plan=marker,
        established_on=timezone.localdate(),
        created_by=project.created_by,
    )


@sample(ProjectProblem)
def make_problem_sample(unit: Unit, marker: str) -> ProjectProblem:
    project = make_project_sample(unit, marker)
    today = timezone.localdate()
    return ProjectProblem.objects.create(
        code=f"WTS-{next(_serial):05d}",
        project=project,
        title=marker,
        description=marker,
        raised_by=project.created_by,
        raised_on=today,
        department=_department(unit),
        due_on=today,
    )
