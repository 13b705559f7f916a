"""Who sees and does what in the pipeline.

A unit sees the projects it owns (its subtree) and those it takes part in; the coordinating unit
(PipelineSettings.coordinating_unit, e.g. 市投资促进局) takes part in every project outside its own
subtree, so it sees the whole city. Only the owning unit moves a project; a stage that needs
confirmation is confirmed by the level above: the coordinating unit, or an area that contains the
project's area (the city above a county, a county above its towns).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.investment.models import Claim, ClaimConflict, PipelineSettings, Project
from apps.org.selectors import area_of, is_above

VIEW = "investment.view_project"
ADD = "investment.add_project"
CHANGE = "investment.change_project"
APPROVE = "investment.approve_stage"
DECIDE_CLAIM = "investment.decide_claim"
IMPORT = "investment.import_project"
VIEW_KPI = "investment.view_kpi"
MANAGE = "investment.manage_pipeline"


def visible_projects(user):
    """Projects of the user's unit subtree and those it takes part in; the coordinating unit takes part in
    every project, so it is given them all without testing 100,000 participant rows."""
    if user.is_authenticated and user.is_active and is_coordinator(user):
        return Project.objects.all()
    return Project.objects.visible_to(user)


def owns(user, project: Project) -> bool:
    """The user's unit is the project's unit or above it in the tree (the owner's side, not a participant)."""
    unit = getattr(user, "unit", None)
    return unit is not None and project.unit.path.startswith(unit.path)


def get_project_for_user(user, pk: int, *, action: str = VIEW) -> Project:
    """A project in the user's scope (404 otherwise) that the user may act on (403)."""
    project = visible_projects(user).select_related("unit", "enterprise", "industry").filter(pk=pk).first()
    if project is None:
        raise Http404
    if not user.has_perm(action):
        raise PermissionDenied
    if action == CHANGE and not owns(user, project):
        raise PermissionDenied
    return project


def is_coordinator(user) -> bool:
    """The user works in the coordinating unit (or, when none is set, in the root unit)."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return False
    coordinating = PipelineSettings.current().coordinating_unit
    if coordinating is not None:
        return unit.path.startswith(coordinating.path)
    return unit.depth == 1


def can_confirm(user, project: Project) -> bool:
    """The user may confirm the project's claimed stages: the level above, never the project's own unit."""
    if not user.has_perm(APPROVE) or getattr(user, "unit", None) is None:
        return False
    if user.unit.pk == project.unit.pk:
        return False
    if is_coordinator(user) and not project.unit.path.startswith(user.unit.path):
        return True
    return is_above(area_of(user.unit), area_of(project.unit))


def can_manage(user) -> bool:
    """The pipeline's settings, gates and rules are the city's: kept by the coordinating unit."""
    return user.has_perm(MANAGE) and is_coordinator(user)


def require_manager(user) -> None:
    if not can_manage(user):
        raise PermissionDenied


def visible_conflicts(user):
    """Claim conflicts: the coordinating unit decides them all; a unit sees those it is party to."""
    conflicts = ClaimConflict.objects.select_related("enterprise", "holder__unit", "challenger__unit")
    if is_coordinator(user):
        return conflicts
    mine = Claim.objects.visible_to(user)
    return conflicts.filter(holder__in=mine) | conflicts.filter(challenger__in=mine)


def get_conflict_for_user(user, pk: int, *, decide: bool = False) -> ClaimConflict:
    conflict = visible_conflicts(user).filter(pk=pk).first()
    if conflict is None:
        raise Http404
    if decide and not (user.has_perm(DECIDE_CLAIM) and is_coordinator(user)):
        raise PermissionDenied
    return conflict
