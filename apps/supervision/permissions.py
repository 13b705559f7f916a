"""Who sees and acts on the rectification ledger.

A problem belongs to its responsible unit; its co-units and its supervising unit take part in it, so each of
them sees it (the data scope). The supervising office (MANAGE_PROBLEM) working at city level — the city itself
or a city department, not inside a county, zone or town — sees every problem, as apps/bizenv's organiser does;
a holder of MANAGE_PROBLEM inside a county stops at the county's scope. Only the responsible unit's people
(REPORT_PROGRESS) record progress and report completion; only the supervising office verifies, signs off and
returns. Out of scope is a 404 like a missing id; in scope without the right is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from apps.org.models import Unit
from apps.supervision.models import InvestorCommitment, Problem, SupervisionTask, TypicalCase

VIEW_PROBLEM = "supervision.view_problem"
MANAGE_PROBLEM = "supervision.manage_problem"
REPORT_PROGRESS = "supervision.report_progress"


def _live(user) -> bool:
    return user.is_authenticated and user.is_active and getattr(user, "unit", None) is not None


def _city_level(unit: Unit) -> bool:
    """The unit sits in no county, zone or town (the city itself or a city department)."""
    return unit.is_city_level


def in_unit(user, unit: Unit | None) -> bool:
    """The user works in the unit or a unit below it."""
    own = getattr(user, "unit", None)
    return own is not None and unit is not None and unit.path.startswith(own.path)


def sees_all(user) -> bool:
    """The city's supervising office: MANAGE_PROBLEM at city level (cached on the user for one request)."""
    cached = getattr(user, "_supervision_sees_all", None)
    if cached is None:
        cached = _live(user) and user.has_perm(MANAGE_PROBLEM) and _city_level(user.unit)
        user._supervision_sees_all = cached
    return cached


def visible_problems(user):
    """Every problem for the city's supervising office; otherwise those of the user's scope."""
    if sees_all(user):
        return Problem.objects.all()
    return Problem.objects.visible_to(user) if _live(user) else Problem.objects.none()


def can_manage(user) -> bool:
    """May open problems and import them (the user's unit becomes the supervising unit)."""
    return _live(user) and user.has_perm(MANAGE_PROBLEM)


def can_supervise(user, problem: Problem) -> bool:
    """May change, verify, sign off or return the problem: the supervising office (or the city's)."""
    if not can_manage(user):
        return False
    return sees_all(user) or in_unit(user, problem.supervising_unit)


def can_report(user, problem: Problem) -> bool:
    """May record progress and report completion: the responsible unit's people."""
    return _live(user) and user.has_perm(REPORT_PROGRESS) and in_unit(user, problem.unit)


def get_problem_for_user(user, pk: int, *, permission: str = VIEW_PROBLEM, queryset=None) -> Problem:
    """A problem of the user's scope (404 otherwise) that the user holds the permission for (403)."""
    problems = visible_problems(user) if queryset is None else queryset
    problem = problems.filter(pk=pk).first()
    if problem is None:
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
    return problem


def responsible_units(user):
    """Units a problem may be given to: every active unit for the city's office, else the user's subtree."""
    units = Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.CITY).order_by("path")
    if sees_all(user):
        return units
    return units.filter(path__startswith=user.unit.path) if _live(user) else units.none()


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ---- credit red/black lists (信用红黑名单) ------------------------------------------------------
# City-wide public-administration information, like the registry's identities: every holder of VIEW_CREDIT
# reads every entry (no data scope; the URLs are global_path). MANAGE_CREDIT records, imports and asks for a
# repair; an entry is corrected by its recording unit's subtree or the city-level office; APPROVE_REPAIR
# decides a repair, never the person who asked for it; the effect rules are the city-level office's.

VIEW_CREDIT = "supervision.view_creditentry"
MANAGE_CREDIT = "supervision.manage_credit"
APPROVE_REPAIR = "supervision.approve_credit_repair"


def city_level(user) -> bool:
    """The user works at city level (the city itself or a city department)."""
    return _live(user) and _city_level(user.unit)


def can_manage_credit(user) -> bool:
    """May record and import entries and ask for repairs."""
    return _live(user) and user.has_perm(MANAGE_CREDIT)


def can_edit_credit(user, entry) -> bool:
    """May correct the entry: its recording unit's subtree, or the city-level office."""
    return can_manage_credit(user) and (in_unit(user, entry.recording_unit) or city_level(user))


def can_decide_repair(user, repair) -> bool:
    """May approve or reject the repair: APPROVE_REPAIR where the entry may be corrected, not the requester."""
    if not (_live(user) and user.has_perm(APPROVE_REPAIR)) or repair.requested_by_id == user.pk:
        return False
    return in_unit(user, repair.entry.recording_unit) or city_level(user)


def can_edit_credit_rules(user) -> bool:
    """May change the effect rules: the city-level office."""
    return can_manage_credit(user) and city_level(user)


def get_credit_entry_for_user(user, pk: int, *, queryset=None):
    """Any entry (city-wide) for a user holding VIEW_CREDIT: 403 without it, 404 for a missing id."""
    from apps.supervision.models import CreditEntry

    if not (_live(user) and user.has_perm(VIEW_CREDIT)):
        raise PermissionDenied
    entry = (CreditEntry.objects.all() if queryset is None else queryset).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


# ---- commitments to investors (政府承诺兑现台账) -------------------------------------------------
# The same roles and scope: a commitment belongs to its committing unit and the office that registered it takes
# part. The supervising office (MANAGE_PROBLEM) registers, corrects and cancels; the committing unit's people
# (REPORT_PROGRESS) record the fulfilment.


def visible_commitments(user):
    """Every commitment for the city's supervising office; otherwise those of the user's scope."""
    if sees_all(user):
        return InvestorCommitment.objects.all()
    return InvestorCommitment.objects.visible_to(user) if _live(user) else InvestorCommitment.objects.none()


def can_supervise_commitment(user, commitment: InvestorCommitment) -> bool:
    """May correct or cancel the commitment: the office that registered it (or the city's)."""
    return can_manage(user) and (sees_all(user) or in_unit(user, commitment.supervising_unit))


def can_fulfil(user, commitment: InvestorCommitment) -> bool:
    """May record the fulfilment: the committing unit's people."""
    return _live(user) and user.has_perm(REPORT_PROGRESS) and in_unit(user, commitment.unit)


def get_commitment_for_user(user, pk: int, *, queryset=None) -> InvestorCommitment:
    """A commitment of the user's scope (404 otherwise) the user may view (403)."""
    commitments = visible_commitments(user) if queryset is None else queryset
    commitment = commitments.filter(pk=pk).first()
    if commitment is None:
        raise Http404
    if not user.has_perm(VIEW_PROBLEM):
        raise PermissionDenied
    return commitment


def commitment_projects(user):
    """Projects a commitment may be tied to: every one for the city's office, else those of the user's scope."""
    from apps.investment.models import Project

    if sees_all(user):
        return Project.objects.order_by("name")
    return Project.objects.visible_to(user).order_by("name") if _live(user) else Project.objects.none()


# ---- supervision tasks (督办事项) and typical cases (典型案例) ----------------------------------------
# The same roles: the supervising office (MANAGE_PROBLEM) assigns, corrects, closes and returns tasks and writes
# and publishes cases; the responsible unit's people (REPORT_PROGRESS) file the progress reports and ask for
# closure. A task is scoped like a problem. A published case is read by every holder of VIEW_PROBLEM; a draft or
# withdrawn one only by the office that wrote it (and the city's office).


def visible_tasks(user):
    """Every task for the city's supervising office; otherwise those of the user's scope."""
    if sees_all(user):
        return SupervisionTask.objects.all()
    return SupervisionTask.objects.visible_to(user) if _live(user) else SupervisionTask.objects.none()


def can_supervise_task(user, task: SupervisionTask) -> bool:
    """May correct, close or return the task: the supervising office (or the city's)."""
    return can_manage(user) and (sees_all(user) or in_unit(user, task.supervising_unit))


def can_report_task(user, task: SupervisionTask) -> bool:
    """May file progress reports and ask for closure: the responsible unit's people."""
    return _live(user) and user.has_perm(REPORT_PROGRESS) and in_unit(user, task.unit)


def get_task_for_user(user, pk: int, *, queryset=None) -> SupervisionTask:
    """A task of the user's scope (404 otherwise) the user may view (403)."""
    task = (visible_tasks(user) if queryset is None else queryset).filter(pk=pk).first()
    if task is None:
        raise Http404
    if not user.has_perm(VIEW_PROBLEM):
        raise PermissionDenied
    return task


def visible_cases(user):
    """Published cases for every reader; drafts and withdrawn ones for the office that wrote them."""
    if not _live(user) or not user.has_perm(VIEW_PROBLEM):
        return TypicalCase.objects.none()
    if sees_all(user):
        return TypicalCase.objects.all()
    published = TypicalCase.objects.published()
    if not can_manage(user):
        return published
    own = TypicalCase.objects.visible_to(user)
    return TypicalCase.objects.filter(Q(pk__in=published.values("pk")) | Q(pk__in=own.values("pk")))


def can_write_case(user, case: TypicalCase) -> bool:
    """May edit, publish, withdraw the case: the office that wrote it (or the city's)."""
    return can_manage(user) and (sees_all(user) or in_unit(user, case.author_unit))


def get_case_for_user(user, pk: int, *, queryset=None) -> TypicalCase:
    """A case the user may read (404 otherwise)."""
    case = (visible_cases(user) if queryset is None else queryset).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case
