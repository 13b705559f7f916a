"""After signing: task forces of the major projects, their milestones and problems, monthly progress of
the started projects with photos, and batch starts."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from apps.investment.models import PipelineSettings, Project, ProjectParticipant, Stage
from apps.landing.models import (
    BatchStart,
    ChecklistStep,
    Milestone,
    MilestoneKind,
    ProblemEvent,
    ProgressPhoto,
    ProgressReport,
    ProjectProblem,
    TaskForce,
    TaskForceMember,
)
from apps.org.models import Unit, User
from apps.org.selectors import area_of
from yingshang.demo.investment.saving import SITE_PHOTO
from yingshang.demo.landing import texts

#: the milestones of a work plan, days after signing
PLAN_DAYS = {
    MilestoneKind.STARTED: 90,
    MilestoneKind.MAIN_STRUCTURE: 240,
    MilestoneKind.COMPLETED: 400,
    MilestoneKind.PRODUCING: 460,
    MilestoneKind.AT_CAPACITY: 700,
}
MILESTONE_STAGE = {
    MilestoneKind.STARTED: Stage.STARTED,
    MilestoneKind.COMPLETED: Stage.COMPLETED,
    MilestoneKind.PRODUCING: Stage.PRODUCING,
    MilestoneKind.AT_CAPACITY: Stage.AT_CAPACITY,
}


def major_projects(projects: list[Project]) -> list[Project]:
    threshold = PipelineSettings.current().major_threshold
    return [p for p in projects if max(p.contracted_investment or 0, p.planned_investment or 0) >= threshold]


class FollowUpMaker:
    def __init__(self, rng, calendar, today: date, leaders: list[User]) -> None:
        self.rng, self.calendar, self.today, self.leaders = rng, calendar, today, leaders

    # ---- task forces and milestones

    def task_forces(self, projects: list[Project]) -> int:
        # the mayor (the `leader` account) takes the biggest ones, the vice mayors the others
        biggest = sorted(projects, key=lambda p: -(p.contracted_investment or p.planned_investment or 0))
        for index, project in enumerate(biggest):
            leader = self.leaders[0] if index < 6 else self.leaders[1 + index % (len(self.leaders) - 1)]
            self._task_force(project, leader)
            self._milestones(project)
        return len(projects)

    def _task_force(self, project: Project, leader: User) -> None:
        established = project.signed_on or (self.today - timedelta(days=self.rng.randint(10, 40)))
        task_force = TaskForce.objects.create(
            project=project, leader=leader, lead_unit=project.unit, established_on=established,
            plan=texts.PLAN.format(project=project.name, amount=_amount(project)), created_by=project.created_by,
        )  # fmt: skip
        seats = [(project.created_by, TaskForceMember.Role.HEAD, "日常推进、手续代办总牵头")]
        departments = ChecklistStep.objects.filter(checklist__project=project).values("department").distinct()
        people = list(User.objects.filter(unit__in=departments, roles__code="department_handler")[:40])
        for person in self.rng.sample(people, min(4, len(people))):
            seats.append((person, TaskForceMember.Role.MEMBER, f"{person.unit.short_name or person.unit.name}审批事项"))
        TaskForceMember.objects.bulk_create(
            [TaskForceMember(task_force=task_force, person=p, role=r, duty=d) for p, r, d in seats],
            ignore_conflicts=True,
        )
        ProjectParticipant.objects.bulk_create(
            [ProjectParticipant(project=project, unit=p.unit, role="项目专班") for p, _r, _d in seats if p.unit],
            ignore_conflicts=True,
        )

    def _milestones(self, project: Project) -> None:
        start = project.signed_on or self.today
        rows = []
        for kind, days in PLAN_DAYS.items():
            planned = start + timedelta(days=days + self.rng.randint(-20, 20))
            achieved = None
            if kind == MilestoneKind.MAIN_STRUCTURE and Stage(project.stage).rank >= Stage.STARTED.rank:
                reached = project.stage != Stage.STARTED or self.rng.random() < 0.4
                achieved = min(planned + timedelta(days=self.rng.randint(-30, 30)), self.today) if reached else None
            rows.append(Milestone(project=project, kind=kind, planned_on=planned, achieved_on=achieved))
        Milestone.objects.bulk_create(rows)

    # ---- problems

    def problems(self, projects: list[Project], departments: dict) -> int:
        made = 0
        for project in projects:
            for _ in range(self.rng.choice((0, 1, 1, 2, 3))):
                self._problem(project, departments)
                made += 1
        return made

    def _problem(self, project: Project, departments: dict) -> None:
        category, keyword, title, description = self.rng.choice(texts.PROBLEMS)
        department = departments.get(keyword) or project.unit
        raised = self.today - timedelta(days=self.rng.randint(2, 120))
        raised = raised if self.calendar.is_workday(raised) else self.calendar.add_working_days(raised, 1)
        raised = min(raised, self.today)
        due = self.calendar.add_working_days(raised, 10)
        raiser = project.created_by
        problem = ProjectProblem.objects.create(
            code=f"WT{raised.year}-{ProjectProblem.objects.count() + 1:04d}", project=project, title=title,
            description=description, category=category, source=self.rng.choice(list(ProjectProblem.Source)),
            raised_by=raiser, raised_on=raised, department=department, due_on=due,
        )  # fmt: skip
        ProblemEvent.objects.create(problem=problem, kind=ProblemEvent.Kind.RAISE, by=raiser, note=description)
        ProjectParticipant.objects.get_or_create(project=project, unit=department, defaults={"role": "问题责任部门"})
        roll = self.rng.random()
        if due < self.today and roll < 0.7 or roll < 0.35:
            self._answer(problem, close=self.rng.random() < 0.75)

    def _answer(self, problem: ProjectProblem, *, close: bool) -> None:
        answered = min(self.calendar.add_working_days(problem.raised_on, self.rng.randint(2, 12)), self.today)
        answerer = User.objects.filter(unit=problem.department).first()
        problem.status = ProjectProblem.Status.ANSWERED
        problem.answer, problem.answered_by, problem.answered_on = self.rng.choice(texts.ANSWERS), answerer, answered
        events = [ProblemEvent(problem=problem, kind=ProblemEvent.Kind.ANSWER, by=answerer, note=problem.answer)]
        if close:
            problem.status, problem.closed_on = (
                ProjectProblem.Status.CLOSED,
                min(answered + timedelta(days=3), self.today),
            )
            events.append(ProblemEvent(problem=problem, kind=ProblemEvent.Kind.CLOSE, by=problem.raised_by))
        problem.save()
        ProblemEvent.objects.bulk_create(events)

    # ---- monthly progress

    def progress(self, projects: list[Project], starts: dict[int, date]) -> int:
        reports = 0
        last_month = (self.today.replace(day=1) - timedelta(days=1)).replace(day=1)
        for project in projects:
            started = starts.get(project.pk)
            if started is None:
                continue
            months = _months(started.replace(day=1), last_month)
            if project.stage == Stage.STARTED and self.rng.random() < 0.15:
                months = months[:-1]  # last month's report is missing
            reports += self._reports(project, months)
        return reports

    def _reports(self, project: Project, months: list[date]) -> int:
        total = project.contracted_investment or project.planned_investment or Decimal(5000)
        share = {Stage.STARTED: 0.45, Stage.COMPLETED: 0.85}.get(Stage(project.stage), 0.97)
        weights = [self.rng.uniform(0.5, 1.5) for _ in months]
        amounts = [
            Decimal(total * Decimal(share) * Decimal(w / sum(weights))).quantize(Decimal("0.01")) for w in weights
        ]
        rows, to_date = [], Decimal(0)
        for index, (month, amount) in enumerate(zip(months, amounts, strict=True)):
            to_date += amount
            phase = texts.PROGRESS[min(len(texts.PROGRESS) - 1, index * len(texts.PROGRESS) // max(len(months), 1))]
            rows.append(ProgressReport(
                project=project, month=month, invested_in_month=amount, invested_to_date=to_date,
                description=phase.format(pct=self.rng.randint(30, 95)), reported_by=project.created_by,
            ))  # fmt: skip
        ProgressReport.objects.bulk_create(rows)
        if rows and self.rng.random() < 0.4:
            latest = ProgressReport.objects.get(project=project, month=months[-1])
            photo = ProgressPhoto(report=latest, caption="施工现场", uploaded_by=project.created_by)
            photo.image.save(f"site-{project.pk}.png", ContentFile(SITE_PHOTO), save=True)
        return len(rows)

    # ---- batch starts

    def batch_starts(self, projects: list[Project], starts: dict[int, date]) -> int:
        """One ceremony per area in its busiest month of starts, and one coming up for projects still at 签约."""
        by_area: dict[tuple, list[Project]] = {}
        for project in projects:
            if project.pk in starts:
                area = area_of(project.unit)
                by_area.setdefault((area.pk, starts[project.pk].strftime("%Y-%m")), []).append(project)
        made = 0
        for (_area, _month), group in sorted(by_area.items(), key=lambda item: -len(item[1]))[:6]:
            if len(group) < 2:
                continue
            held = min(starts[p.pk] for p in group)
            area = area_of(group[0].unit)
            batch = BatchStart.objects.create(
                name=f"{held.year}年{held.month}月{area.name}重大项目集中开工活动", unit=area, held_on=held,
                venue=f"{group[0].name}建设现场", created_by=group[0].created_by,
            )  # fmt: skip
            batch.projects.set(group)
            made += 1
        return made + self._coming_batch(projects)

    def _coming_batch(self, projects: list[Project]) -> int:
        waiting = [p for p in projects if p.stage == Stage.SIGNED and p.status == Project.Status.ACTIVE][:5]
        if len(waiting) < 2:
            return 0
        held = self.calendar.add_working_days(self.today, 6)
        area = Unit.objects.get(depth=1)
        batch = BatchStart.objects.create(
            name=f"{held.year}年第四季度全市重大项目集中开工活动", unit=area, held_on=held,
            venue="示范经济技术开发区主会场", note="各区县设分会场，同步视频连线。", created_by=waiting[0].created_by,
        )  # fmt: skip
        batch.projects.set(waiting)
        return 1


def _months(first: date, last: date) -> list[date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _amount(project: Project) -> str:
    amount = project.contracted_investment or project.planned_investment or 0
    return f"{amount / 10000:.2f} 亿元" if amount >= 10000 else f"{amount:.0f} 万元"
