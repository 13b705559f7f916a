"""Checklists of the signed projects, created by the landing service and then walked through time.

A project that has started had every step done before its start; a project still at 签约 is
part-way: steps whose prerequisites were done started a few days later and took a share of their
limit, a few overran it, a few are held up still (overdue), the rest wait.
"""

from datetime import date

from apps.investment.models import Project, Stage, StageChange
from apps.landing.models import ChecklistStep, ChecklistTemplate, StepStatus
from apps.landing.services.checklists import create_checklist

STUCK_SHARE = 0.06  # steps of projects not yet started that are held up (land, environmental review …)
SAVED_FIELDS = ["status", "started_on", "due_on", "done_on", "approval_number", "note"]


class ChecklistMaker:
    def __init__(self, rng, calendar, today: date) -> None:
        self.rng, self.calendar, self.today = rng, calendar, today
        self.templates = {t.project_kind: t for t in ChecklistTemplate.objects.filter(is_active=True)}
        self.leased = ChecklistTemplate.objects.filter(is_active=True, project_kind="").first()

    def make(self, projects: list[Project]) -> int:
        self.starts = started_days(projects)
        made = 0
        for project in projects:
            template = self._template_for(project)
            if template is None:
                continue
            checklist = create_checklist(project=project, template=template, by=project.created_by,
                                         started_on=project.signed_on)  # fmt: skip
            self._walk(project, list(checklist.steps.prefetch_related("prerequisites")))
            made += 1
        return made

    def _template_for(self, project: Project) -> ChecklistTemplate | None:
        if project.land_area is None and self.leased is not None and self.rng.random() < 0.5:
            return self.leased
        return self.templates.get(project.kind) or self.templates.get("new")

    def _walk(self, project: Project, steps: list[ChecklistStep]) -> None:
        started = self.starts.get(project.pk)
        finish: dict[int, date] = {}
        for step in _in_order(steps):
            ready = max([finish.get(p.pk, project.signed_on) for p in step.prerequisites.all()] or [project.signed_on])
            if self._not_needed(project, step):
                step.status, step.note = StepStatus.NOT_NEEDED, "年综合能耗不足1000吨标准煤，无需单独开展节能审查。"
                finish[step.pk] = ready
                continue
            begin = self.calendar.add_working_days(ready, self.rng.randint(1, 4))
            overrun = self.rng.random() < 0.12
            share = self.rng.uniform(1.1, 1.5) if overrun else self.rng.uniform(0.3, 0.95)
            end = self.calendar.add_working_days(begin, max(1, round(step.time_limit_days * share)))
            if not started and self.rng.random() < STUCK_SHARE:  # still being handled today, late if begun long ago
                end = self.calendar.add_working_days(self.today, self.rng.randint(5, 30))
            if started:  # everything was done before construction began
                end = min(end, started)
                begin = min(begin, end)
            finish[step.pk] = end
            self._set_dates(step, begin, end)
        for step in steps:  # one plain UPDATE each: bulk_update's CASE per field costs more here
            if step.status != StepStatus.WAITING:
                step.save(update_fields=SAVED_FIELDS)

    def _set_dates(self, step: ChecklistStep, begin: date, end: date) -> None:
        if begin > self.today:
            return  # still waiting
        step.started_on = begin
        step.due_on = self.calendar.add_working_days(begin, step.time_limit_days)
        if end <= self.today:
            step.status, step.done_on = StepStatus.DONE, end
            step.approval_number = f"示{step.code[:4].upper()}〔{end.year}〕{self.rng.randint(10, 399)}号"
        else:
            step.status = StepStatus.IN_PROGRESS

    def _not_needed(self, project: Project, step: ChecklistStep) -> bool:
        return "节能" in step.name and (project.energy_use or 0) < 1000


def started_days(projects: list[Project]) -> dict[int, date]:
    """When each project started construction, confirmed or still waiting for confirmation."""
    moves = StageChange.objects.filter(project__in=projects, to_stage=Stage.STARTED, kind=StageChange.Kind.ADVANCE)
    moves = moves.exclude(approval=StageChange.Approval.RETURNED)
    return dict(moves.values_list("project_id", "happened_on"))


def _in_order(steps: list[ChecklistStep]) -> list[ChecklistStep]:
    """Prerequisites before the steps that need them (templates have no cycles)."""
    done: set[int] = set()
    ordered: list[ChecklistStep] = []
    pending = list(steps)
    while pending:
        progressed = False
        for step in list(pending):
            if all(p.pk in done for p in step.prerequisites.all()):
                ordered.append(step)
                done.add(step.pk)
                pending.remove(step)
                progressed = True
        if not progressed:  # a prerequisite outside the list: keep the rest in their order
            ordered += pending
            break
    return ordered
