"""Joint reviews: running ones on projects in talks, and the closed ones signed projects went through."""

from datetime import date, datetime, time

from django.utils import timezone

from apps.investment.models import Project, ProjectParticipant, Stage
from apps.landing.models import JointReview, OpinionChange, ReviewOpinion, Verdict
from apps.org.models import Unit, User
from yingshang.demo.landing import texts
from yingshang.demo.landing.calendar import working_days_before

STRICTNESS = [Verdict.AGREE, Verdict.CONDITIONAL, Verdict.DISAGREE]


def city_departments(city: Unit) -> dict[str, Unit]:
    """The city's departments a review can ask, by the keyword of texts.REVIEW_DEPARTMENTS."""
    departments = Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, depth=2, path__startswith=city.path)
    found = {}
    for keyword in texts.REVIEW_DEPARTMENTS:
        unit = next((d for d in departments if keyword in d.name), None)
        if unit is not None:
            found[keyword] = unit
    return found


class ReviewMaker:
    def __init__(self, rng, calendar, today: date, departments: dict[str, Unit]) -> None:
        self.rng, self.calendar, self.today, self.departments = rng, calendar, today, departments
        self.handlers = {
            unit.pk: list(User.objects.filter(unit=unit, roles__code="department_handler")[:3])
            for unit in departments.values()
        }

    def running(self, projects: list[Project]) -> int:
        """Reviews opened in the last weeks on projects in talks: some answered, some waiting, some late."""
        for project in projects:
            opened = working_days_before(self.calendar, self.today, self.rng.randint(1, 14))
            self._review(project, opened, finish_by=self.today)
        return len(projects)

    def historic(self, projects: list[Project]) -> int:
        """Closed reviews before each project's signing, every department answered in time."""
        for project in projects:
            opened = working_days_before(self.calendar, project.signed_on, self.rng.randint(12, 30))
            self._review(project, opened, finish_by=project.signed_on, everyone=True)
        return len(projects)

    def _review(self, project: Project, opened: date, *, finish_by: date, everyone: bool = False) -> JointReview:
        limit = self.rng.choice((5, 5, 7, 10))
        due = self.calendar.add_working_days(opened, limit)
        review = JointReview.objects.create(
            project=project, subject="项目联评联审", opened_on=opened, time_limit_days=limit, due_on=due,
            note=f"{project.enterprise.name}拟投资建设{project.name}，请各部门按职责出具审查意见。",
            opened_by=project.created_by,
        )  # fmt: skip
        keywords = ["自然资源", *self.rng.sample([k for k in self.departments if k != "自然资源"], 4)]
        opinions = [self._opinion(review, keyword, finish_by, everyone) for keyword in keywords]
        self._close(review, opinions, finish_by)
        ProjectParticipant.objects.bulk_create(
            [ProjectParticipant(project=project, unit=self.departments[k], role="联审部门") for k in keywords],
            ignore_conflicts=True,
        )
        return review

    def _opinion(self, review: JointReview, keyword: str, finish_by: date, everyone: bool) -> ReviewOpinion:
        department = self.departments[keyword]
        opinion = ReviewOpinion(review=review, department=department)
        answers = everyone or self.rng.random() < (0.8 if review.due_on < self.today else 0.5)
        if answers:
            span = max(self.calendar.working_days_between(review.opened_on, min(finish_by, self.today)), 1)
            late_days = 0 if everyone or self.rng.random() < 0.85 else self.rng.randint(1, 3)
            day = self.calendar.add_working_days(
                review.opened_on, min(self.rng.randint(1, span), review.time_limit_days)
            )
            day = min(self.calendar.add_working_days(day, late_days), self.today)
            self._answer(opinion, keyword, day)
        opinion.save()
        if answers and opinion.verdict == Verdict.CONDITIONAL and self.rng.random() < 0.1:
            OpinionChange.objects.create(
                opinion=opinion, from_verdict=Verdict.AGREE, to_verdict=Verdict.CONDITIONAL,
                reason=self.rng.choice(texts.CHANGE_REASONS), by=opinion.answered_by,
            )  # fmt: skip
        return opinion

    def _answer(self, opinion: ReviewOpinion, keyword: str, day: date) -> None:
        roll = self.rng.random()
        if roll < 0.62:
            opinion.verdict = Verdict.AGREE
        elif roll < 0.93 or keyword not in ("自然资源", "生态环境", "发展和改革"):
            opinion.verdict = Verdict.CONDITIONAL
            opinion.conditions = texts.CONDITIONS[keyword]
        else:
            opinion.verdict = Verdict.DISAGREE
            opinion.reason, opinion.legal_basis = self.rng.choice(texts.REFUSALS)
        handlers = self.handlers.get(opinion.department.pk) or [None]
        opinion.answered_by = self.rng.choice(handlers)
        opinion.answered_at = timezone.make_aware(datetime.combine(day, time(self.rng.randint(9, 17), 0)))
        opinion.late = day > opinion.review.due_on

    def _close(self, review: JointReview, opinions: list[ReviewOpinion], finish_by: date) -> None:
        answered = [o for o in opinions if o.verdict != Verdict.PENDING]
        if len(answered) == len(opinions):
            review.close_reason = JointReview.CloseReason.ANSWERED
            review.closed_at = max(o.answered_at for o in opinions)
        elif review.due_on < self.today:
            review.close_reason = JointReview.CloseReason.DEADLINE
            review.closed_at = timezone.make_aware(datetime.combine(review.due_on, time(23, 0)))
            ReviewOpinion.objects.filter(review=review, verdict=Verdict.PENDING).update(late=True)
        else:
            return
        review.status = JointReview.Status.CLOSED
        verdicts = [o.verdict for o in answered]
        review.conclusion = max(verdicts, key=STRICTNESS.index) if verdicts else Verdict.PENDING
        review.save()


def negotiation_projects(rng, count: int) -> list[Project]:
    talks = list(
        Project.objects.filter(stage=Stage.NEGOTIATION, status=Project.Status.ACTIVE).select_related(
            "enterprise", "created_by"
        )
    )
    return rng.sample(talks, min(count, len(talks)))
