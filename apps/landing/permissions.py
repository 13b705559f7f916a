"""Who sees and does what in project landing.

A record of landing belongs to its project's unit; the departments asked for an opinion, given a
procedure step or a problem take part in it and see it (the walker in apps/core/tests proves the
scope). The coordinating unit of the pipeline sees every project's landing, as it sees every project.
Only the project's owning side opens reviews, keeps checklists, task forces and progress; a department
answers only what is addressed to its own unit.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from apps.investment import permissions as pipeline
from apps.landing.models import (
    BatchStart,
    ChecklistStep,
    JointReview,
    ProgressReport,
    ProjectProblem,
    ReviewOpinion,
    TaskForce,
)

VIEW_REVIEW = "landing.view_jointreview"
OPEN_REVIEW = "landing.add_jointreview"
GIVE_OPINION = "landing.give_opinion"
VIEW_CHECKLIST = "landing.view_checklist"
CHANGE_CHECKLIST = "landing.change_checklist"
HANDLE_STEP = "landing.handle_step"
MANAGE_TEMPLATES = "landing.change_checklisttemplate"
VIEW_TASK_FORCE = "landing.view_taskforce"
CHANGE_TASK_FORCE = "landing.change_taskforce"
VIEW_PROBLEM = "landing.view_projectproblem"
RAISE_PROBLEM = "landing.add_projectproblem"
ANSWER_PROBLEM = "landing.answer_problem"
VIEW_PROGRESS = "landing.view_progressreport"
REPORT_PROGRESS = "landing.add_progressreport"
VIEW_BATCH = "landing.view_batchstart"
CHANGE_BATCH = "landing.add_batchstart"


def _scoped(queryset, user):
    if user.is_authenticated and user.is_active and pipeline.is_coordinator(user):
        return queryset
    return queryset.visible_to(user)


def visible_reviews(user):
    return _scoped(JointReview.objects.all(), user)


def visible_opinions(user):
    return _scoped(ReviewOpinion.objects.all(), user)


def visible_steps(user):
    return _scoped(ChecklistStep.objects.all(), user)


def visible_task_forces(user):
    """Task forces of the user's projects, those their unit sits on, and those the user leads."""
    task_forces = _scoped(TaskForce.objects.all(), user)
    if user.is_authenticated:
        task_forces = task_forces | TaskForce.objects.filter(leader=user)
    return task_forces


def visible_problems(user):
    """Problems of the user's projects, those addressed to their unit, and those of the task forces they
    lead or sit on (a leader from another unit follows the problems of their project)."""
    problems = _scoped(ProjectProblem.objects.all(), user)
    if user.is_authenticated and user.is_active:
        followed = TaskForce.objects.filter(Q(leader=user) | Q(members__person=user)).values("project")
        problems = problems | ProjectProblem.objects.filter(project__in=followed)
    return problems


def visible_progress(user):
    return _scoped(ProgressReport.objects.all(), user)


def visible_batches(user):
    return _scoped(BatchStart.objects.all(), user)


def in_unit(user, unit) -> bool:
    """The user works in the unit or a unit below it: the one who may answer for it."""
    own = getattr(user, "unit", None)
    return own is not None and unit is not None and unit.path.startswith(own.path)


def get_for_user(queryset, user, pk: int, *, permission: str):
    """A record of the scoped queryset (404 otherwise) that the user holds the permission for (403)."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
    return record


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
