"""Reads behind the problem pages: the project's panel, the ledger (问题台账) and its filters.

Scope: a problem belongs to its project's unit; the department it is assigned to takes part in it
(so a department sees the problems addressed to it, and those of its own projects); the leader and
members of the project's task force follow it (permissions.visible_problems).
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pending import PendingItem
from apps.landing import permissions
from apps.landing.models import ProjectProblem
from apps.landing.selectors.taskforces import candidate_units
from apps.landing.services.problems import can_raise
from apps.org.models import Unit

#: how many of a project's problems its landing page lists
PANEL_SIZE = 10


def panel(project, user) -> dict:
    """What the project's landing page shows of problems (the context of landing/_problems_panel.html)."""
    if not user.has_perm(permissions.VIEW_PROBLEM):
        return {"problem_shown": False}
    problems = permissions.visible_problems(user).filter(project=project)
    return {
        "problem_shown": True,
        "problem_list": list(problems.select_related("department").order_by("status", "due_on", "pk")[:PANEL_SIZE]),
        "problem_count": problems.count(),
        "problem_unresolved": problems.unresolved().count(),
        "problem_can_raise": can_raise(user, project),
        "problem_today": timezone.localdate(),
    }


def department_choices(project) -> QuerySet:
    """The departments a problem of the project may be given to: its area's and the levels above's."""
    return candidate_units(project).filter(kind=Unit.Kind.DEPARTMENT)


def list_problems(user) -> QuerySet:
    """The user's problems with what the ledger shows, newest first."""
    return (
        permissions.visible_problems(user)
        .select_related("project__unit", "project__enterprise", "department", "raised_by")
        .order_by("-raised_on", "-id")
    )


def ledger_departments(user) -> QuerySet:
    """The departments the ledger can be filtered by: those of the problems the user sees."""
    return Unit.objects.filter(pk__in=permissions.visible_problems(user).values("department")).order_by("path")


def filter_problems(problems: QuerySet, data: dict, *, today: date, user=None) -> QuerySet:
    """Apply the ledger's filters (the keys of ProblemFilterForm)."""
    if data.get("q"):
        text = data["q"].strip()
        problems = problems.filter(
            Q(title__contains=text)
            | Q(code__icontains=text)
            | Q(project__name__contains=text)
            | Q(project__code__icontains=text)
        )
    for name in ("status", "category", "source", "department"):
        if data.get(name):
            problems = problems.filter(**{name: data[name]})
    if data.get("unit"):
        problems = problems.filter(project__unit__path__startswith=data["unit"].path)
    if data.get("overdue"):
        problems = problems.overdue(today)
    if data.get("escalated"):
        problems = problems.filter(status=ProjectProblem.Status.OPEN).exclude(escalated_at=None)
    if data.get("mine") and user is not None:
        problems = problems.filter(raised_by=user)
    return problems


# ---- pending items --------------------------------------------------------------------------


def problem_items(user) -> Iterator[PendingItem]:
    """待办: problems waiting for the user's department, answers waiting for the raiser, escalations for the leader."""
    if not user.has_perm(permissions.VIEW_PROBLEM):
        return
    url = reverse("landing:problem_list")
    yield from _department_items(user, url)
    answered = ProjectProblem.objects.filter(status=ProjectProblem.Status.ANSWERED, raised_by=user).count()
    if answered:
        yield PendingItem(_("待确认解决的项目问题"), f"{url}?status=answered&mine=on", answered, level="warning")
    escalated = (
        ProjectProblem.objects.filter(status=ProjectProblem.Status.OPEN, project__task_force__leader=user)
        .exclude(escalated_at=None)
        .count()
    )
    if escalated:
        yield PendingItem(_("逾期升级至我的项目问题"), f"{url}?escalated=on", escalated, level="danger")


def _department_items(user, url: str) -> Iterator[PendingItem]:
    unit = getattr(user, "unit", None)
    if unit is None or unit.kind != Unit.Kind.DEPARTMENT or not user.has_perm(permissions.ANSWER_PROBLEM):
        return
    today = timezone.localdate()
    waiting = ProjectProblem.objects.filter(status=ProjectProblem.Status.OPEN, department__path__startswith=unit.path)
    found = waiting.aggregate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)), due=Min("due_on"))
    if found["n"]:
        level = "danger" if found["late"] else "warning"
        link = f"{url}?status=open&department={unit.pk}"
        yield PendingItem(_("待答复的项目问题"), link, found["n"], due=found["due"], level=level)
