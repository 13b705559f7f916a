"""Reads behind the checklists pages: the forecast and critical path, the panel, the steps list."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from auditlog.models import LogEntry
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pending import PendingItem
from apps.core.workdays import CalendarNotCovered, WorkdayCalendar
from apps.investment.models import Stage
from apps.landing import permissions
from apps.landing.models import Checklist, ChecklistStep, ChecklistTemplate, StepStatus
from apps.landing.services.checklists import allowed_moves, area_departments, keeps_checklist
from apps.org.models import Unit


@dataclass
class StepForecast:
    start: date | None
    finish: date | None
    critical: bool = False


@dataclass
class Forecast:
    """When each unfinished step can start and finish, and when the construction permit follows."""

    steps: dict[int, StepForecast] = field(default_factory=dict)
    permit: ChecklistStep | None = None
    #: the permit's forecast date (or the date it was issued)
    permit_on: date | None = None
    #: working days from the checklist's start to the permit
    permit_days: int | None = None
    commitment_days: int | None = None
    #: a year the working-day calendar does not cover yet: no forecast until it is entered
    missing_year: int | None = None

    @property
    def permit_issued(self) -> bool:
        return self.permit is not None and self.permit.status == StepStatus.DONE

    @property
    def days_over(self) -> int | None:
        """Working days past the public commitment (0 when on time); None without a commitment or date."""
        if self.commitment_days is None or self.permit_days is None:
            return None
        return max(self.permit_days - self.commitment_days, 0)

    @property
    def critical_ids(self) -> set[int]:
        return {pk for pk, step in self.steps.items() if step.critical}


def forecast(checklist: Checklist, today: date, *, steps: list[ChecklistStep] | None = None) -> Forecast:
    """Each unfinished step starts once its prerequisites are forecast to finish (not before today) and
    takes its limit in working days; the critical path is the chain that decides the permit's date."""
    steps = steps if steps is not None else list(checklist.steps.prefetch_related("prerequisites"))
    result = Forecast(commitment_days=checklist.commitment_days)
    workdays = WorkdayCalendar.load()
    try:
        by_id = {step.pk: step for step in steps}
        for step in steps:
            _forecast_step(step, by_id, result.steps, today, workdays)
        result.permit = next((s for s in steps if s.is_permit and s.status != StepStatus.NOT_NEEDED), None)
        if result.permit is not None:
            result.permit_on = result.steps[result.permit.pk].finish
            _mark_critical(result.permit, by_id, result.steps)
            if result.permit_on is not None:
                result.permit_days = workdays.working_days_between(checklist.started_on, result.permit_on)
    except CalendarNotCovered as missing:
        return Forecast(commitment_days=checklist.commitment_days, missing_year=missing.year)
    return result


def _forecast_step(step, by_id: dict, known: dict, today: date, workdays: WorkdayCalendar, seen=()) -> StepForecast:
    if step.pk in known:
        return known[step.pk]
    if step.pk in seen:  # a circle entered by hand in the database: treat the step as free to start
        return StepForecast(today, None)
    if step.status == StepStatus.DONE:
        known[step.pk] = StepForecast(step.started_on, step.done_on)
    elif step.status == StepStatus.NOT_NEEDED:
        known[step.pk] = StepForecast(None, None)
    elif step.status == StepStatus.IN_PROGRESS:
        # a step past its due date is forecast to finish today at the earliest
        known[step.pk] = StepForecast(step.started_on, max(step.due_on or today, today))
    else:
        finishes = [
            _forecast_step(by_id[p.pk], by_id, known, today, workdays, (*seen, step.pk)).finish
            for p in step.prerequisites.all()
            if p.pk in by_id
        ]
        start = max([today, *(f for f in finishes if f is not None)])
        known[step.pk] = StepForecast(start, workdays.add_working_days(start, step.time_limit_days))
    return known[step.pk]


def _mark_critical(permit: ChecklistStep, by_id: dict, known: dict) -> None:
    """Walk back from the permit through the prerequisite that bounds each step's start."""
    step, seen = permit, set()
    while step is not None and step.pk not in seen:
        seen.add(step.pk)
        if step.status != StepStatus.DONE:
            known[step.pk].critical = True
        if step.status != StepStatus.WAITING:
            return
        start = known[step.pk].start
        bounding = [
            by_id[p.pk] for p in step.prerequisites.all() if p.pk in by_id and (known[p.pk].finish or date.min) >= start
        ]
        step = max(bounding, key=lambda p: (known[p.pk].finish, p.time_limit_days), default=None)


def is_overdue(step: ChecklistStep, today: date) -> bool:
    """Being handled past its due date (the due date is counted in working days)."""
    return step.status == StepStatus.IN_PROGRESS and step.due_on is not None and step.due_on < today


# ---- the project's panel ----------------------------------------------------------------------


def checklist_steps(checklist: Checklist) -> list[ChecklistStep]:
    """The checklist's steps with what the panel shows of them, in three queries."""
    return list(
        checklist.steps.select_related("department").prefetch_related(
            Prefetch("prerequisites", queryset=ChecklistStep.objects.only("pk", "name", "status", "done_on")),
        )
    )


def panel(project, user) -> dict:
    """What the project's landing page shows of checklists (the context of landing/_checklists_panel.html)."""
    today = timezone.localdate()
    checklist = Checklist.objects.select_related("template").filter(project=project).first()
    owner = keeps_checklist(user, project)
    signed = Stage(project.stage).rank >= Stage.SIGNED.rank
    if checklist is None:
        return {
            "checklist": None,
            "checklist_can_create": owner and signed,
            "checklist_signed": signed,
        }
    checklist.project = project
    steps = checklist_steps(checklist)
    result = forecast(checklist, today, steps=steps)
    rows = []
    for step in steps:
        step.checklist = checklist
        rows.append(
            {
                "step": step,
                "overdue": is_overdue(step, today),
                "forecast": result.steps.get(step.pk),
                "critical": step.pk in result.critical_ids,
                "moves": allowed_moves(step, user),
            }
        )
    return {
        "checklist": checklist,
        "checklist_rows": rows,
        "checklist_forecast": result,
        "checklist_owner": owner,
        "checklist_can_change_template": owner and all(s.status == StepStatus.WAITING for s in steps),
        "checklist_template_changed": checklist.template is not None
        and checklist.template.revision != checklist.template_revision,
    }


def active_templates() -> QuerySet:
    return ChecklistTemplate.objects.filter(is_active=True)


# ---- the steps list ("我的手续") ----------------------------------------------------------------


def steps_in_scope(user) -> QuerySet:
    """The steps the user sees: their unit's projects' and those given to their department, newest first."""
    return (
        permissions.visible_steps(user)
        .select_related("checklist__project__unit", "checklist__project__enterprise", "department")
        .order_by("-checklist__created_at", "checklist_id", "order", "pk")
    )


def filter_steps(steps: QuerySet, data: dict, user, today: date) -> QuerySet:
    """Apply the list's filters (StepFilterForm.cleaned_data)."""
    status = data.get("status")
    if status == "open":
        steps = steps.filter(status__in=[StepStatus.WAITING, StepStatus.IN_PROGRESS])
    elif status:
        steps = steps.filter(status=status)
    if data.get("overdue"):
        steps = steps.overdue(today)
    if data.get("mine"):
        unit = getattr(user, "unit", None)
        steps = steps.filter(department__path__startswith=unit.path) if unit else steps.none()
    if data.get("department"):
        steps = steps.filter(department=data["department"])
    if data.get("unit"):
        steps = steps.filter(checklist__project__unit__path__startswith=data["unit"].path)
    text = (data.get("q") or "").strip()
    if text:
        steps = steps.filter(
            Q(checklist__project__name__icontains=text)
            | Q(checklist__project__code__icontains=text)
            | Q(checklist__project__enterprise__name__icontains=text)
            | Q(name__icontains=text)
        )
    return steps


def department_choices(project) -> QuerySet:
    """Departments a step of the project can be given to: those of its own area and of the areas above."""
    return area_departments(project.unit)


def filter_departments(user) -> QuerySet:
    """The departments of the steps the user sees, for the list's filter."""
    return Unit.objects.filter(pk__in=permissions.visible_steps(user).values("department")).order_by("path")


def step_history(step: ChecklistStep) -> QuerySet:
    """The step's audit entries, oldest first: its timeline."""
    return LogEntry.objects.get_for_object(step).select_related("actor").order_by("timestamp", "pk")


# ---- pending items -----------------------------------------------------------------------------


def pending_step_items(user) -> Iterator[PendingItem]:
    """Steps the user's department is to handle, and overdue steps the user answers for."""
    unit = getattr(user, "unit", None)
    if unit is None or not user.has_perm(permissions.VIEW_CHECKLIST):
        return
    url = reverse("landing:step_list")
    visible = permissions.visible_steps(user)
    if user.has_perm(permissions.HANDLE_STEP):
        mine = visible.unfinished().filter(department__path__startswith=unit.path).count()
        if mine:
            yield PendingItem(_("待办理的手续"), f"{url}?mine=on&status=open", mine, level="warning")
    if user.has_perm(permissions.HANDLE_STEP) or user.has_perm(permissions.CHANGE_CHECKLIST):
        overdue = visible.overdue(timezone.localdate()).count()
        if overdue:
            yield PendingItem(_("逾期手续"), f"{url}?overdue=on", overdue, level="danger")
